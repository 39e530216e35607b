"""Previous/next within each topic."""

from __future__ import annotations

from briefing_topics.neighbours import TopicNeighbours, topic_neighbours


def test_each_briefing_gets_its_newer_and_older_neighbour_per_topic() -> None:
    newest, middle, oldest = "newest", "middle", "oldest"
    listing = [("air-defense", [newest, middle, oldest]), ("sanctions", [middle]), ("energy", [])]
    slugs = {id(name): name for name in (newest, middle, oldest)}
    result = topic_neighbours(listing, slugs)
    assert result["middle"] == [TopicNeighbours("air-defense", newest, oldest),
                                TopicNeighbours("sanctions", None, None)]
    assert result["newest"] == [TopicNeighbours("air-defense", None, middle)]
    assert result["oldest"] == [TopicNeighbours("air-defense", middle, None)]
