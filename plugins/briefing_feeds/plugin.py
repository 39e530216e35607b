"""Pelican adapter: Atom and RSS feeds for the whole archive and for each topic."""

from __future__ import annotations

import dataclasses
import functools
import uuid
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from pelican import signals

from briefings.site_build import STORE_KEY, article_key, digest

from .absolute import absolute_links
from .feeds import FeedEntry, FeedInfo, FeedListing, atom_feed, json_feed, opml_list, rss_feed
from .settings import FeedsError, FeedsSettings

EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


def entry_from_article(article: Any, settings: FeedsSettings, topic_names: dict[str, str]) -> FeedEntry:
    """The feed entry of a Pelican article, with absolute links."""
    metadata = article.metadata
    link = f"{settings.siteurl}/{article.url}"
    return FeedEntry(
        uid=metadata["uid"], title=metadata["title"], link=link,
        published=metadata["date"], updated=metadata.get("modified") or metadata["date"],
        author=metadata.get("byline") or settings.author, summary=metadata.get("summary", ""),
        content_html=absolute_links(article.get_content(settings.siteurl), link),
        categories=tuple(topic_names[topic_id] for topic_id in metadata["topics"]),
    )


FORMATS = ((".atom.xml", atom_feed), (".rss.xml", rss_feed), (".json", json_feed))
OPML_NAME = "feeds.opml"


def feed_path(settings: FeedsSettings, name: str, suffix: str = ".atom.xml") -> str:
    """Path of one feed document, relative to the output folder."""
    return f"{settings.feed_dir}/{name}{suffix}"


def write_feed_set(output: Path, settings: FeedsSettings, name: str, info: FeedInfo,
                   entries: Callable[[], list[FeedEntry]], store: Any = None, fingerprint: str = "") -> None:
    """Write the Atom, RSS and JSON Feed documents of one feed, each naming itself as rel=self. `entries` makes the
    entries (at most once), for the documents that the incremental-build store, when given, does not put back
    from the last build (one made from inputs with this fingerprint)."""
    made: list[FeedEntry] | None = None
    for suffix, render in FORMATS:
        path = feed_path(settings, name, suffix)
        if store is not None and store.reuse(path, fingerprint):
            continue
        if made is None:
            made = entries()
        document = render(dataclasses.replace(info, self_link=f"{settings.siteurl}/{path}"), made)
        target = output / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(document, encoding="utf-8")


def feed_info(settings: FeedsSettings, name: str, title: str, description: str, page: str,
              fallback: datetime) -> FeedInfo:
    """Feed-level values; the id derives from the feed's name only, never from SITEURL."""
    return FeedInfo(
        title=title, description=description, page_link=f"{settings.siteurl}/{page}",
        self_link=f"{settings.siteurl}/{feed_path(settings, name)}",
        feed_id=f"urn:uuid:{uuid.uuid5(settings.namespace, name)}", author=settings.author,
        language=settings.language, fallback_updated=fallback,
    )


def feed_fingerprint(code: str, info: FeedInfo, articles: list[Any]) -> str:
    """What a feed's documents are made from: the code and settings (the store's code fingerprint, which covers the
    topic names), the feed's own values, and its briefings (briefings.site_build.article_key: each file's state).
    The archive's newest date shows only in a feed without entries, so only such a feed depends on it."""
    if articles:
        info = dataclasses.replace(info, fallback_updated=EPOCH)
    return digest(code, repr(info), *(article_key(article) for article in articles))


def write_feeds(generator: Any, writer: Any) -> None:  # the signal also sends the writer
    """Write feeds/all.{atom.xml,rss.xml,json}, feeds/topics/<topic>.{atom.xml,rss.xml,json}, feeds/feeds.opml.
    With an incremental build (plugins/briefing_incremental), a feed whose briefings did not change is the last
    build's, put back by the store: a new briefing rewrites the feeds of its own topics only."""
    settings = FeedsSettings.from_settings(generator.settings)
    if "briefing_topics" not in generator.context:
        raise FeedsError(Path("pelican.conf.py"), "PLUGINS must list briefing_topics before briefing_feeds")
    listing = generator.context["briefing_topics"]
    names = {topic.id: topic.name for topic, _ in listing}
    newest = max((article.metadata.get("modified") or article.metadata["date"] for article in generator.articles),
                 default=EPOCH)
    entries: dict[int, FeedEntry] = {}

    def newest_entries(articles: list[Any]) -> list[FeedEntry]:
        """The feed entries of a feed's articles (its newest max_items), each built once for every feed: only
        those are written, and absolutizing every briefing's links was most of the feeds' time."""
        for article in articles:
            if id(article) not in entries:
                entries[id(article)] = entry_from_article(article, settings, names)
        return [entries[id(article)] for article in articles]

    output = Path(generator.output_path)
    store = generator.context.get(STORE_KEY)
    infos = [(feed_info(settings, "all", settings.sitename, f"All briefings of {settings.sitename}",
                        "index.html", newest), "all", list(generator.articles[: settings.max_items]))]
    for topic, articles in listing:
        name = f"topics/{topic.id}"
        info = feed_info(settings, name, f"{settings.sitename}: {topic.name}", topic.description,
                         f"topics/{topic.id}.html", newest)
        infos.append((info, name, list(articles[: settings.max_items])))
    for info, name, shown in infos:
        fingerprint = feed_fingerprint(store.code, info, shown) if store else ""
        write_feed_set(output, settings, name, info, functools.partial(newest_entries, shown), store, fingerprint)
    listings = [FeedListing(info.title, info.self_link, info.page_link) for info, _, _ in infos]
    opml = opml_list(f"{settings.sitename} feeds", listings)
    (output / settings.feed_dir / OPML_NAME).write_text(opml, encoding="utf-8")


def register() -> None:
    signals.article_writer_finalized.connect(write_feeds)
