"""Builds the fixture archive (tests/site/content: three briefings) once per session."""

from __future__ import annotations

from pathlib import Path

import pytest
from sitebuild import FIXTURE_CONTENT, ROOT, build_site


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The output folder of the fixture archive."""
    if not (ROOT / "node_modules" / "lunr" / "lunr.min.js").is_file():
        pytest.fail("node_modules/lunr is missing: run `npm ci` first")
    return build_site(FIXTURE_CONTENT, tmp_path_factory.mktemp("site") / "output")
