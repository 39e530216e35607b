"""The cleaner's second looks: text-only divs and line-broken text among paragraphs, article bodies split
around ads, teaser lists, readability's opinion on a doubtful HTML extraction, the end of a page dump's article
at its comment section or related-stories heading, repeated summaries, the company profile closing a press
release, and dates as pages write them."""

from __future__ import annotations

from datetime import date, datetime, timezone

import pytest

from briefings.documents import Block
from briefings.extract import clean
from briefings.extract_html import (drop_teaser_lists, judge, merge_split_article_bodies, paragraphs_from_line_breaks,
                                    paragraphs_from_text_divs, parse_page)
from briefings.dump_lines import classify, load_rules
from briefings.extract_text import cut_at_comments, date_in_text

from cleaning_captures import FIXTURES, raw_from_file, raw_from_text

PARAGRAPHS = [
    "The regional rail operator will run four extra trains a day between the coast and the capital from "
    "the spring timetable change, its chief executive said on Monday.",
    "The new services fill the gap in the late evening, when the last train currently leaves the capital "
    "shortly after nine and commuters have complained for years.",
    "Unions welcomed the plan but said the operator still needed to hire at least forty drivers before the "
    "extra trains could run reliably every day of the week.",
    "The transport ministry is expected to confirm the subsidy for the new services at the end of the month, "
    "after the budget committee has reviewed the operator's figures.",
]


def test_a_sentence_in_a_text_only_div_between_paragraphs_is_kept() -> None:
    body = (f"<p>{PARAGRAPHS[0]}</p><div style='color:#333'>Figures in the table below are provisional.</div>"
            f"<p>{PARAGRAPHS[1]}</p><p>{PARAGRAPHS[2]}</p>")
    page = f"<html><head><title>Extra trains to the coast</title></head><body><article>{body}</article></body></html>"
    text = "\n".join(clean(raw_from_text(page, "trains.html")).paragraphs)
    assert "Figures in the table below are provisional." in text
    assert PARAGRAPHS[0] in text and PARAGRAPHS[2] in text


def test_text_only_divs_next_to_paragraphs_become_paragraphs_and_layout_divs_stay() -> None:
    # The two sentence divs sit after a frame and a stylesheet link, and the first has no <p> right beside it.
    page = ("<html><body><article><div class='wrap'><p>First paragraph of the article, long enough.</p>"
            "<iframe src='https://maps.example.org/x'></iframe><link rel='stylesheet' href='x.css'>"
            "<div>Figures in the table below are provisional.</div><div>The ministry revised it twice.</div>"
            "<div><a href='/x'>Next story</a></div><div>Share</div></div></article>"
            "<div>Subscribe to our daily briefing today.</div></body></html>")
    tree = parse_page(raw_from_text(page, "trains.html"))
    paragraphs_from_text_divs(tree)
    assert [p.text_content() for p in tree.iter("p")] == [
        "First paragraph of the article, long enough.", "Figures in the table below are provisional.",
        "The ministry revised it twice."]


def test_a_page_with_plugins_forms_and_styled_divs_keeps_all_its_text() -> None:
    document = clean(raw_from_file(FIXTURES / "ferry-fares-plugins.html"))
    text = "\n".join(document.paragraphs)
    for phrase in ("rise by five percent from June", "Figures in the fare table below are provisional.",
                   "The council queried the increase twice.", "Islanders expect a final decision in May.",
                   "<script>alert('fares')</script> is what the prankster posted",
                   "written comments can be sent until the end of the month"):
        assert phrase in text
    assert document.title == "Ferry operator raises island fares"
    assert "All rights reserved" not in text and "Vote" not in text


def test_a_summary_repeating_the_article_and_trailing_labels_are_dropped() -> None:
    summary = f"{PARAGRAPHS[0]} {PARAGRAPHS[1][:60]}"
    body = "".join(f"<p>{paragraph}</p>" for paragraph in PARAGRAPHS)
    page = (f"<html><head><title>Extra trains to the coast</title></head><body><article>{body}"
            f"<p>{summary}</p><p>rail, timetable</p><p>RegionalDesk</p></article></body></html>")
    blocks = clean(raw_from_text(page, "trains.html")).paragraphs
    assert list(blocks) == PARAGRAPHS


