"""Plain-text captures (copy-pasted pages, page text dumps) -> CleanedDocument.

A text capture is every visible line of a page: site header, menus, the article, related links, footer,
cookie notices. Each line is classified once (`dump_lines.classify`: casefolded, tokenised, stock phrase or
not) and gets site-independent features (length, punctuation, link-likeness, position, repetition,
similarity to the title, runs of short lines, where it sits relative to `article_span`, the densest run of
prose); a logistic line model scores it, a second model rescores it from its neighbours' scores and the
likeliest run of article lines, and lines above the threshold are the article. Both models' weights live
in boilerplate.toml, trained on the dev split only (scripts/bench/extraction.py --train-line-model).
`lead_above_related_list` takes a short post's paragraph over the list of posts below it, `with_embedded_posts`
keeps posts quoted in the article, `cut_at_comments` ends the article at a comment-section, author-bio or
"Sources:" heading or at an author's bio or a company profile below it, `with_section_headings` keeps a
heading standing between two article lines, `without_teaser_lists` drops story lists cut off with "…",
`_drop_link_blocks` drops "Related posts"-style blocks, `keep_line` drops stock phrases, bylines, bare numbers,
repeated short lines and the repeated title, `twinned_lines` drops captions printed twice, and
`blocks_from_lines` makes paragraphs, headings and list items.

The headline is the line the ranker of `dump_headline` picks around the article's first line, that line
as a lower threshold draws it (`HEADLINE_THRESHOLD`); the date is the one printed nearest above the
article, in the forms and languages pages print them (`TEXT_DATES`). A capture whose first line is
`Title | Section | site` gives its metadata from that line, and keeps every prose line whatever the models
say; one that starts with its title followed by prose (a copy of the article alone) takes its title from
that first line.

Like dump_lines, this runs on every line of every capture, so it is written for speed: the features read
what `classify` computed once per line, regular expressions only where a substring test cannot do, and
nothing from the HTML side (trafilatura, lxml) imported.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta, timezone
from functools import lru_cache
from itertools import accumulate
from operator import attrgetter
from typing import TypeVar

# The module, not pick_headline: scripts/bench/headline.py patches pick_headline on it to record its input.
from briefings import dump_headline
from briefings.documents import Block, CleanedDocument, RawArticle
from briefings.dump_lines import (BULLET, DATE_LIKE, ORDERED, PASTED_HEADER_LINE, PROSE_WORDS, SENTENCE_END_CHARS,
                                  WORD, BoilerplateRules, Line, LineModel, capitalised_share, classify,
                                  digit_count, is_prose, load_rules, word_count)
from briefings.errors import ExtractionError
from briefings.html_metadata import (DOMAIN, INVISIBLE, one_line_title, prints_nothing, strip_site_suffix,
                                     title_key)

T = TypeVar("T")

BARE_NUMBER = re.compile(r"^\W*\d[\d\W]*$")   # "76", "1/12", "0 ": digits and punctuation, no word
# Month names as pages write them in dates: English and the commonest other languages (Russian in the
# genitive, the case dates use).
MONTH_NAMES = {
    1: "january jan janvier janv enero ene januar jänner janeiro gennaio gen januari styczeń stycznia ocak "
       "januari января янв",
    2: "february feb février févr fevrier febrero februar fevereiro fev febbraio februari lutego şubat "
       "февраля фев",
    3: "march mar mars marzo märz marz março marco maart maret marca mart марта мар",
    4: "april apr avril abril aprile kwietnia nisan апреля апр",
    5: "may mai mayo maio maggio mei maja mayıs мая",
    6: "june jun juin junio juni junho giugno czerwca haziran июня июн",
    7: "july jul juillet juil julio juli julho luglio lipca temmuz июля июл",
    8: "august aug août aout agosto augustus agustus sierpnia ağustos augusti августа авг",
    9: "september sep sept septembre septiembre setembro settembre set września eylül сентября сен",
    10: "october oct octobre octubre oktober outubro ottobre okt października ekim октября",
    11: "november nov novembre noviembre novembro nopember listopada kasım ноября ноя",
    12: "december dec décembre decembre diciembre dezember dezembro dicembre dez dic desember grudnia aralık "
        "декабря дек",
}
MONTH_NUMBERS = {name: number for number, names in MONTH_NAMES.items() for name in names.split()}
MONTH_WORD = "|".join(sorted(MONTH_NUMBERS, key=len, reverse=True))
DAY = r"(?P<{}>\d{{1,2}})(?:st|nd|rd|th|er|º)?"
# A year ends the date unless more digits follow, except a time run into it ("20195:45 AM": the page's
# spans lost the space between them).
YEAR_END = r"(?:(?!\d)|(?=\d{1,2}:\d\d))"
# Every date form holds a year; lines without one are not searched with the longer patterns.
YEAR = re.compile(r"(?:19|20)\d\d")
TEXT_DATES = (
    # 2019-11-18, 2019-11-18T20:51:19Z, 2016.12.01, 2019/11/18, 2016年08月03日
    re.compile(r"(?<![\d.])(?P<year>(?:19|20)\d{2})(?P<sep>[-./]|年)(?P<month>\d{1,2})(?P=sep)?月?(?P<day>\d{1,2})"
               r"(?:日|(?=T\d)|(?![\d.]))"),
    # November 18, 2019 / Nov. 18th 2019 / Oktober 27, 2015
    re.compile(rf"\b(?P<mname>{MONTH_WORD})\.?\s+{DAY.format('day')},?\s+(?P<year>(?:19|20)\d{{2}}){YEAR_END}",
               re.IGNORECASE),
    # 18 November 2019 / 22 de janeiro de 2018 / 1er décembre 2019 / 3. März 2020
    re.compile(rf"\b{DAY.format('day')}\.?\s+(?:de\s+)?(?P<mname>{MONTH_WORD})\.?,?\s+(?:de\s+)?"
               rf"(?P<year>(?:19|20)\d{{2}}){YEAR_END}", re.IGNORECASE),
    # 11/19/2019, 11.15.2019 (US), 20.11.2019 (day first where the first number cannot be a month)
    re.compile(r"(?<![\d./])(?P<first>\d{1,2})(?P<sep>[./])(?P<second>\d{1,2})(?P=sep)"
               r"(?P<year>(?:19|20)\d{2})(?![\d./])"),
)
# Time zones pages print beside a time, as hours from UTC (standard time; DAYLIGHT_ZONES move an hour on in
# summer when written without S/D: "ET", "PT").
ZONE_OFFSETS = {"ET": -5, "EST": -5, "EDT": -4, "CT": -6, "CST": -6, "CDT": -5, "MT": -7, "MST": -7, "MDT": -6,
                "PT": -8, "PST": -8, "PDT": -7, "HST": -10, "AKST": -9, "AKDT": -8, "GMT": 0, "UTC": 0,
                "BST": 1, "CET": 1, "CEST": 2}
DAYLIGHT_ZONES = frozenset({"ET", "CT", "MT", "PT"})
# Zones in capitals only: "10:30 et" is French for "10:30 and".
TIME_WITH_ZONE = re.compile(r"\b(?P<hour>\d{1,2}):(?P<minute>\d{2})\s*(?P<meridiem>[AaPp]\.?[Mm]\.?)?\s*\(?"
                            rf"(?P<zone>{'|'.join(sorted(ZONE_OFFSETS, key=len, reverse=True))})\b")
METADATA_LINE = re.compile(r"^(?:date|modified|status|slug|save_as|url|template)\s*:", re.IGNORECASE)

COMMENTS_HEADING = re.compile(
    r"^[\[(]?\s*(?:\d+\s+)?(?:comments?|responses?|replies|reader comments|top rated comments|discussion"
    r"|join the discussion|leave a (?:comment|reply)|post a comment|add a comment|comments are closed\.?"
    r"|(?:\d+|one) (?:thoughts?|responses?|comments?|replies) (?:on|to) .{1,200}"
    r"|kommentare|commentaires|comentarios|comentários|commenti|комментарии)\s*[\])]?:?$", re.IGNORECASE)
# "Related posts" / "You may also like": below the article, what follows is other stories, long excerpts too.
RELATED_HEADING = re.compile(
    r"^(?:related (?:posts?|articles|stories|news|content)|(?:you|we think you) (?:may|might) (?:also )?"
    r"(?:like|enjoy)|more (?:stories|articles|news|posts)|recommended(?: for you| stories| articles)?"
    r"|você (?:pode|também pode) gostar|vous aimerez aussi|vous pourriez aussi aimer|también te puede interesar"
    r"|das könnte sie auch interessieren|potrebbe interessarti|ti potrebbe interessare|вам может быть интересно"
    r"|関連記事|関連エントリー|おすすめ記事|相关文章|相关阅读|相關文章|관련 ?기사)\W{0,4}$")
# "Sources:" over the list of documents and interviews a fact-check or explainer drew on, below the article.
SOURCES_HEADING = re.compile(r"^(?:sources|our sources|fuentes|fontes|quellen|sources utilisées|источники)\s?:?$",
                             re.IGNORECASE)
# "About the author" / "About Jane Doe" / "Über Moritz Bachmann": below the article, a bio or the
# publisher's boilerplate follows.
ABOUT_HEADING = re.compile(r"^(?:about|über|à propos de|a propos de|sobre|acerca de|informazioni su|об)\s+(?!\d)"
                           r"\S+(?:\s+\S+){0,3}(?<![.!?,;])$", re.IGNORECASE)
# "Jane Doe is a freelance writer based in Toronto." / "Zac covers Apple news for 9to5Mac." / "Emiliano joined
# the magazine in 2017. He has been reporting on ...": the author's bio printed under the article.
AUTHOR_BIO = re.compile(
    r"^(?:[A-Z][\w'’.-]*\s){1,3}(?:is|was) (?:an?|the) (?:[\w-]+,?\s){0,4}(?:writer|reporter|journalist|editor"
    r"|correspondent|contributor|columnist|freelancer|producer|author|blogger)\b"
    r"|^(?:[A-Z][\w'’.-]*\s){1,3}(?:covers|writes about|reports on)\s"
    r"|^(?:[A-Z][\w'’.-]*\s){1,3}joined\s.{0,120}\b(?:reporting|writing|covering|reporter|writer|editor)\b")
# "By Jane Doe", "By HNN Staff | November 18, 2019 at 2:26 PM", "Par Jean Dupont, le 3 mars 2020": the
# byline, the author's name alone or with the date. Names are capitalised; "By the end of 2019" is a sentence.
BYLINE_LINE = re.compile(r"^(?:By|BY|Von|Par|Por|Door)\s+(?:[A-Z][\w'’.-]*+\s?){1,4}"
                         r"(?:$|(?:,\s?|\s?\|\s|\son\s|\s[-–—]\s|\sand\s).{0,100}\b(?:19|20)\d\d\b.{0,60}$)")
# "Ascom is a global solutions provider ...", "Acme Corp. is the leading maker of ...": the boilerplate that
# ends a press release, with or without its "About Acme" heading. It starts with the company's name.
COMPANY_PROFILE = re.compile(
    r"^(?:[A-Z][\w'’.&-]*,?\s){1,4}(?:is|are) (?:an?|the) (?:[\w-]+,?\s){0,5}(?:provider|company|manufacturer"
    r"|maker|supplier|developer|leader|firm|group|network|operator|producer|distributor|organi[sz]ation)s?\b")
EMBEDDED_POST_SIGNATURE = re.compile(r"^[—–-]\s?.{0,80}\(@\w+\)\s.{0,30}\d{4}$")
EMBEDDED_POST_REACH = 3       # lines below the article's last line searched for one more embedded post
TWIN_MIN_WORDS = 6            # a line this long printed again within TWIN_REACH lines is a caption
TWIN_REACH = 2
REPEAT_MIN_RUNS = 5           # a line or block with this many 4-word runs, most of them printed above, is a repeat
REPEATED_SHARE = 0.8
RELATED_BOX_LINES = 12        # lines after a related-stories heading searched for the article going on
TEASER_LIST_MIN = 3           # lines cut off with "…" within TEASER_LIST_REACH lines of each other: a story list
TEASER_LIST_REACH = 3
BIO_MAX_WORDS = 120           # chosen words under an "About <name>" heading that a bio or boilerplate can hold
COMMENTS_AFTER_WORDS = 50     # article words that must lie above a comments heading for it to end the article
MIN_ARTICLE_LINE_WORDS = 6   # an article holds at least one line this long
HEADING_MAX_WORDS = 16
CONTINUATION_WORDS = 20   # a paragraph this long, close below or above article lines, continues the article
LEAD_REACH = 4            # lines from the title to a short post's paragraph, and from it to "You may also like"
CONTINUATION_GAP = 3      # at most this many short lines between them
SENTENCE_GAP = 2          # a sentence with article lines this close above and below is article
DATE_LINES_UNDER_HEADLINE = 6  # lines under the headline searched first for the date (byline, dateline)
DATE_LINES_ABOVE = 12         # lines above the article searched next
DATE_LINES_INTO_ARTICLE = 12  # opening lines of the article searched next
DATELINE_WORDS = 25           # a longer line is a paragraph: the dates in it are what the story is about
SHORT_LINE_COST = 3.0     # what one short line (menu item, link) costs inside a candidate article span
STOCK_LINE_COST = 12.0
LIKELY = 0.5              # line-model probability above which a line counts for the likely article run
HEADLINE_THRESHOLD = 0.35 # context-model probability from which a line may open the article, for its headline


@dataclass(frozen=True, slots=True)
class Header:
    title: str
    section: str
    site_name: str


@dataclass(frozen=True, slots=True)
class TextCapture:
    """A text capture split up: its header line (if any), the title, and the remaining lines classified."""

    header: Header | None
    title: str
    lines: list[Line]
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
    published = publication_date(capture.lines, article.start, article.title)
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
        line = collapsed_white_space(part)
        if line and prints_nothing(line):   # zero-width spaces, soft hyphens, icon glyphs: blank on the page
            line = ""
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
    if title:
        return TextCapture(header=header, title=title, lines=classified, title_given=True)
    start, _ = article_span(classified)
    return TextCapture(header=header, title=guess_title(classified[:start]), lines=classified)


def collapsed_white_space(part: str) -> str:
    """The line with its white space collapsed to single spaces and none at either end, as
    `" ".join(part.split())` makes it; a line that has none to collapse is returned without splitting it
    into its words (most lines: that split cost more than the rest of reading the capture)."""
    # Every white space character but " " is unprintable (tabs, no-break and ideographic spaces), so a
    # printable line without two spaces in a row or one at either end holds only single spaces between words.
    if part.isprintable() and "  " not in part and not part.startswith(" ") and not part.endswith(" "):
        return part
    return " ".join(part.split())


@dataclass(frozen=True, slots=True)
class TextArticle:
    title: str
    lines: list[Line]             # the lines kept, in page order
    start: int                    # index of the article's first line in the capture's lines

    @property
    def blocks(self) -> list[Block]:
        """The article's paragraphs, headings and list items, without the lines repeating those above them."""
        # Built on demand: a second selection is only read for its title and first line.
        return blocks_from_lines([line.text for line in without_repeats(self.lines, attrgetter("tokens"))])


