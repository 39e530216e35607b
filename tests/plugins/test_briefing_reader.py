"""The briefing header parser and the markdown-it-py body renderer."""

from __future__ import annotations

from pathlib import Path

import pytest
from briefing_reader.header import (BriefingReadError, OtherSource, other_sources, reading_minutes, source_label,
                                    split_briefing, split_list, web_link, yes)
from briefing_reader.render import render_markdown

SOURCE = Path("content/briefings/gulf-rates.md")
HEADER = (
    "Title: Central bank holds rates\n"
    "Date: 2025-07-01T08:00:00+04:00\n"
    "Date_Source: capture\n"
    "Topics: sanctions, diplomacy\n"
    "Tags: Central Bank of Russia, Elvira Nabiullina\n"
    "Key_Points: Rates stay at 21%. | Inflation slowed to 9.4%. | The next meeting is in July.\n"
    "Uid: 0d3f5a7c-9e1b-4d2f-8a6c-4e8b0d2f6a1c\n"
)


def test_header_and_body_are_split_at_the_first_blank_line() -> None:
    briefing = split_briefing(HEADER + "\nFirst paragraph\\.\n\nKey: not a header\n", SOURCE)
    assert briefing.header["Title"] == "Central bank holds rates"
    assert briefing.header["Date"] == "2025-07-01T08:00:00+04:00"
    assert briefing.body == "First paragraph\\.\n\nKey: not a header\n"


def test_list_headers_split_on_their_separators() -> None:
    briefing = split_briefing(HEADER + "\nBody\\.\n", SOURCE)
    assert split_list("Topics", briefing.header["Topics"]) == ["sanctions", "diplomacy"]
    assert split_list("Key_Points", briefing.header["Key_Points"]) == [
        "Rates stay at 21%.", "Inflation slowed to 9.4%.", "The next meeting is in July."]


def test_windows_line_endings_and_bom_are_accepted() -> None:
    text = "\ufeff" + (HEADER + "\nBody\\.\n").replace("\n", "\r\n")
    assert split_briefing(text, SOURCE).header["Uid"] == "0d3f5a7c-9e1b-4d2f-8a6c-4e8b0d2f6a1c"


@pytest.mark.parametrize(
    ("edit", "problem"),
    [
        (lambda h: h.replace("Uid: 0d3f5a7c-9e1b-4d2f-8a6c-4e8b0d2f6a1c\n", ""), "Uid: missing"),
        (lambda h: h.replace("Title: Central bank holds rates\n", ""), "Title: missing"),
        (lambda h: h + "Title: Again\n", "Title: appears twice"),
        (lambda h: h + "Colour: blue\n", "Colour: unknown key"),
        (lambda h: h.replace("Date_Source: capture", "Date_Source: guessed"), "Date_Source: 'guessed'"),
        (lambda h: h.replace("0d3f5a7c-9e1b", "0D3F5A7C-9E1B"), "is not a lower-case UUID"),
        (lambda h: h + "this line has no key\n", "header line 8 is not `Key: value`"),
        (lambda h: h + "Featured: maybe\n", "Featured: 'maybe' is not yes or no"),
        (lambda h: h + "Withdrawn: true\n", "Withdrawn: 'true' is not yes or no"),
    ],
)
def test_bad_headers_are_refused_naming_file_and_key(edit: object, problem: str) -> None:
    text = edit(HEADER) + "\nBody\\.\n"  # type: ignore[operator]
    with pytest.raises(BriefingReadError, match=r"gulf-rates\.md: .*") as error:
        split_briefing(text, SOURCE)
    assert problem in str(error.value)


def test_raw_html_in_a_briefing_renders_as_text() -> None:
    html = render_markdown("Before <script>alert(1)</script> after <b>bold</b>\n\n<div onclick=x>block</div>\n")
    assert "<script>" not in html and "<b>" not in html and "<div" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_dangerous_link_schemes_are_not_linked() -> None:
    html = render_markdown("[click](javascript:alert(1)) and [ok](https://example.org/a)\n")
    assert 'href="javascript:' not in html
    assert '<a href="https://example.org/a">ok</a>' in html


def test_urls_are_not_linkified_and_front_matter_is_not_special() -> None:
    html = render_markdown("---\ntitle: x\n---\n\nSee https://example.org today.\n")
    assert "<a " not in html
    assert "<hr />" in html


def test_briefing_body_constructs_render_as_html() -> None:
    body = "## Section\n\n> A quote\\.\n\n- one\n- two\n\n1. first\n2. second\n\nEscaped \\*stars\\* and 1\\. dot\n"
    html = render_markdown(body)
    assert "<h2>Section</h2>" in html and "<blockquote>" in html
    assert "<ul>\n<li>one</li>" in html and "<ol>\n<li>first</li>" in html
    assert "<p>Escaped *stars* and 1. dot</p>" in html


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://news.example.com/a?b=1#c", "https://news.example.com/a?b=1#c"),
        ("HTTP://news.example.com/", "HTTP://news.example.com/"),
        ("javascript:alert(1)", ""),
        ("JaVaScRiPt:alert(1)", ""),
        ("data:text/html,<script>x</script>", ""),
        ("//news.example.com/a", ""),
        ("https://", ""),
        ("https://bad host/a", ""),
        ("http://[::1", ""),
    ],
)
def test_only_absolute_web_addresses_become_source_links(url: str, expected: str) -> None:
    assert web_link(url) == expected


def test_source_label_falls_back_to_the_link_host() -> None:
    assert source_label("Example Defence Wire", "https://news.example.com/a") == "Example Defence Wire"
    assert source_label("", "https://news.example.com/a") == "news.example.com"
    assert source_label("", "") == ""


def test_reading_time_is_whole_minutes_and_at_least_one() -> None:
    assert reading_minutes("word " * 10) == 1
    assert reading_minutes("word " * 1100) == 5


def test_curator_keys_are_accepted_and_yes_no_read_in_any_case() -> None:
    text = HEADER + "Note: Checked <b>by hand</b>.\nFeatured: YES\nWithdrawn: no\nModified: 2025-07-02T08:00:00+00:00\n"
    header = split_briefing(text + "\nBody\\.\n", SOURCE).header
    assert header["Note"] == "Checked <b>by hand</b>."
    assert yes(header["Featured"]) is True and yes(header["Withdrawn"]) is False


def test_also_sources_name_each_outlet_and_link_only_web_addresses() -> None:
    value = ("Site B News https://site-b.example/markets/rates | Evil Wire javascript:alert(1) | Plain Outlet Weekly"
             " | Mirror ftp://files.example.org/a | https://only-a-link.example.com/story | data:text/html,x")
    assert other_sources(value) == [
        OtherSource("Site B News", "https://site-b.example/markets/rates"),
        OtherSource("Evil Wire", ""),
        OtherSource("Plain Outlet Weekly", ""),
        OtherSource("Mirror", ""),
        OtherSource("only-a-link.example.com", "https://only-a-link.example.com/story"),
    ]
    assert other_sources("") == []
