"""Raw captures -> briefings in content/briefings/, never losing anything.

- Captures are only read. Briefings are written atomically (temporary file + rename).
- A briefing a curator edited (its Fingerprint no longer matches) is never overwritten.
- A capture whose bytes already have a briefing is not processed again, so a second run changes nothing.
- Duplicates (byte-identical, or the same story with other boilerplate) give one briefing and a notice.
- One ingest at a time: a lock file in the briefings folder, with a clear message when it is taken.
"""

from __future__ import annotations

import fcntl
import re
import unicodedata
import uuid
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Executor, Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path

from briefings.documents import Briefing, CleanedDocument
from briefings.archive_index import KnownBriefing, load_known, save_known
from briefings.duplicates import DuplicateIndex
from briefings.errors import PipelineError
from briefings.names import make_slug, printable_path
from briefings.prepare import AlreadyKnown, Outcome, Prepared, Refused, TaggingFiles, load_tagging_rules, prepare
from briefings.write_briefing import (LIST_SEPARATOR, one_line, read_existing, signed_briefing, with_value,
                                      write_atomically)

UID_NAMESPACE = uuid.UUID("6f1d7a52-3c0e-4f5e-9a47-0b6c2f1e8d31")
LOCK_NAME = "ingest.lock"
STALE_TEMPORARY_GLOB = "tmp-*.part"
# Printable ASCII but space and "%": what recorded_path leaves as it is.
_PLAIN_PATH = re.compile(r"[!-$&-~]*")
# Each briefing write waits for the disk (fsync) before its rename; on a few threads those waits overlap each
# other and the next captures' work instead of adding up.
WRITER_THREADS = 4


class IngestLocked(PipelineError):
    """Another ingest holds the lock on this briefings folder."""

    reason = "locked"


@dataclass(frozen=True, slots=True)
class Notice:
    source: Path
    status: str       # ingested, updated, unchanged, kept-edit, duplicate, refused
    message: str = ""  # one line naming the file, for every status but ingested / unchanged
    reason: str = ""   # why a capture was refused: empty, binary, too-large, no-article-text, unreadable


@dataclass(slots=True)
class IngestReport:
    notices: list[Notice] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        return any(notice.status == "refused" for notice in self.notices)

    def summary(self) -> str:
        counts = Counter(notice.status for notice in self.notices)
        reasons = Counter(notice.reason for notice in self.notices if notice.status == "refused")
        why = ", ".join(f"{count} {reason}" for reason, count in sorted(reasons.items()))
        parts = [f"{counts['ingested']} ingested", f"{counts['updated']} updated",
                 f"{counts['unchanged']} unchanged", f"{counts['kept-edit']} kept (edited by hand)",
                 f"{counts['duplicate']} duplicates", f"{counts['refused']} refused" + (f" ({why})" if why else "")]
        return "ingest: " + ", ".join(parts)


@dataclass(frozen=True, slots=True)
class IngestSettings:
    briefings_dir: Path
    tagging: TaggingFiles
    project_root: Path
    jobs: int = 1
    force: bool = False


