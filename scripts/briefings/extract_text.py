"""Plain-text captures (copy-pasted pages, page text dumps) -> CleanedDocument, with a line classifier.

A text capture is every visible line of a page: site header, menus, the article, related links, footer,
cookie notices. Each line gets site-independent features (length, punctuation, link-likeness, position,
repetition, similarity to the title, stock phrases from boilerplate.toml, runs of short lines, and where it
sits relative to `article_span`, the densest run of prose); a logistic line model scores it, a second model
rescores it from its neighbours' scores, and lines above the threshold are the article. Both models' weights
live in boilerplate.toml, trained on the dev split only (scripts/bench/extraction.py --train-line-model).
`cut_at_comments` ends the article at a comment-section heading below it, `keep_line` drops stock phrases,
link blocks, repeated short lines and the repeated title, and `blocks_from_lines` makes paragraphs, headings
and list items. Dates are read from the lines above the article in the forms pages print them (`TEXT_DATES`). A capture whose first line is `Title | Section | site` gives its
metadata from that line, and keeps every prose line whatever the models say; one that starts with its title
followed by prose (a copy of the article alone) takes its title from that first line.
"""

from __future__ import annotations

import math
import re
import tomllib
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timezone
from functools import cache, lru_cache
from pathlib import Path

from briefings.documents import Block, CleanedDocument, RawArticle
from briefings.errors import ExtractionError
from briefings.html_metadata import DOMAIN, one_line_title, strip_site_suffix

BULLET = re.compile(r"^(?:[•●▪◦□■‣∙·*]|-(?=\s))\s*")
ORDERED = re.compile(r"^(\d{1,2})[.)]\s+(?=\S)")
SENTENCE_END = re.compile(r"[.!?…。！？»”\"'’)]$")
CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")
WORD = re.compile(r"\w+")
MONTHS = ("jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec|january|february|march|april|june|july|august|"
          "september|october|november|december")
# Month names as pages write them in dates (English and the commonest other Latin-script languages).
MONTH_NAMES = {
    1: "january jan janvier janv enero ene januar jänner janeiro gennaio gen januari",
    2: "february feb février févr fevrier febrero februar fevereiro fev febbraio februari",
    3: "march mar mars marzo märz marz março marco maart",
    4: "april apr avril abril aprile",
    5: "may mai mayo maio maggio mei",
    6: "june jun juin junio juni junho giugno",
    7: "july jul juillet juil julio juli julho luglio",
    8: "august aug août aout agosto augustus",
    9: "september sep sept septembre septiembre setembro settembre set",
    10: "october oct octobre octubre oktober outubro ottobre okt",
    11: "november nov novembre noviembre novembro",
    12: "december dec décembre decembre diciembre dezember dezembro dicembre dez dic",
}
MONTH_NUMBERS = {name: number for number, names in MONTH_NAMES.items() for name in names.split()}
MONTH_WORD = "|".join(sorted(MONTH_NUMBERS, key=len, reverse=True))
DAY = r"(?P<{}>\d{{1,2}})(?:st|nd|rd|th|er|º)?"
TEXT_DATES = (
    # 2019-11-18, 2019-11-18T20:51:19Z, 2016.12.01, 2019/11/18, 2016年08月03日
    re.compile(r"(?<![\d.])(?P<year>(?:19|20)\d{2})(?P<sep>[-./]|年)(?P<month>\d{1,2})(?P=sep)?月?(?P<day>\d{1,2})"
               r"(?:日|(?=T\d)|(?![\d.]))"),
    # November 18, 2019 / Nov. 18th 2019 / Oktober 27, 2015
    re.compile(rf"\b(?P<mname>{MONTH_WORD})\.?\s+{DAY.format('day')},?\s+(?P<year>(?:19|20)\d{{2}})(?!\d)",
               re.IGNORECASE),
    # 18 November 2019 / 22 de janeiro de 2018 / 1er décembre 2019 / 3. März 2020
    re.compile(rf"\b{DAY.format('day')}\.?\s+(?:de\s+)?(?P<mname>{MONTH_WORD})\.?,?\s+(?:de\s+)?"
               rf"(?P<year>(?:19|20)\d{{2}})(?!\d)", re.IGNORECASE),
    # 11/19/2019, 11.15.2019 (US), 20.11.2019 (day first where the first number cannot be a month)
    re.compile(r"(?<![\d./])(?P<first>\d{1,2})(?P<sep>[./])(?P<second>\d{1,2})(?P=sep)"
               r"(?P<year>(?:19|20)\d{2})(?![\d./])"),
)
PASTED_HEADER_LINE = re.compile(r"^(?:title|date|modified|status|slug|save_as|url|template|category|tags|"
                                r"author|authors|lang|summary)\s*:", re.IGNORECASE)
