"""The headline of a page dump (briefings.dump_headline): the line the ranker picks among the page furniture
around the start of the article. Each dump is written here the way pages print: menus, a tagline or
kicker, the headline, a byline, the article, related links, a footer."""

from __future__ import annotations

import tomllib

import pytest

from briefings.dump_headline import (HEADLINE_FEATURES, INTO_ARTICLE, LEAD_LINES, MODEL_FILE, headline_candidates,
                                     headline_features, pick_headline)
from briefings.dump_lines import Line, load_rules
from briefings.extract_text import read_capture, select_lines

STORY = [
    "The river authority opened the second spillway of the Keldon dam on Friday morning after three days of "
    "heavy rain raised the reservoir to its highest level since the dam was built in 1968.",
    "Engineers inspected the concrete walls of the old spillway overnight and found no new cracks, the "
    "authority said, although the gates will stay under watch until the rain stops.",
    "Residents of the lower valley were allowed back into their homes on Monday evening, when the water level "
    "below the dam had fallen by more than a metre since the weekend.",
]
HEADLINE = "Keldon dam opens second spillway as reservoir hits record level"
MENU = ["• Home", "• News", "• Business", "• Sport", "• Weather", "• Opinion", "Sign In", "Subscribe"]
FOOTER = ["Related stories", "• Flood warnings lifted across the north", "• How dams are inspected",
          "© 2019 Valley Herald. All rights reserved.", "• Privacy Policy", "• Terms of Use"]


def headline_of(header: list[str], article: list[str] = STORY, footer: list[str] = FOOTER) -> str:
    """The headline picked when the article is known to start at its first line."""
    lines = capture_lines(header + article + footer)
    start = len(header)
    return pick_headline(lines, lines[start:start + len(article)])


def capture_lines(texts: list[str]) -> list[Line]:
    capture = read_capture("\n".join(texts), load_rules())
    assert capture is not None and not capture.title_given
    return capture.lines


# The page furniture printed above the headline and the article, by what the case shows.
FURNITURE = {
    "the headline above the byline is picked": [*MENU, "News", HEADLINE, "By Anna Berg", "November 18, 2019 9:24 AM"],
    "a site tagline above the headline is passed over": [
        *MENU, "News, Analysis and Perspective for Regional Readers and Local Businesses", "Search", HEADLINE,
        "By Anna Berg November 18, 2019, 07:47 PM EST"],
    "the headline above its standfirst is picked": [
        *MENU, "News", HEADLINE, "Engineers found no new cracks in the old spillway after three days of heavy rain",
        "By Anna Berg", "November 18, 2019 9:24 AM"],
    "an all-caps kicker is not the headline": [
        *MENU, "FLOOD WATCH", HEADLINE, "• Anna Berg", "• 18 Nov 2019, 19:09"],
    "an author name printed twice is not the headline": [
        *MENU, HEADLINE, "197 Shares", "Share", "Tweet", "Anna BergAnna Berg", "Anna Berg"],
    "a breadcrumb is not the headline": [
        *MENU, "you are here: HomeNewsBusinessRivers", "Last Updated : Nov 20, 2019 01:41 PM IST", HEADLINE,
        "Anna Berg @annaberg"],
}


@pytest.mark.parametrize("header", FURNITURE.values(), ids=FURNITURE.keys())
def test_the_headline_is_found_among_the_page_furniture(header: list[str]) -> None:
    assert headline_of(header) == HEADLINE


def test_a_score_table_row_above_the_article_is_not_the_headline() -> None:
    article = ["Palm Bay (1-0): Tolivert 25 points. Davis 17 points. Burgher 10 points. Bozeman 10 points.",
               "Rockledge (0-1): Blakely 15 points. Devoe 2 points. Baker 6 points. Brown 4 points.",
               "Heritage (1-0): Armani Sheffield 19 points and 3 steals. Kelli Howard 6 steals."]
    headline = "High School Roundup: Palm Bay beats Rockledge in girls basketball opener"
    header = [*MENU, headline, "Elliot Brownstein Florida Today", "Published 2:16 AM EST Nov 20, 2019",
              "GIRLS BASKETBALL", "Palm Bay d. Rockledge 70-44", "Rockledge 14 11 6 15 — 44",
              "Palm Bay 18 22 13 17 — 70"]
    assert headline_of(header, article) == headline