def find_captures(paths: Sequence[Path]) -> list[Path]:
    """Every regular file named or found below the given folders, in a stable order that keeps the plain
    name of a story before its re-downloads ("story.html" before "story (1).html")."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(child for child in path.rglob("*") if child.is_file() and not child.is_symlink())
        else:
            found.append(path)
    return sorted(set(found), key=_capture_order)


def _capture_order(path: Path) -> tuple[str, str, int, str]:
    plain_stem = re.sub(r"\s*\(\d+\)$", "", path.stem)
    return (str(path.parent), plain_stem, len(path.name), path.name)


def ingest(paths: Sequence[Path], settings: IngestSettings,
           progress: Callable[[int, int], None] | None = None) -> IngestReport:
    """Turn captures into briefings; returns one notice per capture, in capture order."""
    settings.briefings_dir.mkdir(parents=True, exist_ok=True)
    with ingest_lock(settings.briefings_dir), ThreadPoolExecutor(WRITER_THREADS) as writer:
        _remove_stale_temporaries(settings.briefings_dir)
        archive = Archive.load(settings.briefings_dir, settings.project_root, writer)
        captures = find_captures(paths)
        known = frozenset() if settings.force else frozenset(archive.by_sha256)
        # Parsed once here: forked worker processes inherit the rules, and a broken rules file stops the run
        # with one message instead of refusing every capture.
        load_tagging_rules(settings.tagging)
        work = partial(prepare, files=settings.tagging, known_sha256=known)
        report = IngestReport()
        for done, outcome in enumerate(_run(work, captures, settings.jobs), start=1):
            report.notices.append(archive.accept(outcome, settings))
            if progress:
                progress(done, len(captures))
        archive.finish_writes()
        report.notices.extend(archive.record_extra_sources())
        # Not the folder listed again: an entry whose file changed or went since is harmless, as load_known
        # checks every entry against its file's size and time.
        save_known(sorted(archive.known.values(), key=lambda entry: entry.name), settings.briefings_dir,
                   settings.project_root)
        return report


def _run(work: Callable[[Path], Outcome], captures: list[Path], jobs: int) -> Iterator[Outcome]:
    """Results in capture order; a process pool when there is enough work for more than one process."""
    if jobs <= 1 or len(captures) < 4:
        yield from map(work, captures)
        return
    # Imported here: multiprocessing takes 20 ms to import, and a run of a few captures never starts a process.
    from concurrent.futures import ProcessPoolExecutor

    executor: Executor
    with ProcessPoolExecutor(max_workers=jobs) as executor:
        yield from executor.map(work, captures, chunksize=max(1, min(32, len(captures) // (jobs * 8))))


@contextmanager
def ingest_lock(briefings_dir: Path) -> Iterator[None]:
    """Hold an exclusive lock on the briefings folder for the whole ingest."""
    lock_path = briefings_dir / LOCK_NAME
    with open(lock_path, "a", encoding="utf-8") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise IngestLocked(lock_path, "another ingest is running on this folder; try again when it ends")
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _remove_stale_temporaries(briefings_dir: Path) -> None:
    # A run killed between writing and renaming leaves its temporary file; it was never a briefing.
    for stale in briefings_dir.glob(STALE_TEMPORARY_GLOB):
        stale.unlink(missing_ok=True)


@dataclass(slots=True)
class Archive:
    """The briefings already on disk, and the ones written by this run."""

    briefings_dir: Path
    by_sha256: dict[str, KnownBriefing]
    slugs: set[str]
    duplicates: DuplicateIndex
    writer: Executor                      # writes briefings in the background (write_atomically)
    known: dict[str, KnownBriefing]       # archive-index entries by file name, this run's writes included
    # Sources of near-duplicate captures, by the slug of the briefing that tells their story.
    extra_sources: dict[str, list[str]] = field(default_factory=dict)
    writes: dict[str, Future[KnownBriefing]] = field(default_factory=dict)   # pending, by file name
    resolved_folders: dict[Path, Path] = field(default_factory=dict)   # folder as named -> its resolve()

    @classmethod
    def load(cls, briefings_dir: Path, project_root: Path, writer: Executor) -> Archive:
        known = load_known(briefings_dir, project_root)
        duplicates = DuplicateIndex()
        for briefing in known:
            duplicates.add(briefing.slug, briefing.raw, briefing.signature)
        return cls(briefings_dir=briefings_dir, slugs={briefing.slug for briefing in known}, duplicates=duplicates,
                   by_sha256={briefing.raw_sha256: briefing for briefing in known if briefing.raw_sha256},
                   writer=writer, known={briefing.name: briefing for briefing in known})

    def accept(self, outcome: Outcome, settings: IngestSettings) -> Notice:
        """Record one capture's outcome: write its briefing, or say why not."""
        if isinstance(outcome, Refused):
            return Notice(outcome.source, "refused", f"{outcome.message} [{outcome.reason}]", outcome.reason)
        if isinstance(outcome, AlreadyKnown):
            return self._already_known(outcome, settings)
        return self._write(outcome, settings)

    def _already_known(self, outcome: AlreadyKnown, settings: IngestSettings) -> Notice:
        existing = self.by_sha256[outcome.sha256]
        recorded = existing.raw
        if recorded == self._raw_path(outcome.source, settings.project_root):
            if existing.hand_edited:
                return Notice(outcome.source, "kept-edit", f"{printable_path(self.briefings_dir / existing.name)}: "
                                                           "edited by hand; kept as it is")
            return Notice(outcome.source, "unchanged")
        return Notice(outcome.source, "duplicate", f"{printable_path(outcome.source)}: duplicate of "
                                                   f"{printable_path(recorded)} (identical bytes), not ingested "
                                                   f"again [duplicate]")

    def _write(self, prepared: Prepared, settings: IngestSettings) -> Notice:
        document = prepared.document
        source = document.source
        existing = self.by_sha256.get(document.sha256)
        recorded_raw = self._raw_path(source, settings.project_root)
        if existing is None:
            twin = self.duplicates.find(prepared.signature)
            if twin is not None:
                self._add_source(twin.slug, source_entry(document, recorded_raw))
                return Notice(source, "duplicate", f"{printable_path(source)}: duplicate of "
                                                   f"{printable_path(twin.raw)} (the same story, briefing "
                                                   f"{twin.slug}), not ingested again [duplicate]")
        slug = existing.slug if existing else self._new_slug(document.title, document.sha256)
        uid = existing.uid if existing else ""
        briefing = Briefing(document=document, slug=slug, uid=uid or make_uid(document.sha256),
                            raw_path=recorded_raw, tagging=prepared.tagging, digest=prepared.digest)
        target = self.briefings_dir / f"{slug}.md"
        text = signed_briefing(briefing, prepared.body)
        self.duplicates.add(slug, recorded_raw, prepared.signature)
        self.slugs.add(slug)
        if existing and existing.hand_edited:
            return Notice(source, "kept-edit", f"{printable_path(target)}: edited by hand; kept as it is "
                                               f"(delete it to regenerate from {printable_path(source)})")
        self._wait_for_write(target.name)
        if target.exists() and target.read_text(encoding="utf-8") == text:
            return Notice(source, "unchanged")
        # The entry reading the file back would give (header values pass through one_line when written).
        entry = KnownBriefing(name=target.name, size=0, mtime_ns=0, raw_sha256=document.sha256,
                              raw=one_line(recorded_raw), uid=one_line(briefing.uid), hand_edited=False,
                              signature=prepared.signature)
        self.writes[target.name] = self.writer.submit(_write_briefing, target, text, entry)
        return Notice(source, "updated" if existing else "ingested")

    def _wait_for_write(self, name: str) -> None:
        """Let a pending write of the file finish and record its entry (raising its error), so that two
        captures of one briefing are written in capture order."""
        write = self.writes.pop(name, None)
        if write is not None:
            entry = write.result()
            self.known[entry.name] = entry

    def finish_writes(self) -> None:
        """Wait for every briefing write of this run and record its entry; raises the first write's error."""
        for name in list(self.writes):
            self._wait_for_write(name)

    def _add_source(self, slug: str, entry: str) -> None:
        entries = self.extra_sources.setdefault(slug, [])
        if entry not in entries:
            entries.append(entry)

    def record_extra_sources(self) -> list[Notice]:
        """Add the sources of this run's near-duplicates to the briefings that kept their story."""
        notices = []
        for slug, entries in sorted(self.extra_sources.items()):
            existing = read_existing(self.briefings_dir / f"{slug}.md")
            recorded = [entry for entry in existing.metadata.get("Also_Sources", "").split(LIST_SEPARATOR) if entry]
            merged = sorted(set(recorded) | set(entries))
            if merged == sorted(recorded):
                continue
            if existing.hand_edited:
                notices.append(Notice(existing.path, "kept-edit", f"{printable_path(existing.path)}: edited by "
                                      f"hand; not adding the duplicate sources {LIST_SEPARATOR.join(entries)}"))
                continue
            write_atomically(existing.path, with_value(existing, "Also_Sources", LIST_SEPARATOR.join(merged)))
            # Only a header line changed: the entry holds, for the file as it is now.
            stat = existing.path.stat()
            if (entry := self.known.get(existing.path.name)) is not None:
                self.known[entry.name] = replace(entry, size=stat.st_size, mtime_ns=stat.st_mtime_ns)
        return notices

    def _raw_path(self, source: Path, project_root: Path) -> str:
        """The capture's recorded_path, resolving each folder once per run: captures share a few folders, and
        resolving a path reads the status of every one of its components."""
        absolute = source.resolve() if source.is_symlink() else self._resolved_folder(source.parent) / source.name
        return recorded_path(absolute, self._resolved_folder(project_root))

    def _resolved_folder(self, folder: Path) -> Path:
        if folder not in self.resolved_folders:
            self.resolved_folders[folder] = folder.resolve()
        return self.resolved_folders[folder]

    def _new_slug(self, title: str, sha256: str) -> str:
        slug = make_slug(title, fallback=sha256[:12])
        if slug in self.slugs:
            # Two different stories with the same title: the second gets a stable suffix from its bytes.
            slug = f"{slug[:70]}-{sha256[:8]}"
        return slug


