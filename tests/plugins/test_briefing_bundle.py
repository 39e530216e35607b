"""write_bundle: every output file but itself plus a checksum manifest, sorted, fixed timestamps, same bytes
every time; and the offline check that refuses pages that would not work from the unzipped bundle."""

from __future__ import annotations

import hashlib
import os
import zipfile
from pathlib import Path

import pytest
from briefing_bundle.bundle import BundleError, Previous, write_bundle
from briefing_bundle.links import offline_violations


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
        assert archive.namelist() == ["MANIFEST.sha256", "Zürich notes.html", "briefings/b.html", "index.html",
                                      "search/index.js", "topics/air-defense.html"]
        manifest = archive.read("MANIFEST.sha256").decode("utf-8").splitlines()
        assert [line.split("  ", 1)[1] for line in manifest] == archive.namelist()[1:]
        for line in manifest:
            digest, name = line.split("  ", 1)
            assert hashlib.sha256(archive.read(name)).hexdigest() == digest
        assert archive.read("search/index.js") == b"window.briefingSearch = {};\n"
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        assert archive.testzip() is None
    assert not list(output.glob("*.part"))


def test_bundle_bytes_do_not_depend_on_file_times_or_creation_order(tmp_path: Path) -> None:
    first = write_bundle(make_output(tmp_path / "one")).read_bytes()
    second_root = make_output(tmp_path / "two")
    os.utime(second_root / "index.html", (1_000_000, 1_000_000))
    assert write_bundle(second_root).read_bytes() == first


def next_build(output: Path, previous_zip: Path) -> set[str]:
    """The output of a next build: one page changed, one new, one gone; the previous zip moved aside (as the
    incremental build does). Returns the files left as they were."""
    os.replace(output / "briefings-offline.zip", previous_zip)
    (output / "briefings/b.html").write_text("<title>B, edited</title>", encoding="utf-8")
    (output / "briefings/a.html").write_text("<title>A</title>", encoding="utf-8")
    (output / "topics/air-defense.html").unlink()
    return {"index.html", "search/index.js", "Zürich notes.html"}


def test_unchanged_entries_copied_from_the_previous_bundle_give_a_clean_bundle_s_bytes(tmp_path: Path) -> None:
    output = make_output(tmp_path / "output")
    write_bundle(output)
    unchanged = next_build(output, tmp_path / "previous.zip")
    copied = write_bundle(output, previous=Previous(tmp_path / "previous.zip", unchanged.__contains__))
    assert copied.read_bytes() == write_bundle(make_clean_copy(output, tmp_path / "clean")).read_bytes()
    with zipfile.ZipFile(copied) as archive:
        assert archive.testzip() is None
        assert archive.read("briefings/b.html") == b"<title>B, edited</title>"


def test_a_previous_bundle_written_by_another_zip_tool_is_not_copied_from(tmp_path: Path) -> None:
    output = make_output(tmp_path / "output")
    with zipfile.ZipFile(write_bundle(output)) as ours:
        members = {name: ours.read(name) for name in ours.namelist()}
    with zipfile.ZipFile(output / "briefings-offline.zip", "w", zipfile.ZIP_DEFLATED) as other:
        for name, data in members.items():  # same names and bytes, other header fields (times, versions)
            other.writestr(name, data)
    unchanged = next_build(output, tmp_path / "previous.zip")
    copied = write_bundle(output, previous=Previous(tmp_path / "previous.zip", unchanged.__contains__))
    assert copied.read_bytes() == write_bundle(make_clean_copy(output, tmp_path / "clean")).read_bytes()


def make_clean_copy(output: Path, clean: Path) -> Path:
    """The same files in another folder, without any bundle."""
    for path in output.rglob("*"):
        if path.is_file() and path.suffix != ".zip":
            (clean / path.relative_to(output)).parent.mkdir(parents=True, exist_ok=True)
            (clean / path.relative_to(output)).write_bytes(path.read_bytes())
    return clean


def test_an_unbuilt_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(BundleError, match=r"no index\.html"):
        write_bundle(tmp_path)


GOOD_PAGE = """<!DOCTYPE html><html><head><link rel="stylesheet" href="../theme/site.css">
<script src="../search/index.js"></script></head><body>
<a href="../index.html#main">Home</a> <a href="#top">Top</a> <a href="../Z%C3%BCrich%20notes.html">Z</a>
<a href="https://news.example.com/a" rel="external noopener">Original</a>
<form action="../index.html"></form></body></html>"""


def site_with(tmp_path: Path, page: str, css: str = "body { color: black; }") -> Path:
    output = make_output(tmp_path / "output")
    (output / "theme").mkdir()
    (output / "theme" / "site.css").write_text(css, encoding="utf-8")
    (output / "briefings" / "b.html").write_text(page, encoding="utf-8")
    return output


def test_a_page_whose_links_resolve_inside_the_bundle_passes(tmp_path: Path) -> None:
    assert offline_violations(site_with(tmp_path, GOOD_PAGE), "briefings-offline.zip") == []


@pytest.mark.parametrize(("link", "problem"), [
    ('<a href="../missing.html">x</a>', "missing.html is not in the bundle"),
    ('<a href="../topics/">x</a>', "ends with /"),
    ('<a href="/index.html">x</a>', "starts with /"),
    ('<a href="../../outside.html">x</a>', "leaves the bundle"),
    ('<a href="../briefings-offline.zip">zip</a>', "briefings-offline.zip is not in the bundle"),
    ('<a href="https://news.example.com/a">x</a>', 'without rel="external noopener"'),
    ('<script src="https://cdn.example.com/lunr.js"></script>', "external or https: resource"),
    ('<link rel="stylesheet" href="https://fonts.example.com/css">', "external or https: resource"),
    ('<img src="//cdn.example.com/x.png" alt="">', "external resource"),
    ('<a href="javascript:alert(1)">x</a>', "javascript: resource"),
])
def test_each_kind_of_offline_breakage_is_found_and_named(tmp_path: Path, link: str, problem: str) -> None:
    output = site_with(tmp_path, GOOD_PAGE.replace("</body>", link + "</body>"))
    found = offline_violations(output, "briefings-offline.zip")
    assert len(found) == 1 and found[0].page == "briefings/b.html" and problem in found[0].problem, found


def test_an_external_font_in_the_stylesheet_is_found(tmp_path: Path) -> None:
    css = "@font-face { font-family: X; src: url('https://fonts.example.com/x.woff2'); }"
    found = offline_violations(site_with(tmp_path, GOOD_PAGE, css), "briefings-offline.zip")
    assert [(v.page, "external resource" in v.problem) for v in found] == [("theme/site.css", True)]


def test_a_violation_fails_the_bundle_naming_the_page(tmp_path: Path) -> None:
    output = site_with(tmp_path, GOOD_PAGE.replace("</body>", '<a href="../gone.html">x</a></body>'))
    with pytest.raises(BundleError, match=r"briefings/b\.html: does not work offline: .*gone\.html"):
        write_bundle(output)
    assert not (output / "briefings-offline.zip").exists()
