"""Raw capture on disk -> RawArticle: size limit, binary refusal, encoding detection.

The raw file is only ever opened for reading. Its size is checked from `stat` before a single byte is read,
so a 50 MiB capture costs nothing.
"""

from __future__ import annotations

import codecs
import hashlib
import re
from datetime import datetime, timezone
from pathlib import Path

from briefings.documents import CaptureKind, RawArticle
from briefings.errors import RejectedInput

# Captures up to 8 MiB must be accepted; 20 MiB and more must be refused. Real saved pages stay far below
# 16 MiB, and extraction of a page that size still takes seconds, so the limit sits there.
MAX_CAPTURE_BYTES = 16 * 1024 * 1024

HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml", ".shtml"})
MARKDOWN_SUFFIXES = frozenset({".md", ".markdown", ".mdown", ".mkd"})

# Leading bytes of formats that are never a text capture, whatever the file is called.
BINARY_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"RIFF", "a RIFF (WebP/WAV) file"),
    (b"\x1f\x8b", "gzip-compressed data"),
    (b"PK\x03\x04", "a zip archive"),
    (b"%PDF-", "a PDF document"),
    (b"BZh", "bzip2-compressed data"),
    (b"\xfd7zXZ\x00", "xz-compressed data"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-zip archive"),
    (b"\x7fELF", "an executable"),
    (b"\x00\x00\x01\x00", "an icon"),
    (b"OggS", "an Ogg media file"),
    (b"\x1a\x45\xdf\xa3", "a Matroska/WebM media file"),
)
BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# WHATWG Encoding Standard: these labels mean windows-1252 in a browser, and pages are written for browsers.
WHATWG_ALIASES = {"iso-8859-1": "cp1252", "latin1": "cp1252", "latin-1": "cp1252", "ascii": "cp1252",
                  "us-ascii": "cp1252", "iso8859-1": "cp1252", "l1": "cp1252", "windows-1252": "cp1252"}
_DECLARED_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_:.-]{1,40})""", re.I)
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")
# Every byte but the C0 controls that text never holds (tab, line feed, vertical tab, form feed and carriage
# return are text): deleting these from a sample leaves its controls, counted at C speed.
_NOT_BINARY_CONTROLS = bytes(byte for byte in range(256) if not (byte < 9 or 13 < byte < 32))


def capture_kind(path: Path) -> CaptureKind:
    """The kind of capture, from the file name's suffix."""
    suffix = path.suffix.lower()
    if suffix in HTML_SUFFIXES:
        return "html"
    if suffix in MARKDOWN_SUFFIXES:
        return "markdown"
    return "text"


def read_raw(path: Path) -> RawArticle:
    """Read and decode one capture; raises RejectedInput (empty, too large, binary) naming the file."""
    stat = path.stat()
    if stat.st_size > MAX_CAPTURE_BYTES:
        raise RejectedInput(path, "too-large", f"refused: too large ({stat.st_size:,} bytes; the limit is "
                                               f"{MAX_CAPTURE_BYTES:,} bytes)")
    data = path.read_bytes()
    if not data.strip():
        raise RejectedInput(path, "empty", "refused: empty file")
    refuse_binary(path, data)
    text, encoding = decode(data)
    text = _CONTROLS.sub("", text).lstrip("\ufeff")
    if not text.strip():
        raise RejectedInput(path, "empty", "refused: empty file (no text after decoding)")
    return RawArticle(
        source=path,
        kind=capture_kind(path),
        text=text,
        sha256=hashlib.sha256(data).hexdigest(),
        encoding=encoding,
        captured=datetime.fromtimestamp(int(stat.st_mtime), tz=timezone.utc),
    )


def refuse_binary(path: Path, data: bytes) -> None:
    """Raise RejectedInput when the bytes are an image, archive or other non-text format."""
    for signature, what in BINARY_SIGNATURES:
        if data.startswith(signature):
            raise RejectedInput(path, "binary", f"refused: binary file ({what}), not a text or HTML capture")
    if any(data.startswith(bom) for bom, _ in BOMS):
        return
    sample = data[:65536]
    # Text in any 8-bit encoding or UTF-8 has almost no C0 controls; a few stray NULs are malformed text.
    controls = len(sample.translate(None, _NOT_BINARY_CONTROLS))
    if controls > max(8, len(sample) // 20):
        raise RejectedInput(path, "binary", "refused: binary file (mostly non-text bytes)")


def decode(data: bytes) -> tuple[str, str]:
    """The text and the encoding used: a BOM wins, then valid UTF-8, then a declared charset that decodes
    cleanly, then detection."""
    for bom, encoding in BOMS:
        if data.startswith(bom):
            return data.decode(encoding, errors="replace"), encoding
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    declared = declared_charset(data)
    if declared:
        try:
            return data.decode(declared), declared
        except UnicodeDecodeError:
            pass
    # Imported here: detection is for the rare capture that is neither UTF-8 nor declares its charset, and
    # importing charset_normalizer costs every ingest process milliseconds before its first capture.
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is not None and best.encoding:
        return str(best), best.encoding
    return data.decode("cp1252", errors="replace"), "cp1252"


def declared_charset(data: bytes) -> str:
    """The Python codec for the charset an HTML page declares in its first 4 KiB, or ""."""
    match = _DECLARED_CHARSET.search(data[:4096])
    if not match:
        return ""
    label = match.group(1).decode("ascii").lower()
    label = WHATWG_ALIASES.get(label, label)
    try:
        return codecs.lookup(label).name
    except LookupError:
        return ""