def article_blocks(capture: TextCapture, rules: BoilerplateRules) -> TextArticle:
    """The article's title, first line and lines (`blocks` makes its blocks): selected lines, link blocks
    and stock phrases dropped.

    The models' threshold trades a standfirst or caption above the article for precision; the headline and
    date are looked for above the article's first line as a lower threshold (HEADLINE_THRESHOLD) draws it,
    since they sit right above the standfirst.
    """
    lines = capture.lines
    if not lines or rules.line_model is None or rules.context_model is None:
        return article_from_selection(capture, select_lines(lines, capture.title, rules))
    probabilities = line_probabilities(lines, capture.title, rules.line_model, rules.context_model)
    threshold = rules.context_model.threshold
    article = article_from_selection(capture, [line for line, p in zip(lines, probabilities) if p >= threshold])
    # Only a line above the article that the lower threshold takes can move its first line up.
    first_possible = next((index for index, p in enumerate(probabilities) if p >= HEADLINE_THRESHOLD), None)
    if article.lines and first_possible is not None and first_possible < article.start:
        opening = article_from_selection(capture, [line for line, p in zip(lines, probabilities)
                                                   if p >= HEADLINE_THRESHOLD])
        if opening.lines:
            article = replace(article, title=opening.title, start=opening.start)
    return article


