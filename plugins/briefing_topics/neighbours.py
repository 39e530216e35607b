"""Previous/next briefing within each topic. No Pelican imports: works on any objects with a `slug`."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")
A = TypeVar("A")


@dataclass(frozen=True, slots=True)
class TopicNeighbours(Generic[T, A]):
    topic: T
    newer: A | None
    older: A | None


def topic_neighbours(listing: Sequence[tuple[T, Sequence[A]]], slug_of: dict[int, str]
                     ) -> dict[str, list[TopicNeighbours[T, A]]]:
    """For each briefing slug, its newer and older neighbour in every topic it belongs to (lists newest first)."""
    result: dict[str, list[TopicNeighbours[T, A]]] = {}
    for topic, articles in listing:
        for position, article in enumerate(articles):
            newer = articles[position - 1] if position > 0 else None
            older = articles[position + 1] if position + 1 < len(articles) else None
            result.setdefault(slug_of[id(article)], []).append(TopicNeighbours(topic, newer, older))
    return result
