"""Markdown captures -> CleanedDocument: markdown-it-py parses, and every token becomes plain text.

A capture is untrusted: its front matter (YAML `---` or Pelican `Key: value` lines) is cut off and never
becomes metadata; raw HTML keeps its text only; links keep their text only.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

import nh3
from markdown_it import MarkdownIt
from markdown_it.token import Token

from briefings.documents import Block, BlockKind, CleanedDocument, RawArticle
from briefings.dump_lines import load_rules
from briefings.errors import ExtractionError
from briefings.extract_text import fallback_title
from briefings.html_metadata import one_line_title, prints_nothing

YAML_FRONT_MATTER = re.compile(r"\A\ufeff?---[ \t]*\n(.*?)\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.DOTALL)
PELICAN_HEADER_LINE = re.compile(r"^([A-Za-z][A-Za-z_ -]{0,30}):\s*(.*)$")


@dataclass(slots=True)
class FrontMatter:
    values: dict[str, str] = field(default_factory=dict)
    body: str = ""


def clean_markdown(raw: RawArticle) -> CleanedDocument:
    """The article in a Markdown capture; raises ExtractionError when no text is left."""
    front = split_front_matter(raw.text)
    blocks, heading_title = markdown_blocks(front.body)
    rules = load_rules()
    blocks = [block for block in blocks if not rules.is_stock_line(block.text)]
    if not blocks:
        raise ExtractionError(raw.source, "no article text in the Markdown capture")
    # Front matter is whatever the page's author typed: none of it (title, date, status, slug, save_as)
    # becomes briefing metadata; the title is the opening heading, else the first words.
    title = heading_title
    return CleanedDocument(
        source=raw.source, sha256=raw.sha256, title=one_line_title(title) or fallback_title(blocks),
        blocks=tuple(blocks), published=raw.captured, date_source="file", captured=raw.captured,
    )


def split_front_matter(text: str) -> FrontMatter:
    """Front matter values (lower-case keys, plain one-line strings) and the Markdown body after them."""
    match = YAML_FRONT_MATTER.match(text)
    if match:
        return FrontMatter(values=_key_values(match.group(1).splitlines()), body=text[match.end():])
    lines = text.splitlines()
    header_length = 0
    for line in lines:
        if not PELICAN_HEADER_LINE.match(line):
            break
        header_length += 1
    # A Pelican header is a run of Key: value lines ended by a blank line, with a title among them.
    header = _key_values(lines[:header_length])
    ends_with_blank = header_length < len(lines) and not lines[header_length].strip()
    if header_length and ends_with_blank and "title" in header:
        return FrontMatter(values=header, body="\n".join(lines[header_length + 1:]))
    return FrontMatter(values={}, body=text)


def _key_values(lines: list[str]) -> dict[str, str]:
    values: dict[str, str] = {}
    for line in lines:
        match = PELICAN_HEADER_LINE.match(line)
        if match:
            value = match.group(2).strip().strip("\"'")
            values.setdefault(match.group(1).strip().lower(), _plain(value))
    return values


def _plain(text: str) -> str:
    """Text with any markup removed and entities decoded, on one line."""
    return one_line_title(html.unescape(nh3.clean(text, tags=set())))


def markdown_blocks(body: str) -> tuple[list[Block], str]:
    """Blocks of the Markdown body, and the title when the body opens with a level-1 heading."""
    tokens = MarkdownIt("commonmark").parse(body)
    blocks: list[Block] = []
    list_kinds: list[BlockKind] = []
    quote_depth = 0
    heading_tag = ""
    for token in tokens:
        if token.type in {"bullet_list_open", "ordered_list_open"}:
            list_kinds.append("ordered" if token.type == "ordered_list_open" else "bullet")
        elif token.type in {"bullet_list_close", "ordered_list_close"}:
            list_kinds.pop()
        elif token.type == "blockquote_open":
            quote_depth += 1
        elif token.type == "blockquote_close":
            quote_depth -= 1
        elif token.type == "heading_open":
            heading_tag = token.tag
        elif token.type == "heading_close":
            heading_tag = ""
        elif token.type == "inline":
            _append(blocks, _inline_text(token), heading_tag, list_kinds, quote_depth)
        elif token.type in {"fence", "code_block"}:
            blocks.append(Block("code", token.content.rstrip("\n")))
        elif token.type == "html_block":
            _append(blocks, _plain(token.content), "", list_kinds, quote_depth)
    title = ""
    if blocks and blocks[0].kind == "heading" and blocks[0].level == 1:
        title, blocks = blocks[0].text, blocks[1:]
    return [_demote(block) for block in blocks], title


def _append(blocks: list[Block], text: str, heading_tag: str, list_kinds: list[BlockKind],
            quote_depth: int) -> None:
    if prints_nothing(text):
        return   # nothing a reader would see (a byte-order mark, control characters): no block
    if heading_tag:
        blocks.append(Block("heading", text, level=int(heading_tag[1])))
    elif list_kinds:
        blocks.append(Block(list_kinds[-1], text))
    elif quote_depth:
        blocks.append(Block("quote", text))
    else:
        blocks.append(Block("paragraph", text))


def _demote(block: Block) -> Block:
    """Headings inside the body sit at levels 2-4 (level 1 is the page title)."""
    if block.kind != "heading":
        return block
    return Block("heading", block.text, level=min(max(block.level, 2), 4))


def _inline_text(token: Token) -> str:
    """The visible text of an inline token: link and image targets dropped, raw HTML stripped to text."""
    parts: list[str] = []
    for child in token.children or []:
        if child.type in {"text", "code_inline"}:
            parts.append(child.content)
        elif child.type in {"softbreak", "hardbreak"}:
            parts.append(" ")
        elif child.type == "image":
            parts.append(child.content)
        elif child.type == "html_inline":
            parts.append(html.unescape(nh3.clean(child.content, tags=set())))
    return " ".join("".join(parts).split())