METADATA_LINE = re.compile(r"^(?:date|modified|status|slug|save_as|url|template)\s*:", re.IGNORECASE)

COMMENTS_HEADING = re.compile(
    r"^[\[(]?\s*(?:\d+\s+)?(?:comments?|responses?|replies|reader comments|top rated comments|discussion"
    r"|join the discussion|leave a (?:comment|reply)|post a comment|add a comment|comments are closed\.?"
    r"|kommentare|commentaires|comentarios|comentários|commenti|комментарии)\s*[\])]?:?$", re.IGNORECASE)
COMMENTS_AFTER_WORDS = 50     # article words that must lie above a comments heading for it to end the article
PROSE_WORDS = 12          # a line of at least this many words is prose when it reads like sentences
HEADING_MAX_WORDS = 16
HEADLINE_WINDOW = 25      # lines above the article searched for a dump's headline
SHORT_LINE_COST = 3.0     # what one short line (menu item, link) costs inside a candidate article span
STOCK_LINE_COST = 12.0


RULES_FILE = Path(__file__).with_name("boilerplate.toml")


@dataclass(frozen=True, slots=True)
class LineModel:
    """A logistic model over named line features (weights from scripts/bench/extraction.py --train-line-model)."""

    bias: float
    weights: dict[str, float]
    threshold: float

    def probability(self, features: dict[str, float]) -> float:
        """P(article line) for the features; features the model does not name are ignored."""
        score = self.bias
        for name, weight in self.weights.items():
            score += weight * features.get(name, 0.0)
        return 1.0 / (1.0 + math.exp(-max(min(score, 40.0), -40.0)))


@dataclass(frozen=True, slots=True)
class BoilerplateRules:
    """The stock phrases and line models of boilerplate.toml, compiled."""

    drop_lines: re.Pattern[str]       # all stock-phrase patterns as one alternation
    block_openers: re.Pattern[str]
    line_model: LineModel | None = None
    context_model: LineModel | None = None

    def is_stock_line(self, text: str) -> bool:
        """True when the line is a stock phrase (cookie banner, share prompt, newsletter, copyright)."""
        text = BULLET.sub("", text)  # "• Share" in a text dump is the same button as "Share"
        return len(text) < 400 and bool(self.drop_lines.search(text))

    def opens_link_block(self, text: str) -> bool:
        """True when the line heads a block of links ("Related posts", "Comments")."""
        return len(text) < 80 and bool(self.block_openers.search(text))