def test_the_headline_taken_for_the_article_start_is_still_found() -> None:
    header = [*MENU, "Up next:"]
    article = [HEADLINE, "By Anna Berg", "November 18, 2019", *STORY]
    lines = capture_lines(header + article + FOOTER)
    assert pick_headline(lines, lines[len(header):len(header) + len(article)]) == HEADLINE


def test_a_site_name_after_the_headline_is_dropped() -> None:
    header = [*MENU, f"{HEADLINE} | Valley Herald", "By Anna Berg", "November 18, 2019"]
    assert headline_of(header) == HEADLINE


def test_a_headline_in_another_language_is_kept() -> None:
    article = [
        "Власти региона открыли второй водосброс плотины в пятницу утром после трёх дней сильных дождей, "
        "когда уровень водохранилища поднялся до рекордной отметки.",
        "Инженеры осмотрели бетонные стены старого водосброса ночью и не нашли новых трещин, сообщили в "
        "управлении, однако затворы останутся под наблюдением до конца дождей.",
    ]
    headline = "Плотина открыла второй водосброс из-за рекордного уровня водохранилища"
    header = ["• Главная", "• Новости", "• Общество", "Новости", headline, "Текст: Анна Берг·18 ноября 2019"]
    assert headline_of(header, article, ["© 2019 Вестник"]) == headline


def test_with_the_line_models_choosing_the_article() -> None:
    lines = capture_lines([*MENU, "FLOOD WATCH", HEADLINE, "By Anna Berg", "November 18, 2019", *STORY, *FOOTER])
    selected = select_lines(lines, "", load_rules())
    assert pick_headline(lines, selected) == HEADLINE


def test_the_one_paragraph_of_a_short_capture_is_not_its_headline() -> None:
    paragraph = "The river authority opened the second spillway on Friday after three days of heavy rain raised the " \
                "reservoir to a record level."
    lines = capture_lines([paragraph])
    assert pick_headline(lines, lines) == ""


def test_nothing_selected_gives_no_headline() -> None:
    assert pick_headline(capture_lines([*MENU, HEADLINE, *STORY]), []) == ""


def test_the_weights_name_exactly_the_features() -> None:
    weights = tomllib.loads(MODEL_FILE.read_text(encoding="utf-8"))["headline"]["weights"]
    assert sorted(weights) == sorted(HEADLINE_FEATURES)


def test_words_shared_with_the_article_are_counted_over_all_its_words() -> None:
    # headline_features gathers only the candidates' words from the article: the shares must be those over
    # every word of the article, the candidate's own line left out when the article opens with it.
    header = [*MENU, "News", HEADLINE, "By Anna Berg", "November 18, 2019 9:24 AM"]
    lines = capture_lines(header + STORY + FOOTER)
    for selected in (lines[len(header):len(header) + len(STORY)], lines[len(header) - 3:len(header) + 2]):
        candidates = headline_candidates(lines, selected)
        # Some candidates open the article, so their own words are left out.
        assert any(lines[index] is line for index in candidates for line in selected[:INTO_ARTICLE])
        rows = headline_features(lines, selected, candidates)
        for index, row in zip(candidates, rows):
            line = lines[index]
            others = [other for at, other in enumerate(selected) if other is not line or at >= INTO_ARTICLE]
            opening = [other for other in selected[:INTO_ARTICLE] if other is not line][:LEAD_LINES]
            body = {word for other in others for word in other.tokens}
            lead = {word for other in opening for word in other.tokens}
            size = max(len(line.tokens), 1)
            assert row[:2] == (sum(word in body for word in line.tokens) / size,
                               sum(word in lead for word in line.tokens) / size), line.text
