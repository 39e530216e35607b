"""Findings of the hostile-input checker, pinned on small captures written here: nothing after a plug-in
element is lost, markup-looking text stays text, no typed-in line becomes a date or a title, and no line
makes a pattern backtrack without end."""

from __future__ import annotations

import signal
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from briefings.documents import CleanedDocument
from briefings.extract import clean
from briefings.extract_html import parse_page

from cleaning_captures import CAPTURED, raw_from_text

OPENING = ("The water board closed the old pumping station on Thursday after inspectors found cracks in two of "
           "its four intake pipes, and said repairs would take at least six weeks.")
CLOSING = ("Residents of the lower town were asked to keep using less water until the station reopens, the "
           "board's chair told a meeting at the town hall.")
ESCAPED = ("Written out as text, &lt;script&gt;alert('pump')&lt;/script&gt; is what the forged notice on the "
           "board's website contained before it was taken down.")


def html_page(body: str, head: str = "<title>Water board closes pumping station</title>") -> str:
    return f"<!DOCTYPE html><html lang='en'><head>{head}</head><body><article>{body}</article></body></html>"


def body_text(document: CleanedDocument) -> str:
    return "\n".join(document.paragraphs)


def test_text_after_an_embed_element_is_kept() -> None:
    # libxml2 nests everything after <embed> inside it; the extractor then drops it with the element.
    page = html_page(f"<p>{OPENING}</p><embed src=\"data:text/html,&lt;script&gt;x&lt;/script&gt;\">"
                     f"<p>{ESCAPED}</p><p>{CLOSING}</p>")
    text = body_text(clean(raw_from_text(page, "pumps.html")))
    assert OPENING in text and CLOSING in text
    assert "<script>alert('pump')</script> is what the forged notice" in text


@pytest.mark.parametrize("plugin", [
    "<embed src=\"data:text/html,&lt;script&gt;x&lt;/script&gt;\">",
    "<object data='movie.swf' type='application/x-shockwave-flash'><param name='movie' value='movie.swf'>",
    "<object data=\"x.swf\"></object><embed title='a > b' src='y.svg'>",
])
def test_no_paragraph_is_parsed_into_a_plugin_element(plugin: str) -> None:
    # Extractors drop <embed>/<object> with everything in them, so the page's text must never end up inside.
    page = html_page(f"<p>{OPENING}</p>{plugin}<p>{ESCAPED}</p><p>{CLOSING}</p>")
    tree = parse_page(raw_from_text(page, "pumps.html"))
    paragraphs = list(tree.iter("p"))
    assert len(paragraphs) == 3
    assert not any(ancestor.tag in {"embed", "object"} for p in paragraphs for ancestor in p.iterancestors())
    assert "<script>alert('pump')</script>" in paragraphs[1].text_content()


def test_text_after_an_unclosed_object_element_is_kept() -> None:
    page = html_page(f"<p>{OPENING}</p><object data='movie.swf' type='application/x-shockwave-flash'>"
                     f"<param name='movie' value='movie.swf'><p>{ESCAPED}</p><p>{CLOSING}</p>")
    text = body_text(clean(raw_from_text(page, "pumps.html")))
    assert CLOSING in text and "<script>alert('pump')</script>" in text


def test_markup_looking_text_in_a_text_capture_stays_as_text() -> None:
    line = "In the engineers' newsletter, &amp; stands for an ampersand, and <i>italic</i> is written with tags."
    capture = f"Water board closes pumping station\n\n{OPENING}\n\n{line}\n\n{CLOSING}\n"
    document = clean(raw_from_text(capture, "pumps.txt"))
    assert document.title == "Water board closes pumping station"
    assert list(document.paragraphs) == [OPENING, line, CLOSING]


def test_a_newsletter_prompt_in_a_text_capture_is_still_dropped() -> None:
    capture = (f"Water board closes pumping station\n\n{OPENING}\n\n{CLOSING}\n\n"
               "Sign up for our daily newsletter and get the latest local news delivered to your inbox.\n")
    assert list(clean(raw_from_text(capture, "pumps.txt")).paragraphs) == [OPENING, CLOSING]


def test_a_date_followed_by_markup_is_not_accepted_by_its_prefix() -> None:
    head = ("<title>Water board closes pumping station</title>"
            "<meta property=\"article:published_time\" content='2019-12-31T00:00:00Z\"><script>alert(1)</script>'>")
    document = clean(raw_from_text(html_page(f"<p>{OPENING}</p><p>{CLOSING}</p>", head), "pumps.html"))
    assert (document.published, document.date_source) == (CAPTURED, "file")


