"""Text -> the words the search index holds. No Pelican imports.

The browser must cut a query into words exactly as the build cut the briefings, or a word is indexed under one
form and looked up under another: lunr's own tokenizer splits on white space and hyphens only, so the index held
"l’économie" and "<b>bold</b>" while the reader typed "économie" and "bold". Both sides now use this rule, written
twice: here in Python and as `searchWords` in theme/static/js/search.js (tests/browser checks they agree).

    NFC, lower case, then cut at every character of the Unicode categories in SEPARATOR_CATEGORIES
    (white space, punctuation other than the connector "_", math and currency symbols, controls) and at every
    format character except the zero-width joiner, which holds emoji sequences together.

Letters, marks, digits and other symbols (emoji) stay in words, so "Київ", "zürich", "ｎａｔｏ" and "🕊️" are words
and "AT&T" is the two words "at" and "t".
"""

from __future__ import annotations

import json
import os
import re
import sys
import unicodedata
from pathlib import Path

from lunr.stemmer import PorterStemmer
from lunr.token import Token

# Every punctuation category but Pc ("_"); search.js: /[\p{Z}\p{Pd}\p{Ps}\p{Pe}\p{Pi}\p{Pf}\p{Po}\p{Sm}\p{Sc}\p{Cc}]/u.
SEPARATOR_CATEGORIES = frozenset({"Zs", "Zl", "Zp", "Pd", "Ps", "Pe", "Pi", "Pf", "Po", "Sm", "Sc", "Cc"})
ZERO_WIDTH_JOINER = "\u200d"


def is_separator(char: str) -> bool:
    """True when the character ends a word."""
    category = unicodedata.category(char)
    return category in SEPARATOR_CATEGORIES or (category == "Cf" and char != ZERO_WIDTH_JOINER)


def separator_ranges() -> list[tuple[int, int]]:
    """(first, last) code points of every run of separators (is_separator), from every code point: 0.3 s."""
    ranges: list[tuple[int, int]] = []
    for code in range(sys.maxunicode + 1):
        if is_separator(chr(code)):
            if ranges and ranges[-1][1] == code - 1:
                ranges[-1] = (ranges[-1][0], code)
            else:
                ranges.append((code, code))
    return ranges


def _cached_separator_ranges(folder: Path | None) -> list[tuple[int, int]]:
    """separator_ranges(), kept in `folder` (the build's cache folder; None: not kept) for this Unicode version,
    since every build would otherwise spend 0.3 s finding them again."""
    cache = folder / f"search-separators-unicode-{unicodedata.unidata_version}.json" if folder else None
    if cache:
        try:
            return [(low, high) for low, high in json.loads(cache.read_text(encoding="ascii"))]
        except (OSError, ValueError, TypeError):
            pass
    ranges = separator_ranges()
    if cache:
        try:
            cache.parent.mkdir(parents=True, exist_ok=True)
            partial = cache.with_suffix(f".{os.getpid()}.part")
            partial.write_text(json.dumps(ranges), encoding="ascii")
            os.replace(partial, cache)
        except OSError:
            pass  # not kept: found again next time
    return ranges


_cache_folder: Path | None = None
_pattern: re.Pattern[str] | None = None


def use_cache_folder(folder: Path) -> None:
    """Where the separators found once are kept between builds (the search plugin passes Pelican's CACHE_PATH)."""
    global _cache_folder
    _cache_folder = folder


def separators() -> re.Pattern[str]:
    """A regular expression matching one or more separators, made on first use: cutting text with it is many
    times faster than testing each character in Python."""
    global _pattern
    if _pattern is None:
        members = "".join(re.escape(chr(low)) if low == high else f"{re.escape(chr(low))}-{re.escape(chr(high))}"
                          for low, high in _cached_separator_ranges(_cache_folder))
        _pattern = re.compile(f"[{members}]+")
    return _pattern


def search_words(text: str) -> list[str]:
    """The words of the text as the search index holds them (before stemming), in order."""
    return [word for word in separators().split(unicodedata.normalize("NFC", text).lower()) if word]


class _LunrJsPorterStemmer(PorterStemmer):  # type: ignore[misc]  # lunr.py is untyped
    """lunr.py's Porter stemmer with lunr.js's step 1c, the one place where the two disagree: lunr.py turns a
    final "y" into "i" after any vowel in the stem ("keys" -> "kei"), lunr.js only right after a consonant that
    is not the first letter ("keys" -> "key", "cry" -> "cri", "by" -> "by"). The browser stems the query with
    lunr.js, so the index must hold lunr.js's stems or "key", "way" and "stays" find nothing."""

    b: str   # the word being stemmed; b[k0..k] is the part still being worked on
    k: int
    k0: int

    def step1c(self) -> None:
        if self.k - self.k0 >= 2 and self.b[self.k] == "y" and self.b[self.k - 1] not in "aeiou":
            self.b = self.b[: self.k] + "i" + self.b[self.k + 1:]


_STEMMER = _LunrJsPorterStemmer()


def stem(word: str) -> str:
    """The word's stem as lunr.js's stemmer computes it."""
    stemmed: str = _STEMMER.stem(word)
    return stemmed


def lunr_js_stemmer(token: Token, i: int | None = None, tokens: list[Token] | None = None) -> Token:
    """lunr.py pipeline function: stems the token as lunr.js does (see _LunrJsPorterStemmer)."""
    updated: Token = token.update(lambda word, metadata: stem(word))
    return updated


# A label keeps lunr.py from warning; the function is only used while building, never serialized.
lunr_js_stemmer.label = "lunr_js_stemmer"  # type: ignore[attr-defined]