@cache
def load_rules(path: Path = RULES_FILE) -> BoilerplateRules:
    """The compiled rules of boilerplate.toml; raises OSError / tomllib.TOMLDecodeError on a broken file."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))["text"]
    return BoilerplateRules(
        drop_lines=_alternation(data["drop_lines"]),
        block_openers=_alternation(data["block_openers"]),
        line_model=_line_model(data.get("line_model")),
        context_model=_line_model(data.get("context_model")),
    )


def _alternation(patterns: list[str]) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{pattern})" for pattern in patterns), re.IGNORECASE)


def _line_model(table: dict[str, object] | None) -> LineModel | None:
    if not table:
        return None
    weights = table["weights"]
    assert isinstance(weights, dict)
    return LineModel(bias=float(str(table["bias"])), threshold=float(str(table.get("threshold", 0.5))),
                     weights={str(name): float(value) for name, value in weights.items()})


@dataclass(frozen=True, slots=True)
class Header:
    title: str
    section: str
    site_name: str


@dataclass(frozen=True, slots=True)
class Line:
    text: str
    words: float
    stock: bool
    opener: bool
    gap_before: bool = False      # a blank line separates it from the line above


@dataclass(frozen=True, slots=True)
class TextCapture:
    """A text capture split up: its header line (if any), the title, and the remaining lines classified."""

    header: Header | None
    title: str
    lines: list[Line]
    span_start: int               # where the densest prose starts (dates are looked for above it)
    title_given: bool = False     # the title came from a header line or an article-only copy


def clean_text(raw: RawArticle) -> CleanedDocument:
    """The article in a plain-text capture; raises ExtractionError when no article text is left."""
    rules = load_rules()
    capture = read_capture(raw.text, rules)
    if capture is None:
        raise ExtractionError(raw.source, "no article text (the capture is empty)")
    article = article_blocks(capture, rules)
    blocks = article.blocks
    if not blocks:
        raise ExtractionError(raw.source, "no article text left after removing boilerplate")
    header = capture.header
    published = date_in_text([line.text for line in capture.lines[: capture.span_start + 12]])
    return CleanedDocument(
        source=raw.source, sha256=raw.sha256, title=article.title or fallback_title(blocks),
        blocks=tuple(blocks), published=published or raw.captured,
        date_source="capture" if published else "file", captured=raw.captured,
        site_name=header.site_name if header else "", section=header.section if header else "",
    )


def read_capture(text: str, rules: BoilerplateRules) -> TextCapture | None:
    """The capture's header, title and classified lines; None when it holds no text at all."""
    nonblank: list[tuple[str, bool]] = []
    gap = False
    for part in text.splitlines():
        line = " ".join(part.split())
        if line:
            nonblank.append((line, gap))
        gap = not line
    if not nonblank:
        return None
    header = parse_header(nonblank[0][0])
    body_lines = nonblank[1:] if header else nonblank
    title = header.title if header else ""
    if not title and len(body_lines) > 1 and _title_like(body_lines[0][0]) \
            and not rules.is_stock_line(body_lines[0][0]) \
            and _is_prose_start([next((line for line, _ in body_lines[1:] if not rules.is_stock_line(line)), "")]):
        title, body_lines = strip_site_suffix(body_lines[0][0]), body_lines[1:]
    classified = [classify(line, rules, gap) for line, gap in body_lines]
    start, _ = article_span(classified)
    return TextCapture(header=header, title=title or guess_title(classified[:start]), lines=classified,
                       span_start=start, title_given=bool(title))


@dataclass(frozen=True, slots=True)
class TextArticle:
    title: str
    blocks: list[Block]


def article_blocks(capture: TextCapture, rules: BoilerplateRules) -> TextArticle:
    """The article's title and blocks: selected lines, link blocks and stock phrases dropped, kinds assigned."""
    chosen = cut_at_comments(capture.lines, select_lines(capture.lines, capture.title, rules))
    if capture.header:
        # A copy under a "Title | Section | site" line is the article copied on purpose: no prose line of it
        # is dropped.
        chosen_ids = {id(line) for line in chosen}
        chosen = [line for line in capture.lines if id(line) in chosen_ids or is_prose(line)]
    article = _article_from(capture, _drop_link_blocks(chosen))
    if not article.blocks:
        # The models found no article line (list-like pages): the densest prose span is a better guess than
        # nothing at all.
        start, end = article_span(capture.lines)
        span = capture.lines[start:end]
        if any(is_prose(line) for line in span):
            article = _article_from(capture, _drop_link_blocks(span))
    return article


def _article_from(capture: TextCapture, selected: list[Line]) -> TextArticle:
    title = capture.title if capture.title_given else headline_above(capture.lines, selected) or capture.title
    counts: dict[str, int] = {}
    for line in capture.lines:
        counts[line.text] = counts.get(line.text, 0) + 1
    # A short line printed more than once on the page is a teaser, caption or label, not article text.
    kept = [line.text for line in selected if keep_line(line, title) and keep_line(line, capture.title)
            and not (counts[line.text] > 1 and not is_prose(line))]
    return TextArticle(title=title, blocks=blocks_from_lines(kept))