def article_from_selection(capture: TextCapture, selected: list[Line]) -> TextArticle:
    """The article made of the lines the models selected, after the rules around them (see the module's
    docstring); its title and first line come from the same selection."""
    lines = capture.lines
    chosen = lead_above_related_list(lines, capture.title, selected)
    # Embedded posts are looked for again below the paragraphs the article's running text reaches.
    chosen = with_running_text(lines, with_embedded_posts(lines, chosen))
    chosen = cut_at_comments(lines, with_embedded_posts(lines, chosen))
    chosen = without_teaser_lists(lines, with_section_headings(lines, chosen))
    if capture.header:
        # A copy under a "Title | Section | site" line is the article copied on purpose: no prose line of it
        # is dropped.
        chosen_ids = {id(line) for line in chosen}
        chosen = [line for line in capture.lines if id(line) in chosen_ids or is_prose(line)]
    # Menu words alone ("Home", "News") are no article, whatever the models make of a capture this small.
    if not any(line.words >= MIN_ARTICLE_LINE_WORDS for line in chosen):
        chosen = []
    article = _article_from(capture, _drop_link_blocks(lines, chosen))
    if not article.lines:
        # The models found no article line (list-like pages): the densest prose span is a better guess than
        # nothing at all.
        start, end = article_span(capture.lines)
        span = capture.lines[start:end]
        if any(is_prose(line) for line in span):
            article = _article_from(capture, _drop_link_blocks(span, span))
    return article