def _write_briefing(path: Path, text: str, entry: KnownBriefing) -> KnownBriefing:
    """Write one briefing (on a writer thread); returns its archive-index entry with the file's size and time."""
    written = write_atomically(path, text)
    return replace(entry, size=written.st_size, mtime_ns=written.st_mtime_ns)


def source_entry(document: CleanedDocument, recorded_raw: str) -> str:
    """How a duplicate's source is listed on the briefing that kept the story: outlet and URL, or the file."""
    outlet = document.site_name or recorded_raw.rsplit("/", 1)[-1]
    return f"{outlet} {document.url}".strip().replace("|", "/")


def make_uid(sha256: str) -> str:
    """A stable identifier for the briefing of a capture: it never changes with title, slug or site URL."""
    return str(uuid.uuid5(UID_NAMESPACE, sha256))


def recorded_path(absolute: Path, project_root: Path) -> str:
    """The capture's path as recorded in the briefing (from the resolved capture path and project folder):
    relative to the project when inside it, and with white space, control characters and "%"
    percent-encoded, so any file name fits one header line unchanged and is recognised again on the next
    run."""
    try:
        path = absolute.relative_to(project_root).as_posix()
    except ValueError:
        path = absolute.as_posix()
    if _PLAIN_PATH.fullmatch(path):
        return path   # most paths: nothing to encode, and no need to look at each character
    return "".join(_encode_path_char(char) for char in path)


def _encode_path_char(char: str) -> str:
    if char == "%" or char.isspace() or unicodedata.category(char)[0] in "CZ":
        return "".join(f"%{byte:02X}" for byte in char.encode("utf-8", "surrogateescape"))
    return char

