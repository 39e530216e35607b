"""Briefing -> Markdown file with Pelican metadata, written atomically.

The header is Pelican's `Key: value` form, one key per line, each key once, in a fixed order, ended by a
blank line. Every value is one line: line breaks and control characters in article text cannot start a new
metadata key. The body is the article's blocks as Markdown in which every character that could become markup
is escaped, so article text always renders as text.

The last header line, `Fingerprint`, is the SHA-256 of everything else in the file. A file whose content no
longer matches its fingerprint was edited by a curator and is never overwritten.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from briefings.documents import Block, Briefing

FINGERPRINT_KEY = "Fingerprint"
HEADER_KEYS = (
    "Title", "Date", "Date_Source", "Captured", "Source", "Source_Url", "Section", "Byline", "Language",
    "Topics", "Tags", "Summary", "Key_Points", "Raw", "Raw_Sha256", "Also_Sources", "Uid", "Modified",
    "Note", "Featured", "Withdrawn", FINGERPRINT_KEY,
)
# Keys a curator adds by hand; ingest never writes them from article text.
CURATOR_KEYS = ("Modified", "Note", "Featured", "Withdrawn")
LIST_SEPARATOR = " | "  # between key points, and between sources; never inside a value
KEY_POINT_SEPARATOR = LIST_SEPARATOR

# Characters CommonMark may read as inline markup anywhere in a line.
_INLINE_MARKUP = re.compile(r"([\\`*_\[\]<>!{}|&~])")
# Line starts that CommonMark may read as a block: headings, quotes, lists, fences, rules, tables.
_BLOCK_START = re.compile(r"^(\s*)([#>+=\-]|\d+[.)])")
# Characters a briefing file must not hold in a header value: they break the file itself (a line separator
# starts a new metadata line, a NUL or BOM confuses readers). Not html_metadata.INVISIBLE_CHARACTERS, which decides
# what prints nothing when text is cleaned: a soft hyphen is invisible yet harmless here, and U+2028 is the reverse.
_CONTROL_CHARS = r"\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufeff\ufffe\uffff\u2028\u2029"
_SURROGATE_CHARS = r"\ud800-\udfff"   # lone surrogates: not encodable as UTF-8
# Every character str.split() splits on but the space (a test checks the list against the Unicode database).
_OTHER_WHITE_SPACE = r"\t\n\x0b\x0c\r\x1c-\x1f\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
_CONTROL = re.compile(f"[{_CONTROL_CHARS}]")
_SURROGATE = re.compile(f"[{_SURROGATE_CHARS}]")
_NOT_ONE_LINE_CHAR = re.compile(f"[{_CONTROL_CHARS}{_SURROGATE_CHARS}{_OTHER_WHITE_SPACE}]")


def one_line(value: str) -> str:
    """The value as a single clean line: NFC, controls dropped, every run of white space one space."""
    value = unicodedata.normalize("NFC", value)
    if _is_one_line(value):
        return value
    value = _SURROGATE.sub("", _CONTROL.sub(" ", value))
    return " ".join(value.split())


def _is_one_line(value: str) -> bool:
    """Whether one_line leaves this NFC text as it is: no control, surrogate or white space but single spaces
    between words. Most values are; checking costs a third of the substitutions and split that find nothing."""
    return not (_NOT_ONE_LINE_CHAR.search(value) or "  " in value or value.startswith(" ") or value.endswith(" "))


def escape_markdown(text: str) -> str:
    """Plain text -> Markdown that renders back to exactly that text."""
    return _escape_line(one_line(text))


def _escape_line(line: str) -> str:
    """escape_markdown of a value that is already one_line."""
    # Searched first: most lines hold no markup character, and a search costs half a substitution that
    # finds nothing (which still prepares its replacement template).
    if _INLINE_MARKUP.search(line):
        line = _INLINE_MARKUP.sub(r"\\\1", line)
    return _BLOCK_START.sub(_escape_block_start, line)


def _escape_block_start(match: re.Match[str]) -> str:
    indent, marker = match.group(1), match.group(2)
    # "1." or "1)" starts an ordered list only through its punctuation; "#", ">", "-"... through themselves.
    return f"{indent}{marker[:-1]}\\{marker[-1]}"


def render_block(block: Block, index_in_list: int, line: str) -> str:
    """One block as Markdown; `line` is one_line(block.text)."""
    text = _escape_line(line)
    if block.kind == "heading":
        return f"{'#' * min(max(block.level, 2), 4)} {text}"
    if block.kind == "quote":
        return f"> {text}"
    if block.kind == "bullet":
        return f"- {text}"
    if block.kind == "ordered":
        return f"{index_in_list}. {text}"
    return text


def render_body(blocks: Iterable[Block]) -> str:
    """The article's blocks as Markdown; list items stay together, other blocks are separated by a blank line."""
    parts: list[str] = []
    previous_kind = ""
    list_index = 0
    for block in blocks:
        line = one_line(block.text)
        if not line:
            continue
        is_item = block.kind in ("bullet", "ordered")
        list_index = list_index + 1 if is_item and block.kind == previous_kind else 1
        separator = "\n" if is_item and block.kind == previous_kind else "\n\n"
        parts.append((separator if parts else "") + render_block(block, list_index, line))
        previous_kind = block.kind
    return "".join(parts) + "\n"