def cut_at_comments(lines: list[Line], selected: list[Line]) -> list[Line]:
    """The selected lines above the page's comment section, when one starts below most of the article.

    Reader comments read like prose, so the line models keep them; but a "Comments" / "12 comments" /
    "Leave a reply" heading below the start of the article text marks where the article has ended.
    """
    chosen = {id(line) for line in selected}
    above = 0.0
    for index, line in enumerate(lines):
        if id(line) in chosen:
            above += line.words
        elif COMMENTS_HEADING.match(line.text) and above >= COMMENTS_AFTER_WORDS:
            cut = {id(later) for later in lines[index:]}
            return [kept for kept in selected if id(kept) not in cut]
    return selected


def headline_above(lines: list[Line], selected: list[Line]) -> str:
    """The headline of a page dump: among the title-like lines just above the article, the one sharing
    most words with the article (headlines are written from it), preferring repeated lines."""
    if not selected:
        return ""
    first = next(index for index, line in enumerate(lines) if line is selected[0])
    article_words = set(_fold_words(" ".join(line.text for line in selected)))
    counts: dict[str, int] = {}
    for line in lines:
        counts[line.text] = counts.get(line.text, 0) + 1
    best, best_score = "", 0.3
    for distance, line in enumerate(reversed(lines[max(0, first - HEADLINE_WINDOW):first]), start=1):
        words = _fold_words(line.text)
        if line.stock or line.opener or BULLET.match(line.text) or TRACE.search(line.text) \
                or not _title_like(line.text) or len(words) < 3 or DATE_LIKE.search(line.text):
            continue
        overlap = sum(word in article_words for word in words) / len(words)
        score = overlap + 0.15 * (counts[line.text] > 1) - 0.01 * distance
        if score > best_score:
            best, best_score = line.text, score
    return strip_site_suffix(best)


def select_lines(lines: list[Line], title: str, rules: BoilerplateRules) -> list[Line]:
    """The article's lines: the line model's choice when boilerplate.toml has one, else the best span."""
    if not lines:
        return []
    if rules.line_model is None or rules.context_model is None:
        start, end = article_span(lines)
        return lines[start:end]
    probabilities = line_probabilities(lines, title, rules.line_model, rules.context_model)
    return [line for line, p in zip(lines, probabilities) if p >= rules.context_model.threshold]


def line_probabilities(lines: list[Line], title: str, line_model: LineModel,
                       context_model: LineModel) -> list[float]:
    """P(line is article text) for each line: the line model, then the context model over its neighbours."""
    first = [line_model.probability(features) for features in line_features(lines, title)]
    return [context_model.probability(features) for features in context_features(first)]


def parse_header(line: str) -> Header | None:
    """The `Title | Section | site.com` line some captures start with; None when the line is not one."""
    parts = [part.strip() for part in line.split(" | ")]
    if not 2 <= len(parts) <= 4 or not all(parts) or word_count(parts[0]) < 3:
        return None
    names = parts[1:]
    if any(":" in part or len(part.split()) > 4 for part in names):
        return None
    if len(parts) >= 3 or DOMAIN.match(parts[-1]):
        return Header(title=one_line_title(parts[0]), section=" | ".join(parts[1:-1]), site_name=parts[-1])
    return None


def classify(text: str, rules: BoilerplateRules, gap_before: bool = False) -> Line:
    """A line with the features the span search needs."""
    return Line(text=text, words=word_count(text), stock=rules.is_stock_line(text),
                opener=rules.opens_link_block(text), gap_before=gap_before)


def word_count(text: str) -> float:
    """Words in the line; CJK characters count as half a word each, since those scripts use no spaces."""
    cjk = len(CJK.findall(text))
    return len(WORD.findall(CJK.sub(" ", text))) + cjk / 2


def is_prose(line: Line) -> bool:
    """True for a line that reads like running text (long, or ending like a sentence)."""
    if line.stock or line.words < 6:
        return False
    return line.words >= PROSE_WORDS or (line.words >= 8 and bool(SENTENCE_END.search(line.text)))


def line_score(line: Line) -> float:
    """Positive for prose, negative for lines that are usually page furniture."""
    if line.stock or line.opener:
        return -STOCK_LINE_COST
    if is_prose(line):
        return line.words
    return -SHORT_LINE_COST


