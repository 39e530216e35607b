"""What a line of a text dump is, and what can be read off one line on its own.

`classify` turns each line of a text capture into a `Line`, reading everything once: its casefolded text,
its words, its title key, its word count (CJK characters counting half a word), and whether it opens with a
list marker, holds a caption or link mark, is a stock phrase or opens a block of links. `is_prose`,
`capitalised_share`, `digit_count` and the patterns here (BULLET, ORDERED, BYLINE, DATE_LIKE,
PASTED_HEADER_LINE, ...) read a single line too. The stock phrases and the two line models come from
boilerplate.toml (`load_rules`); their features' names live here because `load_rules` lays the weights out
in their order, while extract_text computes the features.

Two modules read a dump's lines: extract_text selects the article among them, and dump_headline picks its
headline. This vocabulary is its own module so that imports run one way, extract_text -> dump_headline ->
dump_lines: extract_text calls dump_headline's ranker, and dump_headline needs nothing of extract_text's.
Whatever looks at several lines together (the article, its dates and blocks, the headline) lives in those two.

This runs on every line of every capture, so it is written for speed: one casefold per line, words read
with bytes.translate where a line is ASCII but for its curly quotes and dashes, one Aho-Corasick scan for
every stock-phrase key, caption mark and link mark, regular expressions only where a substring test cannot
do, stock phrases tried only on lines holding their key word, and nothing from the HTML side (trafilatura,
lxml) imported.
"""

from __future__ import annotations

import math
import re
import tomllib
import unicodedata
from dataclasses import dataclass
from functools import cache
from operator import itemgetter, mul
from pathlib import Path
from typing import Any

import ahocorasick

from briefings.html_metadata import title_key

BULLET = re.compile(r"^(?:[•●▪◦□■‣∙·*]|-(?=\s))\s*")
ORDERED = re.compile(r"^(\d{1,2})[.)]\s+(?=\S)")
SENTENCE_END = re.compile(r"[.!?…。！？»”\"'’)]$")
CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")
WORD = re.compile(r"\w+")
# For `ascii_words`: each ASCII byte as WORD's words read it, a space where WORD does not take it and
# capitals as small letters (the casefold of ASCII).
ASCII_WORD_BYTES = bytes(ord(chr(code).lower()) if code < 128 and WORD.match(chr(code)) else ord(" ")
                         for code in range(256))
# For `capitalised_share`: each ASCII byte as " " where str.split() splits, "A" for a capital, "x" otherwise.
ASCII_CASE_BYTES = bytes(ord(" ") if chr(code).isspace() else ord("A") if chr(code).isupper() else ord("x")
                         for code in range(128)) + b"x" * 128
# Punctuation outside ASCII that pages print often (curly quotes, dashes, bullets, arrows): not word
# characters, their own casefold, and no CJK, so a line that holds nothing else outside ASCII reads like
# ASCII with spaces for them (`classify`).
COMMON_PUNCTUATION = "’“”‘—–…·•«»„›‹´□■▪●◦☆★→"
# A character outside ASCII and COMMON_PUNCTUATION: a line without one reads like ASCII for `capitalised_share`.
OTHER_THAN_COMMON_PUNCTUATION = re.compile(rf"[^\x00-\x7f{COMMON_PUNCTUATION}]")
MONTHS = ("jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec|january|february|march|april|june|july|august|"
          "september|october|november|december")
DATE_LIKE = re.compile(rf"\b(?:\d{{1,2}}[./-]\d{{1,2}}[./-]\d{{2,4}}|\d{{4}}-\d{{2}}-\d{{2}}|(?:{MONTHS})\.?\s+\d{{1,2}})\b"
                       rf"|\b\d{{1,2}}:\d{{2}}\b")
PASTED_HEADER_LINE = re.compile(r"^(?:title|date|modified|status|slug|save_as|url|template|category|tags|"
                                r"author|authors|lang|summary)\s*:", re.IGNORECASE)
