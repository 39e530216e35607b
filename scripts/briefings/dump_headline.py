"""The headline of a page dump: a ranker over the title-like lines around the start of the article.

A page dump prints the headline somewhere above the article's first line, among menus, section labels,
kickers, taglines, breadcrumbs, bylines, share prompts and, on some pages, a list of other stories; now and
then the line classifier takes the headline itself (or a quote above it) for the article's first line. So
every line from HEADLINE_REACH lines above the article's first selected line to INTO_ARTICLE lines into it is
a candidate, each gets site-independent features (`headline_features`: words shared with the article, length,
distance, a byline or date just below, printed again elsewhere in the page, capitals, digits, punctuation),
and a linear score with weights from headline.toml picks one: the weights are a conditional logit trained
on the dev dumps only, one softmax over each page's candidates (scripts/bench/headline.py --train).
When the two best lines stand one under the other and the lower one reads as a standfirst (longer, with the
byline or dateline under it), the upper one is the headline: the ranker alone often prefers the standfirst.

Written for speed like extract_text: the features read the casefolded text and tokens `dump_lines.classify`
made once, and the only per-candidate scan of the whole page is one `str.count` over the page's folded text.
"""

from __future__ import annotations

import math
import re
import tomllib
from collections import Counter
from dataclasses import dataclass
from functools import cache
from itertools import chain
from operator import mul
from pathlib import Path

from briefings.dump_lines import (BYLINE, DATE_LIKE, ORDERED, PASTED_HEADER_LINE, SENTENCE_END_CHARS, Line,
                                  capitalised_share, digit_count, is_prose)
from briefings.html_metadata import strip_site_suffix

MODEL_FILE = Path(__file__).with_name("headline.toml")
HEADLINE_REACH = 45       # lines above the article's first line that may hold its headline (lists of other
                          # stories can stand between them)
INTO_ARTICLE = 4          # lines from the article's first line on that may still be the headline
LEAD_LINES = 3            # the article's opening lines, whose words a headline shares most
MIN_WORDS = 2
MAX_WORDS = 30
MAX_CHARS = 300
DIGIT = re.compile(r"\d")
QUOTES = "\"“”‘’'«»„"
SEPARATORS = (" | ", " - ", " – ", " — ")   # between a headline and a site or section name

# The features `headline_features` lays out, in this order (headline.toml names them).
HEADLINE_FEATURES = (
    "overlap", "lead_overlap", "log_words", "short", "long", "log_above", "adjacent_above", "inside",
    "log_inside", "byline_below", "dated_below", "standfirst_below", "dated_above", "label_above",
    "repeated", "quoted_elsewhere", "all_caps", "capitalised", "digit_ratio", "period_end", "mark_end",
    "colon_end", "link_like", "date_like", "doubled", "prose", "caption", "position", "quote_start",
    "twin_near", "pipe_or_dash", "numbered", "dated_further_below", "name_like", "unbalanced",
    "under_shorter_title", "overlap_gap", "log_rank",
)


@dataclass(frozen=True, slots=True)
class HeadlineModel:
    """Linear weights over HEADLINE_FEATURES; the best-scoring candidate is the headline."""

    weights: tuple[float, ...]

    def score(self, features: tuple[float, ...]) -> float:
        """The candidate's score: only its rank among the page's candidates means anything."""
        return float(sum(map(mul, self.weights, features)))


@cache
def load_model(path: Path = MODEL_FILE) -> HeadlineModel:
    """The weights of headline.toml; raises OSError / tomllib.TOMLDecodeError / KeyError on a broken file."""
    weights = tomllib.loads(path.read_text(encoding="utf-8"))["headline"]["weights"]
    return HeadlineModel(tuple(float(weights.get(name, 0.0)) for name in HEADLINE_FEATURES))


def pick_headline(lines: list[Line], selected: list[Line]) -> str:
    """The headline of a page dump whose article lines are `selected` (a sublist of `lines`, in order);
    "" when nothing was selected or no line near the article's start could be a headline."""
    return best_headline(lines, selected, load_model())


def best_headline(lines: list[Line], selected: list[Line], model: HeadlineModel) -> str:
    """pick_headline with the given weights (the trainer tries its own)."""
    candidates = headline_candidates(lines, selected)
    if not candidates:
        return ""
    rows = headline_features(lines, selected, candidates)
    ranked = sorted(range(len(candidates)), key=lambda k: model.score(rows[k]), reverse=True)
    best = ranked[0]
    # The two best lines one under the other, the lower one a standfirst: the upper one is its headline.
    if len(ranked) > 1 and candidates[ranked[1]] == candidates[best] - 1 and _is_standfirst(lines, candidates[best]):
        best = ranked[1]
    # "3. Headline": a numbered breadcrumb.
    return strip_site_suffix(ORDERED.sub("", lines[candidates[best]].text))


