"""Atom and RSS documents: parseable, escaped by the XML library, stable ids and dates."""

from __future__ import annotations

import json
import uuid
import xml.etree.ElementTree as ET
from datetime import datetime, timedelta, timezone

import feedparser
from briefing_feeds.absolute import absolute_links
from briefing_feeds.feeds import FeedEntry, FeedInfo, FeedListing, atom_feed, json_feed, opml_list, rss_feed

KYIV = timezone(timedelta(hours=3))
INFO = FeedInfo(
    title="Briefings: Air defense", description="Interceptors & radars <all of them>.",
    page_link="https://archive.example/topics/air-defense.html",
    self_link="https://archive.example/feeds/topics/air-defense.atom.xml",
    feed_id=f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, 'topics/air-defense')}", author="Briefings archive",
    language="en", fallback_updated=datetime(2025, 7, 10, 12, 0, tzinfo=timezone.utc),
)
ENTRY = FeedEntry(
    uid="6f1c2b9e-8d4a-4f7b-9c3e-1a2b3c4d5e6f", title="Patriots & radars <for Kyiv>",
    link="https://archive.example/briefings/patriot.html",
    published=datetime(2025, 7, 8, 9, 30, tzinfo=KYIV), updated=datetime(2025, 7, 8, 9, 30, tzinfo=KYIV),
    author="Anna Keller", summary="Two batteries <b>not bold</b> & more.",
    content_html='<p>Text with <a href="https://archive.example/topics/air-defense.html">a link</a>.</p>',
    categories=("Air defense", "Diplomacy"),
)


def test_atom_entry_keeps_text_as_text_and_content_as_html() -> None:
    feed = feedparser.parse(atom_feed(INFO, [ENTRY]).encode("utf-8"))
    assert feed.bozo == 0
    assert feed.feed.id == INFO.feed_id
    item = feed.entries[0]
    assert item.id == "urn:uuid:6f1c2b9e-8d4a-4f7b-9c3e-1a2b3c4d5e6f"
    assert item.title == "Patriots & radars <for Kyiv>"
    assert item.summary == "Two batteries &lt;b&gt;not bold&lt;/b&gt; &amp; more."
    assert item.content[0].value == ENTRY.content_html
    assert item.published == "2025-07-08T09:30:00+03:00"
    assert [tag.term for tag in item.tags] == ["Air defense", "Diplomacy"]


def test_rss_carries_summary_and_full_content() -> None:
    feed = feedparser.parse(rss_feed(INFO, [ENTRY]).encode("utf-8"))
    assert feed.bozo == 0
    item = feed.entries[0]
    assert item.id == "urn:uuid:6f1c2b9e-8d4a-4f7b-9c3e-1a2b3c4d5e6f"
    assert item.link == ENTRY.link
    assert item.content[0].value == ENTRY.content_html
    assert "not bold" in item.summary


def test_empty_feed_is_dated_by_the_archive_not_the_clock() -> None:
    first, second = atom_feed(INFO, []), atom_feed(INFO, [])
    assert first == second
    assert feedparser.parse(first.encode()).feed.updated == "2025-07-10T12:00:00+00:00"
    assert "Tue, 08 Jul 2025 09:30:00 +0300" in rss_feed(INFO, [ENTRY])


def test_relative_links_become_absolute_against_the_article() -> None:
    html = '<p>See <a href="../topics/air-defense.html">topic</a> &amp; <img src="img/map.png" alt="Map"></p>\n'
    result = absolute_links(html, "https://archive.example/briefings/patriot.html")
    assert 'href="https://archive.example/topics/air-defense.html"' in result
    assert 'src="https://archive.example/briefings/img/map.png"' in result
    assert result.startswith("<p>See ") and "&amp;" in result


def test_leading_text_and_empty_fragments_survive() -> None:
    assert absolute_links("", "https://a.example/") == ""
    assert absolute_links("a < b <p>c</p>", "https://a.example/") == "a &lt; b <p>c</p>"


def test_json_feed_carries_the_same_entry() -> None:
    document = json.loads(json_feed(INFO, [ENTRY]))
    assert document["version"] == "https://jsonfeed.org/version/1.1"
    assert document["feed_url"] == INFO.self_link and document["authors"] == [{"name": "Briefings archive"}]
    item = document["items"][0]
    assert item["id"] == "urn:uuid:6f1c2b9e-8d4a-4f7b-9c3e-1a2b3c4d5e6f"
    assert item["title"] == "Patriots & radars <for Kyiv>" and item["content_html"] == ENTRY.content_html
    assert item["date_published"] == "2025-07-08T09:30:00+03:00"
    assert item["tags"] == ["Air defense", "Diplomacy"]


def test_opml_lists_feeds_with_escaped_titles() -> None:
    text = opml_list("Briefings & co", [FeedListing("Air <defense>", INFO.self_link, INFO.page_link)])
    root = ET.fromstring(text)
    assert root.find("head/title").text == "Briefings & co"
    outline = root.find("body/outline")
    assert outline.get("title") == "Air <defense>" and outline.get("xmlUrl") == INFO.self_link
