"""Metadata a saved page gives about itself: where the date, title, author and language come from."""

from __future__ import annotations

import pytest

from briefings.extract import clean
from briefings.html_metadata import title_key

from cleaning_captures import CAPTURED, raw_from_text

BODY = ("<article><h1>Ferry timetable changes for winter</h1>"
        "<p>The island ferry will run four times a day instead of six from the first of November, the operator "
        "said on Wednesday, citing lower passenger numbers and the cost of fuel over the winter months.</p>"
        "<p>Residents' groups asked for an extra late sailing on Fridays so that students and commuters can "
        "still get home at the end of the week, and the operator said it would consider the request.</p>"
        "</article>")


def page(head: str, body: str = BODY, lang: str = "en") -> str:
    return f'<!DOCTYPE html><html lang="{lang}"><head>{head}</head><body>{body}</body></html>'


@pytest.mark.parametrize(("head", "body", "expected"), [
    ('<script type="application/ld+json">{"@graph": [{"@type": "NewsArticle", '
     '"datePublished": "2024-10-16T07:30:00+01:00"}]}</script>', BODY, "2024-10-16T07:30:00+01:00"),
    ('<meta property="article:published_time" content="2024-10-15T18:00:00Z">', BODY, "2024-10-15T18:00:00+00:00"),
    ("", BODY.replace("<h1>", '<time datetime="2024-10-14">14 October</time><h1>'), "2024-10-14T00:00:00+00:00"),
    ('<link rel="canonical" href="https://ferries.example.net/2024/10/13/winter-timetable">', BODY,
     "2024-10-13T00:00:00+00:00"),
])
def test_publication_date_sources(head: str, body: str, expected: str) -> None:
    document = clean(raw_from_text(page(head, body), "ferry.html"))
    assert (document.published.isoformat(), document.date_source) == (expected, "capture")


def test_a_page_without_any_date_is_dated_by_its_file() -> None:
    document = clean(raw_from_text(page("<title>Ferry timetable changes for winter</title>"), "ferry.html"))
    assert (document.published, document.date_source) == (CAPTURED, "file")


def test_title_author_and_language_come_from_the_page() -> None:
    head = ('<title>Ferry timetable changes for winter | Island Gazette</title>'
            '<meta property="og:site_name" content="Island Gazette"><meta name="author" content="Ines Varga">')
    document = clean(raw_from_text(page(head, lang="en-IE"), "ferry.html"))
    assert (document.title, document.site_name, document.author, document.language) == (
        "Ferry timetable changes for winter", "Island Gazette", "Ines Varga", "en-IE")
    assert document.blocks[0].text.startswith("The island ferry will run four times a day")


def test_non_english_pages_keep_their_text() -> None:
    body = ("<article><p>Паром на остров будет ходить четыре раза в день вместо шести с первого ноября, "
            "сообщил перевозчик в среду, сославшись на снижение числа пассажиров и стоимость топлива.</p>"
            "<p>Жители попросили добавить поздний рейс по пятницам, чтобы студенты и работающие могли "
            "вернуться домой в конце недели, и перевозчик обещал рассмотреть просьбу.</p></article>")
    document = clean(raw_from_text(page("<title>Паром меняет расписание</title>", body, lang="ru"), "parom.html"))
    assert document.language == "ru"
    assert "Жители попросили добавить поздний рейс по пятницам" in "\n".join(document.paragraphs)


def test_titles_compare_by_one_key_across_cleaners() -> None:
    # Full-width digits, case, punctuation and underscores do not make another title.
    assert title_key("Ferry timetable: 2nd change_for WINTER!") == title_key("FERRY TIMETABLE ２ND CHANGE FOR WINTER")
    assert title_key("Ferry timetable: 2nd change_for WINTER!") == "ferrytimetable2ndchangeforwinter"


def test_the_headline_printed_in_full_width_letters_leaves_the_body() -> None:
    full_width = "ＦＥＲＲＹ ＴＩＭＥＴＡＢＬＥ ＣＨＡＮＧＥＳ ＦＯＲ ＷＩＮＴＥＲ"
    body = BODY.replace("<h1>Ferry timetable changes for winter</h1>", f"<p>{full_width}</p>")
    document = clean(raw_from_text(page("<title>Ferry timetable changes for winter</title>", body), "ferry.html"))
    assert document.title == "Ferry timetable changes for winter"
    assert document.blocks[0].text.startswith("The island ferry will run four times a day")
