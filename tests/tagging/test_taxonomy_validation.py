"""Loading topics.toml reports every problem, naming the file and the key."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefings.taxonomy import TaxonomyError, load_taxonomy

VALID_TOPIC = """
[[topic]]
id = "air-defense"
name = "Air defense"
description = "Strikes and the defence against them."
threshold = 6.0
signals = [ { term = "air defence", weight = 3 } ]
"""
SCOPE = """
[scope]
terms = [ { regex = "russia" } ]
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "topics.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_valid_file_loads(tmp_path: Path) -> None:
    taxonomy = load_taxonomy(write(tmp_path, SCOPE + VALID_TOPIC))
    assert [t.id for t in taxonomy.topics] == ["air-defense"]
    assert taxonomy.topic("air-defense").signals[0].pattern.search("Ukraine's air-defence units")


def test_a_named_regex_is_explained_by_its_name(tmp_path: Path) -> None:
    text = SCOPE + VALID_TOPIC.replace('{ term = "air defence", weight = 3 }',
                                       '{ name = "S-300/S-400", regex = "\\\\bS-?[34]00\\\\b", weight = 3 }')
    signal = load_taxonomy(write(tmp_path, text)).topic("air-defense").signals[0]
    assert signal.label == "S-300/S-400"
    assert signal.pattern.search("an S-300 battery") and not signal.pattern.search("S-3000")


def test_a_missing_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(TaxonomyError, match=r"nowhere\.toml: file not found"):
        load_taxonomy(tmp_path / "nowhere.toml")


def test_broken_toml_is_named(tmp_path: Path) -> None:
    with pytest.raises(TaxonomyError, match=r"topics\.toml: not valid TOML"):
        load_taxonomy(write(tmp_path, "[[topic]\nid = "))


def test_every_bad_key_is_reported_at_once(tmp_path: Path) -> None:
    text = SCOPE + """
[[topic]]
id = "Air Defense"
name = "Air defense"
threshold = "high"
signals = [ { regex = "(unclosed", weight = 3 }, { term = "x", regex = "y" } ]
"""
    with pytest.raises(TaxonomyError) as caught:
        load_taxonomy(write(tmp_path, text))
    message = str(caught.value)
    assert "topics.toml" in message
    assert "topic[0].id: 'Air Defense' is not a slug" in message
    assert "topic[0].description: required" in message
    assert "topic[0].threshold: must be a number" in message
    assert "topic[0].signals[0].regex: invalid regular expression" in message
    assert "topic[0].signals[1]: needs exactly one of `term` or `regex`" in message


def test_duplicate_topic_ids_are_refused(tmp_path: Path) -> None:
    with pytest.raises(TaxonomyError, match=r"topic\[1\]\.id: duplicate topic id 'air-defense'"):
        load_taxonomy(write(tmp_path, SCOPE + VALID_TOPIC + VALID_TOPIC))


def test_a_file_without_topics_is_refused(tmp_path: Path) -> None:
    with pytest.raises(TaxonomyError, match=r"topic: at least one \[\[topic\]\] table is required"):
        load_taxonomy(write(tmp_path, SCOPE))


def test_negative_weights_are_refused(tmp_path: Path) -> None:
    with pytest.raises(TaxonomyError, match=r"topic\[0\]\.signals\[0\]\.weight: must not be negative"):
        load_taxonomy(write(tmp_path, SCOPE + VALID_TOPIC.replace("weight = 3", "weight = -3")))
