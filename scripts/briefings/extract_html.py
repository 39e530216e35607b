"""Saved HTML pages -> CleanedDocument: trafilatura finds the article, `judge` weighs it against the
readability result trafilatura computes on the way, nh3 sanitises what is kept, and the sanitised fragment
becomes plain-text Blocks.

Before extraction the page tree gets a few site-independent repairs (`repair_for_extraction`, in order):
sentences in text-only divs and text written between <br>s become paragraphs, an article body cut into
chunks around ads is joined, quoted social posts lose the embed classes that make the extractor drop them,
and hover cards, capitalised cross-promotion links and "You may also like" teaser lists are removed.

Hostile pages are made safe before any parser sees them: libxml2 silently drops everything nested deeper
than 256 elements, so `flatten_deep_nesting` removes container tags past a safe depth (the text stays).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from functools import lru_cache

import nh3
import trafilatura
from trafilatura import external as trafilatura_external
from htmldate import find_date
from lxml import etree  # type: ignore[import-untyped, unused-ignore]
from lxml import html as lxml_html
from trafilatura.htmlprocessing import build_html_output
from trafilatura.settings import Document

from briefings.documents import Block, BlockKind, CleanedDocument, RawArticle
from briefings.dump_lines import BoilerplateRules, load_rules
from briefings.errors import ExtractionError
from briefings.extract_text import BIO_MAX_WORDS, COMMENTS_AFTER_WORDS, signs_off, without_repeats
from briefings.html_metadata import page_metadata, parse_date, strip_site_suffix, title_key, title_key_pieces

# trafilatura's fallbacks (readability, justext) take tens of seconds on multi-megabyte pages; real
# articles are far smaller, so bigger pages get the main extractor alone.
FAST_EXTRACTION_CHARS = 2_500_000
# The judge (see `judge`): how much longer one extraction must be than the other before it is doubted.
LONGER_THAN_SECOND = 1.3
SHORTER_THAN_SECOND = 2.0
SENTENCE_END = re.compile(r"[.!?…。！？»”\"'’)]$")
INLINE_IN_TEXT = {"a", "b", "i", "em", "strong", "span", "br", "small", "sup", "sub", "abbr", "code", "mark", "q"}
TEXTLESS_TAGS = {"link", "meta", "script", "style", "noscript", "iframe", "form", "input", "button", "img", "br",
                 "hr", "svg", "math", "base", "picture", "video", "audio", "canvas"}
PROSE_BLOCK_WORDS = 25    # a block this long is article prose, never furniture
WORDS = re.compile(r"\w+")
EMBEDDED_POST = re.compile(r"\b(twitter-tweet|instagram-media|tiktok-embed)\b")
# A class naming a pop-up card itself ("tooltiptext", "rollover-block"), not its trigger ("has-tooltip").
HOVER_CARD = re.compile(r"^(?!has[-_])(?:[\w-]*[-_])?(?:tooltip|popover|hovercard|rollover)(?:[-_]?[\w]*[-_]?"
                        r"(?:text|content|block|inner|body|card))?$", re.IGNORECASE)
SECTION_TAGS = {"div", "section", "article", "main"}
HEADING_TAGS = ("h1", "h2", "h3", "h4", "h5", "h6")
FURNITURE_WORDS = 12      # what may stand between two chunks of one article body (an "Advertisement" label)
MAX_DEPTH = 160           # well under libxml2's 256, leaving room for the elements trafilatura adds
BARE_VALUE = re.compile(r"^(?:https?://\S+|\S+@\S+\.\w+|\d{4}-\d{2}-\d{2}(?:T[\d:.+-]+Z?)?)$")
MARKUP_CHARACTERS = re.compile(r"[<>\"]")
TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9:-]*)([^>]*)>")
# Plug-in elements hold no article text, and libxml2 nests everything after an <embed> (or an unclosed
# <object>) inside it, where the extractor drops it with the element: their tags go before parsing.
PLUGIN_TAG = re.compile(r"""</?(?:embed|object|applet|param|noembed)\b(?:[^>"']|"[^"]*"|'[^']*'){0,4000}>""",
                        re.IGNORECASE)
VOID_ELEMENTS = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
                           "param", "source", "track", "wbr", "keygen", "command"})
