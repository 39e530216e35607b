"""Helpers shared by the cleaning tests: captures on disk -> RawArticle, the way read_raw hands them over."""

from __future__ import annotations

import hashlib
from datetime import datetime, timezone
from pathlib import Path

from briefings.documents import CaptureKind, RawArticle

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "cleaning"
SHARED = Path(__file__).resolve().parents[3] / "shared" / "corpus"
CAPTURED = datetime(2026, 1, 2, 3, 4, 5, tzinfo=timezone.utc)
KINDS: dict[str, CaptureKind] = {".html": "html", ".htm": "html", ".md": "markdown"}


def raw_from_text(text: str, name: str = "capture.txt") -> RawArticle:
    """A RawArticle for text already decoded, named `name` (the suffix picks the kind)."""
    source = Path(name)
    return RawArticle(source=source, kind=KINDS.get(source.suffix, "text"), text=text,
                      sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(), encoding="utf-8",
                      captured=CAPTURED)


def raw_from_file(path: Path) -> RawArticle:
    """A RawArticle for a UTF-8 capture on disk."""
    raw = raw_from_text(path.read_text(encoding="utf-8"), path.name)
    return RawArticle(source=path, kind=raw.kind, text=raw.text, sha256=raw.sha256, encoding=raw.encoding,
                      captured=raw.captured)
