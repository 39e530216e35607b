"""What ingest needs to know of the briefings already on disk, cached so adding one capture stays cheap.

For each briefing: which capture it came from (Raw, Raw_Sha256), its Uid, whether a curator edited it, and
the MinHash signature of its body for duplicate detection. Reading and hashing 20,000 briefings on every
ingest would cost more than the new capture itself, so these facts are kept in
`.briefings-cache/archive-index.json` beside `content/`, keyed by each file's name, size and modification
time: a briefing changed in any way (a curator's edit, a re-ingest) is read again. Deleting the cache folder
is always safe.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, fields
from pathlib import Path

from briefings.duplicates import encode_signature, signature
from briefings.write_briefing import read_existing, write_output

CACHE_FOLDER = ".briefings-cache"
CACHE_FILE = "archive-index.json"
CACHE_FORMAT = 2   # 2: signatures hash words, not 5-gram strings (duplicates.py); a format-1 cache is re-read


@dataclass(frozen=True, slots=True)
class KnownBriefing:
    name: str          # file name in the briefings folder
    size: int
    mtime_ns: int
    raw_sha256: str
    raw: str
    uid: str
    hand_edited: bool
    signature: str     # encode_signature of the body's duplicate-detection signature, "" for a body without words

    @property
    def slug(self) -> str:
        return self.name.removesuffix(".md")


FIELDS = tuple(field.name for field in fields(KnownBriefing))


def cache_path(project_root: Path) -> Path:
    return project_root / CACHE_FOLDER / CACHE_FILE


def load_known(briefings_dir: Path, project_root: Path) -> list[KnownBriefing]:
    """Every briefing in the folder, in name order; from the cache when the file is unchanged."""
    return current_entries(briefings_dir, _read_cache(cache_path(project_root), briefings_dir))


def current_entries(briefings_dir: Path, remembered: dict[str, KnownBriefing]) -> list[KnownBriefing]:
    """Every briefing in the folder, in name order: the remembered entry (by file name) while the file's size
    and time still match it, else what the file says now."""
    # Names as strings, not Path objects: sorting 20,000 paths cost more than listing them. Each status comes
    # from the file's directory entry, without building its path.
    with os.scandir(briefings_dir) as listing:
        files = sorted((item.name, item.stat()) for item in listing if item.name.endswith(".md") and item.is_file())
    known = []
    for name, stat in files:
        entry = remembered.get(name)
        if entry is None or (entry.size, entry.mtime_ns) != (stat.st_size, stat.st_mtime_ns):
            entry = _read_briefing(briefings_dir / name, stat.st_size, stat.st_mtime_ns)
        known.append(entry)
    return known


def save_known(known: list[KnownBriefing], briefings_dir: Path, project_root: Path) -> None:
    """Write the cache for the briefings folder (atomically: a killed run leaves the old cache or the new)."""
    # By hand, not dataclasses.asdict: that deep-copies every field and took 0.2 s of a one-capture ingest at
    # 5,000 briefings.
    record = {"format": CACHE_FORMAT, "briefings": str(briefings_dir.resolve()),
              "entries": [{name: getattr(entry, name) for name in FIELDS} for entry in known]}
    write_output(cache_path(project_root), json.dumps(record, ensure_ascii=False, sort_keys=True))


def _read_cache(path: Path, briefings_dir: Path) -> dict[str, KnownBriefing]:
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
        if record.get("format") != CACHE_FORMAT or record.get("briefings") != str(briefings_dir.resolve()):
            return {}
        return {entry["name"]: KnownBriefing(**entry) for entry in record["entries"]}
    except (OSError, ValueError, KeyError, TypeError):
        return {}  # no cache, or one from another version: read the briefings instead


def _read_briefing(path: Path, size: int, mtime_ns: int) -> KnownBriefing:
    existing = read_existing(path)
    return KnownBriefing(
        name=path.name, size=size, mtime_ns=mtime_ns, raw_sha256=existing.metadata.get("Raw_Sha256", ""),
        raw=existing.metadata.get("Raw", path.name), uid=existing.metadata.get("Uid", ""),
        hand_edited=existing.hand_edited, signature=encode_signature(signature(existing.body)))
