"""Ingest never loses anything: hand edits kept, duplicates merged, clashing slugs made unique, one run at a time."""

from __future__ import annotations

import fcntl
import os
import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from briefings.archive_index import CACHE_FORMAT, load_known
from briefings.cli import main
from briefings.extract import clean
from briefings.ingest import LOCK_NAME, IngestLocked, IngestSettings, ingest
from briefings.prepare import Prepared, TaggingFiles, prepare
from briefings.read_raw import read_raw
from briefings.write_briefing import read_existing, render_body

ROOT = Path(__file__).resolve().parents[2]
STORY = [
    "The central bank left interest rates unchanged on Thursday, citing slowing inflation and a weaker labour market.",
    "Governor Anna Lind said the committee voted seven to two to hold the main rate at 4.5 percent.",
    "Two members argued for a cut of a quarter point, saying the economy needed support before winter.",
    "Markets had expected the decision, and the currency barely moved after the announcement in the capital.",
    "The bank will publish new forecasts next month, when analysts expect a first cut to be signalled.",
]
FLOODS = [
    "Rescue teams reached the flooded villages in the north on Sunday after the river burst its banks overnight.",
    "The regional governor said four hundred people had been moved to schools and sports halls.",
    "Army trucks carried drinking water and blankets, and engineers began to build a temporary bridge.",
]


def page(title: str, paragraphs: list[str], site: str, extra: str = "") -> str:
    body = "".join(f"<p>{text}</p>" for text in paragraphs)
    return (f"<!doctype html><html><head><meta charset='utf-8'><title>{title} | {site}</title></head><body>"
            f"<header><nav><a href='/'>Home</a> <a href='/world'>World</a></nav></header>"
            f"<main><article><h1>{title}</h1>{body}</article></main>{extra}"
            f"<footer>Copyright {site}. All rights reserved.</footer></body></html>")


@pytest.fixture
def settings(tmp_path: Path) -> IngestSettings:
    taxonomy = ROOT / "content" / "taxonomy"
    return IngestSettings(briefings_dir=tmp_path / "content" / "briefings", project_root=tmp_path,
                          tagging=TaggingFiles(topics=taxonomy / "topics.toml", entities=taxonomy / "entities.toml"))


@pytest.fixture
def inbox(tmp_path: Path) -> Path:
    folder = tmp_path / "inbox"
    folder.mkdir()
    return folder


def briefings_of(settings: IngestSettings) -> dict[str, str]:
    return {path.name: path.read_text(encoding="utf-8") for path in sorted(settings.briefings_dir.glob("*.md"))}


def test_a_second_ingest_changes_nothing_and_reports_unchanged(inbox: Path, settings: IngestSettings) -> None:
    (inbox / "rates.html").write_text(page("Central bank holds rates steady", STORY, "wire.example"))
    first = ingest([inbox], settings)
    written = briefings_of(settings)
    second = ingest([inbox], settings)
    assert [notice.status for notice in first.notices] == ["ingested"]
    assert [notice.status for notice in second.notices] == ["unchanged"]
    assert briefings_of(settings) == written


def test_a_hand_edit_survives_a_forced_reingest(inbox: Path, settings: IngestSettings) -> None:
    (inbox / "rates.html").write_text(page("Central bank holds rates steady", STORY, "wire.example"))
    ingest([inbox], settings)
    path = next(settings.briefings_dir.glob("*.md"))
    edited = path.read_text(encoding="utf-8").replace("Thursday", "Thursday (curator: confirmed)")
    path.write_text(edited, encoding="utf-8")
    forced = ingest([inbox], replace(settings, force=True))
    assert forced.notices[0].status == "kept-edit"
    assert "edited by hand" in forced.notices[0].message
    assert path.read_text(encoding="utf-8") == edited