BYLINE = re.compile(r"^(?:by|von|par|por|di|door|av|oleh|автор)\s", re.IGNORECASE)
SENTENCE_END_CHARS = frozenset(".!?…。！？»”\"'’)")
PROSE_WORDS = 12          # a line of at least this many words is prose when it reads like sentences
STOCK_MAX_CHARS = 400     # a line this long is a paragraph, whatever stock phrase it holds
# Marks of a URL, an address, a handle or a breadcrumb/menu separator (`Line.link`).
LINK_MARKS = ("://", "www.", ".com", ".org", ".net", "@", "»", "›", "→", " | ")


# Not frozen, like MarksFound: a frozen dataclass sets each field through object.__setattr__, which made
# building a Line cost 2.9 us instead of 0.6, on every line of every capture. No code changes a Line once
# `classify` has made it.
@dataclass(slots=True)
class Line:
    """One line of a text capture, classified (`classify`)."""

    text: str
    folded: str                   # the text casefolded once: phrase tests and word sets all read this
    tokens: tuple[str, ...]       # its words, casefolded
    key: str                      # the text as titles are compared (`title_key`)
    words: float                  # word count, CJK characters counting half a word
    bullet: bool                  # starts with a list marker
    caption: bool                 # holds a photo caption or credit mark
    link: bool                    # holds a URL, address, handle or menu separator (LINK_MARKS)
    stock: bool
    opener: bool
    gap_before: bool = False      # a blank line separates it from the line above


def classify(text: str, rules: BoilerplateRules, gap_before: bool = False) -> Line:
    """A line with the features the span search and the line models need, each computed once."""
    folded = text.casefold()
    # Most non-ASCII lines are so only for their curly quotes and dashes; without them, they are read as ASCII.
    plain = text if text.isascii() else _without_common_punctuation(text)
    if plain.isascii():
        tokens = tuple(ascii_words(plain))
        words: float = len(tokens)
    else:
        tokens = tuple(WORD.findall(folded))
        words = word_count(text)
    bullet = BULLET.match(folded)
    phrase_start = bullet.end() if bullet else 0
    marks = rules.find_marks(folded, phrase_start)
    # Most lines need no NFKC normalising, and then their title key is their casefolded words run together,
    # without the underscores \w takes.
    key = "".join(tokens).replace("_", "") if unicodedata.is_normalized("NFKC", text) else title_key(text)
    return Line(text=text, folded=folded, tokens=tokens, key=key, words=words, bullet=bullet is not None,
                caption=marks.caption, link=marks.link,
                stock=rules.is_stock_with_keys(folded[phrase_start:], marks.phrase_keys),
                opener=len(text) < 80 and rules.block_openers.match(folded) is not None, gap_before=gap_before)


def ascii_words(text: str) -> list[str]:
    """WORD.findall(text.casefold()) for an ASCII text, in half the time: non-word bytes become spaces
    and capitals small letters in one bytes.translate, then a split."""
    return text.encode().translate(ASCII_WORD_BYTES).decode().split()


def _without_common_punctuation(text: str) -> str:
    """The text with a space for each COMMON_PUNCTUATION character."""
    for mark in COMMON_PUNCTUATION:
        if mark in text:
            text = text.replace(mark, " ")
    return text


def word_count(text: str) -> float:
    """Words in the line; CJK characters count as half a word each, since those scripts use no spaces."""
    cjk = len(CJK.findall(text))
    if not cjk:
        return len(WORD.findall(text))
    return len(WORD.findall(CJK.sub(" ", text))) + cjk / 2


def is_prose(line: Line) -> bool:
    """True for a line that reads like running text (long, or ending like a sentence)."""
    if line.stock or line.words < 6:
        return False
    return line.words >= PROSE_WORDS or (line.words >= 8 and bool(SENTENCE_END.search(line.text)))


