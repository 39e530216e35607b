"""Near-duplicate detection: signatures estimate the Jaccard similarity of word 5-grams, the index finds the
same story told with other boilerplate and nothing else, and stored signatures keep their meaning."""

from __future__ import annotations

import pytest

from briefings import duplicates
from briefings.duplicates import (BANDS, PERMUTATIONS, ROWS, SIMILARITY_THRESHOLD, DuplicateIndex, decode_signature,
                                  encode_signature, signature, similarity)

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


def signed(text: str) -> str:
    """The signature as the archive index stores it, which the index works on."""
    return encode_signature(signature(text))


def shingles(text: str) -> set[tuple[str, ...]]:
    words = text.lower().replace(",", " ").replace(".", " ").split()
    return {tuple(words[i:i + 5]) for i in range(len(words) - 4)}


def test_the_same_story_with_other_boilerplate_is_found() -> None:
    index = DuplicateIndex()
    index.add("rates-held", "raw/site-a.html", signed(STORY))
    index.add("floods", "raw/floods.html", signed(OTHER))
    syndicated = "Business | Site B\n\n" + STORY + "\n\nMost read: Ferry fares rise"
    twin = index.find(signed(syndicated))
    assert twin is not None and (twin.slug, twin.raw) == ("rates-held", "raw/site-a.html")
    assert index.find(signed(OTHER.replace("Sunday", "Monday"))).slug == "floods"  # type: ignore[union-attr]


def test_a_different_story_is_not_a_duplicate() -> None:
    index = DuplicateIndex()
    index.add("rates-held", "raw/site-a.html", signed(STORY))
    assert index.find(signed(OTHER)) is None
    assert index.find(signed("")) is None


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
    index.add("empty", "raw/empty.html", signed(""))
    assert index.find(signed(STORY)) is None


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


def test_each_value_is_the_minimum_of_one_permutation_over_all_shingles() -> None:
    # As many shingles as permutations: offsets added along the wrong axis, or minimums taken along it, would
    # still give PERMUTATIONS values, and the wrong ones.
    words = [f"w{number % 97}" for number in range(PERMUTATIONS + duplicates.SHINGLE_WORDS - 1)]
    shingle_hashes = [int(value) for value in duplicates._shingle_hashes(words)]
    assert len(shingle_hashes) == PERMUTATIONS
    expected = [min((int(multiplier) * value + int(offset)) % (1 << 32) for value in shingle_hashes)
                for multiplier, offset in zip(duplicates._MULTIPLIERS, duplicates._OFFSETS)]
    assert signature(" ".join(words)).tolist() == expected


def test_the_bands_are_the_optimum_for_the_threshold() -> None:
    lsh = pytest.importorskip("datasketch.lsh")
    assert (BANDS, ROWS) == lsh._optimal_param(SIMILARITY_THRESHOLD, PERMUTATIONS, 0.5, 0.5)


@pytest.mark.parametrize("kept_band", [0, 5, BANDS - 1])
def test_a_body_equal_in_a_single_band_is_still_compared(kept_band: int) -> None:
    """The index slices bands out of the encoded text: the first and last values changed in every other band
    leave exactly one band equal, and that band alone must make the two bodies candidates (100 of 128 values
    equal: a twin). A slice reaching into a neighbouring band would miss it."""
    values = signature(STORY)
    changed = values.copy()
    for band in range(BANDS):
        if band != kept_band:
            changed[band * ROWS] ^= 1
            changed[band * ROWS + ROWS - 1] ^= 1
    changed[BANDS * ROWS:] ^= 1  # the values after the last band belong to no band
    index = DuplicateIndex()
    index.add("rates-held", "raw/site-a.html", encode_signature(values))
    twin = index.find(encode_signature(changed))
    assert twin is not None and twin.slug == "rates-held"
    assert similarity(values, changed) == (BANDS * ROWS - 2 * (BANDS - 1)) / PERMUTATIONS


def test_every_body_sharing_a_band_key_is_compared_not_only_the_first() -> None:
    """The index keeps the first body of each band key apart from the rest: a twin that is the third body
    with its only band key in common with the new body must still be compared, and found."""
    values = signature(STORY)
    twin = values.copy()
    for band in range(1, BANDS):   # every band but the first changed: 102 of 128 values equal
        twin[band * ROWS] ^= 1
        twin[band * ROWS + ROWS - 1] ^= 1
    first_band_only = values.copy()
    first_band_only[ROWS:] ^= 1     # 9 of 128 values equal
    index = DuplicateIndex()
    index.add("first", "raw/first.html", encode_signature(first_band_only))
    first_band_only[-1] ^= 2
    index.add("second", "raw/second.html", encode_signature(first_band_only))
    index.add("twin", "raw/twin.html", encode_signature(twin))
    found = index.find(encode_signature(values))
    assert found is not None and (found.slug, found.raw) == ("twin", "raw/twin.html")