def _is_standfirst(lines: list[Line], index: int) -> bool:
    """Whether the line is the standfirst printed under the headline just above it: a few words longer than
    that headline, which does not end like a sentence, with the byline or dateline right under it."""
    line, above = lines[index], lines[index - 1]
    below = lines[index + 1:index + 3]
    return _title_over(above, line) and any(BYLINE.match(other.folded) or _is_dated(other) for other in below)


def _is_dated(line: Line) -> bool:
    """Whether the line holds a date or a time (`DATE_LIKE`)."""
    # Every form holds a digit and most lines none: looking for one first spares trying each month name.
    return DIGIT.search(line.folded) is not None and DATE_LIKE.search(line.folded) is not None


def _title_over(above: Line, line: Line) -> bool:
    """Whether `above` reads like a headline over `line`: a few words shorter, not ending like a sentence."""
    return 3 <= above.words <= line.words - 4 and above.text[-1] not in SENTENCE_END_CHARS


def headline_candidates(lines: list[Line], selected: list[Line]) -> list[int]:
    """Indices of the lines that could be the headline: a few words, no list marker, stock phrase or trace,
    from HEADLINE_REACH lines above the article's first line to INTO_ARTICLE lines into it."""
    if not selected:
        return []
    opening = _indices_of(lines, selected[:INTO_ARTICLE + 1])
    first = opening[0]
    # A line of the article can be its headline only with some of the article's text below it: a capture of
    # one paragraph is that paragraph, not a headline.
    last_prose = max((index for index in opening if is_prose(lines[index])), default=-1)
    return [index for index in range(max(first - HEADLINE_REACH, 0), min(first + INTO_ARTICLE, len(lines)))
            if _could_be_headline(lines[index]) and (index < first or index < last_prose)]


def _could_be_headline(line: Line) -> bool:
    text = line.text
    return MIN_WORDS <= line.words <= MAX_WORDS and len(text) <= MAX_CHARS \
        and not (line.stock or line.opener or line.bullet) and text[0] != "[" and text[-1] != "]" \
        and not PASTED_HEADER_LINE.match(text)


def _index_of(lines: list[Line], wanted: Line) -> int:
    return next(index for index, line in enumerate(lines) if line is wanted)


def _indices_of(lines: list[Line], wanted: list[Line]) -> list[int]:
    """The indices of `wanted` (a sublist of `lines`, in order), found in one walk of the page."""
    ids = {id(line) for line in wanted}
    return [index for index, line in enumerate(lines) if id(line) in ids]


@dataclass(frozen=True, slots=True)
class _Page:
    """What every candidate's features read, computed once per page."""

    lines: list[Line]
    first: int                    # index of the article's first selected line
    folded: str                   # every line casefolded, one per row: str.count finds a line quoted elsewhere
    counts: Counter[str]          # how often each casefolded line is printed
    dated: dict[int, bool]        # by index, near the candidates: the line holds a date or time
    byline: dict[int, bool]       # ... the line opens with "By"


def headline_features(lines: list[Line], selected: list[Line], candidates: list[int]) -> list[tuple[float, ...]]:
    """Each candidate's features in HEADLINE_FEATURES order."""
    first = _index_of(lines, selected[0])
    near = range(max(candidates[0] - 3, 0), min(candidates[-1] + 7, len(lines)))
    folded = [line.folded for line in lines]
    page = _Page(lines=lines, first=first, folded="\n".join(folded), counts=Counter(folded),
                 dated={index: _is_dated(lines[index]) for index in near},
                 byline={index: BYLINE.match(lines[index].folded) is not None for index in near})
    opening = selected[:INTO_ARTICLE]
    # Only the candidates' words are ever looked up among the article's, so only they are gathered: a set
    # of all the article's words would cost more than every look-up together.
    wanted = frozenset().union(*(lines[index].tokens for index in candidates))
    rest = wanted.intersection(chain.from_iterable(line.tokens for line in selected[INTO_ARTICLE:]))
    body, lead = _article_words(rest, opening, None, wanted)
    rows = []
    for index in candidates:
        line = lines[index]
        if any(line is other for other in opening):
            # The article's words without the candidate's own: the headline is often selected as its first line.
            rows.append(_features(page, index, *_article_words(rest, opening, line, wanted)))
        else:
            rows.append(_features(page, index, body, lead))
    # Compared with the other candidates (`overlap_gap`, `log_rank`): the headline shares the most words with
    # the article, and is one of the candidates nearest its start (rank 1 is the nearest above the article's
    # first line, and that line itself).
    best_overlap = max(row[0] for row in rows)     # row[0] is `overlap`
    above = sum(index < first for index in candidates)
    return [row + (row[0] - best_overlap, math.log1p(abs(above - rank - (rank >= above))))
            for rank, row in enumerate(rows)]


