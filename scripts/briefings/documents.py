"""The values passed between pipeline stages.

raw file -> RawArticle -> CleanedDocument -> Briefing -> Markdown file in content/briefings/
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Literal

CaptureKind = Literal["html", "text", "markdown"]
BlockKind = Literal["paragraph", "heading", "quote", "bullet", "ordered", "code"]
DateSource = Literal["capture", "file"]


@dataclass(frozen=True, slots=True)
class RawArticle:
    source: Path          # the raw file; every error about this article names it
    kind: CaptureKind
    text: str             # decoded Unicode (encoding detected), NUL and C0 controls removed
    sha256: str           # of the raw bytes, as captured
    encoding: str         # the encoding the bytes were decoded with
    captured: datetime    # the file's modification time, timezone-aware (UTC)


@dataclass(frozen=True, slots=True)
class Block:
    """One block of article body. `text` is plain text, never markup."""

    kind: BlockKind
    text: str
    level: int = 0        # heading level (2-4) for headings; 0 otherwise


@dataclass(frozen=True, slots=True)
class CleanedDocument:
    source: Path
    sha256: str
    title: str                    # one line, no site suffix
    blocks: tuple[Block, ...]     # reading order, boilerplate removed, title not repeated
    published: datetime           # timezone-aware
    date_source: DateSource       # "file" when no date was found in the capture
    captured: datetime
    url: str = ""                 # canonical / original URL, "" when unknown
    site_name: str = ""           # e.g. "london-news-net.preview-domain.com" or "The Guardian"
    section: str = ""
    author: str = ""
    language: str = ""

    @property
    def paragraphs(self) -> tuple[str, ...]:
        return tuple(block.text for block in self.blocks)


@dataclass(frozen=True, slots=True)
class Entity:
    name: str                     # canonical name from the gazetteer
    kind: str                     # person, organisation, place, weapon


@dataclass(frozen=True, slots=True)
class Tagging:
    topics: tuple[str, ...]       # topic slugs, sorted
    entities: tuple[Entity, ...]  # sorted by name


@dataclass(frozen=True, slots=True)
class Digest:
    summary: str                  # at most 60 words, whole sentences
    key_points: tuple[str, ...]   # 3-5 whole sentences (fewer only for very short articles)


@dataclass(frozen=True, slots=True)
class Briefing:
    document: CleanedDocument
    slug: str
    uid: str
    raw_path: str                 # the capture's path as recorded in metadata (relative to project)
    tagging: Tagging
    digest: Digest
