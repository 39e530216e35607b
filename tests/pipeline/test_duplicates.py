"""Near-duplicate detection: signatures estimate the Jaccard similarity of word 5-grams, the index finds the
same story told with other boilerplate and nothing else, and stored signatures keep their meaning."""

from __future__ import annotations

import pytest

from briefings.archive_index import decode_signature, encode_signature
from briefings.duplicates import BANDS, PERMUTATIONS, ROWS, SIMILARITY_THRESHOLD, DuplicateIndex, signature, similarity

STORY = (
    "The central bank left interest rates unchanged on Thursday, citing slowing inflation and a weaker labour "
    "market. Governor Anna Lind said the committee voted seven to two to hold the main rate at 4.5 percent. "
    "Two members argued for a cut of a quarter point, saying the economy needed support before winter. Markets "
    "had expected the decision, and the currency barely moved after the announcement in the capital. The bank "
    "will publish new forecasts next month, when analysts expect a first cut to be signalled."
)
OTHER = (
    "Rescue teams reached the flooded villages in the north on Sunday after the river burst its banks overnight. "
    "The regional governor said four hundred people had been moved to schools and sports halls. Army trucks "
    "carried drinking water and blankets, and engineers began to build a temporary bridge near the old mill."
)


def shingles(text: str) -> set[tuple[str, ...]]:
    words = text.lower().replace(",", " ").replace(".", " ").split()
    return {tuple(words[i:i + 5]) for i in range(len(words) - 4)}


def test_the_same_story_with_other_boilerplate_is_found() -> None:
    index = DuplicateIndex()
    index.add("rates-held", "raw/site-a.html", signature(STORY))
    index.add("floods", "raw/floods.html", signature(OTHER))
    syndicated = "Business | Site B\n\n" + STORY + "\n\nMost read: Ferry fares rise"
    twin = index.find(signature(syndicated))
    assert twin is not None and (twin.slug, twin.raw) == ("rates-held", "raw/site-a.html")
    assert index.find(signature(OTHER.replace("Sunday", "Monday"))).slug == "floods"  # type: ignore[union-attr]


def test_a_different_story_is_not_a_duplicate() -> None:
    index = DuplicateIndex()
    index.add("rates-held", "raw/site-a.html", signature(STORY))
    assert index.find(signature(OTHER)) is None
    assert index.find(signature("")) is None


def test_the_estimate_follows_the_true_jaccard_similarity() -> None:
    sentences = STORY.split(". ")
    half = ". ".join(sentences[:3]) + ". " + OTHER
    truth = len(shingles(STORY) & shingles(half)) / len(shingles(STORY) | shingles(half))
    assert abs(similarity(signature(STORY), signature(half)) - truth) < 0.15
    assert similarity(signature(STORY), signature(STORY.upper())) == 1.0   # lowercased words
    assert similarity(signature(STORY), signature(OTHER)) < 0.1


def test_a_body_without_words_has_no_signature_and_is_not_indexed() -> None:
    assert signature(" -- !! ").size == 0
    assert encode_signature(signature(" -- !! ")) == ""
    index = DuplicateIndex()
    index.add("empty", "raw/empty.html", signature(""))
    assert index.find(signature(STORY)) is None


def test_a_short_text_is_one_shingle() -> None:
    assert signature("Kyiv").size == PERMUTATIONS
    assert similarity(signature("Talks resume in Geneva"), signature("talks resume in geneva!")) == 1.0
    assert similarity(signature("Talks resume in Geneva"), signature("Geneva resume in talks")) < 1.0


def test_signatures_survive_the_archive_index_unchanged() -> None:
    values = signature(STORY)
    assert (decode_signature(encode_signature(values)) == values).all()


def test_signature_values_are_stable_or_the_cache_format_changes() -> None:
    # The archive index stores signatures: a change to the hashing must raise archive_index.CACHE_FORMAT
    # (and then this expectation).
    text = "Air defence shot down 35 of the 40 drones launched overnight, the air force said."
    assert signature(text)[:4].tolist() == [240640458, 230761239, 41804277, 80336560]


def test_the_bands_are_the_optimum_for_the_threshold() -> None:
    lsh = pytest.importorskip("datasketch.lsh")
    assert (BANDS, ROWS) == lsh._optimal_param(SIMILARITY_THRESHOLD, PERMUTATIONS, 0.5, 0.5)
