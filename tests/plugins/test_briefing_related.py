"""Related briefings by shared entities and topics."""

from __future__ import annotations

import json
import random

from briefing_related.related import MAX_ENTITY_SPREAD, Profile, related_slugs, related_slugs_since


def profile(slug: str, entities: set[str], topics: set[str]) -> Profile:
    return Profile(slug=slug, entities=frozenset(entities), topics=frozenset(topics))


def test_more_shared_entities_rank_first_then_topics_then_recency() -> None:
    profiles = [
        profile("a", {"Patriot", "Germany", "Kyiv"}, {"air-defense"}),
        profile("b", {"Patriot", "Germany"}, {"air-defense"}),
        profile("c", {"Patriot"}, {"air-defense", "diplomacy"}),
        profile("d", {"Patriot"}, {"air-defense"}),
        profile("e", {"OPEC"}, {"sanctions"}),
    ]
    related = related_slugs(profiles, limit=3)
    assert related["a"] == ["b", "c", "d"]
    assert related["d"] == ["a", "b", "c"]
    assert related["e"] == []


def test_an_entity_in_nearly_every_briefing_does_not_make_them_related() -> None:
    profiles = [profile(f"p{number}", {"Ukraine"}, {"diplomacy"}) for number in range(MAX_ENTITY_SPREAD + 1)]
    profiles.append(profile("rare-1", {"Ukraine", "IRIS-T"}, set()))
    profiles.append(profile("rare-2", {"Ukraine", "IRIS-T"}, set()))
    related = related_slugs(profiles)
    assert related["p0"] == []
    assert related["rare-1"] == ["rare-2"]


def test_computing_again_only_what_a_change_reaches_gives_the_full_result() -> None:
    rng = random.Random(7)
    names = [f"entity-{number}" for number in range(40)]
    weights = [1 / (rank + 1) for rank in range(40)]

    def random_profile(slug: str) -> Profile:
        return profile(slug, set(rng.choices(names, weights, k=rng.randint(0, 6))),
                       set(rng.sample(["air-defense", "sanctions", "diplomacy"], rng.randint(0, 2))))

    profiles = [random_profile(f"b{number}") for number in range(MAX_ENTITY_SPREAD + 60)]
    _, memory = related_slugs_since(profiles, 3, None)
    for step in range(12):
        change = step % 4
        if change == 0:    # today's news: a new briefing first (newest)
            profiles.insert(0, random_profile(f"new{step}"))
        elif change == 1:  # a briefing deleted
            profiles.pop(rng.randrange(len(profiles)))
        elif change == 2:  # entities edited
            at = rng.randrange(len(profiles))
            profiles[at] = random_profile(profiles[at].slug)
        else:              # a backdated briefing: inserted among the old ones
            profiles.insert(rng.randrange(len(profiles)), random_profile(f"old{step}"))
        reused, memory = related_slugs_since(profiles, 3, json.loads(json.dumps(memory)))
        assert reused == related_slugs(profiles, 3), step


def test_an_entity_crossing_the_spread_limit_is_noticed() -> None:
    # Half the briefings share a rare entity in pairs; the other half only have "Kyiv".
    profiles = [profile(f"p{number}", {"Kyiv"} | ({f"pair-{number // 2}"} if number % 2 == 0 or number < 100
                                                  else set()), set())
                for number in range(MAX_ENTITY_SPREAD)]
    before, memory = related_slugs_since(profiles, 3, None)
    assert before["p151"] != [], "Kyiv is rare enough to find candidates"
    profiles.insert(0, profile("one-more", {"Kyiv"}, set()))  # now it is too common to find candidates
    reused, _ = related_slugs_since(profiles, 3, memory)
    assert reused == related_slugs(profiles, 3) and reused["p151"] == []