def test_byte_identical_download_is_a_duplicate_naming_the_kept_file(inbox: Path, settings: IngestSettings) -> None:
    text = page("Central bank holds rates steady", STORY, "wire.example")
    (inbox / "wire-story.html").write_text(text)
    (inbox / "wire-story (1).html").write_text(text)
    for _ in range(2):  # the same verdict on every run
        report = ingest([inbox], settings)
        duplicate = [notice for notice in report.notices if notice.status == "duplicate"]
        assert len(duplicate) == 1
        assert "wire-story (1).html" in duplicate[0].message and "wire-story.html" in duplicate[0].message.split(
            "duplicate of", 1)[1]
    assert len(briefings_of(settings)) == 1


def test_syndicated_copy_with_other_boilerplate_is_a_duplicate(inbox: Path, settings: IngestSettings) -> None:
    (inbox / "site-a.html").write_text(page("Central bank holds rates steady", STORY, "site-a.example"))
    (inbox / "site-b.html").write_text(page("Central bank holds rates steady - Business", STORY, "site-b.example",
                                            extra="<aside><h2>Most read</h2><ul><li>Ferry fares rise</li></ul></aside>"))
    report = ingest([inbox], settings)
    assert [notice.status for notice in report.notices] == ["ingested", "duplicate"]
    assert "site-a.html" in report.notices[1].message
    assert len(briefings_of(settings)) == 1


def test_two_stories_with_the_same_title_get_distinct_slugs(inbox: Path, settings: IngestSettings) -> None:
    other = [sentence.replace("central bank", "stock exchange").replace("rates", "listings") for sentence in STORY]
    other = [f"Traders said {sentence[0].lower()}{sentence[1:]}" for sentence in reversed(other)]
    (inbox / "markets-a.html").write_text(page("Markets rally", STORY, "a.example"))
    (inbox / "markets-b.html").write_text(page("Markets rally!", other, "b.example"))
    ingest([inbox], settings)
    names = set(briefings_of(settings))
    assert len(names) == 2
    assert "markets-rally.md" in names
    assert [name for name in names - {"markets-rally.md"} if name.startswith("markets-rally-")]


def test_refused_files_are_reported_and_the_rest_still_ingested(inbox: Path, settings: IngestSettings,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    (inbox / "empty.html").write_bytes(b"")
    (inbox / "photo.html").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(200))
    (inbox / "rates.html").write_text(page("Central bank holds rates steady", STORY, "wire.example"))
    status = main(["ingest", str(inbox), "--briefings", str(settings.briefings_dir),
                   "--taxonomy", str(ROOT / "content" / "taxonomy")])
    err_lines = capsys.readouterr().err.splitlines()
    assert status == 1
    assert len(briefings_of(settings)) == 1
    assert len([line for line in err_lines if "empty.html" in line and "empty" in line.split(":", 1)[1]]) == 1
    assert len([line for line in err_lines if "photo.html" in line and "binary" in line]) == 1


def test_raw_captures_are_never_modified(inbox: Path, settings: IngestSettings) -> None:
    path = inbox / "rates.html"
    path.write_text(page("Central bank holds rates steady", STORY, "wire.example"))
    os.utime(path, (1_600_000_000, 1_600_000_000))
    before = (path.read_bytes(), path.stat().st_mtime)
    ingest([inbox], settings)
    assert (path.read_bytes(), path.stat().st_mtime) == before
    assert sorted(child.name for child in inbox.iterdir()) == ["rates.html"]


def test_a_second_ingest_at_once_is_refused_with_a_clear_message(inbox: Path, settings: IngestSettings) -> None:
    settings.briefings_dir.mkdir(parents=True)
    with open(settings.briefings_dir / LOCK_NAME, "a") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        with pytest.raises(IngestLocked, match="another ingest is running"):
            ingest([inbox], settings)


def test_a_killed_run_leaves_no_briefing_behind(inbox: Path, settings: IngestSettings) -> None:
    settings.briefings_dir.mkdir(parents=True)
    (settings.briefings_dir / "tmp-abc123.part").write_text("half a briefing")  # what kill -9 leaves
    (inbox / "rates.html").write_text(page("Central bank holds rates steady", STORY, "wire.example"))
    ingest([inbox], settings)
    assert sorted(path.name for path in settings.briefings_dir.iterdir()) == sorted([
        LOCK_NAME, "central-bank-holds-rates-steady.md"])


