"""write_bundle: every output file but itself, sorted, fixed timestamps, same bytes every time."""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

import pytest
from briefing_bundle.bundle import BundleError, write_bundle


def make_output(root: Path) -> Path:
    files = {
        "index.html": "<!DOCTYPE html><title>Home</title>",
        "topics/air-defense.html": "<title>Air defense</title>",
        "briefings/b.html": "<title>B</title>",
        "search/index.js": "window.briefingSearch = {};\n",
        "Zürich notes.html": "<title>Z</title>",
    }
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    return root


def test_bundle_holds_every_file_but_itself_sorted(tmp_path: Path) -> None:
    output = make_output(tmp_path / "output")
    (output / "briefings-offline.zip").write_bytes(b"stale bundle from the last build")
    bundle = write_bundle(output)
    assert bundle == output / "briefings-offline.zip"
    with zipfile.ZipFile(bundle) as archive:
        assert archive.namelist() == ["Zürich notes.html", "briefings/b.html", "index.html",
                                      "search/index.js", "topics/air-defense.html"]
        assert archive.read("search/index.js") == b"window.briefingSearch = {};\n"
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        assert archive.testzip() is None
    assert not list(output.glob("*.part"))


def test_bundle_bytes_do_not_depend_on_file_times_or_creation_order(tmp_path: Path) -> None:
    first = write_bundle(make_output(tmp_path / "one")).read_bytes()
    second_root = make_output(tmp_path / "two")
    os.utime(second_root / "index.html", (1_000_000, 1_000_000))
    assert write_bundle(second_root).read_bytes() == first


def test_an_unbuilt_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(BundleError, match=r"no index\.html"):
        write_bundle(tmp_path)
