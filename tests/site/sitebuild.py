"""Builds an archive with the real pelican.conf.py, the way `briefings build` does."""

from __future__ import annotations

import shutil
from pathlib import Path

from pelican import Pelican
from pelican.settings import read_settings

ROOT = Path(__file__).resolve().parents[2]
CONF = ROOT / "pelican.conf.py"
FIXTURE_CONTENT = Path(__file__).resolve().parent / "content"
SITEURL = "https://archive.test.example/briefings"


def build_site(content: Path, output: Path, siteurl: str = SITEURL, **overrides: object) -> Path:
    """Build content into output: the real settings file with PATH, OUTPUT_PATH, SITEURL and any other setting
    given overridden; the build cache (content cache, incremental state) goes beside output, in <output>.cache."""
    settings = read_settings(str(CONF), override={"PATH": str(content), "OUTPUT_PATH": str(output),
                                                   "CACHE_PATH": f"{output}.cache", "SITEURL": siteurl,
                                                   **overrides})
    Pelican(settings).run()
    return output


CURATED_CONTENT = Path(__file__).resolve().parent / "content-curated"


def curated_content(target: Path) -> Path:
    """A content folder at target: the fixture archive plus tests/site/content-curated/briefings (curator
    controls: a note, a featured and a withdrawn briefing, merged sources; titles with punctuation and accents)."""
    shutil.copytree(FIXTURE_CONTENT, target, ignore=shutil.ignore_patterns("raw"))
    for briefing in sorted((CURATED_CONTENT / "briefings").glob("*.md")):
        shutil.copy2(briefing, target / "briefings" / briefing.name)
    return target