def header_values(briefing: Briefing) -> dict[str, str]:
    """The metadata values of a briefing, keyed as in HEADER_KEYS (Fingerprint excluded)."""
    doc = briefing.document
    return {
        "Title": doc.title,
        "Date": doc.published.isoformat(timespec="seconds"),
        "Date_Source": doc.date_source,
        "Captured": doc.captured.isoformat(timespec="seconds"),
        "Source": doc.site_name,
        "Source_Url": doc.url,
        "Section": doc.section,
        "Byline": doc.author,
        "Language": doc.language,
        "Topics": ", ".join(briefing.tagging.topics),
        "Tags": ", ".join(entity.name.replace(",", " ") for entity in briefing.tagging.entities),
        "Summary": briefing.digest.summary,
        "Key_Points": LIST_SEPARATOR.join(point.replace("|", "/") for point in briefing.digest.key_points),
        "Raw": briefing.raw_path,
        "Raw_Sha256": doc.sha256,
        "Uid": briefing.uid,
    }


def render_briefing(briefing: Briefing) -> str:
    """The whole briefing file: header, fingerprint, blank line, body."""
    return signed_briefing(briefing, render_body(briefing.document.blocks))


def signed_briefing(briefing: Briefing, body: str) -> str:
    """The whole briefing file around a body already rendered by render_body (ingest renders bodies in its
    worker processes, and only the header, which needs the slug and uid, in the process that writes)."""
    lines = []
    for key, value in header_values(briefing).items():
        line = one_line(value)
        if line:
            lines.append(f"{key}: {line}")
    return _with_fingerprint("\n".join(lines) + "\n\n" + body)


def with_value(existing: ExistingBriefing, key: str, value: str) -> str:
    """The briefing's file text with one header value set (in its place in HEADER_KEYS), signed anew."""
    values = {name: text for name, text in existing.metadata.items() if name != FINGERPRINT_KEY}
    values[key] = value
    ordered = [name for name in HEADER_KEYS if name in values] + [name for name in values if name not in HEADER_KEYS]
    lines = [f"{name}: {one_line(values[name])}" for name in ordered if one_line(values[name])]
    return _with_fingerprint("\n".join(lines) + "\n\n" + existing.body)


def _with_fingerprint(unsigned: str) -> str:
    header, body = unsigned.split("\n\n", 1)
    return f"{header}\n{FINGERPRINT_KEY}: {fingerprint(unsigned)}\n\n{body}"


def fingerprint(unsigned: str) -> str:
    return hashlib.sha256(unsigned.encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class ExistingBriefing:
    path: Path
    metadata: dict[str, str]
    body: str
    hand_edited: bool


def read_existing(path: Path) -> ExistingBriefing:
    """Parse a briefing file on disk and tell whether a curator edited it since it was written."""
    text = path.read_text(encoding="utf-8")
    header, _, body = text.partition("\n\n")
    metadata: dict[str, str] = {}
    kept_lines = []
    for line in header.splitlines():
        key, _, value = line.partition(":")
        metadata[key.strip()] = value.strip()
        if key.strip() != FINGERPRINT_KEY:
            kept_lines.append(line)
    recorded = metadata.get(FINGERPRINT_KEY, "")
    unsigned = "\n".join(kept_lines) + "\n\n" + body
    return ExistingBriefing(path=path, metadata=metadata, body=body, hand_edited=recorded != fingerprint(unsigned))


def write_atomically(path: Path, text: str) -> os.stat_result:
    """Write text to path through a temporary file, flushed to disk, and a rename: no reader, and no crash,
    ever leaves half a file. Returns the written file's status (its size and time, as `stat` reads them)."""
    return _replace(path, text, durable=True)


def write_output(path: Path, text: str) -> None:
    """Write a regenerable output (`briefings extract`) the same way, without waiting for the disk."""
    _replace(path, text, durable=False)


def _replace(path: Path, text: str, durable: bool) -> os.stat_result:
    # Encoded before the temporary file exists: text that cannot be written leaves nothing behind. The bytes go
    # straight to the file descriptor, without the text and buffer layers of a stream around it.
    data = text.encode("utf-8")
    try:
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix="tmp-", suffix=".part")
    except (FileNotFoundError, NotADirectoryError):
        # Only a write into a missing folder gets here (to create it, or to raise as mkdir does when a file
        # stands in its place): every other write saves asking whether the folder exists.
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix="tmp-", suffix=".part")
    try:
        try:
            _write_all(handle, data)
            if durable:
                os.fsync(handle)
            written = os.fstat(handle)
        finally:
            os.close(handle)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return written


def _write_all(handle: int, data: bytes) -> None:
    """Write every byte: os.write may write fewer than it was given (a signal, a full disk) and says how many."""
    view = memoryview(data)
    while view:
        view = view[os.write(handle, view):]
