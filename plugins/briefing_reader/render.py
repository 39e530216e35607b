"""Briefing body Markdown -> HTML with markdown-it-py. No Pelican imports.

CommonMark with raw HTML off: any `<tag>` in a briefing renders as text, never as markup. markdown-it's link
validation stays on, so `javascript:`, `vbscript:`, `file:` and non-image `data:` links are refused.
"""

from __future__ import annotations

from functools import lru_cache

from markdown_it import MarkdownIt


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})


def render_markdown(body: str) -> str:
    """The body as an HTML fragment."""
    html: str = _parser().render(body)
    return html
