"""Our own real-shaped captures (tests/fixtures/cleaning/cases.toml): what must be kept, dropped and found."""

from __future__ import annotations

import tomllib
from typing import Any

import pytest

from briefings.documents import CleanedDocument
from briefings.extract import clean

from cleaning_captures import CAPTURED, FIXTURES, raw_from_file

CASES: dict[str, dict[str, Any]] = tomllib.loads((FIXTURES / "cases.toml").read_text(encoding="utf-8"))


def cleaned(name: str) -> CleanedDocument:
    return clean(raw_from_file(FIXTURES / name))


def body_of(document: CleanedDocument) -> str:
    return "\n".join(document.paragraphs)


@pytest.mark.parametrize("name", sorted(CASES))
def test_article_text_is_kept(name: str) -> None:
    body = body_of(cleaned(name))
    for phrase in CASES[name]["must_keep"]:
        assert phrase in body, f"{name}: lost {phrase!r}"


@pytest.mark.parametrize("name", sorted(CASES))
def test_boilerplate_is_dropped(name: str) -> None:
    body = body_of(cleaned(name))
    for phrase in CASES[name]["must_drop"]:
        assert phrase not in body, f"{name}: kept boilerplate {phrase!r}"


@pytest.mark.parametrize("name", sorted(CASES))
def test_title_is_found_and_not_repeated_in_body(name: str) -> None:
    document = cleaned(name)
    assert document.title == CASES[name]["title"]
    assert all(text != document.title for text in document.paragraphs)


@pytest.mark.parametrize("name", sorted(CASES))
def test_blocks_are_plain_text(name: str) -> None:
    for block in cleaned(name).blocks:
        assert "<" not in block.text and "\n" not in block.text and block.text == block.text.strip()
        assert block.text


@pytest.mark.parametrize("name", sorted(name for name in CASES if "headings" in CASES[name]))
def test_section_headings_become_heading_blocks(name: str) -> None:
    headings = [(block.text, block.level) for block in cleaned(name).blocks if block.kind == "heading"]
    assert headings == [(text, 2) for text in CASES[name]["headings"]]


@pytest.mark.parametrize("kind", ["quotes", "bullets", "ordered"])
def test_quotes_and_lists_keep_their_kind(kind: str) -> None:
    block_kind = {"quotes": "quote", "bullets": "bullet", "ordered": "ordered"}[kind]
    names = [name for name in CASES if kind in CASES[name]]
    assert names
    for name in names:
        texts = [block.text for block in cleaned(name).blocks if block.kind == block_kind]
        for expected in CASES[name][kind]:
            assert expected in texts, f"{name}: {expected!r} is not a {block_kind} block"


@pytest.mark.parametrize("name", sorted(CASES))
def test_dates_come_from_the_capture_or_are_marked_as_file_dates(name: str) -> None:
    document = cleaned(name)
    expected = CASES[name].get("date")
    if expected:
        assert (document.published.date().isoformat(), document.date_source) == (expected, "capture")
    else:
        assert (document.published, document.date_source) == (CAPTURED, "file")


@pytest.mark.parametrize("field", ["url", "site_name", "section", "author", "language"])
def test_metadata_fields_are_found(field: str) -> None:
    names = [name for name in CASES if field in CASES[name]]
    assert names
    for name in names:
        assert getattr(cleaned(name), field) == CASES[name][field], name