def lead_above_related_list(lines: list[Line], title: str, selected: list[Line]) -> list[Line]:
    """The selected lines, or the paragraph under the title when the models chose a list of other posts.

    A short post (a message, a quote, a brief) is one paragraph under its title, then a "You may also like"
    heading over posts just like it, each standing alone between share buttons. When the models chose
    only such lone paragraphs below that heading, and a long paragraph sits right under the title above
    it, that paragraph is the article. Short lines the models chose beside those posts (share buttons) do
    not change that.
    """
    chosen = {id(line) for line in selected}
    # Only the chosen paragraphs count: share buttons chosen beside them do not join two posts into an article.
    indices = [index for index, line in enumerate(lines) if id(line) in chosen and is_prose(line)]
    if not title or not indices or any(later - earlier == 1 for earlier, later in zip(indices, indices[1:])):
        return selected
    heading = next((index for index in range(indices[0] - 1, -1, -1)
                    if lines[index].opener or RELATED_HEADING.match(lines[index].folded)), -1)
    key = title_key(title)
    title_at = next((index for index in range(heading - 1, -1, -1) if lines[index].key == key), -1)
    if heading < 0 or title_at < 0:
        return selected
    lead = [index for index in range(title_at + 1, heading)
            if is_prose(lines[index]) and lines[index].words >= CONTINUATION_WORDS]
    if not lead or lead[0] - title_at > LEAD_REACH or heading - lead[-1] > LEAD_REACH:
        return selected
    return [lines[index] for index in lead]


def with_running_text(lines: list[Line], selected: list[Line]) -> list[Line]:
    """The selected lines plus the long paragraphs that continue them across a few short lines, and the
    sentences standing between two of them.

    Adverts, captions and photo credits between paragraphs lower the models' trust in the text around
    them; a long paragraph reached from an article line, paragraph after paragraph, through nothing but a
    few short lines is the same article going on. A one-sentence paragraph on the way ("Most significantly,
    the clock is running.") is passed over like a short line, and kept when article lines stand close on
    both sides of it. Other prose or a related-links heading ends the chain. A long paragraph without its
    full stop (a lead the page printed so) is taken when it touches an article line, and the chain ends
    there: a caption reads the same.
    """
    selected_ids = {id(line) for line in selected}
    chosen = [id(line) in selected_ids for line in lines]
    for order in (range(len(lines)), range(len(lines) - 1, -1, -1)):
        reach = CONTINUATION_GAP + 1       # lines since the last article line, in this direction
        for index in order:
            line = lines[index]
            if chosen[index]:
                reach = 0
            elif reach <= CONTINUATION_GAP and _running_paragraph(line):
                chosen[index], reach = True, 0
            elif reach == 0 and _unended_paragraph(line):
                chosen[index], reach = True, CONTINUATION_GAP + 1   # taken, but the chain stops there
            elif line.opener or (is_prose(line) and not (_sentence(line) and reach <= CONTINUATION_GAP)):
                reach = CONTINUATION_GAP + 1
            else:
                reach += 1
    return [line for index, line in enumerate(lines)
            if chosen[index] or (_sentence(line) and any(chosen[max(0, index - SENTENCE_GAP):index])
                                 and any(chosen[index + 1:index + 1 + SENTENCE_GAP]))]


def _sentence(line: Line) -> bool:
    return is_prose(line) and line.text[-1] in SENTENCE_END_CHARS


def _unended_paragraph(line: Line) -> bool:
    return line.words >= CONTINUATION_WORDS and not line.stock and not line.text.endswith(TEASER_ENDS)


def _running_paragraph(line: Line) -> bool:
    return line.words >= CONTINUATION_WORDS and line.text[-1] in SENTENCE_END_CHARS and not line.stock


