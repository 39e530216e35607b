"""Builds an archive with the real pelican.conf.py, the way `briefings build` does."""

from __future__ import annotations

from pathlib import Path

from pelican import Pelican
from pelican.settings import read_settings

ROOT = Path(__file__).resolve().parents[2]
CONF = ROOT / "pelican.conf.py"
FIXTURE_CONTENT = Path(__file__).resolve().parent / "content"
SITEURL = "https://archive.test.example/briefings"


def build_site(content: Path, output: Path, siteurl: str = SITEURL, **overrides: object) -> Path:
    """Build content into output: the real settings file with PATH, OUTPUT_PATH, SITEURL and any other setting
    given overridden."""
    settings = read_settings(str(CONF), override={"PATH": str(content), "OUTPUT_PATH": str(output),
                                                   "SITEURL": siteurl, **overrides})
    Pelican(settings).run()
    return output