def article_span(lines: list[Line]) -> tuple[int, int]:
    """[start, end) of the best-scoring run of lines (maximum-sum subarray of line scores)."""
    best, best_span = float("-inf"), (0, 0)
    running, start = 0.0, 0
    for index, line in enumerate(lines):
        if running <= 0:
            running, start = 0.0, index
        running += line_score(line)
        if running > best:
            best, best_span = running, (start, index + 1)
    return best_span


def _drop_link_blocks(lines: list[Line]) -> list[Line]:
    """The lines without "Related posts"-style blocks: each opener and the short lines after it."""
    kept: list[Line] = []
    in_block = False
    for line in lines:
        if line.opener:
            in_block = True
            continue
        if in_block and not is_prose(line):
            continue
        in_block = False
        kept.append(line)
    return kept


def keep_line(line: Line, title: str) -> bool:
    """False for stock phrases, repeated titles and text-browser traces inside the article span."""
    if line.stock or not line.text.strip(BULLET_CHARS + " "):
        return False
    if title and _same_text(line.text, title):
        return False
    return bool(WORD.search(line.text))


BULLET_CHARS = "•●▪◦□■‣∙·*-"


def _same_text(a: str, b: str) -> bool:
    return _fold(a) == _fold(b)


@lru_cache(maxsize=8192)
def _fold(text: str) -> str:
    # Cached: every line is folded once per title it is compared with.
    return re.sub(r"\W+", "", unicodedata.normalize("NFKC", text).casefold())


def blocks_from_lines(lines: list[str]) -> list[Block]:
    """Blocks for the kept lines: list items by their markers, short unpunctuated lines between prose as
    headings, everything else a paragraph."""
    blocks: list[Block] = []
    for index, text in enumerate(lines):
        bullet = BULLET.match(text)
        ordered = ORDERED.match(text)
        if bullet and len(text) > bullet.end():
            blocks.append(Block("bullet", text[bullet.end():].strip()))
        elif ordered:
            blocks.append(Block("ordered", text[ordered.end():].strip()))
        elif _is_heading(lines, index):
            blocks.append(Block("heading", text, level=2))
        else:
            blocks.append(Block("paragraph", text))
    return blocks


def _is_heading(lines: list[str], index: int) -> bool:
    text = lines[index]
    if index == 0 or index + 1 >= len(lines):
        return False
    words = len(text.split())
    if not 2 <= words <= HEADING_MAX_WORDS or re.search(r"[.!?…,;:。！？][\s\"'”’»)\]]*$", text):
        return False
    if not (text[0].isupper() or text[0].isdigit() or not text[0].isalpha()):
        return False
    next_words = len(lines[index + 1].split())
    return next_words > words + 4


def _title_like(text: str) -> bool:
    # A pasted `Title: ...` / `Date: ...` line is header syntax somebody typed, never the headline.
    words = word_count(text)
    return 2 <= words <= 30 and not re.search(r"[.!?。]$", text) and not BULLET.match(text) \
        and not PASTED_HEADER_LINE.match(text)


def _is_prose_start(lines: list[str]) -> bool:
    """True when the capture's next lines are already the article (copy of the article alone)."""
    following = [line for line in lines[:3] if line]
    return bool(following) and word_count(following[0]) >= PROSE_WORDS


def guess_title(before: list[Line]) -> str:
    """The headline among the lines above the article: the nearest title-like line, preferring a repeated one."""
    candidates = [line.text for line in before[-10:] if not line.stock and _title_like(line.text)
                  and line.words >= 4 and not date_in_text([line.text])]
    if not candidates:
        return ""
    repeated = [text for text in candidates if candidates.count(text) > 1]
    return strip_site_suffix(repeated[-1] if repeated else max(candidates, key=len))


def fallback_title(blocks: list[Block]) -> str:
    """The first words of the first block that is not a pasted `Key: value` line."""
    opening = next((block for block in blocks if not PASTED_HEADER_LINE.match(block.text)), blocks[0])
    words = opening.text.split()
    return " ".join(words[:12]) + ("…" if len(words) > 12 else "")


def date_in_text(lines: list[str]) -> datetime | None:
    """The first date written in the given lines (ISO, numeric, or with a month name), as midnight UTC."""
    for line in lines:
        if METADATA_LINE.match(line):
            continue  # "Date: ..." pasted above an article is header syntax, never trusted as metadata
        found = sorted((match.start(), index, match) for index, pattern in enumerate(TEXT_DATES)
                       for match in pattern.finditer(line))
        for _, _, match in found:
            parsed = _date_from_match(match)
            if parsed:
                return parsed
    return None


