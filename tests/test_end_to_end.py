"""The whole archive from the shipped sample captures: ingest, build, feeds, bundle, as a new user runs it."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import feedparser
import pytest
from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parents[1]
SEEDS = sorted((ROOT / "content" / "raw").glob("*.txt"))
BRIEFINGS_CLI = Path(sys.executable).with_name("briefings")
SITEURL = "https://archive.example.net/briefings"


def run_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(BRIEFINGS_CLI), *args], cwd=cwd, capture_output=True, text=True, check=False)


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh project folder holding the sample captures, ingested and built."""
    root = tmp_path_factory.mktemp("project")
    for seed in SEEDS:
        (root / "content" / "raw").mkdir(parents=True, exist_ok=True)
        shutil.copy2(seed, root / "content" / "raw" / seed.name)
    shutil.copytree(ROOT / "content" / "taxonomy", root / "content" / "taxonomy")
    ingested = run_cli("ingest", cwd=root)
    assert ingested.returncode == 0, ingested.stderr
    built = run_cli("build", "--settings", str(ROOT / "pelican.conf.py"), "--content", str(root / "content"),
                    "--output", str(root / "output"), "--siteurl", SITEURL, cwd=root)
    assert built.returncode == 0, built.stdout + built.stderr
    return root


def briefing_for(project: Path, seed_prefix: str) -> str:
    matches = [path.read_text(encoding="utf-8") for path in (project / "content" / "briefings").glob("*.md")
               if f"Raw: content/raw/{seed_prefix}" in path.read_text(encoding="utf-8")]
    assert len(matches) == 1, f"expected one briefing for seed {seed_prefix}, found {len(matches)}"
    return matches[0]


def header(briefing: str) -> dict[str, str]:
    lines = briefing.partition("\n\n")[0].splitlines()
    return {key: value.strip() for key, _, value in (line.partition(":") for line in lines)}


def body(briefing: str) -> str:
    return briefing.partition("\n\n")[2]


def test_one_briefing_per_seed(project: Path) -> None:
    assert len(list((project / "content" / "briefings").glob("*.md"))) == len(SEEDS) == 2


@pytest.mark.parametrize("seed", ["000", "002"])
def test_seed_bodies_hold_no_boilerplate(project: Path, seed: str) -> None:
    text = body(briefing_for(project, seed))
    for boilerplate in ("This website uses cookies", "Related posts", "Zabaikalsky Governor Disbands Cabinet",
                        "EU Sanctions on Russia Stalled", "How AI Memes Are Distorting", "preview-domain.com"):
        assert boilerplate not in text
    title = header(briefing_for(project, seed))["Title"]
    assert title not in text, "the title is repeated in the body"


def test_site_header_line_becomes_metadata(project: Path) -> None:
    metadata = header(briefing_for(project, "000"))
    assert metadata["Title"] == "Zelensky Urges Allies for Stronger Air Defense Amid Renewed Russian Attacks"
    assert metadata["Source"] == "london-news-net.preview-domain.com"
    assert metadata["Section"] == "World"
    assert metadata["Date_Source"] == "file"


def test_seed_002_keeps_its_eight_section_headings(project: Path) -> None:
    headings = re.findall(r"^## (.+)$", body(briefing_for(project, "002")), flags=re.MULTILINE)
    assert len(headings) == 8
    assert "Sanctions Strategy Remains a Parallel Line of Defense" in headings


def test_seed_topics(project: Path) -> None:
    assert header(briefing_for(project, "000"))["Topics"] == "air-defense, diplomacy"
    assert header(briefing_for(project, "002"))["Topics"] == "air-defense, diplomacy, sanctions"


def test_entities_are_tags_with_aliases_merged(project: Path) -> None:
    tags = header(briefing_for(project, "000"))["Tags"].split(", ")
    assert "Volodymyr Zelensky" in tags
    assert "Dmitry Peskov" in tags
    assert not [tag for tag in tags if tag in ("Zelensky", "Zelenskyy")]


def test_second_ingest_changes_nothing(project: Path) -> None:
    before = {path.name: path.read_bytes() for path in (project / "content" / "briefings").iterdir()}
    again = run_cli("ingest", cwd=project)
    assert again.returncode == 0
    assert "2 unchanged" in again.stdout
    assert {path.name: path.read_bytes() for path in (project / "content" / "briefings").iterdir()} == before


