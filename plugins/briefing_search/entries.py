"""What the search index holds for one briefing. No Pelican imports."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class SearchEntry:
    url: str                      # site-relative, e.g. "briefings/patriot-deliveries.html"
    title: str
    date: str                     # ISO date shown in results, e.g. "2025-07-08"
    topics: tuple[str, ...]       # topic names, searchable
    topic_ids: tuple[str, ...]    # topic ids, searchable too ("air-defense"), and what the topic filter uses
    entities: tuple[str, ...]
    summary: str
    key_points: tuple[str, ...]