# lxml.html picks each element's class in Python (form fields get their own), once per element touched, by
# us and by the extractors; nothing here uses the form classes, so one class for all, picked in C.
PLAIN_HTML_CLASSES = etree.ElementDefaultClassLookup(
    element=lxml_html.HtmlElement, comment=lxml_html.HtmlComment, pi=lxml_html.HtmlProcessingInstruction,
    entity=lxml_html.HtmlEntity)
# The fragment may only hold structure that maps onto Blocks; everything else is unwrapped to its text.
ALLOWED_TAGS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "ul", "ol", "li", "table", "tr",
                "td", "th", "pre", "code", "br", "div", "body", "html", "b", "i", "em", "strong"}
BLOCK_TAGS = {"p": "paragraph", "h1": "heading", "h2": "heading", "h3": "heading", "h4": "heading",
              "h5": "heading", "h6": "heading", "blockquote": "quote", "li": "bullet", "pre": "code",
              "tr": "paragraph", "div": "paragraph"}


def clean_html(raw: RawArticle) -> CleanedDocument:
    """The article in a saved HTML page; raises ExtractionError when the page holds no article text."""
    tree = parse_page(raw)
    meta = page_metadata(tree)
    repair_for_extraction(tree)
    huge = len(raw.text) > FAST_EXTRACTION_CHARS
    with readability_second_opinion() as second_opinion:
        extracted = _trafilatura_document(tree, meta.url, fast=huge)
    blocks = _article_blocks(extracted, meta.title)
    if _worth_judging(blocks, second_opinion):
        blocks = judge(blocks, _fragment_blocks(second_opinion, meta.title))
    if not blocks:
        raise ExtractionError(raw.source, "no article text (empty page, or only a consent wall / boilerplate)")
    title = meta.title or strip_site_suffix(extracted.title or "" if extracted else "")
    if len(title.split()) <= 2 and len(blocks) > 1 and blocks[0].kind == "heading":
        # A one-word page title ("Opinion") is a section name; the body's opening heading is the headline.
        title, blocks = blocks[0].text, _without_standfirst(blocks[1:])
    published = meta.published or (None if huge else _htmldate(tree))
    return CleanedDocument(
        source=raw.source, sha256=raw.sha256, title=title or _first_words(blocks),
        blocks=tuple(blocks), published=published or raw.captured,
        date_source="capture" if published else "file", captured=raw.captured,
        url=meta.url, site_name=meta.site_name or _extracted_field(extracted, "sitename"),
        author=meta.author or _extracted_field(extracted, "author"),
        language=meta.language or _extracted_field(extracted, "language"),
    )


def repair_for_extraction(tree: lxml_html.HtmlElement) -> None:
    """Apply the site-independent repairs that keep the extractor on the article's own text, in place."""
    paragraphs_from_text_divs(tree)
    paragraphs_from_line_breaks(tree)
    merge_split_article_bodies(tree)
    unmark_embedded_posts(tree)
    drop_hover_cards(tree)
    drop_shouted_link_paragraphs(tree)
    drop_teaser_lists(tree, load_rules())


def parse_page(raw: RawArticle) -> lxml_html.HtmlElement:
    """The page parsed by lxml, nesting flattened when too deep; raises ExtractionError when nothing parses."""
    markup = re.sub(r"^\s*<\?xml[^>]*>", "", raw.text.replace("\x00", ""))  # lxml refuses str + encoding decl
    markup = PLUGIN_TAG.sub(" ", markup)
    if not markup.strip():
        raise ExtractionError(raw.source, "no article text (the page is empty)")
    try:
        tree, too_deep = _parse(markup)
        if too_deep:
            # libxml2 stops at depth 256 and drops the rest of the page, so rebuild a shallower page first.
            tree, _ = _parse(flatten_deep_nesting(markup))
    except (etree.ParserError, ValueError) as error:
        raise ExtractionError(raw.source, f"no article text (unparsable page: {error})") from error
    return tree


def _parse(markup: str) -> tuple[lxml_html.HtmlElement, bool]:
    """The parsed page and whether libxml2 gave up on its nesting depth."""
    parser = lxml_html.HTMLParser(remove_comments=True, remove_pis=True)
    parser.set_element_class_lookup(PLAIN_HTML_CLASSES)
    tree = lxml_html.document_fromstring(markup, parser=parser)
    too_deep = any("Excessive depth" in error.message for error in parser.error_log)
    return tree, too_deep


