"""What the last build wrote, so that this build can keep the files whose inputs did not change. No Pelican imports.

A build starts by moving the previous output folder aside (one rename), into the state folder; Pelican then
writes into an empty output folder, exactly as with DELETE_OUTPUT_DIRECTORY. For each file it is about to render,
the build asks `reuse(name, fingerprint)`: when the last build wrote that file from inputs with the same
fingerprint, the old file is moved back into place (one rename) instead of being rendered again. Whatever is left
aside at the end was stale; it is deleted when the build finishes (after the offline bundle has copied from the
previous zip). So the output of an incremental build holds exactly the files a clean build writes.

State folder:  <state>/pages.json   {"code": <code fingerprint>, "pages": {file: fingerprint}}, written at the end
               <state>/previous/    the previous output folder, moved aside
               <state>/building     present while a build runs: found at the start, the last build failed and
                                    nothing of it is trusted (full build)
               <state>/trash-*      what a failed or interrupted build left aside, deleted in a thread while the
                                    next build runs
"""

from __future__ import annotations

import json
import os
import shutil
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

STATE_VERSION = 1
PAGES_FILE = "pages.json"
PREVIOUS_FOLDER = "previous"
BUILDING_MARKER = "building"
TRASH_PREFIX = "trash-"


class OutputStore:
    """The fingerprints of the files of one output folder, and the previous build's files kept aside."""

    def __init__(self, output: Path, state: Path, code: str, retention: tuple[str, ...] = ()) -> None:
        self.output = output
        self.state = state
        self.code = code
        self._retention = retention
        self._recorded: dict[str, str] = {}   # fingerprints of the last complete build
        self._fingerprints: dict[str, str] = {}  # this build's
        self._recorded_parts: dict[str, dict[str, Any]] = {}  # parts: see reuse_part()
        self._parts: dict[str, dict[str, Any]] = {}
        self._recorded_notes: dict[str, Any] = {}  # notes: see recall()
        self._notes: dict[str, Any] = {}
        self._kept: set[str] = set()
        self._folders: set[str] = set()  # output folders known to exist
        self._cleaner: threading.Thread | None = None
        self.rendered = 0
        self.reused = 0

    def __reduce__(self) -> tuple[Any, tuple[()]]:
        """Pickled as None. The store lives in the settings, and Pelican's content cache pickles the settings with
        every entity (Tag) of every briefing; a store from an old build must not come back from the cache."""
        return _none, ()

    # --- The start and the end of a build -------------------------------------------------------------------

    def begin(self, trust: bool = True) -> bool:
        """Load the last build's fingerprints (none after a failed build or a code change, or when not `trust`ed:
        a full build) and move its output aside; a file named in `retention` (Pelican's OUTPUT_RETENTION) goes
        back at once. Returns whether the last build completed with the same code fingerprint and is trusted."""
        self.state.mkdir(parents=True, exist_ok=True)
        previous = self.state / PREVIOUS_FOLDER
        self._discard_in_background(previous)
        marker = self.state / BUILDING_MARKER
        same_code = trust and not marker.exists() and self._load(self.state / PAGES_FILE)
        (self.state / PAGES_FILE).unlink(missing_ok=True)
        marker.touch()
        if not self.output.is_dir():
            return same_code
        try:
            os.rename(self.output, previous)
        except OSError:  # another file system, or a busy folder: build everything
            self._recorded = {}
            return same_code
        self.output.mkdir()
        for name in self._retention:
            if (previous / name).exists():
                os.rename(previous / name, self.output / name)
        return same_code

    def _discard_in_background(self, previous: Path) -> None:
        """Delete what a failed or interrupted build left aside while this build runs (a complete build deletes
        its own leftovers when it finishes)."""
        if previous.exists():
            os.rename(previous, self.state / f"{TRASH_PREFIX}{os.getpid()}-{time.monotonic_ns()}")
        trash = [path for path in self.state.iterdir() if path.name.startswith(TRASH_PREFIX)]
        if trash:
            self._cleaner = threading.Thread(target=_remove_all, args=(trash,), daemon=True)
            self._cleaner.start()

    def finish(self) -> None:
        """Record this build's fingerprints; the next build may reuse what this one wrote."""
        if self._cleaner is not None:
            self._cleaner.join()
        pages = json.dumps({"version": STATE_VERSION, "code": self.code, "pages": self._fingerprints,
                            "parts": self._parts, "notes": self._notes}, sort_keys=True, separators=(",", ":"))
        partial = self.state / f"{PAGES_FILE}.part"
        partial.write_text(pages, encoding="utf-8")
        os.replace(partial, self.state / PAGES_FILE)
        (self.state / BUILDING_MARKER).unlink(missing_ok=True)
        # What this build did not put back is stale: deleted now, by the build that made it stale (a full build
        # deletes the whole previous output, as Pelican's DELETE_OUTPUT_DIRECTORY does), not by the next one.
        shutil.rmtree(self.state / PREVIOUS_FOLDER, ignore_errors=True)

    def _load(self, path: Path) -> bool:
        """Read the last build's fingerprints into _recorded; False when there are none for this code."""
        try:
            state = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return False
        if not isinstance(state, dict) or state.get("version") != STATE_VERSION or state.get("code") != self.code:
            return False
        pages, parts, notes = state.get("pages"), state.get("parts"), state.get("notes")
        self._recorded = pages if isinstance(pages, dict) else {}
        self._recorded_parts = parts if isinstance(parts, dict) else {}
        self._recorded_notes = notes if isinstance(notes, dict) else {}
        return True

    # --- Files ---------------------------------------------------------------------------------------------

    def reuse(self, name: str, fingerprint: str) -> bool:
        """Put the previous build's `name` (relative to the output folder) back in place when it was written from
        inputs with this fingerprint; True when it was, and then the caller must not write it."""
        self._fingerprints[name] = fingerprint
        if self._recorded.get(name) == fingerprint and self._put_back(name):
            self.reused += 1
            return True
        self.rendered += 1
        return False

    def _put_back(self, name: str) -> bool:
        """Move the previous build's `name` back into the output folder; False when it cannot be."""
        # Plain strings: Path objects cost more than the rename itself over 6,000 pages.
        target = f"{self.output}/{name}"
        folder = os.path.dirname(target)
        try:
            if folder not in self._folders:
                os.makedirs(folder, exist_ok=True)
                self._folders.add(folder)
            os.rename(f"{self.state}/{PREVIOUS_FOLDER}/{name}", target)
        except OSError:
            return False
        self._kept.add(name)
        return True

    def reuse_part(self, key: str, fingerprint: str) -> Any:
        """A *part* is a group of files made together (a search slice: its shards and topic masks) with a note for
        whoever made them (the slice's line in the search manifest). When the last build recorded the part with
        this fingerprint and all its files are back in place, returns the note; else None (nothing put back)."""
        recorded = self._recorded_parts.get(key)
        if not recorded or recorded.get("fingerprint") != fingerprint:
            return None
        names = list(recorded.get("names", []))
        for count, name in enumerate(names):
            if not self._put_back(name):
                for done in names[:count]:  # all or nothing: the caller rewrites the whole part
                    (self.output / done).unlink(missing_ok=True)
                    self._kept.discard(done)
                return None
        self.record_part(key, fingerprint, recorded.get("note"), names)
        self.reused += len(names)
        return recorded.get("note")

    def record_part(self, key: str, fingerprint: str, note: Any, names: Sequence[str]) -> None:
        """Remember a part written by this build (note must be JSON)."""
        self._parts[key] = {"fingerprint": fingerprint, "note": note, "names": list(names)}
        for name in names:
            self._fingerprints[name] = fingerprint

    def recall(self, key: str) -> Any:
        """What a plugin remembered under `key` in the last complete build with the same code (None if nothing):
        work it can start from instead of from scratch (the related briefings, for one)."""
        return self._recorded_notes.get(key)

    def remember(self, key: str, value: Any) -> None:
        """Keep a JSON value for the next build's recall(key)."""
        self._notes[key] = value

    def kept(self, name: str) -> bool:
        """Whether `name` is the previous build's file, put back unchanged by reuse()."""
        return name in self._kept

    def previous(self, name: str) -> Path | None:
        """The previous build's `name`, when it is still aside (not reused: e.g. the offline zip)."""
        path = self.state / PREVIOUS_FOLDER / name
        return path if path.is_file() else None


def _remove_all(folders: list[Path]) -> None:
    for folder in folders:
        shutil.rmtree(folder, ignore_errors=True)


def _none() -> None:
    return None