def test_an_article_written_between_line_breaks_becomes_paragraphs() -> None:
    body = f"{PARAGRAPHS[0]}<br><br><img src='x.jpg'><br><em>{PARAGRAPHS[1][:40]}</em>{PARAGRAPHS[1][40:]}<br>"
    page = f"<html><body><div class='content'>{body}</div><div>Short label<br>Other</div></body></html>"
    tree = parse_page(raw_from_text(page, "trains.html"))
    paragraphs_from_line_breaks(tree)
    assert [p.text_content() for p in tree.iter("p")] == PARAGRAPHS[:2]
    assert len(list(tree.iter("img"))) == 1


def _press_release(*paragraphs: str) -> list[str]:
    body = "".join(f"<p>{paragraph}</p>" for paragraph in paragraphs)
    page = f"<html><head><title>Rail operator adds trains</title></head><body><article>{body}</article></body></html>"
    return list(clean(raw_from_text(page, "release.html")).paragraphs)


def test_a_company_profile_closing_a_saved_press_release_is_dropped() -> None:
    profile = ("Coastline Rail is a leading regional provider of passenger rail services. The company employs "
               "around 1,300 people and is headquartered in Porthaven.")
    kept = _press_release(*PARAGRAPHS, profile, "Coastline Rail shares are listed on the Porthaven exchange.")
    assert kept == PARAGRAPHS


def test_a_company_profile_in_the_middle_of_a_saved_story_is_kept() -> None:
    profile = ("Coastline Rail is a small regional operator that took over the line in 2016, after the state "
               "railway gave up the franchise.")
    later = ("Passenger groups said the extra trains would matter most to shift workers at the port, who "
             "now rely on a single night bus that often runs full before it reaches the coast.",
             "The operator's contract with the region runs until 2031 and includes penalties for cancelled "
             "trains, which rose sharply last winter when snow closed the line for three days.")
    kept = _press_release(PARAGRAPHS[0], PARAGRAPHS[1], profile, *PARAGRAPHS[2:], *later)
    assert profile in kept and kept[-1] == later[-1]


def _chunk(paragraphs: list[str]) -> str:
    body = "".join(f"<p>{paragraph}</p>" for paragraph in paragraphs)
    return f"<div class='grid'><div class='grid__item story-body'>{body}</div><div class='aside'></div></div>"


def _story_bodies(page: str) -> list[list[str]]:
    tree = parse_page(raw_from_text(page, "trains.html"))
    merge_split_article_bodies(tree)
    return [[p.text_content() for p in div.iter("p")] for div in tree.iter("div")
            if div.get("class") == "grid__item story-body"]


def test_an_article_body_split_around_an_ad_is_joined_into_its_first_chunk() -> None:
    page = (f"<html><body><article><div class='chunks'>{_chunk(PARAGRAPHS[:2])}"
            f"<div class='ad-row'><div class='ad'>Advertisement</div></div>{_chunk(PARAGRAPHS[2:])}"
            "</div></article></body></html>")
    assert _story_bodies(page) == [PARAGRAPHS, []]


def test_posts_of_a_listing_page_told_apart_by_headings_stay_apart() -> None:
    posts = "".join(f"<article class='post'><h2><a href='/p{i}'>Post {i}</a></h2>{_chunk([paragraph])}</article>"
                    for i, paragraph in enumerate(PARAGRAPHS))
    assert _story_bodies(f"<html><body><main>{posts}</main></body></html>") == [[p] for p in PARAGRAPHS]


