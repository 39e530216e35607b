"""Safe names: slugs for files and URLs, and printable file names for messages."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from slugify import slugify

MAX_SLUG_LENGTH = 80
# Names the site itself uses at its top level; a briefing titled "Search" must not take search.html.
SITE_PAGE_NAMES = frozenset({"index", "archives", "search", "sitemap", "404", "topics", "entities", "feeds",
                             "tags", "categories", "authors", "theme", "briefings-offline", "manifest"})
WINDOWS_DEVICE_NAMES = frozenset(
    {"con", "prn", "aux", "nul"} | {f"com{i}" for i in range(1, 10)} | {f"lpt{i}" for i in range(1, 10)}
)


def printable_path(path: Path | str) -> str:
    """The path as one printable line: control, bidi and invisible characters escaped."""
    return "".join(_printable_char(char) for char in str(path))


def _printable_char(char: str) -> str:
    if char == "\\":
        return "\\\\"
    category = unicodedata.category(char)
    if category.startswith("C") or category in {"Zl", "Zp"}:
        code = ord(char)
        return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"
    return char


def make_slug(title: str, fallback: str) -> str:
    """A slug of [a-z0-9-], never empty, never a Windows device name, at most 80 characters."""
    slug = slugify(title, max_length=MAX_SLUG_LENGTH, word_boundary=True, save_order=True)
    slug = re.sub(r"[^a-z0-9-]+", "", slug).strip("-")
    if not slug:
        slug = f"briefing-{fallback}"
    if slug in WINDOWS_DEVICE_NAMES or slug in SITE_PAGE_NAMES:
        slug = f"{slug}-briefing"
    return slug