def with_section_headings(lines: list[Line], selected: list[Line]) -> list[Line]:
    """The selected lines plus each heading-like line standing alone between two selected lines.

    A section heading is short and unpunctuated like page furniture, so the line models doubt it; between
    two article lines, with prose right under it, it is part of the article.
    """
    chosen = {id(line) for line in selected}
    result: list[Line] = []
    for index, line in enumerate(lines):
        if id(line) in chosen:
            result.append(line)
        elif 0 < index < len(lines) - 1 and id(lines[index - 1]) in chosen and id(lines[index + 1]) in chosen \
                and is_prose(lines[index + 1]) and _section_heading_like(line):
            result.append(line)
    return result


def with_embedded_posts(lines: list[Line], selected: list[Line]) -> list[Line]:
    """The selected lines plus each post embedded in the article, or just below its last line: a tweet's
    text and its signature ("— Name (@handle) November 18, 2019"). The handle and date make the models
    take it for page furniture, but a post quoted in the article is part of it."""
    chosen = {id(line) for line in selected}
    indices = [index for index, line in enumerate(lines) if id(line) in chosen]
    if not indices:
        return selected
    for index in range(max(indices[0], 1), min(len(lines), indices[-1] + EMBEDDED_POST_REACH + 1)):
        text = lines[index].text
        if "(@" in text and EMBEDDED_POST_SIGNATURE.match(text) and not lines[index - 1].stock:
            chosen.update((id(lines[index - 1]), id(lines[index])))
    return [line for line in lines if id(line) in chosen]


def without_teaser_lists(lines: list[Line], selected: list[Line]) -> list[Line]:
    """The selected lines without the excerpts of a list of other stories.

    A story list prints each story's opening cut off with "…"; an article paragraph ends so now and then,
    but hardly ever alongside two more within a few lines.
    """
    teaser = [line.text.endswith(TEASER_ENDS) for line in lines]
    listed = {id(line) for index, line in enumerate(lines) if teaser[index]
              and sum(teaser[max(0, index - TEASER_LIST_REACH):index + TEASER_LIST_REACH + 1]) >= TEASER_LIST_MIN}
    return [line for line in selected if id(line) not in listed] if listed else selected


def _section_heading_like(line: Line) -> bool:
    return 2 <= line.words <= HEADING_MAX_WORDS and not (line.stock or line.opener or line.bullet) \
        and line.text[-1] not in SENTENCE_END_CHARS and line.text[-1] not in ",;" \
        and not line.link


def _article_from(capture: TextCapture, selected: list[Line]) -> TextArticle:
    given = capture.title if capture.title_given else ""
    title = given or dump_headline.pick_headline(capture.lines, selected) or capture.title
    counts = _line_counts(capture.lines)
    title_keys = frozenset(title_key(text) for text in (title, capture.title) if text)
    # A short line printed more than once on the page is a teaser, caption or label, not article text
    # (but for the signature of an embedded post: one account posts more than once a day).
    kept = [line for line in selected if keep_line(line, title_keys)
            and (counts[line.text] == 1 or is_prose(line) or EMBEDDED_POST_SIGNATURE.match(line.text))]
    # Twinned lines are captions, unless they are all there is (an article pasted twice).
    twins = twinned_lines(capture.lines)
    kept = [line for line in kept if line.text not in twins] or kept
    start = next((index for index, line in enumerate(capture.lines) if selected and line is selected[0]), 0)
    return TextArticle(title=title, lines=kept, start=start)


def twinned_lines(lines: list[Line]) -> frozenset[str]:
    """The texts of the lines printed twice within a few lines of each other, or twice in one line: an
    image's alt text and its caption (the caption often with its credit run on). An article does not
    repeat a sentence right under itself."""
    twins: set[str] = set()
    for index, line in enumerate(lines):
        if line.words < TWIN_MIN_WORDS or EMBEDDED_POST_SIGNATURE.match(line.text):
            continue  # two posts by one account on one day are signed alike
        half = len(line.text) // 2
        # The halves are compared only where they can be alike: even length, and the same first character.
        if len(line.text) % 2 == 0 and line.text[0] == line.text[half] and line.text[:half] == line.text[half:]:
            twins.add(line.text)
        for other in lines[index + 1:index + 1 + TWIN_REACH]:
            if other.text.startswith(line.text):
                twins.update((line.text, other.text))
    return frozenset(twins)


def without_repeats(items: list[T], words_of: Callable[[T], Sequence[str]]) -> list[T]:
    """The items (lines of a dump, blocks of a page) without a long one whose words the items above already
    hold, run for run: a summary or teaser of the article printed again below it (share boxes, "Mehr:"
    boxes, print versions, hidden markup), or a paragraph printed twice. Pages repeat long passages on
    purpose more rarely than by accident; short ones (poll options, list entries) always stay."""
    kept: list[T] = []
    seen: set[tuple[str, ...]] = set()
    for item in items:
        words = words_of(item)
        runs = list(zip(words, words[1:], words[2:], words[3:]))   # its 4-word runs
        # Most items share no run with those above, and then they are no repeat: that is settled without
        # building a set of the item's runs.
        if not seen.isdisjoint(runs):
            distinct = set(runs)
            if len(distinct) >= REPEAT_MIN_RUNS and len(distinct & seen) >= REPEATED_SHARE * len(distinct):
                continue
        seen.update(runs)
        kept.append(item)
    return kept


