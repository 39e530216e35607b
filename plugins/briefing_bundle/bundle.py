"""The finished output folder -> one deterministic zip for offline reading. No Pelican imports.

`briefings bundle` calls write_bundle() directly; the plugin calls it at the end of every build. The zip holds
every file of the output folder except itself, in sorted order, each with a fixed timestamp and mode, so two
builds of the same content give the same bytes.
"""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

from briefings.errors import PipelineError

BUNDLE_NAME = "briefings-offline.zip"
FIXED_TIME = (1980, 1, 1, 0, 0, 0)  # the earliest time a zip entry can hold
FILE_MODE = 0o100644 << 16          # regular file, rw-r--r--


class BundleError(PipelineError):
    """The bundle could not be written; the message names the folder or file."""


def bundle_members(output_dir: Path, bundle: Path) -> list[Path]:
    """Files to bundle, sorted by their path inside the zip; never the bundle nor a temporary file."""
    members = []
    for path in output_dir.rglob("*"):
        if path.is_symlink():
            # A link could point outside the output folder; only real files go into the bundle.
            raise BundleError(path, "symbolic links are not allowed in the output folder")
        if path.is_file() and path != bundle and not path.name.endswith(".zip.part"):
            members.append(path)
    return sorted(members, key=lambda path: path.relative_to(output_dir).as_posix())


def write_bundle(output_dir: Path, name: str = BUNDLE_NAME) -> Path:
    """Write output_dir/<name> holding every other file of output_dir; returns its path; raises BundleError."""
    if not (output_dir / "index.html").is_file():
        raise BundleError(output_dir, "no index.html: build the site before bundling it")
    bundle = output_dir / name
    partial = output_dir / f"{name}.part"
    try:
        with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
            for path in bundle_members(output_dir, bundle):
                info = zipfile.ZipInfo(path.relative_to(output_dir).as_posix(), date_time=FIXED_TIME)
                info.external_attr = FILE_MODE
                info.compress_type = zipfile.ZIP_DEFLATED
                archive.writestr(info, path.read_bytes(), compresslevel=9)
        os.replace(partial, bundle)
    except OSError as error:
        partial.unlink(missing_ok=True)
        raise BundleError(output_dir, f"cannot write {name}: {error}") from error
    return bundle