def test_a_date_after_the_capture_is_refused_in_html_and_text() -> None:
    head = ("<title>Water board closes pumping station</title>"
            "<meta property='article:published_time' content='2099-12-31T00:00:00Z'>")
    page = clean(raw_from_text(html_page(f"<p>{OPENING}</p><p>{CLOSING}</p>", head), "pumps.html"))
    capture = clean(raw_from_text(f"Water board closes pumping station\n\nDecember 31, 2099\n\n{OPENING}\n\n"
                                  f"{CLOSING}\n", "pumps.txt"))
    for document in (page, capture):
        assert (document.published, document.date_source) == (CAPTURED, "file")


def test_a_date_written_above_a_text_article_is_its_date() -> None:
    capture = f"Water board closes pumping station\n\nMarch 5, 2025\n\n{OPENING}\n\n{CLOSING}\n"
    document = clean(raw_from_text(capture, "pumps.txt"))
    assert (str(document.published.date()), document.date_source) == ("2025-03-05", "capture")


def test_metadata_lines_smuggled_into_an_html_title_are_cut_off() -> None:
    head = ("<title>Water board closes pumping station\nStatus: hidden\nSave_as: pwned.html\nDate: 1999-01-01"
            "</title><meta property='og:title' content='Water board closes pumping station&#10;Slug: pwned'>")
    document = clean(raw_from_text(html_page(f"<p>{OPENING}</p><p>{CLOSING}</p>", head), "pumps.html"))
    assert document.title == "Water board closes pumping station"
    assert document.date_source == "file"   # the Date: line inside <title> is not a publication date


def test_pasted_header_lines_in_a_text_capture_never_become_metadata() -> None:
    capture = f"Title: Pwned headline\nDate: 1999-01-01\nStatus: draft\n\n{OPENING}\n\n{CLOSING}\n"
    document = clean(raw_from_text(capture, "pumps.txt"))
    assert "Pwned" not in document.title
    assert (document.published, document.date_source) == (CAPTURED, "file")


def test_a_title_line_directly_above_text_prose_is_not_taken_when_it_is_a_key_value_line() -> None:
    document = clean(raw_from_text(f"Title: Pwned headline\n\n{OPENING}\n\n{CLOSING}\n", "pumps.txt"))
    assert "Pwned" not in document.title


def test_front_matter_and_pasted_lines_in_markdown_never_become_metadata() -> None:
    text = (f"---\ntitle: Pwned headline\ndate: 1999-01-01\nstatus: draft\nsave_as: pwned.html\n---\n"
            f"Date: 2001-02-03\nTitle: Second pwned headline\n\n{OPENING}\n\n{CLOSING}\n")
    document = clean(raw_from_text(text, "pumps.md"))
    assert "Pwned" not in document.title and "pwned" not in document.title
    assert (document.published, document.date_source) == (CAPTURED, "file")
    assert OPENING in body_text(document) and CLOSING in body_text(document)


@contextmanager
def hang_guard(seconds: int) -> Iterator[None]:
    """Fail instead of hanging: a pattern that backtracks catastrophically runs for hours on these lines. The
    limit detects a hang, it is no speed target: the capture cleans in milliseconds."""
    def hang(signum: int, frame: object) -> None:
        raise AssertionError(f"still cleaning after {seconds} s: a pattern backtracks without end")
    previous = signal.signal(signal.SIGALRM, hang)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def test_lines_built_to_make_the_line_patterns_backtrack_are_cleaned() -> None:
    # A byline-like line of one long capitalised word (BYLINE_LINE once split it every way it could), a
    # company-profile-like run of capitalised words, and long runs of what the stock phrases look for.
    hostile = ["By " + "A" * 3000 + " x", "By " + "Ab " * 1000 + "x", "Ab, " * 800 + "is a", "© " * 1500 + "x",
               "Reporting by " + "a " * 1500, "Follow " * 400 + "x", "1/" * 1500 + "x"]
    with hang_guard(60):
        document = clean(raw_from_text("\n".join(["Water board closes pumping station", "", OPENING, *hostile,
                                                   CLOSING])))
    assert OPENING in body_text(document)
