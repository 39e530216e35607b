"""Pelican adapter: reads content/briefings/*.md with our header parser and markdown-it-py."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from pelican import signals
from pelican.readers import BaseReader
from pelican.urlwrappers import Tag

from .header import (LIST_SEPARATORS, YES_NO_KEYS, BriefingReadError, edited_since_written, metadata_key,
                     other_sources, reading_minutes, source_label, split_briefing, split_list, web_link, yes)
from .render import render_markdown


class BriefingReader(BaseReader):  # type: ignore[misc]  # Pelican is untyped
    """Reads a briefing: Pelican metadata from the header, HTML from the Markdown body."""

    enabled = True
    file_extensions = ["md"]

    def __init__(self, settings: dict[str, Any]) -> None:
        super().__init__(settings)
        # One Tag object per entity name for the whole build, shared by every briefing that names it: the
        # content cache then stores and loads each entity once, not once per mention (55,000 objects at 5,000
        # briefings, a third of the time spent loading the cache).
        self._tags: dict[str, Tag] = {}

    def read(self, source_path: str) -> tuple[str, dict[str, Any]]:
        """(HTML content, metadata); raises BriefingReadError naming the file when the header is bad."""
        source = Path(source_path)
        text = source.read_text(encoding="utf-8")
        briefing = split_briefing(text, source)
        metadata: dict[str, Any] = {}
        for key, value in briefing.header.items():
            name = metadata_key(key)
            if key in LIST_SEPARATORS:
                metadata[name] = split_list(key, value)
            elif key in YES_NO_KEYS:
                metadata[name] = yes(value)
            elif name == "tags":
                if tags := self._shared_tags(value):  # an empty Tags header means no entities, as for Pelican
                    metadata[name] = tags
            else:
                # Pelican turns `date` into a datetime and `tags` into Tag objects; the rest stays text.
                metadata[name] = self.process_metadata(name, value)
        metadata.setdefault("topics", [])
        metadata.setdefault("key_points", [])
        metadata.setdefault("date_source", "capture")
        metadata.setdefault("featured", False)
        metadata["also_sources"] = other_sources(briefing.header.get("Also_Sources", ""))
        if metadata.get("withdrawn"):
            # Pelican drops a `skip` document before any generator sees it: no page, listing, feed, search
            # entry, sitemap line or bundle file, and no drafts/ page either. The file itself stays.
            metadata["status"] = "skip"
        # Source_Url comes from the captured page itself: only a real web address becomes a link.
        metadata["source_link"] = web_link(metadata.get("source_url", ""))
        metadata["source_label"] = source_label(metadata.get("source", ""), metadata["source_link"])
        metadata["reading_minutes"] = reading_minutes(briefing.body)
        metadata["modified"] = last_modified(source, text, metadata)
        return render_markdown(briefing.body), metadata

    def _shared_tags(self, value: str) -> list[Tag]:
        """Pelican's Tag objects for a Tags header, the same object for the same name in every briefing."""
        tags = self.process_metadata("tags", value)
        if not isinstance(tags, list):  # Pelican's marker for a header that names nothing
            return []
        return [self._tags.setdefault(tag.name, tag) for tag in tags]


def last_modified(source: Path, text: str, metadata: dict[str, Any]) -> datetime:
    """When the briefing last changed, never the build time: the Modified header when there is one; else, for a
    file a curator edited after ingest (its Fingerprint no longer matches), the file's modification time; else
    the publication date. Feeds use it as the entry's `updated`, pages and JSON-LD as dateModified.
    Raises BriefingReadError when Modified lacks a time zone or is earlier than Date."""
    published: datetime = metadata["date"]
    modified = metadata.get("modified")
    if isinstance(modified, datetime):
        if modified.tzinfo is None or published.tzinfo is None:
            raise BriefingReadError(source, "Modified and Date need a time zone offset, e.g. +00:00")
        if modified < published:
            raise BriefingReadError(source, "Modified: earlier than Date")
        return modified
    if edited_since_written(text):
        edited = datetime.fromtimestamp(int(source.stat().st_mtime), tz=timezone.utc)
        return max(edited, published)
    return published


def use_briefing_reader(readers: Any) -> None:
    """Make our reader the one for .md (Pelican's own Markdown reader needs the `markdown` package)."""
    readers.reader_classes["md"] = BriefingReader


def forget_disabled_markdown_reader(generator: Any) -> None:
    """Drop Pelican's disabled Markdown reader, which would warn "install markdown" for every .md we read."""
    readers = getattr(generator, "readers", None)  # only content generators read files
    if readers is not None and readers.reader_classes.get("md") is BriefingReader:
        readers.disabled_readers.pop("md", None)


def register() -> None:
    signals.readers_init.connect(use_briefing_reader)
    signals.generator_init.connect(forget_disabled_markdown_reader)
