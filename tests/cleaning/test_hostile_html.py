"""Hostile or broken pages never crash the cleaner: they give an article or an ExtractionError.

How long they take is measured by `make check-bad-input` (each case's time limit), not here.
"""

from __future__ import annotations

import re

import pytest

from briefings.errors import ExtractionError
from briefings.extract import clean
from briefings.extract_html import flatten_deep_nesting

from cleaning_captures import FIXTURES, raw_from_file, raw_from_text

ARTICLE = (
    "<p>The council approved the new harbour budget on Tuesday after a debate that lasted well past midnight, "
    "with eleven members voting in favour and four against.</p>"
    "<p>Opponents said the plan spent too little on flood defences and too much on a new ferry terminal that "
    "few residents had asked for, and promised to raise the matter again in spring.</p>"
)


def page(body: str, title: str = "Council approves harbour budget") -> str:
    return f"<!DOCTYPE html><html><head><title>{title}</title></head><body>{body}</body></html>"


def test_text_below_100000_nested_elements_survives() -> None:
    nested = "<div>" * 100_000 + ARTICLE + "</div>" * 100_000
    document = clean(raw_from_text(page(nested + "<p>Closing line of the page footer.</p>"), "deep.html"))
    body = "\n".join(document.paragraphs)
    assert "eleven members voting in favour" in body
    assert "raise the matter again in spring" in body


def test_flattening_keeps_all_text_and_caps_depth() -> None:
    markup = "<section>" * 500 + "<b>deep</b> words" + "</section>" * 500
    flat = flatten_deep_nesting(markup, limit=50)
    assert flat.count("<section>") == 50 and flat.count("</section>") == 50
    assert re.sub(r"<[^>]+>", "", flat) == "deep words"


def test_nul_bytes_and_misnested_tags_do_not_break_extraction() -> None:
    broken = ARTICLE.replace("harbour", "har\x00bour").replace("<p>Opponents", "<p><b><i>Opponents</b></i>")
    document = clean(raw_from_text(page("<div><span>" + broken + "</div></span></table></p>"), "broken.html"))
    body = "\n".join(document.paragraphs)
    assert "eleven members voting in favour" in body
    assert "\x00" not in body and "<" not in body


def test_an_8_mib_page_is_cleaned() -> None:
    # Saved pages grow that big from inlined state, styles and images, around a few thousand teasers.
    state = "<script>window.__STATE__ = {" + '"teaser": "More news from the region", ' * 110_000 + "};</script>"
    image = "<img alt='map' src='data:image/png;base64," + "iVBORw0KGgo" * 150_000 + "'>"
    teasers = "<div class='teaser'><a href='/x'>More news from the region</a></div>\n" * 4_000
    markup = page(state + image + teasers + "<article>" + ARTICLE * 3 + "</article>" + teasers + state)
    assert len(markup.encode("utf-8")) > 8_000_000
    document = clean(raw_from_text(markup, "huge.html"))
    assert "eleven members voting in favour" in "\n".join(document.paragraphs)


def test_a_page_of_200000_elements_still_finishes() -> None:
    filler = "<div class='teaser'><a href='/x'>More news from the region</a></div>\n" * 100_000
    markup = page(filler + "<article>" + ARTICLE * 3 + "</article>" + filler)
    document = clean(raw_from_text(markup, "many-elements.html"))
    assert "eleven members voting in favour" in "\n".join(document.paragraphs)


def test_a_consent_wall_alone_is_no_article() -> None:
    with pytest.raises(ExtractionError, match=r"consent-wall\.html: no article text"):
        clean(raw_from_file(FIXTURES / "consent-wall.html"))


@pytest.mark.parametrize("markup", ["", "   \n", "<html><body></body></html>", "<html><head><title>x</title>",
                                    "<script>var a = 1;</script>", "<<<>>>&&&"])
def test_empty_pages_raise_extraction_error_naming_the_file(markup: str) -> None:
    with pytest.raises(ExtractionError, match=r"empty-page\.html: no article text"):
        clean(raw_from_text(markup, "empty-page.html"))


def test_script_and_style_never_reach_the_body() -> None:
    hostile = ARTICLE + "<script>document.write('<p>injected paragraph text here</p>')</script><style>p{}</style>"
    body = "\n".join(clean(raw_from_text(page(hostile), "script.html")).paragraphs)
    assert "injected" not in body and "document.write" not in body