def flatten_deep_nesting(markup: str, limit: int = MAX_DEPTH) -> str:
    """The markup with start/end tags beyond `limit` open elements removed (their text kept)."""
    pieces: list[str] = []
    stack: list[bool] = []       # per open element: was its start tag kept?
    position = 0
    changed = False
    for match in TAG.finditer(markup):
        closing, name, rest = match.group(1), match.group(2).lower(), match.group(3)
        if name in VOID_ELEMENTS or rest.rstrip().endswith("/"):
            continue
        if closing:
            keep = stack.pop() if stack else True
        else:
            keep = len(stack) < limit
            stack.append(keep)
        if not keep:
            pieces.append(markup[position:match.start()])
            position = match.end()
            changed = True
    if not changed:
        return markup
    pieces.append(markup[position:])
    return "".join(pieces)


def paragraphs_from_text_divs(tree: lxml_html.HtmlElement) -> None:
    """Turn each <div> that holds one sentence of text and sits among <p> siblings into a <p>, in place.

    Pages write paragraphs as text-only divs too; among <p> paragraphs trafilatura keeps the <p>s and
    silently drops such divs, losing sentences from the middle of the article.
    """
    candidates = [div for div in tree.iter("div") if _is_text_div(div)]
    # Forwards, then backwards: a run of such divs after (or before) a paragraph converts one by one.
    for div in candidates + candidates[::-1]:
        if div.tag == "div" and _next_to_paragraph(div):
            div.tag = "p"


def _is_text_div(div: lxml_html.HtmlElement) -> bool:
    if len(div) > 3 or any(isinstance(child.tag, str) and child.tag not in INLINE_IN_TEXT for child in div):
        return False
    words = div.text_content().split()
    return len(words) >= 5 and bool(SENTENCE_END.search(words[-1]))  # the pattern reads the last character


def _next_to_paragraph(element: lxml_html.HtmlElement) -> bool:
    """True when the nearest sibling element before or after it, leaving out elements without text of
    their own (frames, forms, styles, images), is a <p>."""
    for siblings in (element.itersiblings(preceding=True), element.itersiblings()):
        neighbour = next((sibling for sibling in siblings if sibling.tag not in TEXTLESS_TAGS), None)
        if neighbour is not None and neighbour.tag == "p":
            return True
    return False


def paragraphs_from_line_breaks(tree: lxml_html.HtmlElement) -> None:
    """Wrap the loose text of a <div> that writes its paragraphs as text between <br>s into <p>s, in place.

    Extractors look for paragraphs; an article written straight into a div with line breaks loses its
    opening lines to them (the first run of text is taken for a caption or label).
    """
    parents = {id(br.getparent()): br.getparent() for br in tree.iter("br") if br.getparent() is not None}
    for div in [div for div in parents.values() if div.tag == "div" and _writes_loose_text(div)]:
        pieces: list[lxml_html.HtmlElement] = []
        paragraph = lxml_html.Element("p")
        paragraph.text = div.text
        for child in list(div):
            tail, child.tail = child.tail, None
            if child.tag in INLINE_IN_TEXT and child.tag != "br":
                paragraph.append(child)
            else:
                pieces += [paragraph] if paragraph.text_content().strip() else []
                pieces.append(child)
                paragraph = lxml_html.Element("p")
            if len(paragraph):
                paragraph[-1].tail = tail
            else:
                paragraph.text = (paragraph.text or "") + (tail or "")
        pieces += [paragraph] if paragraph.text_content().strip() else []
        div.text = None
        div[:] = pieces


def _writes_loose_text(div: lxml_html.HtmlElement) -> bool:
    loose = len((div.text or "").split()) + sum(len((child.tail or "").split()) for child in div)
    return loose >= PROSE_BLOCK_WORDS