def topic_page_titles(project: Path, topic: str) -> set[str]:
    page = BeautifulSoup((project / "output" / "topics" / f"{topic}.html").read_text(encoding="utf-8"), "html.parser")
    main = page.find("main")
    assert main is not None
    return {link.get_text(" ", strip=True) for link in main.select("article h2 a, article h3 a")}


def test_topic_pages_list_exactly_their_briefings(project: Path) -> None:
    title_000 = header(briefing_for(project, "000"))["Title"]
    title_002 = header(briefing_for(project, "002"))["Title"]
    assert topic_page_titles(project, "air-defense") == {title_000, title_002}
    assert topic_page_titles(project, "diplomacy") == {title_000, title_002}
    assert topic_page_titles(project, "sanctions") == {title_002}


@pytest.mark.parametrize("feed", ["all.atom.xml", "all.rss.xml", "topics/sanctions.atom.xml",
                                  "topics/sanctions.rss.xml", "topics/air-defense.atom.xml"])
def test_feeds_parse_with_absolute_entry_links(project: Path, feed: str) -> None:
    parsed = feedparser.parse((project / "output" / "feeds" / feed).read_bytes())
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    expected = 1 if "sanctions" in feed else 2
    assert len(parsed.entries) == expected
    for entry in parsed.entries:
        assert entry.link.startswith(SITEURL + "/")


def test_bundle_holds_the_site_and_not_itself(project: Path) -> None:
    with zipfile.ZipFile(project / "output" / "briefings-offline.zip") as bundle:
        names = set(bundle.namelist())
    assert "index.html" in names
    assert "topics/air-defense.html" in names
    assert not [name for name in names if name.endswith(".zip")]


def test_second_build_is_byte_identical(project: Path, tmp_path: Path) -> None:
    rebuilt = run_cli("build", "--settings", str(ROOT / "pelican.conf.py"), "--content",
                      str(project / "content"), "--output", str(tmp_path / "output"), "--siteurl", SITEURL,
                      cwd=project)
    assert rebuilt.returncode == 0, rebuilt.stderr
    first = {path.relative_to(project / "output"): path.read_bytes()
             for path in (project / "output").rglob("*") if path.is_file()}
    second = {path.relative_to(tmp_path / "output"): path.read_bytes()
              for path in (tmp_path / "output").rglob("*") if path.is_file()}
    assert sorted(first) == sorted(second)
    assert [name for name in first if first[name] != second[name]] == []


def test_a_briefing_pelican_cannot_read_fails_the_build_naming_it(project: Path, tmp_path: Path) -> None:
    # Pelican builds on over a file it cannot read unless warnings are fatal; `briefings build` makes them so, and
    # its exit status is the failed build's.
    content = tmp_path / "content"
    shutil.copytree(project / "content" / "briefings", content / "briefings")
    (content / "briefings" / "broken-date.md").write_text("Title: Broken\nDate: not a date\n\nBody.\n",
                                                          encoding="utf-8")
    built = run_cli("build", "--settings", str(ROOT / "pelican.conf.py"), "--content", str(content),
                    "--output", str(tmp_path / "output"), cwd=tmp_path)
    assert built.returncode == 1
    assert "broken-date.md" in built.stdout + built.stderr


def test_offline_bundle_from_disk_finds_patriot_and_opens_seed_002(project: Path, tmp_path: Path,
                                                                   browser: Any) -> None:
    """The unzipped bundle opened from file:// in headless Chromium: search works with no network request."""
    unzipped = tmp_path / "offline copy"
    with zipfile.ZipFile(project / "output" / "briefings-offline.zip") as bundle:
        bundle.extractall(unzipped)
    seed_002_title = header(briefing_for(project, "002"))["Title"]
    requests: list[str] = []
    errors: list[str] = []
    context = browser.new_context()
    page = context.new_page()
    page.on("request", lambda request: requests.append(request.url))
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto((unzipped / "index.html").as_uri())
    page.focus("#search-input")
    page.type("#search-input", "Patriot")
    page.wait_for_selector("#search-results li a", timeout=10_000)
    assert page.locator("#search-results li .result-title").all_text_contents() == [seed_002_title]
    page.click("#search-results li a")
    page.wait_for_load_state()
    assert page.locator("h1").text_content() == seed_002_title
    assert "Patriot" in page.locator("main").text_content()
    context.close()
    assert [url for url in requests if not url.startswith("file://")] == []
    assert errors == []