def cut_at_comments(lines: list[Line], selected: list[Line]) -> list[Line]:
    """The selected lines above the page's comment section, when one starts below most of the article.

    Reader comments read like prose, so the line models keep them; but a "Comments" / "12 comments" /
    "Leave a reply" heading below the start of the article text marks where the article has ended. So
    does an "About the author" heading, which the models may take for a section heading, a "Sources:"
    heading, the author's bio ("Jane Doe is a reporter for ..."), a press release's company profile ("Acme
    is a leading provider of ..."), and a "Related stories" / "You may also like" heading with no full
    paragraph soon after it.
    """
    chosen = {id(line) for line in selected}
    total = sum(line.words for line in selected)
    above = 0.0
    for index, line in enumerate(lines):
        is_chosen = id(line) in chosen
        # A chosen paragraph is no heading; a chosen short line may be one ("About the author"). The author's
        # bio ends the article too, chosen or not, when little of what was chosen follows it: a story about
        # a reporter ("Evan Gershkovich is a reporter for ...") goes on below such a sentence.
        chosen_below = total - above - is_chosen * line.words
        if above >= COMMENTS_AFTER_WORDS and (
                (chosen_below <= BIO_MAX_WORDS and signs_off(line.text))
                or (not (is_chosen and line.words > HEADING_MAX_WORDS)
                    and _ends_article(line, lines[index + 1:index + 1 + RELATED_BOX_LINES], chosen_below))):
            cut = {id(later) for later in lines[index:]}
            return [kept for kept in selected if id(kept) not in cut]
        if is_chosen:
            above += line.words
    return selected


def signs_off(text: str) -> bool:
    """True for the author's bio or the company's profile, which close an article or a press release."""
    return bool(AUTHOR_BIO.match(text) or COMPANY_PROFILE.match(text))


def _ends_article(line: Line, below: list[Line], chosen_words_below: float) -> bool:
    """True for a comments heading, an "About <name>" heading over no more than a bio, or a related-stories
    heading that the article does not go on below (`below`: the RELATED_BOX_LINES lines under it). ("About
    the study" over a long section is the article's.)"""
    if COMMENTS_HEADING.match(line.text) or SOURCES_HEADING.match(line.text):
        return True
    if ABOUT_HEADING.match(line.text):
        return chosen_words_below <= BIO_MAX_WORDS
    return bool(RELATED_HEADING.match(line.folded)) and not _article_goes_on(below)


def _article_goes_on(below: list[Line]) -> bool:
    """True when a full paragraph (not a teaser cut off with "…") comes soon after a related-stories heading:
    the heading was a box inside the article, not the start of the page's list of other stories."""
    return any(_running_paragraph(line) and not line.text.endswith(TEASER_ENDS)
               for line in below[:RELATED_BOX_LINES])


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


def line_score(line: Line) -> float:
    """Positive for prose, negative for lines that are usually page furniture."""
    if line.stock or line.opener:
        return -STOCK_LINE_COST
    if is_prose(line):
        return line.words
    return -SHORT_LINE_COST


def article_span(lines: list[Line]) -> tuple[int, int]:
    """[start, end) of the best-scoring run of lines by `line_score`."""
    return best_run([line_score(line) for line in lines])


def best_run(scores: list[float]) -> tuple[int, int]:
    """[start, end) of the run with the highest sum of scores (maximum-sum subarray)."""
    best, best_span = float("-inf"), (0, 0)
    running, start = 0.0, 0
    for index, score in enumerate(scores):
        if running <= 0:
            running, start = 0.0, index
        running += score
        if running > best:
            best, best_span = running, (start, index + 1)
    return best_span


def _drop_link_blocks(lines: list[Line], selected: list[Line]) -> list[Line]:
    """The selected lines without "Related posts"-style blocks: each opener and the links after it, short
    lines or list items (headlines, with their standfirst or not). An opener the models left out still opens
    its block ("More from UK" over a list of headlines set inside the article)."""
    chosen = {id(line) for line in selected}
    kept: list[Line] = []
    in_block = False
    for line in lines:
        if line.opener:
            in_block = True
            continue
        if in_block and (not is_prose(line) or line.bullet):
            continue
        in_block = False
        if id(line) in chosen:
            kept.append(line)
    return kept


def keep_line(line: Line, title_keys: frozenset[str]) -> bool:
    """False for stock phrases, repeated titles (`title_keys`: their `title_key`), text-browser traces, bylines
    and bare numbers (a comment count, a slide number, "0" likes) inside the article span."""
    if line.stock or not line.text.strip(BULLET_CHARS + " "):
        return False
    if line.key in title_keys:
        return False
    text = line.text
    return bool(WORD.search(text)) and not BARE_NUMBER.match(text) and not BYLINE_LINE.match(text)


BULLET_CHARS = "•●▪◦□■‣∙·*-"


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
    words = text.count(" ") + 1   # read_capture collapsed the line's white space to single spaces
    if not 2 <= words <= HEADING_MAX_WORDS or re.search(r"[.!?…,;:。！？][\s\"'”’»)\]]*$", text):
        return False
    if not (text[0].isupper() or text[0].isdigit() or not text[0].isalpha()) or text[0] in "—–":
        return False  # a dash opens an attribution ("— Name (@handle) date"), never a heading
    next_words = lines[index + 1].count(" ") + 1
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


