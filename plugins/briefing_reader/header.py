"""The `Key: value` header of a briefing file -> typed metadata values. No Pelican imports.

The format is written by scripts/briefings/write_briefing.py: one key per line, each key once, then a blank
line and the Markdown body. Keys are kept in Pelican's lower-case form (`Date_Source` -> `date_source`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from briefings.errors import PipelineError
from briefings.write_briefing import FINGERPRINT_KEY, HEADER_KEYS, KEY_POINT_SEPARATOR, fingerprint

REQUIRED_KEYS = ("Title", "Date", "Uid")
# Keys a curator adds by hand, never the ingest step: `Modified: <ISO 8601>` (when the briefing was edited),
# `Note: <text>` (shown above the body), `Featured: yes` (home page), `Withdrawn: yes` (off the whole site, the
# file stays). Listed here too so that this reader accepts them whatever the writer's HEADER_KEYS hold.
CURATOR_KEYS = ("Modified", "Note", "Featured", "Withdrawn")
READER_KEYS = tuple(dict.fromkeys((*HEADER_KEYS, "Also_Sources", *CURATOR_KEYS)))
YES_NO_KEYS = ("Featured", "Withdrawn")
YES_NO = {"yes": True, "no": False}
DATE_SOURCES = ("capture", "file")
LIST_SEPARATORS = {"Topics": ", ", "Key_Points": KEY_POINT_SEPARATOR, "Also_Sources": KEY_POINT_SEPARATOR}
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:")
_HEADER_LINE = re.compile(r"^([A-Za-z][A-Za-z0-9_]*):[ \t]*(.*)$")
_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


class BriefingReadError(PipelineError):
    """A briefing file's header is malformed; the message names the file and the key."""


@dataclass(frozen=True, slots=True)
class BriefingSource:
    header: dict[str, str]   # original key -> raw value, in file order
    body: str                # Markdown


def split_briefing(text: str, source: Path) -> BriefingSource:
    """Header and body of a briefing file; raises BriefingReadError on a malformed or incomplete header."""
    text = text.removeprefix("\ufeff").replace("\r\n", "\n")
    header_text, _, body = text.partition("\n\n")
    header: dict[str, str] = {}
    problems: list[str] = []
    for number, line in enumerate(header_text.splitlines(), start=1):
        match = _HEADER_LINE.match(line)
        if match is None:
            problems.append(f"header line {number} is not `Key: value`")
            continue
        key, value = match.group(1), match.group(2).strip()
        if key in header:
            problems.append(f"{key}: appears twice")
        if key not in READER_KEYS:
            problems.append(f"{key}: unknown key (known: {', '.join(READER_KEYS)})")
        header[key] = value
    problems.extend(f"{key}: missing" for key in REQUIRED_KEYS if not header.get(key))
    problems.extend(_value_problems(header))
    if problems:
        raise BriefingReadError(source, "; ".join(problems))
    return BriefingSource(header=header, body=body)


def _value_problems(header: dict[str, str]) -> list[str]:
    problems = []
    if header.get("Date_Source", "capture") not in DATE_SOURCES:
        problems.append(f"Date_Source: {header['Date_Source']!r} is not one of {', '.join(DATE_SOURCES)}")
    if header.get("Uid") and not _UUID.match(header["Uid"]):
        problems.append(f"Uid: {header['Uid']!r} is not a lower-case UUID")
    problems.extend(f"{key}: {header[key]!r} is not yes or no" for key in YES_NO_KEYS
                    if key in header and header[key].lower() not in YES_NO)
    return problems


def yes(value: str) -> bool:
    """A yes/no header value (any case) as a bool; split_briefing has already refused anything else."""
    return YES_NO[value.lower()]


@dataclass(frozen=True, slots=True)
class OtherSource:
    name: str   # the outlet as the page shows it
    link: str   # an absolute http(s) address to link to, or ""


def other_sources(value: str) -> list[OtherSource]:
    """The Also_Sources header as the outlets that also published the story: each entry is an outlet name, then
    optionally an absolute URL as its last word. Only an http(s) URL becomes a link; any other URL (a
    `javascript:` one) is dropped, and an entry that is only a URL is named by its host."""
    sources = []
    for entry in split_list("Also_Sources", value):
        name, _, last = entry.rpartition(" ")
        if not _SCHEME.match(last):
            sources.append(OtherSource(name=entry, link=""))
            continue
        link = web_link(last)
        label = name.strip() or (urlsplit(link).hostname or "" if link else "")
        if label:
            sources.append(OtherSource(name=label, link=link))
    return sources


def edited_since_written(text: str) -> bool:
    """True when the file carries a Fingerprint that no longer matches its content (a curator edited it after
    the ingest step wrote it); False when it matches or when there is none (files written by hand)."""
    text = text.removeprefix("\ufeff").replace("\r\n", "\n")
    header, _, body = text.partition("\n\n")
    kept, recorded = [], ""
    for line in header.splitlines():
        key, _, value = line.partition(":")
        if key.strip() == FINGERPRINT_KEY:
            recorded = value.strip()
        else:
            kept.append(line)
    return bool(recorded) and recorded != fingerprint("\n".join(kept) + "\n\n" + body)


def split_list(key: str, value: str) -> list[str]:
    """A list-valued header (Topics, Key_Points) as its items, empty items dropped."""
    return [item.strip() for item in value.split(LIST_SEPARATORS[key]) if item.strip()]


def metadata_key(key: str) -> str:
    """Pelican's name for a header key: lower case (`Key_Points` -> `key_points`)."""
    return key.lower()


def web_link(url: str) -> str:
    """The URL when it is an absolute http(s) link a page may point to, else "" (no `javascript:` hrefs)."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return ""
    if parts.scheme.lower() in ("http", "https") and parts.netloc and not any(c.isspace() for c in url):
        return url
    return ""


def source_label(source: str, link: str) -> str:
    """How the page names the source: the Source header, else the link's host name, else ""."""
    return source or urlsplit(link).hostname or ""


def reading_minutes(body: str, words_per_minute: int = 220) -> int:
    """Whole minutes needed to read the body, at least 1."""
    return max(1, round(len(body.split()) / words_per_minute))
