"""Summary and key points: whole sentences from the body, at most 60 words, 3-5 points, no boilerplate."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from briefings.documents import CleanedDocument
from briefings.extract import clean
from briefings.read_raw import read_raw
from briefings.summarize import (SUMMARY_MAX_WORDS, _FURNITURE_PIECES, _is_furniture, digest,
                                 sentence_units, split_sentences)

from tagging_documents import REPO, fixture_document, make_document

# Every piece searched at once: what _is_furniture must decide.
FURNITURE = re.compile("|".join(_FURNITURE_PIECES), re.IGNORECASE | re.VERBOSE)
BOILERPLATE = re.compile(r"cookie|related posts|newsletter|subscribe|share this|read more", re.IGNORECASE)


def body_sentences(doc: CleanedDocument) -> set[str]:
    return {s for block in doc.blocks if block.kind != "heading" for s in split_sentences(block.text)}


def fixture_documents() -> list[CleanedDocument]:
    names = ["kyiv-grid-strike", "sanctions-package", "peace-talks", "taiwan-drills", "sporting-ban",
             "strike-with-related-links"]
    return [fixture_document(name) for name in names]


def seed_documents() -> list[CleanedDocument]:
    return [clean(read_raw(path)) for path in sorted((REPO / "content" / "raw").glob("*.txt"))]


@pytest.mark.parametrize("doc", fixture_documents() + seed_documents(), ids=lambda doc: doc.source.name)
def test_summary_and_points_are_whole_body_sentences(doc: CleanedDocument) -> None:
    result = digest(doc)
    sentences = body_sentences(doc)
    summary_sentences = split_sentences(result.summary)
    assert 0 < len(result.summary.split()) <= SUMMARY_MAX_WORDS
    assert all(sentence in sentences for sentence in summary_sentences)
    assert 3 <= len(result.key_points) <= 5
    assert all(point in sentences for point in result.key_points)
    assert all(point.endswith((".", "!", "?", "”", '"')) for point in result.key_points)
    assert not BOILERPLATE.search(result.summary + " ".join(result.key_points))


def test_summary_skips_an_opening_sentence_too_long_to_fit() -> None:
    long_opening = " ".join(["word"] * 70) + "."
    doc = make_document("Long lead", [long_opening, "Russia fired 40 drones at Kyiv on Monday night, officials said.",
                                      "Most of them were shot down over the capital region."])
    summary = digest(doc).summary
    assert summary.startswith("Russia fired 40 drones")
    assert "word word" not in summary


def test_summary_stops_before_a_sentence_that_would_pass_the_limit() -> None:
    first = "Ukraine and Russia exchanged 390 prisoners of war on Friday, the first swap in two months, officials said."
    second = ("The exchange, mediated by the United Arab Emirates, followed talks in Istanbul where both delegations "
              "agreed on a list of wounded soldiers and civilians to be returned before the winter, and where the "
              "mediators said a further exchange of bodies and of detained journalists could follow within weeks.")
    doc = make_document("Prisoner swap", [first + " " + second, "A third sentence closes the story here today."])
    summary = digest(doc).summary
    assert summary == first
    assert len(summary.split()) + len(second.split()) > SUMMARY_MAX_WORDS


def test_headings_captions_and_share_prompts_are_never_quoted() -> None:
    doc = make_document("Grid under fire", [
        "## Power cuts spread across the east of the country",
        "Share this article on Facebook and subscribe to our newsletter for daily updates.",
        "Photo: Workers repair a substation in Kharkiv (Reuters/Valentyn Ogirenko).",
        "Russian strikes cut power to 200,000 homes in Kharkiv on Tuesday, the regional governor said.",
        "Repair crews restored electricity to half of them by the evening, the grid operator said.",
        "Schools in the city moved lessons online until further notice, officials added.",
    ])
    result = digest(doc)
    quoted = result.summary + " " + " ".join(result.key_points)
    assert "Power cuts spread" not in quoted
    assert "newsletter" not in quoted
    assert "Photo:" not in quoted


def test_sentence_splitting_keeps_abbreviations_and_initials_together() -> None:
    text = ("U.S. Secretary of State Antony J. Blinken met Mr. Kuleba in Kyiv on Jan. 5. "
            "They discussed air defence. “We will help,” he said.")
    assert split_sentences(text) == [
        "U.S. Secretary of State Antony J. Blinken met Mr. Kuleba in Kyiv on Jan. 5.",
        "They discussed air defence.",
        "“We will help,” he said.",
    ]


def test_a_very_short_article_gets_fewer_points_rather_than_invented_ones() -> None:
    doc = make_document("Brief", ["Russia launched 12 drones at Odesa overnight, the governor said.",
                                  "Air defences destroyed ten of them over the sea, the navy said."])
    result = digest(doc)
    assert len(result.key_points) <= 2
    assert all(point in body_sentences(doc) for point in result.key_points)


def test_a_quotation_of_several_sentences_is_never_cut_in_the_middle() -> None:
    text = ('Speaking in Russian, he said: "Your president stands accused of war crimes. '
            'But I cannot believe he is acting in your name." The video ended there.')
    assert split_sentences(text) == [
        'Speaking in Russian, he said: "Your president stands accused of war crimes. '
        'But I cannot believe he is acting in your name."',
        "The video ended there.",
    ]
    assert sentence_units(text)[0] == 'Speaking in Russian, he said: "Your president stands accused of war crimes.'


def test_an_unclosed_quotation_does_not_swallow_the_paragraph() -> None:
    text = 'He said "we will. Then nothing closes the quote for a long while here. Another sentence follows.'
    assert len(split_sentences(text)) == 3


def test_a_body_without_prose_gives_an_empty_digest_not_an_invented_one() -> None:
    doc = make_document("Gallery", ["## Photos", "Share this article", "Photo: Reuters/File"])
    result = digest(doc)
    assert result.summary == ""
    assert result.key_points == ()


FURNITURE_LINES = [
    "Photo: Reuters/File shows the damaged substation after the attack.",
    "Residents queue for water, left, as repairs continue in the city centre.",
    "Sign up for our newsletter to get the morning briefing every day.",
    "Read more: what the new sanctions package means for the shadow fleet.",
    "Ministers (L) and (R) met in Brussels, the statement said on Monday.",
    "© 2025 Example News. The agency said 12 drones were shot down.",
    "Missiles hit the port [1/4] according to the regional governor.",
    "The AFP/Getty picture showed the İstanbul talks, the ministry said.",
    "Posted 3 hours ago by the desk: the council met again on Friday.",
]


@pytest.mark.parametrize("doc", fixture_documents() + seed_documents(), ids=lambda doc: doc.source.name)
def test_the_furniture_prefilter_drops_exactly_what_the_full_search_drops(doc: CleanedDocument) -> None:
    sentences = [s for block in doc.blocks for s in split_sentences(block.text)] + FURNITURE_LINES
    assert [_is_furniture(s) for s in sentences] == [FURNITURE.search(s) is not None for s in sentences]
    assert all(_is_furniture(line) for line in FURNITURE_LINES)


FURNITURE_WORDS = ["Photo", "BY", "reuters", "/", "(AP", "Photo)", "read", "MORE", "Left", ",", "pictured", "©",
                   "[1/2]", "3", "Hours", "ago", "Cookies", "İstanbul", "ſign", "up", "Kelvin", "\u212a", "\n"]


@given(words=st.lists(st.sampled_from(FURNITURE_WORDS), min_size=1, max_size=12),
       glue=st.sampled_from([" ", "", ": ", " / "]))
def test_generated_lines_are_judged_furniture_exactly_as_the_full_search_does(words: list[str], glue: str) -> None:
    line = glue.join(words)
    assert _is_furniture(line) == (FURNITURE.search(line) is not None)


PARAGRAPH_PIECES = ['He said.', '"Yes.', 'No."', "“It ends.", "Now”", "Mr.", "U.S.", "b.", " ", "\n", "x",
                    "(Then.)", "'Q?'", "!", "2024.", "Z"]


@given(pieces=st.lists(st.sampled_from(PARAGRAPH_PIECES), max_size=14))
def test_units_and_sentences_of_one_split_cover_the_same_text(pieces: list[str]) -> None:
    text = " ".join(pieces)
    # Both come from one pass over the paragraph: a quoted sentence is several units, never other words.
    units, sentences = sentence_units(text), split_sentences(text)
    assert " ".join(units) == " ".join(sentences) == " ".join(text.split())
    assert len(units) >= len(sentences)