def test_parallel_ingest_gives_the_same_briefings(inbox: Path, settings: IngestSettings, tmp_path: Path) -> None:
    for number in range(6):
        story = [f"{sentence} Report {number} adds detail number {number}." for sentence in STORY[number % 5:]]
        story += [f"Unique paragraph {number}: " + " ".join(f"word{number}x{i}" for i in range(40))]
        (inbox / f"story-{number}.html").write_text(page(f"Story number {number} on rates", story, "w.example"))
    ingest([inbox], settings)
    serial = briefings_of(settings)
    shutil.rmtree(settings.briefings_dir)
    ingest([inbox], replace(settings, jobs=2))
    assert briefings_of(settings) == serial


def test_the_kept_briefing_lists_every_source_of_its_story(inbox: Path, settings: IngestSettings) -> None:
    (inbox / "site-a.html").write_text(page("Central bank holds rates steady", STORY, "site-a.example"))
    (inbox / "site-b.html").write_text(
        page("Central bank holds rates steady", STORY, "site-b.example").replace(
            "<head>", "<head><meta property='og:site_name' content='Site B News'>"
                      "<link rel='canonical' href='https://site-b.example/markets/rates'>"))
    ingest([inbox], settings)
    kept = next(iter(briefings_of(settings).values()))
    assert "Also_Sources: Site B News https://site-b.example/markets/rates" in kept.splitlines()
    assert [notice.status for notice in ingest([inbox], settings).notices] == ["unchanged", "duplicate"]
    assert next(iter(briefings_of(settings).values())) == kept
    assert not read_existing(next(settings.briefings_dir.glob("*.md"))).hand_edited


def test_the_archive_index_cache_is_optional_and_never_trusted_blindly(inbox: Path, settings: IngestSettings) -> None:
    (inbox / "site-a.html").write_text(page("Central bank holds rates steady", STORY, "site-a.example"))
    ingest([inbox], settings)
    cache = settings.project_root / ".briefings-cache" / "archive-index.json"
    assert cache.is_file()
    cache.write_text("{not json", encoding="utf-8")  # a damaged cache is ignored and rebuilt
    (inbox / "site-b.html").write_text(page("Central bank holds rates steady", STORY, "site-b.example"))
    report = ingest([inbox], settings)
    assert [notice.status for notice in report.notices] == ["unchanged", "duplicate"]
    assert f'"format": {CACHE_FORMAT}' in cache.read_text(encoding="utf-8")


def test_the_archive_index_records_what_reading_the_briefings_gives(inbox: Path, settings: IngestSettings) -> None:
    # Entries of this run's briefings come from the run itself, not from reading the files back: they must
    # be what reading the files gives, or the next run would judge duplicates and edits differently.
    (inbox / "site-a.html").write_text(page("Central bank holds rates steady", STORY, "site-a.example"))
    (inbox / "site-b.html").write_text(page("Central bank holds rates steady", STORY, "site-b.example"))
    (inbox / "floods e\u0301.html").write_text(page("Rivers burst their banks", FLOODS, "local.example"))
    ingest([inbox], replace(settings, jobs=2))
    recorded = load_known(settings.briefings_dir, settings.project_root)
    shutil.rmtree(settings.project_root / ".briefings-cache")
    assert load_known(settings.briefings_dir, settings.project_root) == recorded
    assert len(recorded) == 2 and all(entry.signature for entry in recorded)
    assert any("Also_Sources" in text for text in briefings_of(settings).values())


def test_a_prepared_capture_sends_its_body_rendered_once_not_its_blocks_again(inbox: Path,
                                                                              settings: IngestSettings) -> None:
    capture = inbox / "rates.html"
    capture.write_text(page("Central bank holds rates steady", STORY, "wire.example"))
    prepared = prepare(capture, settings.tagging)
    assert isinstance(prepared, Prepared)
    cleaned = clean(read_raw(capture))
    assert prepared.document.blocks == ()
    assert prepared.body == render_body(cleaned.blocks)
    assert replace(prepared.document, blocks=cleaned.blocks) == cleaned