def merge_split_article_bodies(tree: lxml_html.HtmlElement) -> None:
    """Join an article body that the page splits into several containers alike (same tag and class,
    separated only by ads or empty layout) into the first of them, in place.

    Pages cut long articles into chunks between ad slots; the extractor picks one chunk and loses the rest.
    Containers told apart by a heading, a title link or other text of their own (a listing's posts) stay.
    """
    containers: dict[tuple[str, str], list[lxml_html.HtmlElement]] = {}
    for paragraph in tree.iter("p"):
        parent = paragraph.getparent()
        klass = (parent.get("class") or "").strip() if parent is not None else ""
        if not klass or parent.tag not in SECTION_TAGS:
            continue
        group = containers.get((parent.tag, klass))
        if group and group[-1] is parent:
            continue  # the container is in already: its other paragraphs need not be read
        if len(paragraph.text_content().split()) >= PROSE_BLOCK_WORDS:
            containers.setdefault((parent.tag, klass), []).append(parent)
    for group in containers.values():
        unique = list(dict.fromkeys(group))
        first = unique[0]
        for chunk in unique[1:]:
            if _only_furniture_between(first, chunk):
                first.extend(list(chunk))
            else:
                first = chunk


def _only_furniture_between(first: lxml_html.HtmlElement, second: lxml_html.HtmlElement) -> bool:
    """True when the two containers sit in neighbouring subtrees with no heading and at most a few words
    outside them (ad labels), so they are one text cut in two."""
    first_line = [first, *first.iterancestors()]
    second_line = [second, *second.iterancestors()]
    second_set = set(second_line)
    common = next((element for element in first_line if element in second_set), None)
    if common is None or common is first or common is second:
        return False
    upper, lower = first_line[first_line.index(common) - 1], second_line[second_line.index(common) - 1]
    if upper is first or lower is second:  # siblings: their parent holds both, the extractor finds it
        return False
    between = list(upper.itersiblings())
    if lower not in between:
        return False
    words = 0
    for piece in [upper, *between[:between.index(lower)], lower]:
        outside = _words_outside(piece, (first, second))
        if outside is None:
            return False
        words += outside
    return words <= FURNITURE_WORDS


def _words_outside(element: lxml_html.HtmlElement, skipped: tuple[lxml_html.HtmlElement, ...]) -> int | None:
    """The number of words in an element's subtree outside the skipped elements; None when it holds a
    heading there."""
    if any(element is container for container in skipped):
        return 0
    if element.tag in HEADING_TAGS:
        return None
    words = len((element.text or "").split())
    for child in element:
        inner = _words_outside(child, skipped)
        if inner is None:
            return None
        words += inner + len((child.tail or "").split())
    return words


def unmark_embedded_posts(tree: lxml_html.HtmlElement) -> None:
    """Take the embed classes off quoted social posts (tweets, Instagram posts) in place, so the extractor
    keeps them as the quotes they are: the article quotes them as it quotes a speaker."""
    for quote in tree.iter("blockquote"):
        if not EMBEDDED_POST.search(quote.get("class") or ""):
            continue
        words = len(quote.text_content().split())
        # Wrappers holding nothing but the post carry embed classes too ("social-embed", "tweet").
        for element in [quote, *quote.iterancestors()]:
            if len(element.text_content().split()) != words:
                break
            for name in ("class", "id"):
                element.attrib.pop(name, None)


def drop_hover_cards(tree: lxml_html.HtmlElement) -> None:
    """Remove the pop-up cards (tooltips, hover cards) that pages nest inside paragraphs, in place.

    They are hidden until hovered, yet their text (a person's latest headlines) sits inside the sentence
    and reads as part of it. The word they annotate stays: only the card's own container goes.
    """
    cards = [element for paragraph in tree.iter("p") for element in paragraph.iterdescendants()
             if isinstance(element.tag, str) and any(map(HOVER_CARD.match, (element.get("class") or "").split()))]
    for card in cards:
        if card.getparent() is not None:
            card.drop_tree()


def drop_shouted_link_paragraphs(tree: lxml_html.HtmlElement) -> None:
    """Remove the paragraphs that are one link written in capitals ("CLICK HERE TO GET THE APP", another
    story's headline), in place: cross-promotion set between the article's paragraphs."""
    for paragraph in list(tree.iter("p")):
        links = list(paragraph.iter("a"))
        if len(links) != 1:
            continue  # most paragraphs: no need to read their text
        text = " ".join(paragraph.text_content().split())
        if len(text.split()) >= 3 and text == text.upper() != text.lower() \
                and " ".join(links[0].text_content().split()) == text:
            paragraph.drop_tree()