def publication_date(lines: list[Line], start: int, headline: str = "") -> datetime | None:
    """The date printed just under the headline, else just above the article's first line, else in the
    article's opening short lines, else the first one above it. Bylines and datelines sit beside the
    headline; dates further up are as often the page header's "today" or a sidebar's, and a date inside a
    paragraph is what the story is about."""
    at = _headline_index(lines, start, headline)
    under = [] if at is None else [line.text for line in lines[at + 1:at + 1 + DATE_LINES_UNDER_HEADLINE]
                                   if line.words < DATELINE_WORDS]
    near = [line.text for line in reversed(lines[max(0, start - DATE_LINES_ABOVE):start])]
    opening = [line.text for line in lines[start:start + DATE_LINES_INTO_ARTICLE] if line.words < DATELINE_WORDS]
    return date_in_text(under) or date_in_text(near) or date_in_text(opening) \
        or date_in_text([line.text for line in lines[:start]])


def _headline_index(lines: list[Line], start: int, headline: str) -> int | None:
    """Where the headline is printed, at the latest a few lines into the article; None when it is not a line
    of the capture (a `Title | Section | site` header, or no headline)."""
    if not headline:
        return None
    end = min(start + DATE_LINES_INTO_ARTICLE, len(lines))
    return next((index for index in range(end - 1, -1, -1) if _prints_headline(lines[index].text, headline)), None)


def _prints_headline(text: str, headline: str) -> bool:
    # strip_site_suffix only cuts parts off the ends of a line (its white space already collapsed) and
    # invisible characters out of it: a line holding neither the headline nor such a character is not it.
    return (headline in text or INVISIBLE.search(text) is not None) and strip_site_suffix(text) == headline


def date_in_text(lines: list[str]) -> datetime | None:
    """The first date written in the given lines (ISO, numeric, or with a month name), as midnight UTC."""
    for line in lines:
        if not YEAR.search(line) or METADATA_LINE.match(line):
            continue  # "Date: ..." pasted above an article is header syntax, never trusted as metadata
        found = sorted((match.start(), index, match) for index, pattern in enumerate(TEXT_DATES)
                       for match in pattern.finditer(line))
        for _, _, match in found:
            parsed = _date_from_match(match)
            if parsed:
                return _at_time_of_day(parsed, line)
    return None


def _at_time_of_day(day: datetime, line: str) -> datetime:
    """The date at the time the line prints beside it with a time zone ("9:24 pm ET"), as UTC: the evening
    of one day in America is the next day in UTC. Midnight UTC when the line names no zone."""
    match = TIME_WITH_ZONE.search(line)
    if not match:
        return day
    hour, minute = int(match["hour"]), int(match["minute"])
    meridiem = (match["meridiem"] or "").replace(".", "").lower()
    if hour > 23 or minute > 59 or (meridiem and not 1 <= hour <= 12):
        return day
    hour = hour % 12 + (12 if meridiem == "pm" else 0) if meridiem else hour
    zone = match["zone"].upper()
    summer = 4 <= day.month <= 10     # near enough to daylight saving time for a date's sake
    offset = ZONE_OFFSETS[zone] + (1 if summer and zone in DAYLIGHT_ZONES else 0)
    return day.replace(hour=hour, minute=minute) - timedelta(hours=offset)


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


IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".gif", ".webp", ".svg")
COMMENT_WORDS = frozenset({"says", "said", "wrote", "reply", "replies", "antworten", "responder", "répondre"})
COUNT_SUFFIX = re.compile(r"\(\d+\)$|\b\d+ (?:comments?|replies|shares|views)\b")
TEASER_ENDS = ("…", "..", "[…]", "[...]")   # excerpts of other stories are cut off mid-sentence ("..": CJK sites)

def own_features(line: Line) -> tuple[float, ...]:
    """The features a line has on its own, from `log_words` to `upper_ratio` and `punct_ratio` in
    LINE_FEATURES order. Substring tests stand in for regular expressions wherever they can: this runs
    on every line of every capture."""
    text, folded = line.text, line.folded
    length = len(text)
    digits = digit_count(text)
    word_chars = sum(map(len, line.tokens))
    last_word = line.tokens[-1] if line.tokens else ""
    return (
        math.log1p(line.words),
        math.log1p(length),
        1.0 if is_prose(line) else 0.0,
        1.0 if text[-1] in SENTENCE_END_CHARS else 0.0,
        1.0 if text[-1] == ":" else 0.0,
        1.0 if line.bullet else 0.0,
        1.0 if ORDERED.match(text) else 0.0,
        1.0 if line.stock else 0.0,
        1.0 if line.opener else 0.0,
        1.0 if line.link else 0.0,
        1.0 if text[0] == "[" or text[-1] == "]" or folded.endswith(IMAGE_SUFFIXES) else 0.0,
        1.0 if last_word in COMMENT_WORDS and not folded.rstrip(": ").endswith(("?", ".", "!")) else 0.0,
        1.0 if digits and line.words < 12 and DATE_LIKE.search(folded) else 0.0,
        digits / length,
        capitalised_share(text),
        max(length - text.count(" ") - word_chars, 0) / length,
    )


