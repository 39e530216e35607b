"""The suite's own hostile captures through the real pipeline (read_raw -> clean -> tag -> write), into tmp_path.

Each capture of tests/fixtures/hostile/ must end as exactly one briefing or one refusal naming it; every
briefing header must be the project's own keys, each once, one line each; no character XML or the header
format forbids may reach the file; and the body, rendered as the site renders it, must carry no active
content while keeping the article's text, markup-looking text included, visible as text.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from briefings.ingest import IngestReport, IngestSettings, Notice, ingest
from briefings.names import printable_path
from briefings.prepare import TaggingFiles
from briefings.write_briefing import HEADER_KEYS

REPO = Path(__file__).resolve().parents[2]
HOSTILE = REPO / "tests" / "fixtures" / "hostile"
sys.path.insert(0, str(REPO / "plugins"))
from briefing_reader.render import render_markdown  # noqa: E402  (the site's own renderer)

CASES: list[dict[str, Any]] = json.loads((HOSTILE / "manifest.json").read_text(encoding="utf-8"))["cases"]
INGESTED = [case for case in CASES if case["expect"] == "ingest" and "duplicate_of" not in case]
REFUSED = [case for case in CASES if case["expect"] == "reject"]


@dataclass
class Run:
    inbox: Path
    report: IngestReport
    briefings: dict[str, Path]          # Raw_Sha256 -> briefing file
    inbox_before: dict[str, Any]


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory, checker: ModuleType) -> Run:
    work = tmp_path_factory.mktemp("hostile")
    _, cases = checker.load_cases(HOSTILE)
    assert checker.fill_inbox(HOSTILE, cases, work / "inbox") == []
    before = checker.snapshot(work / "inbox")
    taxonomy = REPO / "content" / "taxonomy"
    settings = IngestSettings(briefings_dir=work / "content" / "briefings", project_root=work, jobs=1,
                              tagging=TaggingFiles(topics=taxonomy / "topics.toml",
                                                   entities=taxonomy / "entities.toml"))
    report = ingest([work / "inbox"], settings)
    briefings = {}
    for path in sorted((work / "content" / "briefings").glob("*.md")):
        header = path.read_text(encoding="utf-8").partition("\n\n")[0]
        sha = next(line.split(": ", 1)[1] for line in header.splitlines() if line.startswith("Raw_Sha256: "))
        briefings[sha] = path
    return Run(work / "inbox", report, briefings, before)


def notices_for(run: Run, case: dict[str, Any]) -> list[Notice]:
    return [notice for notice in run.report.notices if notice.source.name == case["file"]]


def test_every_capture_ends_as_one_outcome(run: Run) -> None:
    for case in CASES:
        assert len(notices_for(run, case)) == 1, case["id"]
    assert run.report.failed  # refusals make the run fail at the end, after every file was processed


def test_the_inbox_is_never_touched(run: Run, checker: ModuleType) -> None:
    assert checker.snapshot(run.inbox) == run.inbox_before


@pytest.mark.parametrize("case", REFUSED, ids=[case["id"] for case in REFUSED])
def test_refused_files_give_one_line_naming_them_and_the_reason(run: Run, case: dict[str, Any],
                                                                checker: ModuleType) -> None:
    (notice,) = notices_for(run, case)
    assert notice.status in ("refused", "duplicate")
    assert "\n" not in notice.message and printable_path(case["file"]) in notice.message
    assert checker.reason_of(notice.message) == case["reject_reason"]
    assert case["sha256"] not in run.briefings or "duplicate_of" in case


@pytest.mark.parametrize("case", INGESTED, ids=[case["id"] for case in INGESTED])
def test_briefing_header_is_well_formed(run: Run, case: dict[str, Any], checker: ModuleType) -> None:
    path = run.briefings.get(case["sha256"])
    if path is None and "reject" in case.get("also_acceptable", []):
        pytest.skip("refused, which this pathological input allows")
    assert path is not None, f"{case['id']}: no briefing"
    briefing = checker.read_briefing(path, frozenset(HEADER_KEYS))
    assert briefing.header_problems == []
    assert checker._character_problem(path.read_bytes(), ".md", True) == ""
    if case.get("title_contains"):
        assert checker.norm(case["title_contains"]) in checker.norm(briefing.header["Title"])
    for prefix in case.get("checks", {}).get("date_not", []):
        assert not briefing.header["Date"].startswith(prefix)


@pytest.mark.parametrize("case", INGESTED, ids=[case["id"] for case in INGESTED])
def test_rendered_body_is_inert_and_keeps_the_text(run: Run, case: dict[str, Any], checker: ModuleType) -> None:
    path = run.briefings.get(case["sha256"])
    if path is None:
        pytest.skip("no briefing (see the header test)")
    body = path.read_text(encoding="utf-8").partition("\n\n")[2]
    html = render_markdown(body)
    fragment = checker.parse_fragment(html)
    assert checker.active_content_problems(fragment, path.name, checker.SiteKnown(), fragment, fragment=True) == []
    text = checker.text_content(fragment)
    for wanted in case.get("text_contains", []):
        assert checker.norm(wanted) in text
    for unwanted in case.get("text_absent", []):
        assert checker.norm(unwanted) not in text
    if case.get("marker"):
        # The payload may be shown as text, never sit inside an attribute or a tag.
        assert all(case["marker"] not in value for element in fragment.iter() for value in element.attrib.values())