def drop_teaser_lists(tree: lxml_html.HtmlElement, rules: BoilerplateRules) -> None:
    """Remove each "Related posts" / "You may also like" heading and the teaser containers after it.

    The teasers of other posts are often long excerpts, so dropping short blocks under the heading later
    cannot catch them. Only containers go: a heading followed by paragraphs is inside the article.
    """
    for heading in [element for element in tree.iter(*HEADING_TAGS)
                    if rules.opens_link_block(" ".join(element.text_content().split()))]:
        after = [sibling for sibling in heading.itersiblings() if isinstance(sibling.tag, str)]
        if heading.getparent() is None or any(sibling.tag in {"p", *HEADING_TAGS} for sibling in after):
            continue
        for sibling in after:
            sibling.drop_tree()
        heading.drop_tree()


def _trafilatura_document(tree: lxml_html.HtmlElement, url: str, fast: bool) -> Document | None:
    # Any format but "python" leaves `Document.text` unset: we read the body tree only, and rendering its
    # text (after a deep copy of the tree) took a tenth of our time on small pages.
    result = trafilatura.bare_extraction(
        tree, url=url or None, fast=fast, include_comments=False, include_tables=True, include_formatting=True,
        with_metadata=False, output_format="txt",
    )
    return result if isinstance(result, Document) else None


def _article_blocks(extracted: Document | None, title: str) -> list[Block]:
    if extracted is None or extracted.body is None:
        return []
    return _sanitised_blocks(build_html_output(extracted), title)


def _worth_judging(ours: list[Block], second_opinion: list[lxml_html.HtmlElement]) -> bool:
    """False when a quick word count already shows the judge would keep ours (the lengths are close), so
    readability's result need not be turned into blocks; loose, since cleaning shortens readability's text."""
    if not ours or not second_opinion:
        return False
    our_count = sum(len(_text_words(block.text)) for block in ours)
    their_count = len(WORDS.findall(second_opinion[-1].text_content()))
    return our_count > 0.9 * LONGER_THAN_SECOND * their_count or their_count > SHORTER_THAN_SECOND * our_count


def _fragment_blocks(elements: list[lxml_html.HtmlElement], title: str) -> list[Block]:
    if not elements or not len(elements[-1]):
        return []
    return _sanitised_blocks(etree.tostring(elements[-1], encoding="unicode"), title)


def _sanitised_blocks(markup: str, title: str) -> list[Block]:
    fragment = nh3.clean(markup, tags=ALLOWED_TAGS, attributes={}, clean_content_tags={"script", "style"},
                         link_rel=None)
    return tidy_blocks(blocks_from_fragment(fragment), title)


@contextmanager
def readability_second_opinion() -> Iterator[list[lxml_html.HtmlElement]]:
    """A list that receives what readability found in the page while trafilatura extracts it.

    trafilatura runs its readability fork on every page (outside fast mode) to judge its own result, and
    keeps it only when it is more than twice as long; the judge below wants that second opinion too, and
    asking trafilatura for it costs nothing, where running readability again would double the time.
    """
    found: list[lxml_html.HtmlElement] = []
    original = getattr(trafilatura_external, "try_readability", None)
    if original is None:  # another trafilatura version: no second opinion, the judge keeps ours
        yield found
        return

    def recording(htmlinput: lxml_html.HtmlElement) -> lxml_html.HtmlElement:
        result: lxml_html.HtmlElement = original(htmlinput)
        found.append(result)
        return result

    trafilatura_external.try_readability = recording
    try:
        yield found
    finally:
        trafilatura_external.try_readability = original


def judge(ours: list[Block], second: list[Block]) -> list[Block]:
    """Our blocks, or readability's where the two disagree in a way that says ours is wrong: ours much
    longer, holding nearly all of readability's text, and what only ours has is short blocks (teasers,
    prompts, captions: page furniture), or readability much longer while holding nearly all of ours (ours
    stopped early)."""
    if not second or not ours:
        # Nothing left of ours means boilerplate only (trafilatura already takes readability's text when
        # its own is empty), so readability's leftovers (consent buttons) are no better.
        return ours
    our_words, their_words = _words(ours), _words(second)
    our_runs, their_runs = _runs(our_words), _runs(their_words)
    if len(our_words) > LONGER_THAN_SECOND * len(their_words) and _share_found(their_runs, our_runs) >= 0.85:
        only_ours = [block for block in ours if _share_found(_runs(_text_words(block.text)), their_runs) < 0.5]
        if all(len(_text_words(block.text)) < PROSE_BLOCK_WORDS for block in only_ours):
            return second
    if len(their_words) > SHORTER_THAN_SECOND * len(our_words) and _share_found(our_runs, their_runs) >= 0.85:
        return second
    return ours


