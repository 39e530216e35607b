"""Near-duplicate detection on briefing bodies: word 5-gram shingles, MinHash signatures and LSH banding.

The same story captured twice, or syndicated by two sites with different boilerplate, has almost the same
body once cleaned; a Jaccard similarity of the body's word 5-grams of at least 0.7 makes it a duplicate.

A signature is plain numpy arithmetic over the body's words: each word is hashed once (CRC-32, mixed), the
hashes of five consecutive words are combined into their 5-gram's hash, and 128 affine permutations of those
hashes keep their minimums. Hashing words rather than each 5-gram string makes a signature a third of
datasketch's cost, and not importing datasketch (whose LSH pulls in scipy) saves most of a second at every
ingest start. Bodies are signed as rendered (the Markdown body of the briefing file), so a signature
computed during ingest and one read back from the file later are the same.
"""

from __future__ import annotations

import base64
import re
import zlib
from dataclasses import dataclass

import numpy as np

SHINGLE_WORDS = 5
SIMILARITY_THRESHOLD = 0.7
PERMUTATIONS = 128
# The banding that minimises false positives plus false negatives at 0.7 with 128 permutations (what
# datasketch's MinHashLSH chooses): 14 bands of 9 rows; two bodies are compared when any band is equal.
BANDS, ROWS = 14, 9
BAND_CHARS = ROWS * 4 * 4 // 3   # base64 characters of one band's ROWS 4-byte values (ROWS * 4 divides by 3)
assert ROWS * 4 % 3 == 0, "a band must be a whole number of base64 characters"
_WORD = re.compile(r"\w+")

# Fixed seed: signatures are stored in the archive index and must mean the same on every run.
_RANDOM = np.random.RandomState(1)
_MULTIPLIERS = _RANDOM.randint(0, 1 << 31, PERMUTATIONS, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
_OFFSETS = _RANDOM.randint(0, 1 << 32, PERMUTATIONS, dtype=np.uint32)
_OFFSETS_COLUMN = _OFFSETS[:, np.newaxis]   # one offset per row of a PERMUTATIONS x shingles array
# One odd 64-bit multiplier per place in the 5-gram, so "a b c d e" and "b a c d e" hash apart.
_PLACES = (_RANDOM.randint(0, 1 << 63, SHINGLE_WORDS, dtype=np.uint64) << np.uint64(1)) | np.uint64(1)


@dataclass(frozen=True, slots=True)
class Twin:
    slug: str
    raw: str


def signature(text: str) -> np.ndarray:
    """The MinHash signature (PERMUTATIONS uint32 values) of the text's lowercased word 5-grams (the whole
    text as one shingle when it has five words or fewer); an empty array when the text has no words."""
    words = _WORD.findall(text.lower())
    if not words:
        return np.empty(0, dtype=np.uint32)
    # One row per permutation, one column per shingle: each minimum is taken along a row, which reads memory
    # in order (a fifth faster than a column per permutation). The offsets are added in place (one array of
    # PERMUTATIONS x shingles values instead of two).
    permuted = np.multiply.outer(_MULTIPLIERS, _shingle_hashes(words))
    permuted += _OFFSETS_COLUMN
    minimums: np.ndarray = permuted.min(axis=1)
    return minimums


def _shingle_hashes(words: list[str]) -> np.ndarray:
    """One 32-bit hash per run of SHINGLE_WORDS consecutive words (one for the whole list when shorter)."""
    # Encoded all at once and split again (no word holds a line feed): one encode call instead of one a word.
    encoded = "\n".join(words).encode("utf-8", "surrogatepass").split(b"\n")
    hashes = np.fromiter(map(zlib.crc32, encoded), dtype=np.uint64, count=len(words))
    # CRC-32 is linear: mixed first, so that sums of word hashes cannot cancel out.
    mixed = _fmix64(hashes)
    width = min(SHINGLE_WORDS, len(words))
    count = len(words) - width + 1
    combined = np.zeros(count, dtype=np.uint64)
    for place in range(width):
        combined += mixed[place:place + count] * _PLACES[place]
    return (combined >> np.uint64(32)).astype(np.uint32)


def _fmix64(values: np.ndarray) -> np.ndarray:
    """MurmurHash3's finaliser: a bijection on 64-bit values that spreads every input bit over the output."""
    values = values ^ (values >> np.uint64(33))
    values = values * np.uint64(0xFF51AFD7ED558CCD)
    values = values ^ (values >> np.uint64(33))
    values = values * np.uint64(0xC4CEB9FE1A85EC53)
    mixed: np.ndarray = values ^ (values >> np.uint64(33))
    return mixed


def similarity(left: np.ndarray, right: np.ndarray) -> float:
    """The estimated Jaccard similarity of the shingle sets two signatures were computed from."""
    return float(np.count_nonzero(left == right)) / PERMUTATIONS


def encode_signature(values: np.ndarray) -> str:
    """A signature (uint32 values) as compact base64 text, as the archive index stores it; "" for an empty one."""
    return base64.b64encode(values.astype("<u4").tobytes()).decode("ascii")


def decode_signature(text: str) -> np.ndarray:
    return np.frombuffer(base64.b64decode(text), dtype="<u4").astype(np.uint32)


class DuplicateIndex:
    """Bodies seen so far, by encoded signature (encode_signature); finds the first one a new body nearly
    duplicates. Works on the encoded text: a band of ROWS values is a whole number of base64 characters, so
    the bands are slices of the text, and an ingest that loads 20,000 briefings decodes only the signatures a
    new body is compared with."""

    def __init__(self) -> None:
        # Per band: band key -> the slug of the first body with it. Nearly every key belongs to one body, and a
        # list for each would be 70,000 lists at 5,000 briefings: half the time spent loading them.
        self._first: list[dict[str, str]] = [{} for _ in range(BANDS)]
        # (band, key) -> the slugs after the first with that key: bodies equal in a band.
        self._others: dict[tuple[int, str], list[str]] = {}
        self._signed: dict[str, str] = {}
        self._raw: dict[str, str] = {}

    def add(self, slug: str, raw: str, signed: str) -> None:
        """Remember a body by its encoded signature; a slug already known, or a body without words, is left out."""
        if slug in self._signed or not signed:
            return
        for band, key in enumerate(_band_keys(signed)):
            if self._first[band].setdefault(key, slug) != slug:
                self._others.setdefault((band, key), []).append(slug)
        self._signed[slug] = signed
        self._raw[slug] = raw

    def find(self, signed: str) -> Twin | None:
        """The most similar body remembered (ties: the greatest slug) when it reaches the threshold."""
        if not signed:
            return None
        candidates = set()
        for band, key in enumerate(_band_keys(signed)):
            first = self._first[band].get(key)
            if first is not None:
                candidates.add(first)
                candidates.update(self._others.get((band, key), ()))
        if not candidates:
            return None
        values = decode_signature(signed)
        best, score = max(((slug, similarity(values, decode_signature(self._signed[slug]))) for slug in candidates),
                          key=lambda scored: (scored[1], scored[0]))
        return Twin(slug=best, raw=self._raw[best]) if score >= SIMILARITY_THRESHOLD else None


def _band_keys(signed: str) -> list[str]:
    return [signed[band * BAND_CHARS:(band + 1) * BAND_CHARS] for band in range(BANDS)]