def capitalised_share(text: str) -> float:
    """The share of the text's words (as str.split() cuts them) that start with a capital letter."""
    if not text.isascii() and OTHER_THAN_COMMON_PUNCTUATION.search(text):
        words = text.split()
        return sum(map(str.isupper, map(itemgetter(0), words))) / len(words)
    # Each character as a space, "A" or "x" (ASCII_CASE_BYTES): a word starts at each " A" or " x", so two
    # counts give what splitting the line into forty strings would. The bytes of a curly quote or a dash
    # are all "x": inside a word, or a word's first character that is no capital, as the quote or dash is.
    classes = b" " + text.encode().translate(ASCII_CASE_BYTES)
    capitalised = classes.count(b" A")
    return capitalised / (capitalised + classes.count(b" x"))


def digit_count(text: str) -> int:
    """How many of the characters 0-9 the text holds: bytes.translate drops them from its UTF-8 in one pass,
    where str.count takes one per digit (no other character's UTF-8 holds the bytes of 0-9, a lone
    surrogate's included)."""
    encoded = text.encode("utf-8", "surrogatepass")
    return len(encoded) - len(encoded.translate(None, b"0123456789"))


RULES_FILE = Path(__file__).with_name("boilerplate.toml")


# The line model's features, in the order line_features() lays them out (boilerplate.toml names them).
LINE_FEATURES = (
    "log_words", "log_chars", "prose", "sentence_end", "colon_end", "bullet", "ordered", "stock", "opener",
    "link_like", "trace", "comment_mark", "date_like", "digit_ratio", "upper_ratio", "punct_ratio", "repeated",
    "title_overlap", "position", "in_span", "before_span", "after_span", "prose_near_2", "prose_near_5",
    "short_run", "prose_before", "prose_after", "gap_before", "gap_after", "previous_words", "next_words",
    "bullet_run", "before_title", "after_title", "bullet_long", "repeated_long", "count_suffix",
    "openers_before", "openers_after", "words_near_5", "position_squared", "prose_in_span", "long_prose",
    "ellipsis_end", "caption", "caption_near",
)
CONTEXT_FEATURES = ("p", "logit", "previous", "next", "near_2", "near_5", "near_12", "max_before_3",
                    "max_after_3", "both_sides", "in_likely_run", "from_likely_run")


@dataclass(frozen=True, slots=True)
class LineModel:
    """A logistic model over a fixed tuple of line features (weights from scripts/bench/extraction.py
    --train-line-model); `weights` follows the order of the feature names the model was built for."""

    bias: float
    weights: tuple[float, ...]
    threshold: float

    @classmethod
    def from_weights(cls, bias: float, weights: dict[str, float], names: tuple[str, ...],
                     threshold: float) -> LineModel:
        """The model with named weights laid out in `names` order; a feature the weights omit counts 0."""
        return cls(bias=bias, weights=tuple(weights.get(name, 0.0) for name in names), threshold=threshold)

    def probability(self, features: tuple[float, ...]) -> float:
        """P(article line) for one line's feature values."""
        score = self.bias + sum(map(mul, self.weights, features))
        return 1.0 / (1.0 + math.exp(-max(min(score, 40.0), -40.0)))


@dataclass(frozen=True, slots=True)
class Mark:
    """A substring that one scan of a casefolded line looks for, and what finding it tells."""

    text: str
    phrase_key: bool              # a key of drop_phrases: its patterns are tried on the line
    caption: bool                 # one of caption_marks
    link: bool                    # one of LINK_MARKS


@dataclass(slots=True)
class MarksFound:
    """What one scan of a casefolded line found (`BoilerplateRules.find_marks`)."""

    phrase_keys: tuple[str, ...]  # the drop_phrases keys in the line, each once or more
    caption: bool                 # the line holds a caption mark
    link: bool                    # the line holds one of LINK_MARKS


