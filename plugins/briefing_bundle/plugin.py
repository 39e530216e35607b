"""Pelican adapter: bundles the finished output once every generator has written its files."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pelican import signals

from briefings.site_build import STORE_KEY

from .bundle import BundleError, Previous, write_bundle



def bundle_output(pelican: Any) -> None:
    """Write BRIEFING_BUNDLE inside the output folder."""
    name = pelican.settings.get("BRIEFING_BUNDLE")
    if not isinstance(name, str) or not name.endswith(".zip") or "/" in name:
        raise BundleError(Path("pelican.conf.py"), "BRIEFING_BUNDLE must be a file name ending in .zip")
    store = pelican.settings.get(STORE_KEY)  # plugins/briefing_incremental, when the build is incremental
    old_bundle = store.previous(name) if store else None
    previous = Previous(bundle=old_bundle, unchanged=store.kept) if old_bundle else None
    write_bundle(Path(pelican.output_path), name, previous)


def register() -> None:
    signals.finalized.connect(bundle_output)
