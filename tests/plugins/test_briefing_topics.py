"""The site's view of the taxonomy, and topic listings."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest
from briefing_topics.plugin import topic_listing
from briefing_topics.taxonomy import SiteTopic, TopicsError, load_site_topics

GOOD = """
[settings]
title_weight = 3.0

[[topic]]
id = "air-defense"
name = "Air defense"
description = "Interceptors and radars."
signals = [{ term = "Patriot", weight = 2.0 }]

[[topic]]
id = "sanctions"
name = "Sanctions"
description = "Economic measures."
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "topics.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_topics_keep_file_order_and_ignore_tagging_rules(tmp_path: Path) -> None:
    topics = load_site_topics(write(tmp_path, GOOD))
    assert topics == (SiteTopic("air-defense", "Air defense", "Interceptors and radars."),
                      SiteTopic("sanctions", "Sanctions", "Economic measures."))


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    text = GOOD.replace('name = "Sanctions"', 'name = ""').replace('"air-defense"', '"Air Defense"')
    text += '\n[[topic]]\nid = "sanctions"\nname = "Again"\ndescription = "Twice."\n'
    with pytest.raises(TopicsError, match=r"topics\.toml") as error:
        load_site_topics(write(tmp_path, text))
    message = str(error.value)
    assert "topic[0].id: 'Air Defense'" in message
    assert "topic[1].name" in message
    assert "topic[2].id: duplicate id 'sanctions'" in message


def test_missing_or_broken_file_names_the_file(tmp_path: Path) -> None:
    with pytest.raises(TopicsError, match=r"nowhere\.toml"):
        load_site_topics(tmp_path / "nowhere.toml")
    with pytest.raises(TopicsError, match=r"topics\.toml: cannot read"):
        load_site_topics(write(tmp_path, "[[topic]\n"))


def article(name: str, *topics: str) -> SimpleNamespace:
    return SimpleNamespace(source_path=f"content/briefings/{name}.md", metadata={"topics": list(topics)})


def test_listing_keeps_article_order_and_empty_topics() -> None:
    topics = (SiteTopic("air-defense", "Air defense", "d"), SiteTopic("sanctions", "Sanctions", "d"))
    first, second = article("b", "air-defense"), article("a", "air-defense")
    listing = topic_listing(topics, [first, second])
    assert listing == [(topics[0], [first, second]), (topics[1], [])]


def test_a_topic_missing_from_the_taxonomy_names_the_briefing() -> None:
    topics = (SiteTopic("air-defense", "Air defense", "d"),)
    with pytest.raises(TopicsError, match=r"odd\.md: Topics: 'piracy' is not in the taxonomy"):
        topic_listing(topics, [article("odd", "piracy")])