def _article_words(rest: frozenset[str], opening: list[Line], left_out: Line | None,
                   wanted: frozenset[str]) -> tuple[frozenset[str], frozenset[str]]:
    """(the article's words, its opening lines' words) among the `wanted` ones, without those of the line
    left out; `rest` holds the wanted words of the article below its opening."""
    others = [line for line in opening if line is not left_out]
    lead = wanted.intersection(chain.from_iterable(line.tokens for line in others[:LEAD_LINES]))
    return rest.union(wanted.intersection(chain.from_iterable(line.tokens for line in others))), lead


def _features(page: _Page, index: int, body: frozenset[str], lead: frozenset[str]) -> tuple[float, ...]:
    """One candidate's features from `overlap` to `under_shorter_title`, in HEADLINE_FEATURES order: its words, its
    distance to the article, the lines around it, and the page's other copies of it."""
    lines, first, dated, byline = page.lines, page.first, page.dated, page.byline
    line = lines[index]
    text, folded, tokens = line.text, line.folded, line.tokens
    size = max(len(tokens), 1)
    next_line = lines[index + 1] if index + 1 < len(lines) else None
    previous = lines[index - 1] if index else None
    exact = page.counts[folded]
    half = len(text) // 2
    near = lines[max(index - 2, 0):index] + lines[index + 1:index + 3]
    return (
        sum(map(body.__contains__, tokens)) / size,
        sum(map(lead.__contains__, tokens)) / size,
        math.log1p(line.words),
        1.0 if line.words < 4 else 0.0,
        1.0 if line.words > 16 else 0.0,
        math.log1p(first - index) if index < first else 0.0,
        1.0 if index == first - 1 else 0.0,
        1.0 if index >= first else 0.0,
        math.log1p(index - first) if index >= first else 0.0,
        1.0 if byline.get(index + 1, False) else 0.0,
        1.0 if any(dated.get(other, False) or byline.get(other, False) for other in range(index + 1, index + 4))
        else 0.0,
        1.0 if next_line is not None and next_line.words >= line.words + 4 and is_prose(next_line)
        else 0.0,
        1.0 if any(dated.get(other, False) for other in range(index - 3, index)) else 0.0,
        1.0 if previous is not None and previous.words <= 2 and not previous.bullet else 0.0,
        1.0 if exact > 1 else 0.0,
        1.0 if page.folded.count(folded) > exact else 0.0,
        1.0 if text.isupper() else 0.0,
        capitalised_share(text),
        digit_count(text) / len(text),
        1.0 if text[-1] == "." and not text.endswith("..") else 0.0,
        1.0 if text[-1] in "!?…" else 0.0,
        1.0 if text[-1] == ":" else 0.0,
        1.0 if line.link else 0.0,
        1.0 if dated[index] else 0.0,
        1.0 if half and text[:half] == text[half:] else 0.0,
        1.0 if is_prose(line) and text[-1] in SENTENCE_END_CHARS else 0.0,
        1.0 if line.caption else 0.0,
        index / len(lines),
        1.0 if text[0] in QUOTES else 0.0,
        1.0 if any(other.folded == folded for other in near) else 0.0,
        1.0 if any(map(text.__contains__, SEPARATORS)) else 0.0,
        1.0 if ORDERED.match(text) else 0.0,
        1.0 if any(dated.get(other, False) or byline.get(other, False) for other in range(index + 4, index + 7))
        else 0.0,
        1.0 if line.words <= 4 and all(word[0].isupper() for word in text.split())
        and not any(map(str.isdigit, text)) else 0.0,
        1.0 if text.count("(") != text.count(")") or text.count("“") != text.count("”") else 0.0,
        # A standfirst is printed under its headline, which is a few words shorter.
        1.0 if previous is not None and _title_over(previous, line) and _could_be_headline(previous) else 0.0,
    )
