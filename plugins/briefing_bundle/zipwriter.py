"""A deterministic zip writer that can copy an entry's compressed bytes from an earlier zip. No Pelican imports.

Python's zipfile compresses every entry it writes; rebuilding the offline bundle of a 5,000-briefing site that
way took two seconds although one page in a thousand had changed. This writer deflates new entries (zlib, level
COMPRESS_LEVEL) and copies unchanged ones from the previous bundle as they are, header included, a run of them at
a time. Every entry gets the same time, mode and header fields, so the bytes depend only on the names and
contents, whichever way an entry was made.

Plain zip (APPNOTE 6.3.x, no ZIP64): at most 65,535 entries and 4 GiB; write_zip raises ZipLimitError beyond.
"""

from __future__ import annotations

import errno
import os
import struct
import zipfile  # only to read an earlier zip's central directory
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import BinaryIO

COMPRESS_LEVEL = 1
FILE_MODE = 0o100644 << 16          # regular file, rw-r--r--
DOS_TIME, DOS_DATE = 0, (0 << 9) | (1 << 5) | 1  # 1980-01-01 00:00:00, the earliest a zip entry can hold
VERSION = 20                        # 2.0: deflate
MADE_BY = (3 << 8) | VERSION        # Unix, so unzip applies FILE_MODE
UTF8_NAMES = 0x800
DEFLATED = 8
LIMIT = 0xFFFFFFFF
MAX_ENTRIES = 0xFFFF

_LOCAL = struct.Struct("<4sHHHHHIIIHH")
_CENTRAL = struct.Struct("<4sHHHHHHIIIHHHHHII")
_END = struct.Struct("<4sHHHHIIH")


class ZipLimitError(ValueError):
    """More entries or bytes than a plain zip holds."""


@dataclass(frozen=True, slots=True)
class Entry:
    """One member, compressed: the raw deflate stream is `data`; or, for an entry copied from an earlier zip,
    its whole record (local header, then data) lies at `offset` there, byte for byte as write_zip writes it, and
    is copied by the kernel, never read into memory (a 20,000-briefing bundle is about 250 MB)."""

    name: str
    crc: int
    size: int
    compressed_size: int
    data: bytes = b""
    offset: int = -1

    def _stored_name(self) -> tuple[bytes, int]:
        """The name as the zip stores it, and the flags that say how it is encoded."""
        return self.name.encode("utf-8"), 0 if self.name.isascii() else UTF8_NAMES

    def local_header(self) -> bytes:
        name, flags = self._stored_name()
        return _LOCAL.pack(b"PK\x03\x04", VERSION, flags, DEFLATED, DOS_TIME, DOS_DATE, self.crc,
                           self.compressed_size, self.size, len(name), 0) + name

    def central_header(self, offset: int) -> bytes:
        """The central directory's record of the entry, whose local header starts at `offset`."""
        name, flags = self._stored_name()
        return _CENTRAL.pack(b"PK\x01\x02", MADE_BY, VERSION, flags, DEFLATED, DOS_TIME, DOS_DATE, self.crc,
                             self.compressed_size, self.size, len(name), 0, 0, 0, 0, FILE_MODE, offset) + name

    def record_size(self) -> int:
        """Bytes of the local header and the data."""
        return _LOCAL.size + len(self._stored_name()[0]) + self.compressed_size


def deflated(name: str, content: bytes) -> Entry:
    compressor = zlib.compressobj(COMPRESS_LEVEL, zlib.DEFLATED, -15)
    data = compressor.compress(content) + compressor.flush()
    return Entry(name=name, crc=zlib.crc32(content), size=len(content), compressed_size=len(data), data=data)


def copied_entries(archive: zipfile.ZipFile, names: set[str]) -> dict[str, Entry]:
    """The entries of an earlier zip (open as `archive`), by name, for the names asked for, whose record there is
    exactly the one write_zip would write. The others (missing, or written differently) are left out: the
    caller compresses those."""
    found: dict[str, Entry] = {}
    with open(str(archive.filename), "rb") as raw:
        for info in archive.infolist():
            if info.filename not in names or info.compress_type != zipfile.ZIP_DEFLATED:
                continue
            entry = Entry(name=info.filename, crc=info.CRC, size=info.file_size,
                          compressed_size=info.compress_size, offset=info.header_offset)
            header = entry.local_header()
            raw.seek(info.header_offset)
            if raw.read(len(header)) == header:
                found[info.filename] = entry
    return found


class _RangeCopier:
    """Copies byte ranges of the earlier zip to the end of the new one, joining ranges that follow each other:
    unchanged entries lie back to back in both zips, so a whole run of them is one copy."""

    def __init__(self, source: BinaryIO, target: BinaryIO) -> None:
        self.source, self.target = source, target
        self.start, self.length = 0, 0

    def add(self, offset: int, length: int) -> None:
        if self.length and offset == self.start + self.length:
            self.length += length
            return
        self.flush()
        self.start, self.length = offset, length

    def flush(self) -> None:
        if self.length:
            _copy_range(self.source, self.target, self.start, self.length)
            self.length = 0


def _copy_range(source: BinaryIO, target: BinaryIO, offset: int, length: int) -> None:
    """Copy source[offset:offset+length] to the end of target, in the kernel where it can."""
    target.flush()
    done = 0
    while done < length:
        try:
            copied = os.copy_file_range(source.fileno(), target.fileno(), length - done, offset + done)
        except (AttributeError, OSError):  # no copy_file_range here (another system, file system or kernel)
            source.seek(offset + done)
            target.write(source.read(length - done))
            return
        if copied == 0:
            raise OSError(errno.EIO, "the previous bundle ended early")
        done += copied


def write_zip(target: BinaryIO, entries: Iterable[Entry], source: BinaryIO | None = None) -> None:
    """Write the entries, in the order given, as a complete zip file; `source` is the earlier zip that the
    copied entries' offsets point into."""
    central: list[bytes] = []
    offset = 0
    copier = _RangeCopier(source, target) if source is not None else None
    for entry in entries:
        if max(offset, entry.size, entry.compressed_size) >= LIMIT or len(central) >= MAX_ENTRIES:
            raise ZipLimitError("the offline bundle needs ZIP64 (over 65,535 files or 4 GiB)")
        if entry.offset >= 0 and copier is not None:
            copier.add(entry.offset, entry.record_size())
        else:
            if copier is not None:
                copier.flush()
            target.write(entry.local_header())
            target.write(entry.data)
        central.append(entry.central_header(offset))
        offset += entry.record_size()
    if copier is not None:
        copier.flush()
    directory = b"".join(central)
    if offset + len(directory) >= LIMIT:
        raise ZipLimitError("the offline bundle needs ZIP64 (over 4 GiB)")
    target.write(directory)
    target.write(_END.pack(b"PK\x05\x06", 0, 0, len(central), len(central), len(directory), offset, 0))
