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
