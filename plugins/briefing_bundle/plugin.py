"""Pelican adapter: bundles the finished output once every generator has written its files."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pelican import signals

from .bundle import BundleError, write_bundle


def bundle_output(pelican: Any) -> None:
    """Write BRIEFING_BUNDLE inside the output folder."""
    name = pelican.settings.get("BRIEFING_BUNDLE")
    if not isinstance(name, str) or not name.endswith(".zip") or "/" in name:
        raise BundleError(Path("pelican.conf.py"), "BRIEFING_BUNDLE must be a file name ending in .zip")
    write_bundle(Path(pelican.output_path), name)


def register() -> None:
    signals.finalized.connect(bundle_output)
