"""Related briefings by shared entities and topics."""

from __future__ import annotations

from briefing_related.related import MAX_ENTITY_SPREAD, Profile, related_slugs


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