def _date_from_match(match: re.Match[str]) -> datetime | None:
    """The date a TEXT_DATES match spells; None when it names no real day."""
    groups = match.groupdict()
    year = int(groups["year"])
    if groups.get("mname"):
        month, day = MONTH_NUMBERS[groups["mname"].lower()], int(groups["day"])
    elif groups.get("first"):
        first, second = int(groups["first"]), int(groups["second"])
        # A number above 12 cannot be the month; otherwise "/" is written month first (US), "." day first,
        # except that US sites write 11.15.2019 too, which the first rule already settles.
        month_first = second > 12 or (first <= 12 and groups["sep"] == "/")
        month, day = (first, second) if month_first else (second, first)
    else:
        month, day = int(groups["month"]), int(groups["day"])
    try:
        return datetime(year, month, day, tzinfo=timezone.utc)
    except ValueError:
        return None


LINK_LIKE = re.compile(r"https?://|www\.|\.(?:com|org|net)\b|@\w|[»›→]|\s\|\s", re.IGNORECASE)
TRACE = re.compile(r"^\[|\]$|\[\s*\]|\.(?:jpe?g|png|gif|webp|svg)\b", re.IGNORECASE)
COMMENT_MARK = re.compile(r"\b(?:says|said|wrote|reply|replies|antworten|responder|répondre)\b:?\s*$|^reply$",
                          re.IGNORECASE)
LETTER = re.compile(r"[^\W\d_]")
DIGIT = re.compile(r"\d")
PUNCTUATION = re.compile(r"[^\w\s]")
COUNT_SUFFIX = re.compile(r"\(\d+\)$|\b\d+ (?:comments?|replies|shares|views)\b", re.IGNORECASE)
DATE_LIKE = re.compile(rf"\b(?:\d{{1,2}}[./-]\d{{1,2}}[./-]\d{{2,4}}|\d{{4}}-\d{{2}}-\d{{2}}|(?:{MONTHS})\.?\s+\d{{1,2}})\b"
                       rf"|\b\d{{1,2}}:\d{{2}}\b", re.IGNORECASE)


