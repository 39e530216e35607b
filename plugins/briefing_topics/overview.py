"""What a topic page shows above its list of briefings. No Pelican imports: works on any articles given as
BriefingFacts, newest first."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

A = TypeVar("A")

LATEST_POINTS = 6     # key points shown: the first point of each of the newest briefings
TOP_ENTITIES = 24     # entities shown, the most frequent first


@dataclass(frozen=True, slots=True)
class BriefingFacts(Generic[A]):
    article: A
    month: str                    # "2025-07"
    key_points: tuple[str, ...]
    entities: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class TopicOverview(Generic[A]):
    latest_points: tuple[tuple[str, A], ...]   # (key point, its briefing), newest first
    months: tuple[tuple[str, int], ...]        # ("2025-07", briefings that month), newest first
    years: tuple[tuple[str, tuple[int, ...]], ...]  # ("2025", briefings in January ... December), newest first
    entities: tuple[tuple[str, int], ...]      # (entity name, briefings naming it), most named first, then by name


def topic_overview(facts: Sequence[BriefingFacts[A]]) -> TopicOverview[A]:
    """The overview of one topic's briefings (given newest first); work is linear in their number."""
    points = tuple((item.key_points[0], item.article) for item in facts if item.key_points)[:LATEST_POINTS]
    months = Counter(item.month for item in facts)
    entities = Counter(name for item in facts for name in set(item.entities))
    ranked = sorted(entities.items(), key=lambda pair: (-pair[1], pair[0]))[:TOP_ENTITIES]
    years = sorted({month[:4] for month in months}, reverse=True)
    grid = tuple((year, tuple(months.get(f"{year}-{number:02d}", 0) for number in range(1, 13))) for year in years)
    return TopicOverview(latest_points=points, months=tuple(sorted(months.items(), reverse=True)), years=grid,
                         entities=tuple(ranked))