def _words(blocks: list[Block]) -> list[str]:
    return [word for block in blocks for word in _text_words(block.text)]


def _block_words(block: Block) -> tuple[str, ...]:
    return _text_words(block.text)


@lru_cache(maxsize=512)
def _text_words(text: str) -> tuple[str, ...]:
    # Tidying, the quick count and the judge read the same blocks' words again: find them once.
    return tuple(WORDS.findall(text))


def _share_found(runs: set[tuple[str, ...]], other: set[tuple[str, ...]]) -> float:
    """The share of the 4-word runs of one text that also occur in another."""
    return len(runs & other) / len(runs) if runs else 1.0


def _runs(words: Sequence[str]) -> set[tuple[str, ...]]:
    if len(words) < 4:
        return {tuple(words)}  # a short text is one run of its own
    return set(zip(words, words[1:], words[2:], words[3:]))


def tidy_blocks(blocks: list[Block], title: str) -> list[Block]:
    """The blocks without what extractors commonly let through: stock phrases, the headline (it is
    metadata), long passages printed twice, bare URLs and timestamps, a leading standfirst, "Related" link
    blocks, the author's bio or company profile closing the article, and trailing labels. Short blocks
    printed twice stay: pages repeat them on purpose (poll options, list entries), and so do the benchmark's
    article bodies."""
    rules = load_rules()
    headline_key = title_key(title)
    kept: list[Block] = []
    in_link_block = False
    for block in blocks:
        if rules.opens_link_block(block.text):
            in_link_block = True
            continue
        if in_link_block and (block.kind in {"bullet", "heading"} or len(block.text.split()) < 12):
            continue
        in_link_block = False
        if _folds_to_nothing_or(block.text, headline_key) or rules.is_stock_line(block.text) \
                or BARE_VALUE.match(block.text):
            continue
        kept.append(block)
    return _without_trailing_labels(_without_sign_off(without_repeats(_without_standfirst(kept), _block_words)))


def _without_sign_off(blocks: list[Block]) -> list[Block]:
    """The blocks above the author's bio or the company's profile that closes the article ("Jane Doe is a
    reporter for ...", "Acme is a leading provider of ..."), as in text captures: only near the end, so a
    story about a reporter or a company goes on."""
    words = [len(block.text.split()) for block in blocks]
    total, above = sum(words), 0
    for index, block in enumerate(blocks):
        if above >= COMMENTS_AFTER_WORDS and total - above <= BIO_MAX_WORDS and signs_off(block.text):
            return blocks[:index]
        above += words[index]
    return blocks


def _without_trailing_labels(blocks: list[Block]) -> list[Block]:
    """The blocks without the one- to three-word paragraphs ending the article: tags, keywords, site names."""
    end = len(blocks)
    while end > 1 and blocks[end - 1].kind == "paragraph" and len(blocks[end - 1].text.split()) <= 3 \
            and not SENTENCE_END.search(blocks[end - 1].text):
        end -= 1
    return blocks[:end]



def _without_standfirst(blocks: list[Block]) -> list[Block]:
    # A long heading before the first paragraph is the standfirst (dek) under the headline: page furniture.
    if len(blocks) > 1 and blocks[0].kind == "heading" and len(blocks[0].text.split()) >= 10:
        return blocks[1:]
    return blocks


def blocks_from_fragment(fragment: str) -> list[Block]:
    """Plain-text Blocks for a sanitised HTML fragment, in reading order."""
    if not fragment.strip():
        return []
    root = lxml_html.fragment_fromstring(fragment, create_parent="div")
    blocks: list[Block] = []
    _collect(root, blocks, "paragraph")
    return blocks


