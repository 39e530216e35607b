"""Near-duplicate detection on cleaned article bodies: word shingles, MinHash and LSH (datasketch).

The same story captured twice, or syndicated by two sites with different boilerplate, has almost the same
body once cleaned; a Jaccard similarity of the body's word 5-grams above the threshold makes it a duplicate.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
from datasketch import MinHash, MinHashLSH

SHINGLE_WORDS = 5
SIMILARITY_THRESHOLD = 0.7
PERMUTATIONS = 128
SCHEME = "affine32"  # hash values below 2**32: the archive index stores them as 32-bit integers
_WORD = re.compile(r"\w+")


@dataclass(frozen=True, slots=True)
class Twin:
    slug: str
    raw: str


def shingles(text: str) -> set[bytes]:
    """The set of lowercased word 5-grams of a text (the whole text when it is shorter)."""
    words = _WORD.findall(text.lower())
    if len(words) <= SHINGLE_WORDS:
        return {" ".join(words).encode("utf-8")} if words else set()
    return {" ".join(words[i:i + SHINGLE_WORDS]).encode("utf-8") for i in range(len(words) - SHINGLE_WORDS + 1)}


def signature(text: str) -> MinHash:
    minhash = MinHash(num_perm=PERMUTATIONS, seed=1, scheme=SCHEME)
    minhash.update_batch(sorted(shingles(text)))
    return minhash


class DuplicateIndex:
    """Bodies seen so far; finds the first one a new body nearly duplicates."""

    def __init__(self) -> None:
        self._lsh = MinHashLSH(threshold=SIMILARITY_THRESHOLD, num_perm=PERMUTATIONS)
        self._signatures: dict[str, MinHash] = {}
        self._twins: dict[str, Twin] = {}

    def add(self, slug: str, raw: str, text: str) -> None:
        if slug in self._twins or not shingles(text):
            return
        self._insert(slug, raw, signature(text))

    def add_signature(self, slug: str, raw: str, hashvalues: np.ndarray) -> None:
        """Add a body known only by its MinHash values (from the archive index)."""
        if slug not in self._twins:
            self._insert(slug, raw, MinHash(num_perm=PERMUTATIONS, seed=1, hashvalues=hashvalues, scheme=SCHEME))

    def _insert(self, slug: str, raw: str, minhash: MinHash) -> None:
        self._lsh.insert(slug, minhash)
        self._signatures[slug] = minhash
        self._twins[slug] = Twin(slug=slug, raw=raw)

    def find(self, paragraphs: Iterable[str]) -> Twin | None:
        text = "\n".join(paragraphs)
        if not shingles(text):
            return None
        minhash = signature(text)
        candidates = sorted(self._lsh.query(minhash))
        best = max(candidates, key=lambda slug: (minhash.jaccard(self._signatures[slug]), slug), default=None)
        if best is None or minhash.jaccard(self._signatures[best]) < SIMILARITY_THRESHOLD:
            return None
        return self._twins[best]
