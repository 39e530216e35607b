"""The feeds plugin's settings, validated once."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from briefings.errors import PipelineError


class FeedsError(PipelineError):
    """A feed could not be written; the message names the file or the setting."""


@dataclass(frozen=True, slots=True)
class FeedsSettings:
    siteurl: str          # SITEURL, absolute: feed readers need absolute links
    sitename: str         # SITENAME
    language: str         # DEFAULT_LANG
    feed_dir: str         # BRIEFING_FEED_DIR, relative to OUTPUT_PATH
    author: str           # BRIEFING_FEED_AUTHOR, when a briefing has no byline
    max_items: int        # BRIEFING_FEED_MAX_ITEMS, newest first
    namespace: uuid.UUID  # BRIEFING_FEED_NAMESPACE, makes feed-level ids unique to this archive

    @classmethod
    def from_settings(cls, settings: dict[str, Any]) -> FeedsSettings:
        """The settings; raises FeedsError naming every bad setting."""
        problems = []
        siteurl = str(settings.get("SITEURL") or "")
        if not siteurl.startswith(("https://", "http://")):
            problems.append(f"SITEURL must be an absolute http(s) URL for feeds (got {siteurl!r})")
        feed_dir = settings.get("BRIEFING_FEED_DIR")
        if not isinstance(feed_dir, str) or not feed_dir or feed_dir.startswith("/"):
            problems.append("BRIEFING_FEED_DIR must be a relative folder")
        author = settings.get("BRIEFING_FEED_AUTHOR")
        if not isinstance(author, str) or not author.strip():
            problems.append("BRIEFING_FEED_AUTHOR must be a non-empty name")
        max_items = settings.get("BRIEFING_FEED_MAX_ITEMS")
        if not isinstance(max_items, int) or isinstance(max_items, bool) or max_items < 1:
            problems.append("BRIEFING_FEED_MAX_ITEMS must be a positive integer")
        namespace = _uuid(settings.get("BRIEFING_FEED_NAMESPACE"))
        if namespace is None:
            problems.append("BRIEFING_FEED_NAMESPACE must be a UUID")
        if problems:
            raise FeedsError(Path("pelican.conf.py"), "; ".join(problems))
        return cls(siteurl=siteurl.rstrip("/"), sitename=str(settings.get("SITENAME", "")),
                   language=str(settings.get("DEFAULT_LANG", "en")), feed_dir=str(feed_dir),
                   author=str(author), max_items=int(str(max_items)), namespace=namespace or uuid.UUID(int=0))


def _uuid(value: object) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None
