"""Headless Chromium (Debian's /usr/bin/chromium driven by Playwright) and an unzipped offline bundle."""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browser_pages import CHROMIUM, CHROMIUM_ARGS, CONF, FIXTURE_CONTENT, Watched
from pelican import Pelican
from pelican.settings import read_settings


@pytest.fixture(scope="session")
def unzipped_bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture archive's offline bundle, unzipped into a folder whose name has a space and an accent."""
    output = tmp_path_factory.mktemp("bundle-site") / "output"
    settings = read_settings(str(CONF), override={"PATH": str(FIXTURE_CONTENT), "OUTPUT_PATH": str(output),
                                                   "SITEURL": "https://archive.test.example"})
    Pelican(settings).run()
    target = tmp_path_factory.mktemp("offline") / "Offline copy é"
    with zipfile.ZipFile(output / "briefings-offline.zip") as archive:
        archive.extractall(target)
    return target


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not CHROMIUM.is_file():
        pytest.skip("/usr/bin/chromium is not installed (Debian package `chromium`; .ci/run installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        yield instance
        instance.close()


@pytest.fixture()
def watched_page(browser: Any) -> Iterator[Watched]:
    """A fresh page in a fresh context, recording requests and console errors; both must stay clean."""
    context = browser.new_context()
    page = context.new_page()
    watched = Watched(page=page)
    page.on("request", lambda request: watched.requests.append(request.url))
    page.on("console", lambda message: message.type == "error" and watched.errors.append(message.text))
    page.on("pageerror", lambda error: watched.errors.append(str(error)))
    yield watched
    context.close()
    assert watched.foreign_requests() == [], "the offline bundle made a network request"
    assert watched.errors == [], "console errors"
