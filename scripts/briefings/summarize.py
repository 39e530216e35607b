"""CleanedDocument -> Digest: a summary (at most 60 words) and 3-5 key points, in the article's own sentences.

Both are whole sentences taken from the body's paragraph, quote and list blocks, never from headings, and
never from lines that look like page furniture (share prompts, photo credits, "read more" links) even when
the cleaner let one through. Nothing is ever cut mid-sentence: a sentence fits whole or is left out.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain
from operator import truediv

from briefings.documents import CleanedDocument, Digest
from briefings.taxonomy import Exclusion, build_rule_index, fold_case, match_keys

SUMMARY_MAX_WORDS = 60
KEY_POINTS_MIN = 3
KEY_POINTS_MAX = 5
KEY_POINT_MAX_WORDS = 45
SENTENCE_MIN_WORDS = 6
QUOTED_PENALTY = 0.3   # taken off a key point's value when it opens with a quotation mark
QUOTE_LOOKAHEAD = 300   # characters within which an open quotation must close to hold sentences together

# Words that end with a full stop without ending the sentence.
_ABBREVIATIONS = frozenset("""
    mr mrs ms dr st gen lt col sen rep gov prof sgt capt maj adm rev jr sr inc co corp ltd no nos vs etc
    jan feb mar apr jun jul aug sep sept oct nov dec approx est dept univ fig al e.g i.e u.s u.k u.n e.u
    a.m p.m mt ft pres
