"""Curator controls read from the briefing header: Note, Featured, Withdrawn, and the merged Also_Sources; and no
page carries a form `action`. Built from the fixture archive plus tests/site/content-curated."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from sitebuild import build_site, curated_content

WITHDRAWN = "ferry-subsidy-withdrawn"
WITHDRAWN_MARKS = ("Ferry subsidy story retracted", "ferry-subsidy-withdrawn", "7e6d5c4b-3a29-4180-9f7e-6d5c4b3a2918",
                   "Ghost Shipping", "ghost-shipping")
FEATURED = "port-dues-featured"


@pytest.fixture(scope="module")
def curated_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("curated")
    return build_site(curated_content(root / "content"), root / "output")


def page(site: Path, name: str) -> BeautifulSoup:
    return BeautifulSoup((site / name).read_text(encoding="utf-8"), "html.parser")


def test_a_withdrawn_briefing_leaves_no_trace_in_the_output(curated_site: Path) -> None:
    assert (curated_site / "briefings" / f"{FEATURED}.html").is_file()
    leftovers = [path.relative_to(curated_site).as_posix() for path in curated_site.rglob("*")
                 if WITHDRAWN in path.name or "ghost-shipping" in path.name]
    assert leftovers == [] and not (curated_site / "drafts").exists()
    for path in sorted(curated_site.rglob("*")):
        if path.is_file() and path.suffix != ".zip":
            text = path.read_text(encoding="utf-8", errors="replace")
            assert not [mark for mark in WITHDRAWN_MARKS if mark in text], path.relative_to(curated_site)
    with zipfile.ZipFile(curated_site / "briefings-offline.zip") as archive:
        assert not [name for name in archive.namelist() if WITHDRAWN in name or "drafts" in name]
        assert not any(WITHDRAWN.encode() in archive.read(name) for name in archive.namelist())


def test_a_withdrawn_briefing_keeps_its_file(curated_site: Path) -> None:
    content = curated_site.parent / "content" / "briefings" / f"{WITHDRAWN}.md"
    assert "Withdrawn: Yes" in content.read_text(encoding="utf-8")


def test_the_curators_note_is_shown_above_the_body_as_text(curated_site: Path) -> None:
    soup = page(curated_site, f"briefings/{FEATURED}.html")
    note = soup.select_one("main .curator-note")
    assert note is not None
    assert note.get_text(" ", strip=True) == ("Curator's note: Checked against the <b>port's</b> own tariff sheet & "
                                               "the ministry's <script>alert('BI-note')</script> notice.")
    assert note.find("b") is None and note.find("script") is None
    body = soup.select_one("main .body")
    assert note.sourceline < body.sourceline  # type: ignore[operator]
    assert page(curated_site, "briefings/patriot-batteries-reach-kyiv.html").select_one(".curator-note") is None


def test_featured_briefings_open_the_home_page(curated_site: Path) -> None:
    featured = page(curated_site, "index.html").select_one("main .featured")
    assert featured is not None
    links = [a["href"] for a in featured.select(".card-title a")]
    assert links == [f"./briefings/{FEATURED}.html"], "only Featured: yes, never a withdrawn one"
    assert page(curated_site, "archives.html").select_one(".featured") is None


def test_merged_sources_are_listed_and_only_web_addresses_are_linked(curated_site: Path) -> None:
    meta = page(curated_site, f"briefings/{FEATURED}.html").select_one("main .briefing-header .meta")
    text = " ".join(meta.get_text().split())
    assert "Also published by Harbour Gazette, Evil Wire, Plain Outlet Weekly, Files Mirror ·" in text
    links = {a.get_text(): (a["href"], a["rel"]) for a in meta.select("a")}
    assert links["Harbour Gazette"] == ("https://gazette.example.net/ports/dues", ["external", "noopener"])
    assert "Evil Wire" not in links and "Files Mirror" not in links and "Plain Outlet Weekly" not in links
    assert "javascript" not in str(meta) and "ftp:" not in str(meta)


def test_no_page_carries_a_form_action(curated_site: Path) -> None:
    for path in sorted(curated_site.rglob("*.html")):
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        assert not soup.select("[action], [formaction]"), path.relative_to(curated_site)
        assert soup.select_one("form.search input[type=search]") is not None, path.relative_to(curated_site)
