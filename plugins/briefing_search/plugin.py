"""Pelican adapter: writes the search index script and copies lunr.js into the output."""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pelican import signals

from briefings.site_build import STORE_KEY, article_key

from .entries import SearchEntry
from .index import search_files
from .settings import SearchError, SearchSettings
from .words import use_cache_folder


def entry_from_article(article: Any, topic_names: dict[str, str]) -> SearchEntry:
    """The search entry of a Pelican article; raises SearchError naming the file for an unknown topic."""
    metadata = article.metadata
    try:
        names = tuple(topic_names[topic_id] for topic_id in metadata["topics"])
    except KeyError as error:
        raise SearchError(Path(article.source_path), f"Topics: unknown topic {error}") from error
    return SearchEntry(
        url=article.url,
        title=metadata["title"],
        date=metadata["date"].date().isoformat(),
        topics=names,
        topic_ids=tuple(metadata["topics"]),
        entities=tuple(tag.name for tag in metadata.get("tags", [])),
        summary=metadata.get("summary", ""),
        key_points=tuple(metadata["key_points"]),
    )


class LazyEntries(Sequence[SearchEntry]):
    """The search entries of the articles (newest first), each made when first asked for."""

    def __init__(self, articles: list[Any], topic_names: dict[str, str]) -> None:
        self._articles = articles
        self._topic_names = topic_names
        self._made: dict[int, SearchEntry] = {}

    def __len__(self) -> int:
        return len(self._articles)

    def __getitem__(self, index: Any) -> Any:
        if isinstance(index, slice):
            return [self[position] for position in range(*index.indices(len(self)))]
        entry = self._made.get(index)
        if entry is None:
            entry = self._made[index] = entry_from_article(self._articles[index], self._topic_names)
        return entry




@dataclass(frozen=True, slots=True)
class FolderCache:
    """The incremental-build store, seen from the search folder (index.py names files relative to it)."""

    store: Any
    folder: str

    def reuse_part(self, key: str, fingerprint: str) -> Any:
        return self.store.reuse_part(f"{self.folder}/{key}", fingerprint)

    def record_part(self, key: str, fingerprint: str, note: Any, names: Sequence[str]) -> None:
        self.store.record_part(f"{self.folder}/{key}", fingerprint, note, [f"{self.folder}/{name}" for name in names])


def add_search_paths(generator: Any) -> None:
    """Tell the templates where the index and lunr.js are, relative to the site root."""
    settings = SearchSettings.from_settings(generator.settings)
    generator.context["briefing_search_paths"] = {"index": settings.index_path, "lunr": settings.lunr_target}


def write_search_index(generator: Any, writer: Any) -> None:  # the signal also sends the writer
    """Write the manifest at BRIEFING_SEARCH_INDEX, the slices, shards, topic masks and document chunks beside it
    (see index.py), and copy lunr.js there too. With an incremental build, the files of unchanged slices are the
    last build's, put back by the store."""
    settings = SearchSettings.from_settings(generator.settings)
    if "briefing_topic_by_id" not in generator.context:
        raise SearchError(Path("pelican.conf.py"), "PLUGINS must list briefing_topics before briefing_search")
    topic_names = {topic_id: topic.name for topic_id, topic in generator.context["briefing_topic_by_id"].items()}
    output = Path(generator.output_path)
    target = output / settings.index_path
    use_cache_folder(Path(generator.settings["CACHE_PATH"]))
    store = generator.context.get(STORE_KEY)  # plugins/briefing_incremental, when the build is incremental
    if store:
        # An entry follows from its briefing file (and the settings and topics, which the store and the parts'
        # fingerprints cover): the file's size and time stand for it, and only rewritten parts make entries.
        cache = FolderCache(store, target.parent.relative_to(output).as_posix())
        entries: Sequence[SearchEntry] = LazyEntries(generator.articles, topic_names)
        keys = [article_key(article) for article in generator.articles]
        names = [article.url for article in generator.articles]
        manifest, parts = search_files(entries, list(topic_names.items()), settings.layout, cache, keys, names)
    else:
        entries = [entry_from_article(article, topic_names) for article in generator.articles]
        manifest, parts = search_files(entries, list(topic_names.items()), settings.layout)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(manifest, encoding="ascii")
    for name, text in parts.items():
        (target.parent / name).write_text(text, encoding="ascii")
    shutil.copyfile(settings.lunr_js, output / settings.lunr_target)


def register() -> None:
    signals.article_generator_finalized.connect(add_search_paths)
    signals.article_writer_finalized.connect(write_search_index)
