"""The finished output folder -> one deterministic zip for offline reading. No Pelican imports.

`briefings bundle` calls write_bundle() directly; the plugin calls it at the end of every build. Before writing,
the output is checked (links.py): a page that would not work from the unzipped bundle fails the bundle, naming
the page. The zip holds every file of the output folder except itself, plus MANIFEST.sha256 (`sha256sum -c
MANIFEST.sha256` checks an unzipped copy), in sorted order, each with a fixed timestamp and mode (zipwriter.py),
so two builds of the same content give the same bytes, whether an entry was compressed again or copied from the
previous bundle.
"""

from __future__ import annotations

import hashlib
import os
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from briefings.errors import PipelineError

from .links import offline_violations
from .zipwriter import Entry, ZipLimitError, copied_entries, deflated, write_zip

BUNDLE_NAME = "briefings-offline.zip"
MANIFEST_NAME = "MANIFEST.sha256"   # inside the zip only: "<sha256>  <path>" per file, as sha256sum writes
SHOWN_VIOLATIONS = 20


class BundleError(PipelineError):
    """The bundle could not be written; the message names the folder or file."""


def bundle_members(output_dir: Path, bundle: Path) -> list[str]:
    """Paths (POSIX, relative to output_dir) of the files to bundle, sorted; never the bundle nor a temporary
    file. Walks with os.scandir, whose entries know their type, and builds the relative paths as it goes (Path
    objects and relative_to cost more than the walk at 5,000 briefings)."""
    members = []
    folders = [(str(output_dir), "")]
    while folders:
        folder, prefix = folders.pop()
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.is_symlink():
                    # A link could point outside the output folder; only real files go into the bundle.
                    raise BundleError(Path(entry.path), "symbolic links are not allowed in the output folder")
                if entry.is_dir():
                    folders.append((entry.path, f"{prefix}{entry.name}/"))
                elif entry.is_file() and entry.path != str(bundle) and not entry.name.endswith(".zip.part"):
                    members.append(prefix + entry.name)
    return sorted(members)


def check_offline(output_dir: Path, name: str = BUNDLE_NAME, unchanged: frozenset[str] = frozenset(),
                  files: set[str] | None = None) -> None:
    """Raises BundleError naming the first offending page (and up to SHOWN_VIOLATIONS problems) when a page of
    output_dir would not work from the unzipped bundle. Pages in `unchanged` are not read (see write_bundle)."""
    violations = offline_violations(output_dir, name, unchanged, files)
    if violations:
        shown = "; ".join(str(violation) for violation in violations[:SHOWN_VIOLATIONS])
        more = f" (and {len(violations) - SHOWN_VIOLATIONS} more)" if len(violations) > SHOWN_VIOLATIONS else ""
        raise BundleError(output_dir / violations[0].page, f"does not work offline: {shown}{more}")


def manifest_text(entries: list[tuple[str, str]]) -> str:
    """MANIFEST.sha256: one "<hex digest>  <path>" line per (path, digest), in the order given."""
    return "".join(f"{digest}  {path}\n" for path, digest in entries)


def read_manifest(archive: zipfile.ZipFile) -> dict[str, str]:
    """{path: sha256} from a bundle's MANIFEST.sha256."""
    text = archive.read(MANIFEST_NAME).decode("utf-8")
    return {path: digest for digest, _, path in (line.partition("  ") for line in text.splitlines())}


@dataclass(frozen=True, slots=True)
class Previous:
    """The last build's bundle, and which output files are byte for byte the ones it was made from (the
    incremental build put them back unchanged)."""

    bundle: Path
    unchanged: Callable[[str], bool]


def reusable_entries(previous: Previous | None, paths: list[str]) -> tuple[dict[str, Entry], dict[str, str]]:
    """(Entries of the previous bundle that can be copied, by path; the previous manifest). Nothing when there is
    no previous bundle or it cannot be read: then everything is compressed again."""
    if previous is None:
        return {}, {}
    try:
        with zipfile.ZipFile(previous.bundle) as archive:
            old_manifest = read_manifest(archive)
            wanted = {path for path in paths if path in old_manifest and previous.unchanged(path)}
            return copied_entries(archive, wanted), old_manifest
    except (OSError, KeyError, ValueError, zipfile.BadZipFile):
        return {}, {}


def write_bundle(output_dir: Path, name: str = BUNDLE_NAME, previous: Previous | None = None) -> Path:
    """Check output_dir (check_offline), then write output_dir/<name> holding every other file of output_dir and
    MANIFEST.sha256; returns its path; raises BundleError.

    With `previous`, unchanged files are copied compressed from the previous bundle and their pages are not
    checked again: they passed when the previous bundle was made, and their links still reach a file as long as
    no file of the previous bundle is missing now (when one is, every page is checked)."""
    if not (output_dir / "index.html").is_file():
        raise BundleError(output_dir, "no index.html: build the site before bundling it")
    bundle = output_dir / name
    partial = output_dir / f"{name}.part"
    try:
        paths = bundle_members(output_dir, bundle)
        if MANIFEST_NAME in paths:
            raise BundleError(output_dir / MANIFEST_NAME, "the output folder must not hold the bundle's manifest")
        reused, old_manifest = reusable_entries(previous, paths)
        nothing_gone = set(old_manifest) - {MANIFEST_NAME} <= set(paths)
        check_offline(output_dir, name, frozenset(reused) if nothing_gone else frozenset(), set(paths))
        # The manifest sorts before most files, so new files are read once for it and once more to compress them:
        # the page cache serves the second read, and no file's compressed bytes wait in memory.
        digests = [(path, old_manifest[path] if path in reused else
                    hashlib.sha256((output_dir / path).read_bytes()).hexdigest()) for path in paths]
        manifest = deflated(MANIFEST_NAME, manifest_text(digests).encode("utf-8"))

        def entries() -> Iterator[Entry]:
            for path in sorted([*paths, MANIFEST_NAME]):
                if path == MANIFEST_NAME:
                    yield manifest
                else:
                    yield reused.get(path) or deflated(path, (output_dir / path).read_bytes())

        with partial.open("wb") as target:
            if reused and previous is not None:
                with previous.bundle.open("rb") as source:
                    write_zip(target, entries(), source)
            else:
                write_zip(target, entries())
        os.replace(partial, bundle)
    except (OSError, ZipLimitError) as error:
        partial.unlink(missing_ok=True)
        raise BundleError(output_dir, f"cannot write {name}: {error}") from error
    return bundle
