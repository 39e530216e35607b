"""Taxonomy logic on a small taxonomy written here: position weights, passing mentions, exclusions, scope."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from briefings.entities import Gazetteer
from briefings.tag_topics import decide_topics, document_sentences, explain_document, tag_document
from briefings.taxonomy import Taxonomy, load_taxonomy

from tagging_documents import make_document

SMALL_TAXONOMY = """
[settings]
title_weight = 3.0
lead_weight = 2.0
body_weight = 1.0
lead_sentences = 1
window_sentences = 4
ignore_sentences = [ { regex = "^read more", reason = "link line" } ]

[scope]
min_article_hits = 1
outside_ratio = 1.0
terms = [ { regex = "\\\\b(ukrain|russia|kyiv)", weight = 1 } ]
must_name = [ { regex = "\\\\brussia", weight = 1 } ]
outside = [ { regex = "\\\\btaiwan", reason = "other theatre" } ]

[[topic]]
id = "air-defense"
name = "Air defense"
description = "Strikes and the defence against them."
threshold = 6.0
min_sentences = 2
min_coverage = 0.0
min_window = 0.0
sentence_cap = 3.0
signals = [
    { term = "air defence", weight = 3 },
    { term = "drone strike", weight = 3 },
    { term = "missile", weight = 1 },
]
exclusions = [ { term = "cyber", reason = "cyber-attacks are not air strikes" } ]
"""


@pytest.fixture()
def small(tmp_path: Path) -> Taxonomy:
    path = tmp_path / "topics.toml"
    path.write_text(SMALL_TAXONOMY, encoding="utf-8")
    return load_taxonomy(path)


def decision(doc, taxonomy: Taxonomy):  # type: ignore[no-untyped-def]
    return next(d for d in decide_topics(doc, taxonomy) if d.topic.id == "air-defense")


def test_title_evidence_weighs_more_than_the_same_words_in_the_body(small: Taxonomy) -> None:
    in_title = make_document("Russia's drone strike on Kyiv", ["Officials in Russia and Ukraine spoke.", "Nothing else."])
    in_body = make_document("News from Kyiv", ["Officials in Russia and Ukraine spoke.", "Nothing else.",
                                               "Russia's drone strike on Kyiv."])
    assert decision(in_title, small).score == 9.0   # 3 x title weight 3
    assert decision(in_body, small).score == 3.0    # 3 x body weight 1


def test_one_sentence_is_a_passing_mention_however_strong(small: Taxonomy) -> None:
    doc = make_document("Russia and Ukraine", ["A drone strike hit Kyiv and air defence fired, Russia said.",
                                               "The rest of the article is about grain prices in Ukraine."])
    result = decision(doc, small)
    assert result.score >= small.topic("air-defense").threshold
    assert result.sentences == 1
    assert not result.applies


def test_developed_thread_applies(small: Taxonomy) -> None:
    doc = make_document("Russia hits Kyiv", ["A drone strike hit Kyiv overnight.",
                                             "Air defence units shot down most drones, Ukraine said.",
                                             "Russia denied targeting civilians."])
    assert tag_document(doc, small, Gazetteer(Path("none"), ())).topics == ("air-defense",)


def test_an_exclusion_voids_the_sentence_it_matches(small: Taxonomy) -> None:
    doc = make_document("Russia and Ukraine", ["A cyber drone strike on the grid, Russia said.",
                                               "Air defence in Kyiv was not involved, Ukraine said."])
    result = decision(doc, small)
    voided = [ev for ev in result.evidence if ev.excluded_by]
    assert [ev.excluded_by for ev in voided] == ["cyber-attacks are not air strikes"]
    assert result.sentences == 1


def test_a_sentence_about_another_theatre_carries_no_evidence(small: Taxonomy) -> None:
    doc = make_document("Russia watches", ["Russia said little about Ukraine.",
                                           "Taiwan air defence tracked a drone strike exercise.",
                                           "Taiwan air defence stayed on alert."])
    result = decision(doc, small)
    assert result.score == 0.0
    assert all("outside the war's scope" in ev.excluded_by for ev in result.evidence if ev.signals)


def test_an_article_mostly_about_another_theatre_gets_no_topic(small: Taxonomy) -> None:
    doc = make_document("Taiwan drills", ["Taiwan air defence units drilled.", "Taiwan raised its alert.",
                                          "Taiwan leaders compared it with Russia and Ukraine, where a drone strike hit Kyiv.",
                                          "Air defence in Kyiv shot down a missile, Russia said."])
    assert not decision(doc, small).article_in_scope


def test_a_ukraine_story_that_never_names_russia_is_out_of_scope(small: Taxonomy) -> None:
    doc = make_document("Kyiv drone strike", ["A drone strike hit Kyiv.", "Air defence in Ukraine fired."])
    assert not decision(doc, small).article_in_scope
    assert tag_document(doc, small, Gazetteer(Path("none"), ())).topics == ()


def test_ignored_lines_are_not_evidence(small: Taxonomy) -> None:
    doc = make_document("Russia and Ukraine", ["Read more: drone strike on Kyiv, air defence fails.",
                                               "Read more: missile drone strike on Kyiv."])
    assert decision(doc, small).score == 0.0


def test_explain_lists_signals_positions_score_and_threshold(small: Taxonomy) -> None:
    doc = make_document("Russia's drone strike on Kyiv", ["Air defence fired, Ukraine said.",
                                                          "A cyber missile story from Russia."])
    explained = explain_document(doc, small, Gazetteer(Path("none"), ()))
    json.dumps(explained)  # must be JSON-serialisable as it is
    topic = explained["air-defense"]
    assert topic["threshold"] == 6.0
    assert topic["applies"] is True
    assert {f["position"] for f in topic["fired"]} == {"title", "lead"}
    assert topic["fired"][0]["signals"] == [{"signal": "drone strike", "weight": 3.0}]
    assert topic["exclusions"][0]["excluded_by"] == "cyber-attacks are not air strikes"
    assert topic["scope"]["in_scope"] is True


def test_a_headline_left_in_the_body_is_not_evidence(small: Taxonomy) -> None:
    doc = make_document("Russia and Ukraine", ["Officials in Russia met colleagues from Ukraine on Monday.",
                                               "Air defence shortfalls and the drone strike threat in Kyiv",
                                               "Drone Strike on Kyiv Raises Air Defence Questions"])
    result = decision(doc, small)
    assert result.score == 0.0
    assert all("without final punctuation" in ev.excluded_by for ev in result.evidence if ev.signals)


def test_evidence_scattered_over_a_long_article_is_not_a_developed_thread(tmp_path: Path) -> None:
    path = tmp_path / "topics.toml"
    path.write_text(SMALL_TAXONOMY.replace("min_window = 0.0", "min_window = 7.0"), encoding="utf-8")
    taxonomy = load_taxonomy(path)
    filler = [f"Russia and Ukraine traded statements on day {day}." for day in range(12)]
    scattered = make_document("Russia and Ukraine", ["A drone strike hit Kyiv, Ukraine said."] + filler
                              + ["Air defence units were moved, Russia said."])
    clustered = make_document("Russia and Ukraine", ["A drone strike hit Kyiv, Ukraine said.",
                                                     "Air defence units were moved, Russia said."] + filler)
    assert not decision(scattered, taxonomy).applies
    assert decision(clustered, taxonomy).applies


def test_a_sentence_naming_the_war_and_another_theatre_counts_half(small: Taxonomy) -> None:
    doc = make_document("Russia and Ukraine", ["Officials in Russia and Ukraine spoke on Monday.",
                                               "Taiwan studied how air defence in Kyiv works.",
                                               "Nothing else happened in Ukraine."])
    assert decision(doc, small).score == 1.5   # 3 x body weight 1 x half for the mixed sentence


def test_a_dominating_theatre_wins_even_over_the_war_s_own_names(tmp_path: Path) -> None:
    path = tmp_path / "topics.toml"
    path.write_text(SMALL_TAXONOMY.replace(
        'outside = [ { regex = "\\\\btaiwan", reason = "other theatre" } ]',
        'outside = [ { regex = "\\\\bimpeach", reason = "2019 affair", dominates = true } ]'), encoding="utf-8")
    taxonomy = load_taxonomy(path)
    doc = make_document("Russia, Ukraine and the impeachment",
                        ["The impeachment inquiry heard how air defence aid to Ukraine was held up.",
                         "The impeachment vote followed a drone strike debate on Ukraine, Russia said."])
    result = decision(doc, taxonomy)
    assert result.score == 0.0
    assert not result.article_in_scope


def test_a_headline_that_is_also_a_link_line_is_ignored_for_the_link(taxonomy: Taxonomy) -> None:
    # A line without final punctuation is ignored as a headline, unless an ignore rule already names why:
    # that reason wins (the sentence is built once, with whichever reason applies).
    doc = make_document("Russia strikes Kyiv", ["Russia launched drones at Kyiv overnight, Ukraine said.",
                                                 "Read more: Russia's drone strikes on Kyiv",
                                                 "Drone Strike on Kyiv Raises Air Defence Questions"])
    ignored = [sentence.ignored_as for sentence in document_sentences(doc, taxonomy)]
    assert ignored == ["", "", "link line", "a line without final punctuation (headline or link)"]
