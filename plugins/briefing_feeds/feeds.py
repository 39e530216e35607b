"""Feed entries -> Atom 1.0, RSS 2.0 (feedgenerator), JSON Feed 1.1 (json) and an OPML list. No Pelican imports.

Escaping is the libraries'; nothing here builds XML or JSON from strings. Entry ids are `urn:uuid:<Uid>`, so they
survive a new SITEURL, slug, title or theme. A feed's `updated` is its newest entry's date (or the archive's
newest for an empty topic), never the build time, so two builds of the same content are identical.
"""

from __future__ import annotations

import html
import io
import json
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from feedgenerator import Atom1Feed, Rss201rev2Feed

CONTENT_NS = "http://purl.org/rss/1.0/modules/content/"


@dataclass(frozen=True, slots=True)
class FeedEntry:
    uid: str
    title: str
    link: str                     # absolute
    published: datetime
    updated: datetime
    author: str
    summary: str                  # plain text
    content_html: str             # every link absolute
    categories: tuple[str, ...]   # topic names


@dataclass(frozen=True, slots=True)
class FeedInfo:
    title: str
    description: str
    page_link: str                # absolute URL of the page the feed mirrors
    self_link: str                # absolute URL of this feed document (each format has its own)
    feed_id: str                  # urn:uuid:..., stable across SITEURL changes
    author: str
    language: str
    fallback_updated: datetime    # `updated` of a feed without entries


def _latest(feed: Any) -> datetime:
    """The newest entry's date, or the fallback for an empty feed (feedgenerator would use the clock)."""
    dates = [item["updateddate"] or item["pubdate"] for item in feed.items]
    fallback: datetime = feed.feed["fallback_updated"]
    return max(dates, default=fallback)


class _StableAtom(Atom1Feed):  # type: ignore[misc]  # feedgenerator is untyped
    def latest_post_date(self) -> datetime:
        return _latest(self)


class _StableRss(Rss201rev2Feed):  # type: ignore[misc]
    """RSS 2.0 with the full article in content:encoded (the description holds the summary)."""

    def latest_post_date(self) -> datetime:
        return _latest(self)

    def rss_attributes(self) -> dict[str, str]:
        attributes: dict[str, str] = super().rss_attributes()
        attributes["xmlns:content"] = CONTENT_NS
        return attributes

    def add_item_elements(self, handler: Any, item: dict[str, Any]) -> None:
        super().add_item_elements(handler, item)
        handler.addQuickElement("content:encoded", item["content"])


def atom_feed(info: FeedInfo, entries: Sequence[FeedEntry]) -> str:
    """The Atom 1.0 document."""
    return _render(_StableAtom, info, entries)


def rss_feed(info: FeedInfo, entries: Sequence[FeedEntry]) -> str:
    """The RSS 2.0 document."""
    return _render(_StableRss, info, entries)


def json_feed(info: FeedInfo, entries: Sequence[FeedEntry]) -> str:
    """The JSON Feed 1.1 document."""
    document = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": info.title,
        "home_page_url": info.page_link,
        "feed_url": info.self_link,
        "description": info.description,
        "language": info.language,
        "authors": [{"name": info.author}],
        "items": [_json_item(entry) for entry in entries],
    }
    return json.dumps(document, ensure_ascii=False, indent=1) + "\n"


def _json_item(entry: FeedEntry) -> dict[str, Any]:
    return {
        "id": f"urn:uuid:{entry.uid}",
        "url": entry.link,
        "title": entry.title,
        "content_html": entry.content_html,
        "summary": entry.summary,
        "date_published": entry.published.isoformat(timespec="seconds"),
        "date_modified": entry.updated.isoformat(timespec="seconds"),
        "authors": [{"name": entry.author}],
        "tags": list(entry.categories),
    }


@dataclass(frozen=True, slots=True)
class FeedListing:
    title: str
    feed_url: str                 # absolute, Atom
    page_url: str                 # absolute


def opml_list(title: str, feeds: Sequence[FeedListing]) -> str:
    """An OPML 2.0 document listing the feeds, for feed readers that import subscriptions."""
    root = ET.Element("opml", version="2.0")
    ET.SubElement(ET.SubElement(root, "head"), "title").text = title
    body = ET.SubElement(root, "body")
    for feed in feeds:
        ET.SubElement(body, "outline", type="rss", version="ATOM", text=feed.title, title=feed.title,
                      xmlUrl=feed.feed_url, htmlUrl=feed.page_url)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _render(feed_class: type[Any], info: FeedInfo, entries: Sequence[FeedEntry]) -> str:
    feed = feed_class(
        title=info.title, link=info.page_link, description=info.description, feed_url=info.self_link,
        feed_guid=info.feed_id, author_name=info.author, language=info.language,
        fallback_updated=info.fallback_updated,
    )
    for entry in entries:
        feed.add_item(
            title=entry.title, link=entry.link, description=html.escape(entry.summary),
            content=entry.content_html, unique_id=f"urn:uuid:{entry.uid}", unique_id_is_permalink=False,
            pubdate=entry.published, updateddate=entry.updated, author_name=entry.author,
            categories=entry.categories,
        )
    stream = io.StringIO()
    feed.write(stream, "utf-8")
    return stream.getvalue() + "\n"