def test_long_teasers_under_a_you_may_also_like_heading_are_dropped() -> None:
    teasers = "".join(f"<article class='teaser'><p>{paragraph} …</p></article>" for paragraph in PARAGRAPHS[2:])
    page = (f"<html><body><article class='post'>{''.join(f'<p>{p}</p>' for p in PARAGRAPHS[:2])}</article>"
            f"<article class='post'><h3>You may also like...</h3>{teasers}</article></body></html>")
    tree = parse_page(raw_from_text(page, "trains.html"))
    drop_teaser_lists(tree, load_rules())
    assert [p.text_content() for p in tree.iter("p")] == PARAGRAPHS[:2]


def test_a_read_also_heading_followed_by_paragraphs_keeps_them() -> None:
    body = "".join(f"<p>{paragraph}</p>" for paragraph in PARAGRAPHS)
    page = f"<html><body><article><p>{PARAGRAPHS[0]}</p><h3>Read also</h3>{body}</article></body></html>"
    tree = parse_page(raw_from_text(page, "trains.html"))
    drop_teaser_lists(tree, load_rules())
    assert len(list(tree.iter("p"))) == 1 + len(PARAGRAPHS)


def _blocks(*texts: str) -> list[Block]:
    return [Block("paragraph", text) for text in texts]


TEASERS = ("Weather warning for the weekend", "Local team wins the derby", "Five recipes for autumn evenings",
           "Council approves the harbour budget", "Ferry timetable changes from May", "New bridge opens to cyclists")


def test_the_judge_prefers_readability_when_ours_only_adds_short_furniture() -> None:
    ours = _blocks(*PARAGRAPHS[:3], *TEASERS)
    second = _blocks(*PARAGRAPHS[:3])
    assert judge(ours, second) == second


def test_the_judge_keeps_ours_when_what_only_ours_has_is_prose() -> None:
    ours = _blocks(*PARAGRAPHS)
    second = _blocks(PARAGRAPHS[0])          # readability took one section of the article only
    assert judge(ours, second) == ours


def test_the_judge_keeps_ours_when_the_two_disagree_on_content() -> None:
    ours = _blocks(*PARAGRAPHS[:2])
    assert judge(ours, _blocks(*TEASERS)) == ours


def test_the_judge_never_replaces_an_empty_result_with_leftovers() -> None:
    assert judge([], _blocks("Accept all Reject all Manage preferences")) == []


def test_a_page_dump_ends_at_its_comment_section() -> None:
    comments = [
        "Great news, I have been waiting for a later train for years and this finally makes the trip possible.",
        "Rating: 4 Votes",
        "I doubt they will find forty drivers by spring, they could not even staff the current timetable.",
    ]
    dump = "\n".join(["Rail News", "Home", "Regional", "Extra trains to the coast", *PARAGRAPHS, "12 Comments",
                      *comments, "About us", "Contact"])
    text = "\n".join(clean(raw_from_text(dump, "trains.txt")).paragraphs)
    assert PARAGRAPHS[0] in text and PARAGRAPHS[3] in text
    assert "waiting for a later train" not in text and "staff the current timetable" not in text


RELATED = ["Related articles", "Why are trains late in winter?", "Night buses return to the coast",
           "How to pay less for a season ticket?"]
FOOTER = ("The information on this website is provided for general guidance only and does not replace advice from "
          "the operator, whose published timetable always takes precedence over anything printed here.")


def _cut_lines(texts: list[str]) -> list[str]:
    rules = load_rules()
    lines = [classify(text, rules) for text in texts]
    # As the line models would: everything selected but the heading itself.
    selected = [line for line in lines if not line.opener]
    return [line.text for line in cut_at_comments(lines, selected)]


def test_a_page_dump_ends_at_a_related_articles_heading_with_no_paragraph_after_it() -> None:
    assert _cut_lines([*PARAGRAPHS, *RELATED, *[f"Travel news {n}" for n in range(10)], FOOTER]) == PARAGRAPHS


def test_a_related_articles_box_followed_by_paragraphs_does_not_end_a_page_dump() -> None:
    texts = [*PARAGRAPHS[:2], *RELATED, *PARAGRAPHS[2:]]
    assert _cut_lines(texts) == [text for text in texts if text != RELATED[0]]


