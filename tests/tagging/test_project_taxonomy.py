"""The project's taxonomy (content/taxonomy/topics.toml) on short real-shaped articles and on the seeds."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from briefings.documents import Block
from briefings.entities import Gazetteer
from briefings.extract import clean
from briefings.read_raw import read_raw
from briefings.tag_topics import tag_document
from briefings.taxonomy import Taxonomy

from tagging_documents import REPO, fixture_document

SEEDS = REPO / "content" / "raw"


@pytest.mark.parametrize(("fixture", "expected"), [
    ("kyiv-grid-strike", ("air-defense",)),
    ("sanctions-package", ("sanctions",)),
    ("peace-talks", ("diplomacy",)),
    # Missiles over Taiwan are not this archive's air defense, even with Patriots and air-raid drills.
    ("taiwan-drills", ()),
    # A sporting ban on Russian players is not a sanction.
    ("sporting-ban", ()),
    # Headline-like lines left over from a "Related posts" block are not enough for sanctions or diplomacy.
    ("strike-with-related-links", ("air-defense",)),
])
def test_fixture_articles_get_their_topics(fixture: str, expected: tuple[str, ...], taxonomy: Taxonomy,
                                           gazetteer: Gazetteer) -> None:
    assert tag_document(fixture_document(fixture), taxonomy, gazetteer).topics == expected


def seed(prefix: str) -> Path:
    matches = sorted(SEEDS.glob(f"{prefix}_*.txt"))
    if not matches:
        pytest.skip(f"no seed {prefix} in {SEEDS}")
    return matches[0]


def test_seed_000_is_air_defense_and_diplomacy_not_sanctions(taxonomy: Taxonomy, gazetteer: Gazetteer) -> None:
    doc = clean(read_raw(seed("000")))
    assert tag_document(doc, taxonomy, gazetteer).topics == ("air-defense", "diplomacy")


def test_seed_000_related_posts_alone_cannot_make_it_sanctions(taxonomy: Taxonomy, gazetteer: Gazetteer) -> None:
    """Even if the cleaner kept the "Related posts" headlines, their one sanctions line is a passing mention."""
    doc = clean(read_raw(seed("000")))
    leaked = doc.blocks + (Block("paragraph", "Related posts"),
                           Block("paragraph", "EU Sanctions on Russia Stalled by Slovakias Gas Concerns"))
    assert "sanctions" not in tag_document(replace(doc, blocks=leaked), taxonomy, gazetteer).topics


def test_seed_002_is_air_defense_sanctions_and_diplomacy(taxonomy: Taxonomy, gazetteer: Gazetteer) -> None:
    doc = clean(read_raw(seed("002")))
    assert tag_document(doc, taxonomy, gazetteer).topics == ("air-defense", "diplomacy", "sanctions")


def test_every_topic_has_a_name_and_description(taxonomy: Taxonomy) -> None:
    assert {t.id for t in taxonomy.topics} >= {"air-defense", "sanctions", "diplomacy"}
    assert all(t.name and t.description and t.signals for t in taxonomy.topics)