@dataclass(frozen=True, slots=True)
class BoilerplateRules:
    """The stock phrases and line models of boilerplate.toml, compiled."""

    drop_lines: re.Pattern[str]       # all whole-line patterns as one alternation, anchored at the start
    drop_phrases: tuple[tuple[str, re.Pattern[str]], ...]   # (key word, patterns tried when the line has it)
    caption_marks: tuple[str, ...]    # plain substrings marking photo captions and credits
    block_openers: re.Pattern[str]
    # An Aho-Corasick automaton (pyahocorasick) of every phrase key, caption mark and link mark -> its Mark:
    # one pass over a line finds them all, where a `in` test per mark would read the line forty times.
    mark_scan: Any
    line_model: LineModel | None = None
    context_model: LineModel | None = None

    def is_stock_line(self, text: str) -> bool:
        """True when the line is a stock phrase (cookie banner, share prompt, newsletter, copyright)."""
        return self.is_stock_folded(BULLET.sub("", text).casefold())

    def is_stock_folded(self, folded: str) -> bool:
        """is_stock_line for a line already casefolded and stripped of its bullet (one line, one fold)."""
        # A long block is no stock line whatever it holds: it is not scanned for marks.
        return len(folded) < STOCK_MAX_CHARS \
            and self.is_stock_with_keys(folded, self.find_marks(folded).phrase_keys)

    def is_stock_with_keys(self, folded: str, phrase_keys: tuple[str, ...]) -> bool:
        """is_stock_folded for a line whose phrase keys `find_marks` has already found."""
        if len(folded) >= STOCK_MAX_CHARS:
            return False
        if self.drop_lines.match(folded):
            return True
        if not phrase_keys:
            return False
        return any(key in phrase_keys and pattern.search(folded) for key, pattern in self.drop_phrases)

    def find_marks(self, folded: str, start: int = 0) -> MarksFound:
        """The marks in a casefolded line; phrase keys only where they begin at `start` or later (a line's
        bullet is no part of its phrase)."""
        phrase_keys: list[str] = []
        caption = link = False
        for end, mark in self.mark_scan.iter(folded):
            if mark.phrase_key and end + 1 - len(mark.text) >= start:
                phrase_keys.append(mark.text)
            caption = caption or mark.caption
            link = link or mark.link
        return MarksFound(phrase_keys=tuple(phrase_keys), caption=caption, link=link)

    def opens_link_block(self, text: str) -> bool:
        """True when the line heads a block of links ("Related posts", "Comments")."""
        return len(text) < 80 and bool(self.block_openers.match(text.casefold()))


@cache
def load_rules(path: Path = RULES_FILE) -> BoilerplateRules:
    """The compiled rules of boilerplate.toml; raises OSError / tomllib.TOMLDecodeError on a broken file."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))["text"]
    phrase_keys = tuple(key.casefold() for key in data.get("drop_phrases", {}))
    caption_marks = tuple(mark.casefold() for mark in data.get("caption_marks", []))
    return BoilerplateRules(
        drop_lines=_alternation(data["drop_lines"]),
        drop_phrases=tuple((key.casefold(), _alternation(patterns))
                           for key, patterns in data.get("drop_phrases", {}).items()),
        caption_marks=caption_marks,
        block_openers=_alternation(data["block_openers"]),
        mark_scan=_mark_scan(phrase_keys, caption_marks),
        line_model=_line_model(data.get("line_model"), LINE_FEATURES),
        context_model=_line_model(data.get("context_model"), CONTEXT_FEATURES),
    )


def _mark_scan(phrase_keys: tuple[str, ...], caption_marks: tuple[str, ...]) -> Any:
    """The automaton of BoilerplateRules.mark_scan (never empty: LINK_MARKS are always in it)."""
    scan = ahocorasick.Automaton()
    for text in sorted({*phrase_keys, *caption_marks, *LINK_MARKS}):
        scan.add_word(text, Mark(text=text, phrase_key=text in phrase_keys, caption=text in caption_marks,
                                 link=text in LINK_MARKS))
    scan.make_automaton()
    return scan


def _alternation(patterns: list[str]) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{pattern})" for pattern in patterns), re.IGNORECASE)


def _line_model(table: dict[str, object] | None, names: tuple[str, ...]) -> LineModel | None:
    if not table:
        return None
    weights = table["weights"]
    assert isinstance(weights, dict)
    return LineModel.from_weights(bias=float(str(table["bias"])), names=names,
                                  threshold=float(str(table.get("threshold", 0.5))),
                                  weights={str(name): float(value) for name, value in weights.items()})
