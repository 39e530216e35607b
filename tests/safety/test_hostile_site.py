"""The whole bad-input check (scripts/bench/bad_input.py) over the suite's own hostile corpus.

The same run as `make check-bad-input`, on tests/fixtures/hostile/ instead of ../shared: a fresh project,
ingest and build twice, every global rule G1-G15 and every case's expectations; the Chromium check (G5)
runs when Debian's chromium is installed (.ci/run installs it).
"""

from __future__ import annotations

import json
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]
HOSTILE = REPO / "tests" / "fixtures" / "hostile"
CASES = json.loads((HOSTILE / "manifest.json").read_text(encoding="utf-8"))["cases"]
RULES = [f"G{number}" for number in range(1, 16)]
HAS_CHROMIUM = Path("/usr/bin/chromium").exists()


@pytest.fixture(scope="module")
def result(checker: ModuleType, tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest) -> Any:
    work = tmp_path_factory.mktemp("bad-input-run")
    browser = request.getfixturevalue("browser") if HAS_CHROMIUM else None
    return checker.run_check(HOSTILE, work, use_browser=HAS_CHROMIUM, check_limits=True, shared_browser=browser)


@pytest.mark.parametrize("rule", RULES)
def test_global_rule_holds(result: Any, rule: str) -> None:
    report, _ = result
    if rule == "G5" and not HAS_CHROMIUM:
        pytest.skip("Debian chromium is not installed")
    assert report.rules.get(rule, []) == []


@pytest.mark.parametrize("case_id", [case["id"] for case in CASES])
def test_case_expectations_hold(result: Any, case_id: str) -> None:
    report, _ = result
    assert report.cases.get(case_id, []) == []
