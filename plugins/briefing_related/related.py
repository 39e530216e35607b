"""Related briefings: the ones sharing the most entities, then topics. No Pelican imports.

Candidates come only through entities named in at most MAX_ENTITY_SPREAD briefings: an entity in nearly every
briefing ("Ukraine") says little about relatedness and would make the work quadratic at 20,000 briefings. Such
entities still count in the score of candidates found through rarer ones.
"""

from __future__ import annotations

import heapq
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

MAX_ENTITY_SPREAD = 200
ENTITY_WEIGHT = 3
TOPIC_WEIGHT = 1


@dataclass(frozen=True, slots=True)
class Profile:
    slug: str
    entities: frozenset[str]
    topics: frozenset[str]


def related_slugs(profiles: Sequence[Profile], limit: int = 3) -> dict[str, list[str]]:
    """For each slug, up to `limit` related slugs, best first; order of `profiles` breaks ties (newest first).

    Entities and topics become bits of one integer per briefing, so a candidate's score is two `&` and two
    bit counts; candidates are gathered in C (set union of the rare entities' position lists). At 5,000
    briefings this took 0.3 s where intersecting frozensets took 1.0 s."""
    entity_bits = _bits(entity for profile in profiles for entity in profile.entities)
    topic_bits = _bits(topic for profile in profiles for topic in profile.topics)
    entities = [_mask(profile.entities, entity_bits) for profile in profiles]
    topics = [_mask(profile.topics, topic_bits) for profile in profiles]
    by_entity: dict[str, list[int]] = defaultdict(list)
    for position, profile in enumerate(profiles):
        for entity in profile.entities:
            by_entity[entity].append(position)
    rare = {entity for entity, positions in by_entity.items() if len(positions) <= MAX_ENTITY_SPREAD}
    result: dict[str, list[str]] = {}
    for position, profile in enumerate(profiles):
        candidates: set[int] = set()
        for entity in profile.entities & rare:
            candidates.update(by_entity[entity])
        candidates.discard(position)
        mine, my_topics = entities[position], topics[position]
        scored = heapq.nsmallest(limit, ((-(ENTITY_WEIGHT * (mine & entities[other]).bit_count()
                                            + TOPIC_WEIGHT * (my_topics & topics[other]).bit_count()), other)
                                          for other in candidates))
        result[profile.slug] = [profiles[other].slug for _, other in scored]
    return result


def _bits(names: Iterable[str]) -> dict[str, int]:
    """A bit for each distinct name, in sorted order (so the same names always get the same bits)."""
    return {name: 1 << number for number, name in enumerate(sorted(set(names)))}


def _mask(names: frozenset[str], bits: dict[str, int]) -> int:
    return sum(bits[name] for name in names)
