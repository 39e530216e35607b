"""The Nu HTML Checker (npm package vnu-jar) finds no error on any page type, nor in the stylesheet."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from browser_pages import ROOT

VNU_JAR = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def test_every_page_type_is_valid_html(unzipped_bundle: Path) -> None:
    if shutil.which("java") is None:
        pytest.skip("java is not installed (the Nu HTML Checker needs it)")
    if not VNU_JAR.is_file():
        pytest.fail("node_modules/vnu-jar is missing: run `npm ci`")
    pages = sorted(str(path) for path in unzipped_bundle.rglob("*.html"))
    stylesheet = str(unzipped_bundle / "theme" / "css" / "site.css")
    result = subprocess.run(["java", "-jar", str(VNU_JAR), "--errors-only", "--format", "gnu", "--also-check-css",
                             *pages, stylesheet], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert len(pages) >= 10


def test_paginated_listing_pages_are_valid_html(tmp_path: Path) -> None:
    if shutil.which("java") is None:
        pytest.skip("java is not installed (the Nu HTML Checker needs it)")
    from pelican import Pelican
    from pelican.settings import read_settings

    from browser_pages import CONF, FIXTURE_CONTENT

    settings = read_settings(str(CONF), override={
        "PATH": str(FIXTURE_CONTENT), "OUTPUT_PATH": str(tmp_path / "out"), "CACHE_PATH": str(tmp_path / "cache"),
        "SITEURL": "https://archive.test.example",
        "PAGINATED_TEMPLATES": {"index": None, "tag": 1, "topic": 1, "archives": 1}})
    Pelican(settings).run()
    pages = [str(tmp_path / "out" / name) for name in
             ("topics/diplomacy.html", "topics/diplomacy-2.html", "entities/kyiv-2.html", "archives-2.html",
              "archives-3.html")]
    result = subprocess.run(["java", "-jar", str(VNU_JAR), "--errors-only", "--format", "gnu", *pages],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr


def test_featured_block_note_and_merged_sources_are_valid_html(curated_bundle: Path) -> None:
    if shutil.which("java") is None:
        pytest.skip("java is not installed (the Nu HTML Checker needs it)")
    pages = [str(curated_bundle / name) for name in ("index.html", "briefings/port-dues-featured.html",
                                                     "briefings/att-bold-plan.html")]
    result = subprocess.run(["java", "-jar", str(VNU_JAR), "--errors-only", "--format", "gnu", *pages],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