def test_a_related_stories_box_inside_a_page_dump_does_not_end_the_article() -> None:
    dump = "\n".join(["Rail News", "Extra trains to the coast", *PARAGRAPHS[:2], "Related stories",
                      "• Weather warning for the weekend", "• Local team wins the derby", *PARAGRAPHS[2:],
                      "About us"])
    text = "\n".join(clean(raw_from_text(dump, "trains.txt")).paragraphs)
    assert all(paragraph in text for paragraph in PARAGRAPHS)
    assert "Local team wins the derby" not in text


def test_a_summary_box_repeating_the_article_in_a_page_dump_is_dropped() -> None:
    summary = f"Mehr: {PARAGRAPHS[0]} {PARAGRAPHS[1]}"
    dump = "\n".join(["Rail News", "Extra trains to the coast", *PARAGRAPHS, summary, "About us"])
    text = "\n".join(clean(raw_from_text(dump, "trains.txt")).paragraphs)
    assert all(paragraph in text for paragraph in PARAGRAPHS) and "Mehr:" not in text


def test_a_comments_counter_above_the_article_does_not_end_it() -> None:
    dump = "\n".join(["Rail News", "Extra trains to the coast", "By Ada Moreno", "3 comments", *PARAGRAPHS,
                      "About us"])
    text = "\n".join(clean(raw_from_text(dump, "trains.txt")).paragraphs)
    assert all(paragraph in text for paragraph in PARAGRAPHS)


@pytest.mark.parametrize(("line", "expected"), [
    ("By Mike Wall 2019-11-18T20:51:19Z Science & Astronomy", date(2019, 11, 18)),
    ("Published November 20th, 2019 - 07:50 GMT", date(2019, 11, 20)),
    ("- Nov. 18th 2019 12:12 pm PT", date(2019, 11, 18)),
    ("segunda-feira, 22 de janeiro de 2018 às 0:13", date(2018, 1, 22)),
    ("Posted on Oktober 27, 2015 by Admin", date(2015, 10, 27)),
    ("5:45 AM PST 11/19/2019 by Staff", date(2019, 11, 19)),
    ("11.15.2019 10:09 AM", date(2019, 11, 15)),
    ("Aktualisiert am 20.11.2019", date(2019, 11, 20)),
    ("• by Patent Office／ 2016.12.01", date(2016, 12, 1)),
    ("2016年08月03日", date(2016, 8, 3)),
    ("Posted on Maret 30, 2015 by Admin", date(2015, 3, 30)),
    ("Текст: Анна Петрова·24 сентября 2018", date(2018, 9, 24)),
    ("Nov 15, 20195:45 AM", date(2019, 11, 15)),
])
def test_dates_are_read_as_pages_write_them(line: str, expected: date) -> None:
    found = date_in_text([line])
    assert found is not None and found.date() == expected


@pytest.mark.parametrize(("line", "expected"), [
    ("• Nov 18, 2019 at 9:24 pm ET • 2 min read", datetime(2019, 11, 19, 2, 24, tzinfo=timezone.utc)),
    ("Updated 11:21 pm CST, Tuesday, November 19, 2019", datetime(2019, 11, 20, 5, 21, tzinfo=timezone.utc)),
    ("Publié le 19 novembre 2019 à 10:30 et mis à jour", datetime(2019, 11, 19, tzinfo=timezone.utc)),
])
def test_a_time_with_its_zone_gives_the_utc_instant(line: str, expected: datetime) -> None:
    assert date_in_text([line]) == expected


@pytest.mark.parametrize("line", [
    "Version 3.2.20 of the timetable app", "Call 020 7946 0018 for tickets", "In 2019 the line carried 4m people",
    "Date: 1999-01-01", "Reach us on 2019-13-45 maybe",
])
def test_lines_without_a_real_date_give_none(line: str) -> None:
    assert date_in_text([line]) is None
