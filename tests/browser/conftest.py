"""Headless Chromium (Debian's /usr/bin/chromium driven by Playwright) and an unzipped offline bundle."""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browser_pages import CONF, FIXTURE_CONTENT, Watched, curated_content
from pelican import Pelican
from pelican.settings import read_settings


@pytest.fixture(scope="session")
def unzipped_bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture archive's offline bundle, unzipped into a folder whose name has a space and an accent."""
    output = tmp_path_factory.mktemp("bundle-site") / "output"
    settings = read_settings(str(CONF), override={"PATH": str(FIXTURE_CONTENT), "OUTPUT_PATH": str(output),
                                                   "CACHE_PATH": f"{output}.cache",
                                                   "SITEURL": "https://archive.test.example"})
    Pelican(settings).run()
    target = tmp_path_factory.mktemp("offline") / "Offline copy é"
    with zipfile.ZipFile(output / "briefings-offline.zip") as archive:
        archive.extractall(target)
    return target


@pytest.fixture(scope="session")
def curated_bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The offline bundle of the fixture archive plus tests/site/content-curated (accented, punctuated and
    withdrawn briefings), unzipped."""
    root = tmp_path_factory.mktemp("curated-site")
    content = curated_content(root / "content")
    settings = read_settings(str(CONF), override={"PATH": str(content), "OUTPUT_PATH": str(root / "output"),
                                                   "CACHE_PATH": str(root / "cache"),
                                                   "SITEURL": "https://archive.test.example"})
    Pelican(settings).run()
    target = tmp_path_factory.mktemp("curated-offline") / "bundle"
    with zipfile.ZipFile(root / "output" / "briefings-offline.zip") as archive:
        archive.extractall(target)
    return target


# `browser`, the one headless Chromium of the session, comes from tests/conftest.py.


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
