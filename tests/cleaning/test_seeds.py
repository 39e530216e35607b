"""The archive's first two articles (the seeds) come out exactly clean."""

from __future__ import annotations

import pytest

from briefings.documents import CleanedDocument
from briefings.extract import clean

from cleaning_captures import SHARED, raw_from_file

SEEDS = SHARED / "seeds"
pytestmark = pytest.mark.skipif(not SEEDS.is_dir(), reason="the shared corpus (../shared/corpus/seeds) is absent")

SEED_000_TITLE = "Zelensky Urges Allies for Stronger Air Defense Amid Renewed Russian Attacks"
SEED_002_TITLE = "Zelensky Urges NATO Support to Strengthen Ukraine’s Air Defense"
SEED_002_HEADINGS = [
    "Rising Attacks Highlight the Urgency for Air Defense Solutions",
    "Sanctions Strategy Remains a Parallel Line of Defense",
    "NATO Leadership Reaffirms Continued Commitment to Ukraine",
    "Over 70 Projects Launched to Secure Ukraine’s Defense Future",
    "Aid Packages and Joint Training Shape Operational Readiness",
    "Geopolitical Caution: Ukraine Warns of Potential Regional Spillover",
    "Air Defense as a Symbol of Strategic Resilience",
    "Evolving Alliances and the Long Road to Peace",
]


def seed(prefix: str) -> CleanedDocument:
    (path,) = SEEDS.glob(f"{prefix}_*.txt")
    return clean(raw_from_file(path))


def expected_paragraphs(prefix: str, first: str, last: str) -> list[str]:
    """The seed's own lines from the first article paragraph to the last one, blank lines skipped."""
    (path,) = SEEDS.glob(f"{prefix}_*.txt")
    lines = [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    start = next(i for i, line in enumerate(lines) if line.startswith(first))
    end = next(i for i, line in enumerate(lines) if line.startswith(last))
    return lines[start:end + 1]


def test_seed_000_metadata_comes_from_its_header_line() -> None:
    document = seed("000")
    assert (document.title, document.section, document.site_name) == (
        SEED_000_TITLE, "World", "london-news-net.preview-domain.com")
    assert document.date_source == "file" and document.published == document.captured


def test_seed_000_body_is_exactly_the_article() -> None:
    document = seed("000")
    assert list(document.paragraphs) == expected_paragraphs(
        "000", "Ukrainian President Volodymyr Zelensky sought support", "Since 2022, millions of Ukrainians")
    assert {block.kind for block in document.blocks} == {"paragraph"}


def test_seed_000_drops_boilerplate_and_repeated_title() -> None:
    body = "\n".join(seed("000").paragraphs)
    for phrase in ["Related posts", "Zabaikalsky Governor Disbands Cabinet", "EU Sanctions on Russia Stalled",
                   "How AI Memes Are Distorting", "uses cookies", "london-news-net", SEED_000_TITLE]:
        assert phrase not in body


def test_seed_002_keeps_its_eight_section_headings() -> None:
    document = seed("002")
    assert document.title == SEED_002_TITLE
    assert [(b.text, b.level) for b in document.blocks if b.kind == "heading"] == [
        (text, 2) for text in SEED_002_HEADINGS]


def test_seed_002_body_is_exactly_the_article() -> None:
    document = seed("002")
    assert list(document.paragraphs) == expected_paragraphs(
        "002", "As Ukraine faces escalating aerial assaults", "Yet, the road to peace and stability")
    assert document.date_source == "file"
