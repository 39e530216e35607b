"""Short real-shaped articles for the tagging tests, as CleanedDocuments.

Fixture articles (tests/tagging/fixtures/*.txt) are written for this project: first line the title, then
paragraphs separated by blank lines; a line starting "## " is a section heading. They are turned into
CleanedDocuments directly, so these tests do not depend on the cleaner (the seed tests do, on purpose).
"""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

from briefings.documents import Block, CleanedDocument

REPO = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).parent / "fixtures"
WHEN = datetime(2025, 11, 2, 9, 0, tzinfo=timezone.utc)


def make_document(title: str, paragraphs: list[str], source: str = "fixture.txt") -> CleanedDocument:
    """A cleaned document with one block per paragraph ("## " starts a heading)."""
    blocks = tuple(
        Block(kind="heading", text=text[3:], level=2) if text.startswith("## ") else Block(kind="paragraph", text=text)
        for text in paragraphs
    )
    return CleanedDocument(source=Path(source), sha256="0" * 64, title=title, blocks=blocks, published=WHEN,
                           date_source="capture", captured=WHEN)


def fixture_document(name: str) -> CleanedDocument:
    """tests/tagging/fixtures/<name>.txt as a cleaned document."""
    path = FIXTURES / f"{name}.txt"
    title, _, body = path.read_text(encoding="utf-8").partition("\n\n")
    paragraphs = [part.strip() for part in body.split("\n\n") if part.strip()]
    return make_document(title.strip(), paragraphs, source=str(path))