CONTAINER_TAGS = frozenset(BLOCK_TAGS) | {"ul", "ol", "table"}
INLINE_TAGS = {"b", "i", "em", "strong", "code", "br"}


def _collect(element: lxml_html.HtmlElement, blocks: list[Block], context: BlockKind) -> None:
    """Blocks for the children of a container; loose text and inline runs between blocks become paragraphs.

    `context` is the kind plain paragraphs take here: "quote" inside <blockquote>, the list's kind inside
    a list item, else "paragraph".
    """
    pending: list[str] = [element.text or ""]
    for child in element:
        tag = child.tag.lower() if isinstance(child.tag, str) else ""
        if tag in INLINE_TAGS:
            pending.append(child.text_content() if tag != "br" else " ")
        elif tag:
            _flush(pending, blocks, context)
            _collect_child(child, tag, blocks, context)
        pending.append(child.tail or "")
    _flush(pending, blocks, context)


def _collect_child(child: lxml_html.HtmlElement, tag: str, blocks: list[Block], context: BlockKind) -> None:
    if tag in {"ul", "ol"}:
        for item in child:
            if isinstance(item.tag, str):
                _collect_child(item, item.tag.lower(), blocks, "ordered" if tag == "ol" else "bullet")
        return
    inner = _context_inside(tag, context)
    if tag in BLOCK_TAGS and not _has_block_children(child):
        text = _text_of(child)
        if text:
            blocks.append(_block(tag, text, inner))
    else:
        _collect(child, blocks, inner)


def _context_inside(tag: str, context: BlockKind) -> BlockKind:
    if tag == "blockquote":
        return "quote"
    if tag == "li" and context not in {"bullet", "ordered"}:
        return "bullet"
    return context


def _flush(pending: list[str], blocks: list[Block], context: BlockKind) -> None:
    text = " ".join("".join(pending).split())
    if text:
        blocks.append(Block(context, text))
    pending.clear()


def _has_block_children(element: lxml_html.HtmlElement) -> bool:
    return any(isinstance(child.tag, str) and child.tag.lower() in CONTAINER_TAGS
               for child in element)


def _block(tag: str, text: str, context: BlockKind) -> Block:
    if BLOCK_TAGS[tag] == "heading" and context == "paragraph":
        return Block("heading", text, level=min(max(int(tag[1]), 2), 4))
    if tag == "pre":
        return Block("code", text)
    return Block(context, text)


def _text_of(element: lxml_html.HtmlElement) -> str:
    # Line breaks and table cells separate words even where the markup has no space between them.
    for separator in element.iter("br", "td", "th"):
        separator.tail = " " + (separator.tail or "")
    text = element.text_content()
    return " ".join(text.split())


def _folds_to_nothing_or(text: str, key: str) -> bool:
    """Whether `title_key(text)` is "" or `key`, reading the text only as far as it agrees with the key (most
    blocks differ from the title in their first word; folding all of them cost a third of tidying)."""
    position = 0
    for piece in title_key_pieces(text):
        if not key.startswith(piece, position):
            return False
        position += len(piece)
    return position in (0, len(key))


def _htmldate(tree: lxml_html.HtmlElement) -> datetime | None:
    """htmldate's quick search (no guessing from free text), for pages without date metadata.

    The <title> is taken out of the tree first: it is free text the page's author typed (a title smuggling
    a "Date: 1999-01-01" line is not a publication date); so are meta tags whose value holds markup, which
    htmldate would read by their date-shaped prefix ("2019-12-31T00:00:00Z\"><script>..."). The caller has
    read both already."""
    for element in list(tree.iter("title", "meta")):
        if element.tag == "title" or MARKUP_CHARACTERS.search(element.get("content") or ""):
            element.drop_tree()
    try:
        value = find_date(tree, extensive_search=False, original_date=True)
    except (ValueError, TypeError):
        return None
    return parse_date(value) if isinstance(value, str) and value else None


def _extracted_field(extracted: Document | None, name: str) -> str:
    value = getattr(extracted, name, None) if extracted is not None else None
    return " ".join(value.split()) if isinstance(value, str) else ""


def _first_words(blocks: list[Block]) -> str:
    words = blocks[0].text.split()
    return " ".join(words[:12]) + ("…" if len(words) > 12 else "")

