"""Article metadata: titles without site suffixes, publication dates, and what a saved HTML page says about itself.

`page_metadata(tree)` reads a parsed page (lxml) and returns a `PageMetadata`; the helpers
`one_line_title`, `strip_site_suffix`, `parse_date` and `date_from_url` are shared with the text and Markdown
cleaners, which meet the same titles and dates in other shapes.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from functools import lru_cache
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

if TYPE_CHECKING:  # the text cleaner shares the title and date helpers and must not load lxml
    from lxml import html as lxml_html  # type: ignore[import-untyped, unused-ignore]

# Separators sites put between the headline and their own name: "Headline | Section | site.com".
TITLE_SEPARATORS_KEPT = re.compile(r"(\s+(?:\||–|—|-|·|::|»|/)\s+)")
DOMAIN = re.compile(r"^(?:www\.)?[\w-]+(?:\.[\w-]+)+$", re.UNICODE)
ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?\s*(Z|[+-]\d{2}:?\d{2})?)?\s*$")
URL_DATE = re.compile(r"/((?:19|20)\d{2})[/-](0?[1-9]|1[0-2])[/-](0?[1-9]|[12]\d|3[01])(?:/|-|$)")
MAX_TITLE_LENGTH = 300
# Characters that print nothing a reader could read: controls, format characters (soft hyphen, zero-width
# spaces and joiners, direction marks, byte-order mark), private use (icon fonts) and noncharacters. One set
# for titles, Markdown blocks and the lines of a text dump; as the body of a regex character class.
INVISIBLE_CHARACTERS = ("\x00-\x08\x0b-\x1f\x7f-\x9f\xad\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufeff"
                        "\ue000-\uf8ff\ufdd0-\ufdef\ufff0-\uffff")
INVISIBLE = re.compile(f"[{INVISIBLE_CHARACTERS}]")
# White space and invisible characters only: matching stops at the first visible character.
_BLANK_ON_THE_PAGE = re.compile(f"[\\s{INVISIBLE_CHARACTERS}]*")
WORD_CHARACTER = re.compile(r"\w")
LETTERS_OR_DIGITS = re.compile(r"[^\W_]+")
LANGUAGE_TAG = re.compile(r"^([A-Za-z]{2,3})(?:[-_][A-Za-z]{2,4})?\b")
# The elements `page_metadata` reads, besides the root's lang attribute.
METADATA_TAGS = ("meta", "link", "script", "title", "h1", "time")
KEY_VALUE_LINE = re.compile(r"^\s*[A-Za-z][A-Za-z_-]{0,30}\s*:(?:\s|$)")


@dataclass(frozen=True, slots=True)
class PageMetadata:
    title: str = ""
    published: datetime | None = None
    author: str = ""
    site_name: str = ""
    url: str = ""
    language: str = ""


def one_line_title(text: str) -> str:
    """The text on one line, whitespace collapsed, invisible characters removed, at most MAX_TITLE_LENGTH
    characters (cut at a word); "" when no letter or digit is left. A line break followed by a `Key: value`
    line ends the title there (smuggled metadata, not headline)."""
    lines = text.splitlines()
    injected = next((index for index, line in enumerate(lines) if index and KEY_VALUE_LINE.match(line)), None)
    line = " ".join(INVISIBLE.sub("", " ".join(lines[:injected])).split())
    if not WORD_CHARACTER.search(line):
        return ""  # only punctuation or symbols left: no title, so the caller falls back to the text's words
    if len(line) <= MAX_TITLE_LENGTH:
        return line
    return line[:MAX_TITLE_LENGTH].rsplit(" ", 1)[0]


def strip_site_suffix(title: str, site_name: str = "") -> str:
    """The headline without trailing " | Section | site" parts (or a leading "site | " part)."""
    pieces = TITLE_SEPARATORS_KEPT.split(one_line_title(title))
    parts, separators = pieces[0::2], [separator.strip() for separator in pieces[1::2]]
    site_key = title_key(site_name)
    while len(parts) > 1 and _is_name(parts[-1], separators[-1], site_key, max_words=5):
        parts.pop()
        separators.pop()
    while len(parts) > 1 and separators[0] in {"|", "::", "»"} | ({"-", "–", "—"} if site_key else set()) \
            and _is_name(parts[0], separators[0], site_key, max_words=4) and _site_like(parts[0], site_key):
        parts.pop(0)
        separators.pop(0)
    rebuilt = parts[0]
    for separator, part in zip(separators, parts[1:]):
        rebuilt += f" {separator} {part}"
    return rebuilt.strip()


def _is_name(part: str, separator: str, site_key: str, max_words: int) -> bool:
    """True when a title part beside a separator is the site's or a section's name, not headline words."""
    if _site_like(part, site_key):
        return True
    words = part.split()
    if separator in {"|", "::", "»", "/"}:
        return len(words) <= max_words
    # After a dash, only a short Capitalised Name counts ("- Sportsnet", "- The Anti-June Cleaver").
    return len(words) <= 3 and all(word[:1].isupper() or not word[:1].isalpha() for word in words)


def _site_like(part: str, site_key: str) -> bool:
    key = title_key(part)
    if site_key and key and (key in site_key or site_key in key):
        return True
    return bool(DOMAIN.match(part.strip())) or len(part.split()) <= 3 and not site_key


def prints_nothing(text: str) -> bool:
    """Whether the text holds nothing a reader would see: only white space and INVISIBLE characters (zero-width
    spaces, soft hyphens, icon-font glyphs, a byte-order mark, controls)."""
    return _BLANK_ON_THE_PAGE.fullmatch(text) is not None


@lru_cache(maxsize=8192)
def title_key(text: str) -> str:
    """The text as titles and site names are compared, by every cleaner: compatibility forms as their plain
    letters (NFKC: full-width digits, ligatures), case folded, letters and digits only ("Dam opens - 2nd
    spillway!" and "DAM OPENS ２ND SPILLWAY" are both "damopens2ndspillway"). Cached: a page's title is
    compared with many lines."""
    return "".join(title_key_pieces(text))


def title_key_pieces(text: str) -> Iterator[str]:
    """The runs of letters and digits that title_key joins, one at a time: a caller comparing with a key can
    stop at the first that differs."""
    for run in LETTERS_OR_DIGITS.finditer(unicodedata.normalize("NFKC", text).casefold()):
        yield run.group()


def parse_date(value: str) -> datetime | None:
    """An ISO 8601 date or timestamp as an aware datetime (UTC when the text has no offset); None if not one."""
    match = ISO_DATE.match(value.strip())
    if not match:
        return None
    year, month, day, hour, minute, second, offset = match.groups()
    try:
        naive = datetime(int(year), int(month), int(day), int(hour or 0), int(minute or 0), int(second or 0))
        return naive.replace(tzinfo=_offset_zone(offset))
    except ValueError:
        return None


def _offset_zone(offset: str | None) -> timezone:
    if not offset or offset == "Z":
        return timezone.utc
    sign = -1 if offset[0] == "-" else 1
    digits = offset[1:].replace(":", "")
    return timezone(sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:4])))


def date_from_url(url: str) -> datetime | None:
    """The /YYYY/MM/DD/ date many news URLs carry, as midnight UTC; None if the URL has none."""
    match = URL_DATE.search(urlsplit(url).path)
    if not match:
        return None
    try:
        return datetime(int(match[1]), int(match[2]), int(match[3]), tzinfo=timezone.utc)
    except ValueError:
        return None


def page_metadata(tree: lxml_html.HtmlElement, fallback_url: str = "") -> PageMetadata:
    """What the page says about itself: meta tags and JSON-LD first, then <title>, <time>, <html lang>."""
    elements = _metadata_elements(tree)
    meta = _meta_values(elements["meta"])
    linked = _json_ld_articles(elements["script"])
    url = _first(_canonical_url(elements["link"]), meta.get("og:url", ""), fallback_url)
    site_name = _first(meta.get("og:site_name", ""), _json_ld_field(linked, "publisher"),
                       meta.get("application-name", ""))
    raw_title = _first(meta.get("og:title", ""), _json_ld_field(linked, "headline"),
                       meta.get("twitter:title", ""), _first_text(elements["title"]), _first_text(elements["h1"]))
    return PageMetadata(
        title=strip_site_suffix(raw_title, site_name),
        published=_published(elements["time"], meta, linked, url),
        author=one_line_title(_first(_json_ld_field(linked, "author"), meta.get("author", ""),
                                     meta.get("article:author", ""), meta.get("byl", "")))[:200],
        site_name=one_line_title(site_name),
        url=url.strip(),
        language=_language(tree, meta),
    )


def _first(*values: str) -> str:
    return next((v.strip() for v in values if v and v.strip()), "")


def _metadata_elements(tree: lxml_html.HtmlElement) -> dict[str, list[lxml_html.HtmlElement]]:
    """The page's elements of each METADATA_TAGS tag, in document order: one walk of the page, not six."""
    found: dict[str, list[lxml_html.HtmlElement]] = {tag: [] for tag in METADATA_TAGS}
    for element in tree.iterdescendants(*METADATA_TAGS):
        found[element.tag].append(element)
    return found


def _meta_values(elements: list[lxml_html.HtmlElement]) -> dict[str, str]:
    values: dict[str, str] = {}
    for element in elements:
        key = (element.get("property") or element.get("name") or element.get("itemprop") or "").strip().lower()
        content = element.get("content") or ""
        if key and content.strip() and key not in values:
            values[key] = content.strip()
        if (element.get("http-equiv") or "").lower() == "content-language" and content:
            values.setdefault("content-language", content.strip())
    return values


def _canonical_url(links: list[lxml_html.HtmlElement]) -> str:
    for element in links:
        if "canonical" in (element.get("rel") or "").lower().split():
            href = (element.get("href") or "").strip()
            if href.startswith(("http://", "https://")):
                return href
    return ""


def _first_text(elements: list[lxml_html.HtmlElement]) -> str:
    return elements[0].text_content() if elements else ""


ARTICLE_TYPES = {"article", "newsarticle", "blogposting", "reportagenewsarticle", "webpage",
                 "analysisnewsarticle", "opinionnewsarticle", "liveblogposting", "socialmediaposting"}


def _json_ld_articles(scripts: list[lxml_html.HtmlElement]) -> list[dict[str, Any]]:
    """JSON-LD objects describing an article, most specific types first; broken JSON is ignored."""
    found: list[dict[str, Any]] = []
    for script in scripts:
        if "ld+json" not in (script.get("type") or "").lower():
            continue
        try:
            data = json.loads(script.text or "")
        except (ValueError, RecursionError):
            continue
        found.extend(_article_objects(data))
    return sorted(found, key=lambda obj: 1 if _types(obj) == {"webpage"} else 0)


def _article_objects(data: Any, depth: int = 0) -> list[dict[str, Any]]:
    if depth > 4:
        return []
    if isinstance(data, list):
        return [obj for item in data for obj in _article_objects(item, depth + 1)]
    if not isinstance(data, dict):
        return []
    found = [data] if _types(data) & ARTICLE_TYPES else []
    for key in ("@graph", "mainEntity", "mainEntityOfPage"):
        if key in data:
            found.extend(_article_objects(data[key], depth + 1))
    return found


def _types(obj: dict[str, Any]) -> set[str]:
    value = obj.get("@type", "")
    values = value if isinstance(value, list) else [value]
    return {str(v).lower() for v in values}


def _json_ld_field(objects: list[dict[str, Any]], key: str) -> str:
    for obj in objects:
        text = _as_text(obj.get(key))
        if text:
            return text
    return ""


def _as_text(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        return _as_text(value.get("name"))
    if isinstance(value, list):
        names = [_as_text(item) for item in value[:5]]
        return ", ".join(name for name in names if name)
    return ""


def _published(times: list[lxml_html.HtmlElement], meta: dict[str, str], linked: list[dict[str, Any]],
               url: str) -> datetime | None:
    candidates = [
        meta.get("article:published_time", ""), _json_ld_field(linked, "datePublished"),
        meta.get("datepublished", ""), meta.get("date", ""), meta.get("dc.date.issued", ""),
        meta.get("dcterms.created", ""), meta.get("pubdate", ""), meta.get("publishdate", ""),
        meta.get("sailthru.date", ""), meta.get("parsely-pub-date", ""), _time_element(times),
        _json_ld_field(linked, "dateCreated"), meta.get("og:updated_time", ""),
        _json_ld_field(linked, "dateModified"),
    ]
    for candidate in candidates:
        parsed = parse_date(candidate) if candidate else None
        if parsed and 1990 <= parsed.year <= 2100:
            return parsed
    return date_from_url(url)


def _time_element(times: list[lxml_html.HtmlElement]) -> str:
    for element in times:
        value = element.get("datetime") or ""
        if value.strip():
            return value.strip()
    return ""


def _language(tree: lxml_html.HtmlElement, meta: dict[str, str]) -> str:
    root = tree.getroottree().getroot()
    value = _first(root.get("lang") or "", root.get("xml:lang") or "", meta.get("content-language", ""),
                   meta.get("og:locale", ""), meta.get("language", ""))
    match = LANGUAGE_TAG.match(value)
    return match.group(0).replace("_", "-") if match else ""
