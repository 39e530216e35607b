"""Shared by the browser tests: where things are, and a page that records requests and console errors."""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
CONF = ROOT / "pelican.conf.py"
FIXTURE_CONTENT = ROOT / "tests" / "site" / "content"
CURATED_CONTENT = ROOT / "tests" / "site" / "content-curated"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run"]


@dataclass
class Watched:
    """A page plus everything it requested and every console error it raised."""

    page: Any
    requests: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def foreign_requests(self) -> list[str]:
        return [url for url in self.requests if not url.startswith("file://")]


def curated_content(target: Path) -> Path:
    """The fixture archive plus tests/site/content-curated/briefings, copied to target (the same content as
    tests/site/sitebuild.py's curated_content)."""
    shutil.copytree(FIXTURE_CONTENT, target, ignore=shutil.ignore_patterns("raw"))
    for briefing in sorted((CURATED_CONTENT / "briefings").glob("*.md")):
        shutil.copy2(briefing, target / "briefings" / briefing.name)
    return target
