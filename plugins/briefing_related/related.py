"""Related briefings: the ones sharing the most entities, then topics. No Pelican imports.

Candidates come only through entities named in at most MAX_ENTITY_SPREAD briefings: an entity in nearly every
briefing ("Ukraine") says little about relatedness and would make the work quadratic at 20,000 briefings. Such
entities still count in the score of candidates found through rarer ones.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
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
    """For each slug, up to `limit` related slugs, best first; order of `profiles` breaks ties (newest first)."""
    rank = {profile.slug: position for position, profile in enumerate(profiles)}
    by_entity: dict[str, list[Profile]] = defaultdict(list)
    for profile in profiles:
        for entity in profile.entities:
            by_entity[entity].append(profile)
    result: dict[str, list[str]] = {}
    for profile in profiles:
        candidates = {other.slug: other for entity in profile.entities
                      if len(by_entity[entity]) <= MAX_ENTITY_SPREAD
                      for other in by_entity[entity] if other.slug != profile.slug}
        scored = sorted(((-_score(profile, other), rank[other.slug], other.slug) for other in candidates.values()))
        result[profile.slug] = [slug for _, _, slug in scored[:limit]]
    return result


def _score(one: Profile, other: Profile) -> int:
    return ENTITY_WEIGHT * len(one.entities & other.entities) + TOPIC_WEIGHT * len(one.topics & other.topics)