def line_features(lines: list[Line], title: str) -> list[dict[str, float]]:
    """Site-independent features of each line and its surroundings (see boilerplate.toml's line_model)."""
    count = len(lines)
    prose = [1.0 if is_prose(line) else 0.0 for line in lines]
    prose_words = [line.words if p else 0.0 for line, p in zip(lines, prose)]
    total_prose = sum(prose_words) or 1.0
    seen: dict[str, int] = {}
    for line in lines:
        seen[line.text] = seen.get(line.text, 0) + 1
    start, end = article_span(lines)
    runs = _short_runs(prose)
    title_key = set(_fold_words(title))
    title_index = max((i for i, line in enumerate(lines) if title and _same_text(line.text, title)), default=-1)
    bullets = [1.0 if BULLET.match(line.text) else 0.0 for line in lines]
    bullet_runs = _short_runs([1.0 - b for b in bullets])
    log_words = [math.log1p(line.words) for line in lines]
    openers_before = _running_count([line.opener for line in lines])
    openers_after = _running_count([line.opener for line in reversed(lines)])[::-1]
    before = 0.0
    features: list[dict[str, float]] = []
    for index, line in enumerate(lines):
        text = line.text
        letters = len(LETTER.findall(text))
        words_here = set(_fold_words(text))
        features.append({
            "log_words": math.log1p(line.words),
            "log_chars": math.log1p(len(text)),
            "prose": prose[index],
            "sentence_end": 1.0 if SENTENCE_END.search(text) else 0.0,
            "colon_end": 1.0 if text.endswith(":") else 0.0,
            "bullet": 1.0 if BULLET.match(text) else 0.0,
            "ordered": 1.0 if ORDERED.match(text) else 0.0,
            "stock": 1.0 if line.stock else 0.0,
            "opener": 1.0 if line.opener else 0.0,
            "link_like": 1.0 if LINK_LIKE.search(text) else 0.0,
            "trace": 1.0 if TRACE.search(text) else 0.0,
            "comment_mark": 1.0 if COMMENT_MARK.search(text) else 0.0,
            "date_like": 1.0 if DATE_LIKE.search(text) and line.words < 12 else 0.0,
            "digit_ratio": len(DIGIT.findall(text)) / len(text),
            "upper_ratio": sum(map(str.isupper, text)) / letters if letters else 0.0,
            "punct_ratio": len(PUNCTUATION.findall(text)) / len(text),
            "repeated": 1.0 if seen[text] > 1 else 0.0,
            "title_overlap": (len(words_here & title_key) / len(words_here | title_key)) if title_key and words_here
            else 0.0,
            "position": index / count,
            "in_span": 1.0 if start <= index < end else 0.0,
            "before_span": math.log1p(start - index) if index < start else 0.0,
            "after_span": math.log1p(index - end + 1) if index >= end else 0.0,
            "prose_near_2": _window_mean(prose, index, 2),
            "prose_near_5": _window_mean(prose, index, 5),
            "short_run": math.log1p(runs[index]),
            "prose_before": before / total_prose,
            "prose_after": (total_prose - before - prose_words[index]) / total_prose,
            "gap_before": 1.0 if line.gap_before else 0.0,
            "gap_after": 1.0 if index + 1 < count and lines[index + 1].gap_before else 0.0,
            "previous_words": log_words[index - 1] if index else 0.0,
            "next_words": log_words[index + 1] if index + 1 < count else 0.0,
            "bullet_run": math.log1p(bullet_runs[index]),
            "before_title": 1.0 if index <= title_index else 0.0,
            "after_title": math.log1p(index - title_index) if title_index >= 0 and index > title_index else 0.0,
            "bullet_long": 1.0 if bullets[index] and line.words >= 6 else 0.0,
            "repeated_long": 1.0 if seen[text] > 1 and line.words >= 6 else 0.0,
            "count_suffix": 1.0 if COUNT_SUFFIX.search(text) else 0.0,
            "openers_before": math.log1p(openers_before[index]),
            "openers_after": math.log1p(openers_after[index]),
        })
        before += prose_words[index]
    return features


def context_features(probabilities: list[float]) -> list[dict[str, float]]:
    """The line model's probabilities of each line and of its neighbours, for the context model."""
    features: list[dict[str, float]] = []
    count = len(probabilities)
    for index, p in enumerate(probabilities):
        previous = probabilities[index - 1] if index > 0 else 0.0
        following = probabilities[index + 1] if index + 1 < count else 0.0
        features.append({
            "p": p,
            "logit": math.log(max(p, 1e-6) / max(1 - p, 1e-6)),
            "previous": previous,
            "next": following,
            "near_2": _window_mean(probabilities, index, 2),
            "near_5": _window_mean(probabilities, index, 5),
            "near_12": _window_mean(probabilities, index, 12),
            "max_before_3": max(probabilities[max(0, index - 3):index], default=0.0),
            "max_after_3": max(probabilities[index + 1:index + 4], default=0.0),
            "both_sides": min(max(probabilities[max(0, index - 3):index], default=0.0),
                              max(probabilities[index + 1:index + 4], default=0.0)),
        })
    return features


def _running_count(flags: list[bool]) -> list[int]:
    """For each position, how many flags were set strictly before it."""
    counts, total = [], 0
    for flag in flags:
        counts.append(total)
        total += flag
    return counts


def _window_mean(values: list[float], index: int, radius: int) -> float:
    """Mean of the values within `radius` of index, the value itself excluded."""
    window = values[max(0, index - radius):index] + values[index + 1:index + 1 + radius]
    return sum(window) / len(window) if window else 0.0


def _short_runs(prose: list[float]) -> list[int]:
    """For each line, the length of the run of non-prose lines it sits in (0 for prose lines)."""
    runs = [0] * len(prose)
    index = 0
    while index < len(prose):
        if prose[index]:
            index += 1
            continue
        end = index
        while end < len(prose) and not prose[end]:
            end += 1
        for position in range(index, end):
            runs[position] = end - index
        index = end
    return runs


def _fold_words(text: str) -> list[str]:
    return WORD.findall(text.casefold())
