"""Pelican adapter: reads content/briefings/*.md with our header parser and markdown-it-py."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pelican import signals
from pelican.readers import BaseReader

from .header import (LIST_SEPARATORS, metadata_key, reading_minutes, source_label, split_briefing, split_list,
                     web_link)
from .render import render_markdown


class BriefingReader(BaseReader):  # type: ignore[misc]  # Pelican is untyped
    """Reads a briefing: Pelican metadata from the header, HTML from the Markdown body."""

    enabled = True
    file_extensions = ["md"]

    def read(self, source_path: str) -> tuple[str, dict[str, Any]]:
        """(HTML content, metadata); raises BriefingReadError naming the file when the header is bad."""
        source = Path(source_path)
        briefing = split_briefing(source.read_text(encoding="utf-8"), source)
        metadata: dict[str, Any] = {}
        for key, value in briefing.header.items():
            name = metadata_key(key)
            if key in LIST_SEPARATORS:
                metadata[name] = split_list(key, value)
            else:
                # Pelican turns `date` into a datetime and `tags` into Tag objects; the rest stays text.
                metadata[name] = self.process_metadata(name, value)
        metadata.setdefault("topics", [])
        metadata.setdefault("key_points", [])
        metadata.setdefault("date_source", "capture")
        # Source_Url comes from the captured page itself: only a real web address becomes a link.
        metadata["source_link"] = web_link(metadata.get("source_url", ""))
        metadata["source_label"] = source_label(metadata.get("source", ""), metadata["source_link"])
        metadata["reading_minutes"] = reading_minutes(briefing.body)
        return render_markdown(briefing.body), metadata


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