def line_features(lines: list[Line], title: str) -> list[tuple[float, ...]]:
    """Site-independent features of each line and its surroundings, in LINE_FEATURES order."""
    count = len(lines)
    prose = [1.0 if is_prose(line) else 0.0 for line in lines]
    prose_words = [line.words if p else 0.0 for line, p in zip(lines, prose)]
    total_prose = sum(prose_words) or 1.0
    seen = _line_counts(lines)
    start, end = article_span(lines)
    # The counts below enter the features as log1p: one map over each list, not a call per line.
    log_runs = list(map(math.log1p, _short_runs(prose)))
    title_words = frozenset(_fold_words(title))
    title_fold = title_key(title) if title else ""
    title_index = max((i for i, line in enumerate(lines) if title_fold and line.key == title_fold),
                      default=-1)
    log_bullet_runs = list(map(math.log1p, _short_runs([0.0 if line.bullet else 1.0 for line in lines])))
    log_words = [math.log1p(line.words) for line in lines]
    log_openers_before = list(map(math.log1p, _running_count([line.opener for line in lines])))
    log_openers_after = list(map(math.log1p, _running_count([line.opener for line in reversed(lines)])))[::-1]
    near_2, near_5 = _window_means(prose, 2), _window_means(prose, 5)
    log_words_near_5 = list(map(math.log1p, _window_means([line.words for line in lines], 5)))
    before = 0.0
    features: list[tuple[float, ...]] = []
    for index, line in enumerate(lines):
        repeated = seen[line.text] > 1
        # Jaccard similarity of the line's words and the title's: most lines share none, and need no set.
        shared = title_words.intersection(line.tokens)
        features.append(own_features(line) + (
            1.0 if repeated else 0.0,
            len(shared) / len(title_words.union(line.tokens)) if shared else 0.0,
            index / count,
            1.0 if start <= index < end else 0.0,
            math.log1p(start - index) if index < start else 0.0,
            math.log1p(index - end + 1) if index >= end else 0.0,
            near_2[index],
            near_5[index],
            log_runs[index],
            before / total_prose,
            (total_prose - before - prose_words[index]) / total_prose,
            1.0 if line.gap_before else 0.0,
            1.0 if index + 1 < count and lines[index + 1].gap_before else 0.0,
            log_words[index - 1] if index else 0.0,
            log_words[index + 1] if index + 1 < count else 0.0,
            log_bullet_runs[index],
            1.0 if index <= title_index else 0.0,
            math.log1p(index - title_index) if title_index >= 0 and index > title_index else 0.0,
            1.0 if line.bullet and line.words >= 6 else 0.0,
            1.0 if repeated and line.words >= 6 else 0.0,
            1.0 if any(map(str.isdigit, line.text[-12:])) and COUNT_SUFFIX.search(line.folded) else 0.0,
            log_openers_before[index],
            log_openers_after[index],
            log_words_near_5[index],
            (index / count) ** 2,
            prose[index] if start <= index < end else 0.0,
            1.0 if line.words >= 25 and line.text[-1] in SENTENCE_END_CHARS else 0.0,
            1.0 if line.text.endswith(TEASER_ENDS) else 0.0,
            1.0 if line.caption else 0.0,
            1.0 if (index and lines[index - 1].caption) or (index + 1 < count and lines[index + 1].caption)
            else 0.0,
        ))
        before += prose_words[index]
    return features


def context_features(probabilities: list[float]) -> list[tuple[float, ...]]:
    """The line model's probabilities of each line and of its neighbours, in CONTEXT_FEATURES order."""
    features: list[tuple[float, ...]] = []
    near_2, near_5, near_12 = (_window_means(probabilities, radius) for radius in (2, 5, 12))
    run_start, run_end = best_run([p - LIKELY for p in probabilities])
    # Probabilities are never below 0, so three 0.0 past either end of the page change no line's maximum over
    # the three lines above or below it, and make that of the first or last line 0.0, as for no line at all.
    padded = [0.0, 0.0, 0.0, *probabilities, 0.0, 0.0, 0.0]   # line `index` is padded[index + 3]
    maxima_before = map(max, padded, padded[1:], padded[2:])
    maxima_after = map(max, padded[4:], padded[5:], padded[6:])
    for index, (p, max_before, max_after) in enumerate(zip(probabilities, maxima_before, maxima_after)):
        features.append((
            p,
            math.log(max(p, 1e-6) / max(1 - p, 1e-6)),
            padded[index + 2],    # the line above
            padded[index + 4],    # the line below
            near_2[index], near_5[index], near_12[index],
            max_before, max_after, min(max_before, max_after),
            1.0 if run_start <= index < run_end else 0.0,
            math.log1p(run_start - index if index < run_start else max(index - run_end + 1, 0)),
        ))
    return features


def _line_counts(lines: list[Line]) -> dict[str, int]:
    """How often each line's text occurs on the page."""
    counts: dict[str, int] = {}
    for line in lines:
        counts[line.text] = counts.get(line.text, 0) + 1
    return counts


def _window_means(values: list[float], radius: int) -> list[float]:
    """For each position, the mean of the values within `radius` of it, the value itself excluded."""
    count = len(values)
    prefix = [0.0, *accumulate(values)]
    # Window sums from prefix sums; the windows are clipped at both ends of the page.
    ends = (prefix[radius + 1:] + [prefix[-1]] * radius)[:count]
    starts = ([0.0] * radius + prefix[:max(count - radius, 0)])[:count]
    return [(end - start - value) / size if size else 0.0
            for end, start, value, size in zip(ends, starts, values, _window_sizes(count, radius))]


@lru_cache(maxsize=1024)
def _window_sizes(count: int, radius: int) -> tuple[int, ...]:
    """How many other positions lie within `radius` of each of `count` positions (cached: six windows a page)."""
    return tuple(min(count, index + radius + 1) - max(0, index - radius) - 1 for index in range(count))


def _running_count(flags: list[bool]) -> list[int]:
    """For each position, how many flags were set strictly before it."""
    counts, total = [], 0
    for flag in flags:
        counts.append(total)
        total += flag
    return counts


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
