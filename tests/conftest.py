"""Shared by every test folder: one headless Chromium for the whole session, and Hypothesis' profile.

Playwright's sync API runs one instance per process: two fixtures each starting their own would fail with
"using Playwright Sync API inside the asyncio loop", so every browser test uses this one.

Property tests draw the same examples on every run (`derandomize`), so a failure in CI fails again on any
machine, and a green run is not luck. To hunt for new counterexamples, run with HYPOTHESIS_PROFILE=explore.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings

settings.register_profile("repeatable", derandomize=True, database=None)
settings.register_profile("explore")
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "repeatable"))

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run"]


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Debian's Chromium driven by Playwright (its own browser download does not work here)."""
    if not CHROMIUM.is_file():
        pytest.skip("/usr/bin/chromium is not installed (Debian package `chromium`; .ci/run installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        yield instance
        instance.close()