""".split())
_BOUNDARY = re.compile(r"""[.!?]+["'”’)\]]*\s+(?=["'“‘(\[]?[A-Z0-9])""")
_WORD = re.compile(r"[^\W\d_][\w'’-]*")
_LONG_WORD = re.compile(r"[^\W\d_][\w'’-]{2,}")
_QUOTES = frozenset({'"', "“", "‘", "'"})

# Page furniture that sometimes survives cleaning; a sentence matching any of these is never quoted.
_FURNITURE_PIECES = (
    r"""\b(cookies?|newsletter|subscribe|sign\ up|log\ in|click\ here|read\ more|related\ (posts|stories|articles)
    |share\ (this|on)|follow\ us|all\ rights\ reserved|copyright|image\ (caption|source|copyright)
    |getty\ images|photo\ by|file\ photo|published\ daily|terms\ of\ (use|service)|privacy\ policy|advertisement
    |watch\ (the\ )?video|listen\ to\ this|download\ the\ app|skip\ to|learn\ more|website\ addresses
    |exclusive\ news|trust\ principles|opens\ new\ tab|(reporting|editing|writing)\ by|\d+\ (mins?|hours?)\ ago
    |item\ \d+\ of\ \d+|javascript|your\ browser|accept\ (all|cookies)|correspondent\ .{0,60}\ reports)\b""",
    r",\ (left|right|centre|center|pictured),",
    r"©",
    r"\b(photograph|photo|file|image|credit):",
    r"\(photo",
    r"\b(reuters|afp|ap|epa)\s*/",
    r"/\s*(reuters|afp|ap|epa)\b",
    r"\[\d/\d\]",
    r"\((l|r|c|left|right|centre|center)\)",
    r"^\s*(read|see|watch)\ (more|also)\b",
)


def _furniture_rule(piece: str) -> Exclusion:
    pattern = re.compile(piece, re.IGNORECASE | re.VERBOSE)
    keys = match_keys(pattern)
    return Exclusion(label=piece, pattern=pattern, reason="", needles=keys.needles, leading=keys.leading)


# Searching the pieces as one alternation would try every piece at every place of the sentence. Indexed like a
# taxonomy's rules, each piece is tried only where its words stand, or searched only when they occur in it.
_FURNITURE_RULES = build_rule_index([_furniture_rule(piece) for piece in _FURNITURE_PIECES])

# Words glued together ("professionalsLearn", "contentSkip") are scraped navigation, not prose: three
# lower-case letters, then an upper-case one and a lower-case one. Written to start with the capital (the
# rest looks back from it), so the search skips straight to capitals instead of trying every place.
_GLUED = re.compile(r"[A-Z](?<=[a-z]{3}[A-Z])[a-z]")
_STOPWORDS = frozenset("""
    a an the and or but if of to in on at by for with from as is are was were be been being has have had do does
    did not no it its this that these those he she they we you i his her their our your him them us who whom which
    what when where why how than then there here also would could should will can may might must said says say
    about after before over under into out up down more most some any all each other such only own same so very
    just new one two three over while during since against between
""".split())


def digest(doc: CleanedDocument) -> Digest:
    """The document's summary and key points; empty only when the body holds no quotable sentence."""
    counted = _counted_quotable_sentences(doc)
    sentences = [sentence for sentence, _ in counted]
    # The summary and the key points weigh sentences by length: each is counted once, when it is chosen.
    counts = dict(counted)
    summary_sentences = _summary(sentences, counts)
    points = _key_points(sentences, counts, exclude=set(summary_sentences))
    return Digest(summary=" ".join(summary_sentences), key_points=tuple(points))


def quotable_sentences(doc: CleanedDocument) -> list[str]:
    """Body sentences in reading order that read as prose: complete, long enough, not page furniture."""
    return [sentence for sentence, _ in _counted_quotable_sentences(doc)]


def _counted_quotable_sentences(doc: CleanedDocument) -> list[tuple[str, int]]:
    """quotable_sentences, each with its word_count."""
    title = doc.title.strip().lower()
    counted = []
    for block in doc.blocks:
        if block.kind not in {"paragraph", "quote", "bullet", "ordered"}:
            continue
        for sentence in _split(block.text).sentences:
            words = word_count(sentence)
            if _is_quotable(sentence, words, title):
                counted.append((sentence, words))
    return counted


def split_sentences(text: str) -> list[str]:
    """The sentences of one paragraph, white space normalised; abbreviations, initials and quotations
    ("Your president stands accused. But not you," he said.) do not split. For quoting whole sentences."""
    return list(_split(text).sentences)


def sentence_units(text: str) -> list[str]:
    """Like split_sentences, but a quotation of three sentences is three units: for counting evidence."""
    return list(_split(text).units)


@dataclass(frozen=True, slots=True)
class _Split:
    units: tuple[str, ...]       # sentence_units
    sentences: tuple[str, ...]   # split_sentences


# The tagger splits every block into units and the digest the same blocks into sentences, one after the
# other: one pass finds both, and the cache hands the digest what the tagger's pass found.
@lru_cache(maxsize=256)
def _split(text: str) -> _Split:
    text = " ".join(text.split())   # from here on, the only white space is one space between words
    units: list[str] = []
    sentences: list[str] = []
    unit_start = sentence_start = 0
    # Most paragraphs hold no quotation mark: no quotation holds their units together, so their sentences are
    # their units, and looking for open quotations at each boundary would find none.
    may_quote = '"' in text or "“" in text
    for match in _BOUNDARY.finditer(text):
        stop = match.start()   # the first of the full stops
        # The word ending with the stop: it starts after the space before it (or at the start of the text).
        last_word = text[text.rfind(" ", 0, stop) + 1:stop + 1].rstrip(".").lower()
        if last_word in _ABBREVIATIONS or (len(last_word) == 1 and last_word.isalpha()):
            continue
        end = match.end()
        units.append(text[unit_start:end].strip())
        unit_start = end
        if not may_quote or _inside_quotation(text, sentence_start, end):
            continue
        sentences.append(text[sentence_start:end].strip())
        sentence_start = end
    whole_units = _with_tail(units, text[unit_start:])
    if not may_quote:
        return _Split(units=whole_units, sentences=whole_units)
    return _Split(units=whole_units, sentences=_with_tail(sentences, text[sentence_start:]))


def _with_tail(pieces: list[str], rest: str) -> tuple[str, ...]:
    tail = rest.strip()
    return (*pieces, tail) if tail else tuple(pieces)


def _inside_quotation(text: str, start: int, end: int) -> bool:
    """Whether a quotation opened in text[start:end] is still open and closes within QUOTE_LOOKAHEAD
    characters after `end` (scraped text sometimes drops a closing quote; then the quotation is not trusted
    to hold the rest of the paragraph)."""
    ahead = end + QUOTE_LOOKAHEAD
    if text.count("“", start, end) > text.count("”", start, end):
        return text.find("”", end, ahead) >= 0
    if text.count('"', start, end) % 2 == 1:
        return text.find('"', end, ahead) >= 0
    return False


def word_count(text: str) -> int:
    """Words as a reader counts them."""
    return len(text.split())


def _is_quotable(sentence: str, words: int, title: str) -> bool:
    """Whether the sentence (of `words` words) reads as prose; `title` is the title stripped, in lower case."""
    if words < SENTENCE_MIN_WORDS:
        return False
    # A sentence must end like one; a line without final punctuation is a heading or a link.
    if not ends_like_sentence(sentence, ".!?"):   # sentences are stripped: no white space to end with
        return False
    if _is_furniture(sentence) or _GLUED.search(sentence):
        return False
    return sentence.strip().lower() != title


def ends_like_sentence(text: str, stops: str) -> bool:
    """Whether the text ends with one of `stops`, then only closing quotes or brackets and white space: what a
    search for that stop, `["'”’)\\]]*\\s*$` decides, read from the end instead of tried at every place."""
    return text.rstrip().rstrip(_CLOSERS)[-1:] in tuple(stops)


_CLOSERS = "\"'”’)]"


def _is_furniture(sentence: str) -> bool:
    """Whether one of the _FURNITURE_PIECES (each ignoring case) occurs in the sentence."""
    return bool(_FURNITURE_RULES.fired(sentence, fold_case(sentence)))


def _summary(sentences: list[str], counts: dict[str, int]) -> list[str]:
    """The opening sentences that fit in the word limit; else the first one that fits alone (`counts`: the
    word_count of each sentence)."""
    chosen: list[str] = []
    words = 0
    for sentence in sentences[:4]:
        count = counts[sentence]
        if words + count > SUMMARY_MAX_WORDS:
            break
        chosen.append(sentence)
        words += count
    if chosen:
        return chosen
    # Wire copy sometimes opens with a 70-word sentence; the summary then starts at the next one that fits.
    for sentence in sentences:
        if counts[sentence] <= SUMMARY_MAX_WORDS:
            return [sentence]
    return []


def _key_points(sentences: list[str], counts: dict[str, int], exclude: set[str]) -> list[str]:
    """Central, mutually different sentences not already in the summary, 3-5 of them, in reading order
    (`counts`: the word_count of each sentence)."""
    candidates = [s for s in sentences if s not in exclude and counts[s] <= KEY_POINT_MAX_WORDS]
    if len(candidates) < KEY_POINTS_MIN:
        # A short article: repeating a summary sentence beats having fewer than three points.
        candidates = [s for s in sentences if counts[s] <= KEY_POINT_MAX_WORDS]
    words = {sentence: _content_words(sentence) for sentence in sentences}  # read each sentence once
    weights = _term_weights(sentences, words)
    wanted = KEY_POINTS_MAX if len(sentences) >= 12 else KEY_POINTS_MIN + (len(sentences) >= 8)
    centrality = [_centrality(words[sentence], weights, index) for index, sentence in enumerate(candidates)]
    top = max(centrality, default=0.0) or 1.0
    relative = [value / top for value in centrality]
    # A quotation is colour; a reported fact makes a better key point.
    quoted = [QUOTED_PENALTY if candidate[:1] in _QUOTES else 0.0 for candidate in candidates]
    said = [words[candidate] for candidate in candidates]
    # overlap[i]: the largest share of candidate i's words that one sentence already picked (or in the
    # summary) holds; updated with each pick rather than recomputed against every pick.
    overlap = [0.0] * len(candidates)
    sizes = [max(1, len(words)) for words in said]
    for seen in (words[s] for s in exclude):
        _add_overlap(overlap, said, sizes, seen)
    chosen: list[int] = []
    unchosen = list(range(len(candidates)))
    picks = min(wanted, len(candidates))
    while len(chosen) < picks:
        value = _point_values(relative, overlap, quoted)
        # max keeps the first of equal values, and `unchosen` stays in reading order: the earliest sentence
        # wins a tie.
        best = max(unchosen, key=value.__getitem__)
        unchosen.remove(best)
        chosen.append(best)
        if len(chosen) < picks:   # no pick follows the last one: nothing to compare with it
            _add_overlap(overlap, said, sizes, said[best])
    return _unique(candidates[i] for i in sorted(chosen))


def _add_overlap(overlap: list[float], said: list[frozenset[str]], sizes: list[int], seen: frozenset[str]) -> None:
    """Raise each overlap[i] to the share of said[i] (a candidate's content words; sizes[i] is how many, at
    least 1) that `seen` holds."""
    # Whole-list calls instead of a loop: this runs for every candidate after every pick.
    shared = map(len, map(seen.intersection, said))
    overlap[:] = map(max, overlap, map(truediv, shared, sizes))


def _point_values(centrality: list[float], overlap: list[float], quoted: list[float]) -> list[float]:
    """Each candidate's centrality (0-1), less what earlier picks already said (`overlap`, 0-1) and its
    quotation penalty: five points should tell five things."""
    return [value * (1.0 - share) - penalty for value, share, penalty in zip(centrality, overlap, quoted)]


def _term_weights(sentences: list[str], words: dict[str, frozenset[str]]) -> Counter[str]:
    """How many sentences use each content word: words the article keeps returning to mark its news."""
    return Counter(chain.from_iterable(map(words.__getitem__, sentences)))


def _centrality(words: frozenset[str], weights: Counter[str], position: int) -> float:
    """How central a sentence with these content words is."""
    if not words:
        return 0.0
    # Sharing many recurring words means the sentence carries the story; earlier sentences get a small lift
    # because news is written top-down.
    shared = sum(map(weights.__getitem__, words)) - len(words)   # how many other sentences use each word
    return shared / math.sqrt(len(words)) + 2.0 / (1 + position)


def _content_words(sentence: str) -> frozenset[str]:
    """The sentence's words, lower case, of three letters or more, stop words left out."""
    if "İ" in sentence:   # the one letter whose lower case is longer: a two-letter word can grow to three
        return frozenset([w for w in map(str.lower, _WORD.findall(sentence)) if len(w) > 2]).difference(_STOPWORDS)
    # _LONG_WORD finds exactly the words _WORD finds that have three letters or more.
    return frozenset(map(str.lower, _LONG_WORD.findall(sentence))).difference(_STOPWORDS)


def _unique(items: Iterable[str]) -> list[str]:
    seen: set[str] = set()
    result = []
    for item in items:
        if item not in seen:
            seen.add(item)
            result.append(item)
    return result
