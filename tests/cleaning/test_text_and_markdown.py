"""Small behaviours of the text and Markdown cleaners: header lines, titles, headings, front matter."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from briefings.errors import ExtractionError
from briefings.extract import clean
from briefings.dump_lines import load_rules
from briefings.extract_text import parse_header
from briefings.html_metadata import strip_site_suffix

from cleaning_captures import CAPTURED, raw_from_text

STORY = ("The river authority opened the second spillway on Friday morning after three days of heavy rain "
         "raised the reservoir to its highest level since the dam was built in 1968.")

LATER = ("Residents of the lower valley were allowed back into their homes on Monday evening, when the water "
         "level below the dam had fallen by more than a metre since the weekend.")


@pytest.mark.parametrize(("line", "expected"), [
    ("Dam Opens Second Spillway | Regional | river-news.example.net",
     ("Dam Opens Second Spillway", "Regional", "river-news.example.net")),
    ("Dam Opens Second Spillway | river-news.example.net", ("Dam Opens Second Spillway", "", "river-news.example.net")),
])
def test_header_lines_give_title_section_and_site(line: str, expected: tuple[str, str, str]) -> None:
    header = parse_header(line)
    assert header is not None
    assert (header.title, header.section, header.site_name) == expected


@pytest.mark.parametrize("line", [
    "site: media | arena: nfl | pageType: stories | section: | slug: dam-opens",
    "Home | News",
    STORY,
])
def test_lines_that_are_not_header_lines_are_refused(line: str) -> None:
    assert parse_header(line) is None


@pytest.mark.parametrize(("title", "site", "expected"), [
    ("Dam opens second spillway | Regional | River News", "River News", "Dam opens second spillway"),
    ("Dam opens second spillway - River News", "River News", "Dam opens second spillway"),
    ("River News | Dam opens second spillway after record rain", "", "Dam opens second spillway after record rain"),
    ("Rain, rain - and more rain: what the forecast says", "", "Rain, rain - and more rain: what the forecast says"),
])
def test_site_suffixes_are_stripped_from_titles(title: str, site: str, expected: str) -> None:
    assert strip_site_suffix(title, site) == expected


def test_a_text_capture_with_only_boilerplate_is_no_article() -> None:
    dump = "Home\nNews\nSport\n\nThis website uses cookies to improve your experience. Accept\n"
    with pytest.raises(ExtractionError, match=r"cookies-only\.txt: no article text"):
        clean(raw_from_text(dump, "cookies-only.txt"))


def test_an_empty_text_capture_is_no_article() -> None:
    with pytest.raises(ExtractionError, match=r"blank\.txt: no article text"):
        clean(raw_from_text("\n \n\t\n", "blank.txt"))


def test_headings_need_prose_on_both_sides() -> None:
    # The second section is new prose: a paragraph repeating the first one would be dropped as a repeat.
    text = f"Dam Opens Second Spillway\n\n{STORY}\nEvacuation Orders Lifted\n{LATER}\n"
    document = clean(raw_from_text(text))
    assert [(b.kind, b.text) for b in document.blocks if b.kind == "heading"] == [
        ("heading", "Evacuation Orders Lifted")]
    assert document.title == "Dam Opens Second Spillway"


def test_a_sentence_ending_in_a_quote_is_not_a_heading() -> None:
    text = f"Dam Opens Second Spillway\n\n{STORY}\nThe mayor called the decision “the only safe choice.”\n{STORY}\n"
    assert all(block.kind == "paragraph" for block in clean(raw_from_text(text)).blocks)


def test_pelican_header_in_a_markdown_capture_is_neither_body_nor_trusted_metadata() -> None:
    text = f"Title: Dam opens second spillway\nDate: 2025-03-07 09:30\nSave_as: ../../x.html\n\n{STORY}\n"
    document = clean(raw_from_text(text, "spillway.md"))
    # Front matter is never metadata: with no heading in the body, the title is the body's first words.
    assert document.title.startswith(" ".join(STORY.split()[:6])) and "Dam" not in document.title
    assert (document.published, document.date_source) == (CAPTURED, "file")
    assert [block.text for block in document.blocks] == [STORY]


def test_front_matter_never_overrides_the_body_heading() -> None:
    text = f"---\ntitle: Injected headline\ndate: 1999-01-01\nstatus: draft\n---\n\n# Dam opens second spillway\n\n{STORY}\n"
    document = clean(raw_from_text(text, "spillway.md"))
    assert (document.title, document.date_source) == ("Dam opens second spillway", "file")
    assert "Injected" not in "\n".join(document.paragraphs)


def test_a_date_line_pasted_above_a_text_article_is_not_trusted() -> None:
    text = f"Dam opens second spillway\nStatus: hidden\nDate: 1999-01-01\n\n{STORY}\n{STORY}\n"
    assert clean(raw_from_text(text)).date_source == "file"


def test_a_publication_date_after_the_capture_is_not_believed() -> None:
    head = '<meta property="article:published_time" content="2099-12-31T00:00:00Z">'
    page = f"<html><head>{head}<title>Dam opens second spillway</title></head><body><p>{STORY}</p><p>{STORY}</p>"
    document = clean(raw_from_text(page, "spillway.html"))
    assert (document.published, document.date_source) == (CAPTURED, "file")


def test_a_markdown_capture_of_invisible_characters_is_no_article() -> None:
    # Found by the property test: a byte-order mark alone became the title and the only paragraph.
    with pytest.raises(ExtractionError, match=r"invisible\.md: no article text"):
        clean(raw_from_text("\u2028\u2029\ufeff\ufffe\uffff\x00\x07\x1b\n\n\u200b\u00ad\ue900\n", "invisible.md"))


def test_markdown_without_front_matter_takes_its_title_from_the_first_heading() -> None:
    text = f"# Dam opens second spillway\n\n{STORY}\n\n### Evacuations\n\n[Read the order](https://x.example/o)\n"
    document = clean(raw_from_text(text, "spillway.md"))
    assert document.title == "Dam opens second spillway"
    assert [(b.kind, b.text, b.level) for b in document.blocks] == [
        ("paragraph", STORY, 0), ("heading", "Evacuations", 3), ("paragraph", "Read the order", 0)]
    assert document.date_source == "file"


def test_a_title_written_with_markup_in_front_matter_is_not_the_title() -> None:
    text = f"---\ntitle: '<script>alert(1)</script>Dam <i>opens</i>'\n---\n\n{STORY}\n"
    document = clean(raw_from_text(text, "spillway.md"))
    assert "script" not in document.title and "Dam" not in document.title
    assert [block.text for block in document.blocks] == [STORY]


@pytest.mark.parametrize(("line", "stock"), [
    ("By continuing to browse you accept our use of cookies.", True),
    ("All Rights Reserved by the Island Courier", True),
    ("Please enable JavaScript to view the comments", True),
    ("• Share", True),
    ("The bakery sold cookies to every stall holder at the harbour market.", False),
    ("Ferry fares will not rise before the spring, the operator said.", False),
])
def test_stock_phrases_are_found_wherever_they_stand(line: str, stock: bool) -> None:
    assert load_rules().is_stock_line(line) is stock


def test_cleaning_text_captures_does_not_load_the_html_extractors() -> None:
    # Plain-text ingest must stay cheap: trafilatura, lxml and readability cost a quarter of a second to import.
    script = ("import sys; from briefings.extract import clean; from cleaning_captures import raw_from_text; "
              f"clean(raw_from_text({STORY!r})); "
              "print(sorted(m for m in ('trafilatura', 'lxml', 'readability', 'htmldate') if m in sys.modules))")
    here = Path(__file__).resolve().parent
    path = os.pathsep.join([str(here), str(here.parents[1] / "scripts")])
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True,
                            env={**os.environ, "PYTHONPATH": path})
    assert result.stdout.strip() == "[]"
