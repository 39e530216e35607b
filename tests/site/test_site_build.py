"""The fixture archive built with the real pelican.conf.py: pages, links, topics, search index, feeds, bundle."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path
from urllib.parse import urlsplit

import feedparser
import pytest
from bs4 import BeautifulSoup
from sitebuild import CONF, FIXTURE_CONTENT, ROOT, SITEURL, build_site

SLUGS = ("geneva-talks-multilingual", "oil-price-cap-enforcement", "patriot-batteries-reach-kyiv")
TOPIC_SLUGS = {
    "air-defense": {"patriot-batteries-reach-kyiv"},
    "diplomacy": {"geneva-talks-multilingual", "patriot-batteries-reach-kyiv"},
    "sanctions": {"oil-price-cap-enforcement"},
    "energy": set(),
}
UIDS = {
    "patriot-batteries-reach-kyiv": "6f1c2b9e-8d4a-4f7b-9c3e-1a2b3c4d5e6f",
    "oil-price-cap-enforcement": "0d3f5a7c-9e1b-4d2f-8a6c-4e8b0d2f6a1c",
    "geneva-talks-multilingual": "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d",
}


def page(site: Path, name: str) -> BeautifulSoup:
    return BeautifulSoup((site / name).read_text(encoding="utf-8"), "html.parser")


def html_pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def linked_slugs(soup: BeautifulSoup, selector: str) -> set[str]:
    return {Path(a["href"]).stem for a in soup.select(selector)}


def test_one_page_per_briefing_and_nothing_from_raw(site: Path) -> None:
    assert sorted(path.stem for path in (site / "briefings").glob("*.html")) == list(SLUGS)
    assert not list(site.rglob("stray-capture*")), "content/raw/ must never be read by Pelican"
    assert (site / "search.html").is_file()
    assert not (site / "category").exists() and not (site / "author").exists()


def test_briefing_page_shows_metadata_and_escapes_article_text(site: Path) -> None:
    soup = page(site, "briefings/patriot-batteries-reach-kyiv.html")
    assert soup.h1.get_text() == "Germany sends two more Patriot batteries as drone attacks on Kyiv intensify"
    assert soup.find("time")["datetime"] == "2025-07-08T09:30:00+03:00"
    source = soup.find("a", string="Example Defence Wire")
    assert source["href"] == "https://news.example.com/defence/2025/07/08/patriot-batteries"
    assert source["rel"] == ["external", "noopener"]
    assert [li.get_text() for li in soup.select(".key-points li")][2] == (
        "Zelensky asked NATO partners for interceptors & radars <before winter>.")
    assert {a.get_text() for a in soup.select(".briefing-header .chip")} == {"Air defense", "Diplomacy"}
    assert "Volodymyr Zelensky" in {a.get_text() for a in soup.select("#entities-heading ~ ul a")}
    headings = [h.get_text() for h in soup.select(".body h2")]
    assert headings == ["Article", "Heaviest week of strikes", "What the batteries bring"]
    assert soup.select_one(".body blockquote") is not None
    assert not soup.select(".body script"), "article text must never become markup"
    assert "approximate" not in soup.get_text()


def test_a_hostile_source_url_is_shown_as_text_never_linked(site: Path) -> None:
    soup = page(site, "briefings/geneva-talks-multilingual.html")
    assert not [a for a in soup.select("a[href]") if "javascript" in a["href"].lower()]
    assert "javascript:alert(document.cookie)" in soup.select_one(".briefing-footer").get_text()
    assert "Genève Quotidien" in soup.select_one(".meta").get_text()


def test_date_taken_from_the_file_is_marked_approximate(site: Path) -> None:
    soup = page(site, "briefings/oil-price-cap-enforcement.html")
    assert "approximate" in soup.select_one(".note").get_text()
    assert "approximate" in soup.select_one(".meta").get_text()


def test_home_lists_briefings_newest_first_with_summary_and_topics(site: Path) -> None:
    soup = page(site, "index.html")
    cards = soup.select(".cards .card")
    assert [Path(card.a["href"]).stem for card in cards] == [
        "geneva-talks-multilingual", "patriot-batteries-reach-kyiv", "oil-price-cap-enforcement"]
    assert cards[1].select_one(".summary").get_text().startswith("Germany will deliver two additional Patriot")
    assert [a.get_text() for a in cards[2].select(".chip")] == ["Sanctions"]


@pytest.mark.parametrize("topic", sorted(TOPIC_SLUGS))
def test_topic_page_lists_exactly_its_briefings(site: Path, topic: str) -> None:
    soup = page(site, f"topics/{topic}.html")
    assert linked_slugs(soup, ".cards .card-title a") == TOPIC_SLUGS[topic]
    description = soup.select_one(".lead").get_text()
    assert description and description in (FIXTURE_CONTENT / "taxonomy" / "topics.toml").read_text(encoding="utf-8")
    feeds = {link["href"] for link in soup.select('link[rel="alternate"]')}
    assert f"../feeds/topics/{topic}.atom.xml" in feeds and f"../feeds/topics/{topic}.rss.xml" in feeds


def test_entity_pages_come_from_tags(site: Path) -> None:
    soup = page(site, "entities/patriot.html")
    assert soup.h1.get_text() == "Patriot"
    assert linked_slugs(soup, ".cards .card-title a") == {"patriot-batteries-reach-kyiv"}
    assert linked_slugs(page(site, "entities/kyiv.html"), ".cards .card-title a") == {
        "patriot-batteries-reach-kyiv", "geneva-talks-multilingual"}
    assert "Switzerland" in page(site, "entities.html").get_text()


def test_briefing_links_related_briefings_and_topic_neighbours(site: Path) -> None:
    soup = page(site, "briefings/patriot-batteries-reach-kyiv.html")
    assert linked_slugs(soup, ".related-list a") == {"geneva-talks-multilingual"}
    steps = soup.select(".topic-steps li")
    assert len(steps) == 1 and steps[0].a.get_text() == "Diplomacy"
    assert "newer: Geneva talks" in " ".join(steps[0].get_text().split())
    assert not page(site, "briefings/oil-price-cap-enforcement.html").select(".topic-steps, .related-list")


def test_archive_lists_every_briefing(site: Path) -> None:
    assert linked_slugs(page(site, "archives.html"), ".archive-list a") == set(SLUGS)


def test_every_link_is_relative_file_style_and_resolves(site: Path) -> None:
    for path in html_pages(site):
        soup = page(site, str(path.relative_to(site)))
        for element in soup.select("[href], [src]"):
            target = element.get("href") or element.get("src")
            if urlsplit(target).scheme in ("http", "https"):
                assert "external" in element.get("rel", []), f"{path.name}: {target} needs rel=external"
                continue
            assert not target.startswith("/") and not target.endswith("/"), f"{path.name}: {target}"
            file_part = target.split("#")[0]
            if file_part:
                assert (path.parent / file_part).resolve().is_file(), f"{path.name}: {target} is broken"


def test_every_page_has_search_box_and_feed_autodiscovery(site: Path) -> None:
    for path in html_pages(site):
        soup = page(site, str(path.relative_to(site)))
        assert soup.select_one('form[role="search"] input[type="search"]') is not None, path.name
        types = {link["type"] for link in soup.select('link[rel="alternate"]')}
        assert {"application/atom+xml", "application/rss+xml"} <= types, path.name
        inline = [script for script in soup.select("script:not([src])") if script.get("type") != "application/ld+json"]
        assert not inline, f"{path.name}: inline scripts are not allowed"


def read_search_part(path: Path) -> tuple[str, object]:
    text = path.read_text(encoding="ascii")
    match = re.fullmatch(r'briefingSearch\.add\("([a-z0-9-]+)",(.*)\);\n', text, re.DOTALL)
    assert match, f"{path.name}: not a search part"
    return match.group(1), json.loads(match.group(2))


def test_search_files_hold_the_three_briefings_with_short_refs(site: Path) -> None:
    name, manifest = read_search_part(site / "search" / "index.js")
    assert name == "manifest" and manifest["count"] == 3
    assert [topic for topic, _ in manifest["topics"]] == ["air-defense", "sanctions", "diplomacy", "energy"]
    [only] = manifest["slices"]
    assert only["first"] == 0 and only["count"] == 3
    _, rows = read_search_part(site / "search" / f"d{only['id']}-0.js")
    # Ref 0 is the oldest briefing: a new briefing only ever adds to the newest document chunk and slice.
    assert [Path(row[0]).stem for row in rows] == [
        "oil-price-cap-enforcement", "patriot-batteries-reach-kyiv", "geneva-talks-multilingual"]
    shards = [read_search_part(site / "search" / f"s{only['id']}-{number}.js")[1]
              for number in range(len(only["shards"]))]
    refs = {ref for shard in shards for ref, _ in shard["fieldVectors"]}
    assert refs == {f"{field}/{ref}" for field in ("title", "tags", "text") for ref in "012"}
    terms = {term for shard in shards for term, _ in shard["invertedIndex"]}
    assert {"patriot", "київ", "zürich"} <= terms
    assert "debri" not in terms, "the body is not indexed, only short fields"
    assert (site / "search" / "lunr.js").read_bytes() == (ROOT / "node_modules/lunr/lunr.min.js").read_bytes()


def test_feeds_parse_with_absolute_links_and_uid_ids(site: Path) -> None:
    for path in sorted((site / "feeds").rglob("*.xml")):
        feed = feedparser.parse(path.read_bytes())
        assert feed.bozo == 0, f"{path}: {feed.get('bozo_exception')}"
        for entry in feed.entries:
            assert entry.link.startswith(SITEURL + "/briefings/"), entry.link
            assert entry.id == f"urn:uuid:{UIDS[Path(entry.link).stem]}"
            assert entry.summary and entry.content[0].value.startswith("<p>")
    everything = feedparser.parse((site / "feeds" / "all.atom.xml").read_bytes())
    assert {Path(entry.link).stem for entry in everything.entries} == set(SLUGS)


@pytest.mark.parametrize("topic", sorted(TOPIC_SLUGS))
@pytest.mark.parametrize("kind", ["atom.xml", "rss.xml"])
def test_topic_feed_holds_only_its_topic(site: Path, topic: str, kind: str) -> None:
    path = site / "feeds" / "topics" / f"{topic}.{kind}"
    feed = feedparser.parse(path.read_bytes())
    assert feed.bozo == 0
    assert {Path(entry.link).stem for entry in feed.entries} == TOPIC_SLUGS[topic]
    self_links = [link.href for link in feed.feed.links if link.rel == "self"]
    assert self_links == [f"{SITEURL}/feeds/topics/{topic}.{kind}"]


@pytest.mark.parametrize("topic", sorted(TOPIC_SLUGS))
def test_topic_json_feed_holds_only_its_topic(site: Path, topic: str) -> None:
    document = json.loads((site / "feeds" / "topics" / f"{topic}.json").read_text(encoding="utf-8"))
    assert document["feed_url"] == f"{SITEURL}/feeds/topics/{topic}.json"
    assert {Path(item["url"]).stem for item in document["items"]} == TOPIC_SLUGS[topic]
    assert all(item["id"] == f"urn:uuid:{UIDS[Path(item['url']).stem]}" for item in document["items"])


def test_opml_lists_the_archive_feed_and_every_topic_feed(site: Path) -> None:
    from xml.etree import ElementTree

    outlines = ElementTree.parse(site / "feeds" / "feeds.opml").findall("body/outline")
    assert [outline.get("xmlUrl") for outline in outlines] == [f"{SITEURL}/feeds/all.atom.xml"] + [
        f"{SITEURL}/feeds/topics/{topic}.atom.xml" for topic in ("air-defense", "sanctions", "diplomacy", "energy")]


def test_json_ld_dates_and_ids_match_the_feed(site: Path) -> None:
    feed = feedparser.parse((site / "feeds" / "all.atom.xml").read_bytes())
    for entry in feed.entries:
        soup = page(site, f"briefings/{Path(entry.link).stem}.html")
        data = json.loads(soup.select_one('script[type="application/ld+json"]').string)
        assert data["@type"] == "NewsArticle" and data["url"] == entry.link
        assert data["datePublished"] == entry.published and data["identifier"] == entry.id
        assert data["headline"] == entry.title


def test_sitemap_lists_every_page_with_absolute_urls(site: Path) -> None:
    from xml.etree import ElementTree

    tree = ElementTree.parse(site / "sitemap.xml")
    namespace = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locs = [loc.text for loc in tree.findall("s:url/s:loc", namespace)]
    pages = {path.relative_to(site).as_posix() for path in html_pages(site)} - {"search.html"}
    assert sorted(locs) == sorted(f"{SITEURL}/{name}" for name in pages)
    assert len(tree.findall("s:url/s:lastmod", namespace)) == len(SLUGS)


def test_bundle_holds_every_output_file_but_itself(site: Path) -> None:
    bundle = site / "briefings-offline.zip"
    on_disk = sorted(path.relative_to(site).as_posix() for path in site.rglob("*") if path.is_file())
    with zipfile.ZipFile(bundle) as archive:
        names = archive.namelist()
        assert names == sorted(names)
        assert names == sorted([name for name in on_disk if name != "briefings-offline.zip"] + ["MANIFEST.sha256"])
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        assert archive.read("index.html") == (site / "index.html").read_bytes()
    assert {"index.html", "search/index.js", "search/lunr.js", "topics/air-defense.html"} <= set(names)


def test_two_builds_are_byte_identical(site: Path, tmp_path: Path) -> None:
    again = build_site(FIXTURE_CONTENT, tmp_path / "again")
    first = {path.relative_to(site): path.read_bytes() for path in site.rglob("*") if path.is_file()}
    second = {path.relative_to(again): path.read_bytes() for path in again.rglob("*") if path.is_file()}
    assert first.keys() == second.keys()
    assert [name for name in first if first[name] != second[name]] == []


def test_siteurl_override_changes_feed_links_but_not_ids(site: Path, tmp_path: Path) -> None:
    other = build_site(FIXTURE_CONTENT, tmp_path / "other", siteurl="https://mirror.example.net")
    before = feedparser.parse((site / "feeds" / "all.atom.xml").read_bytes())
    after = feedparser.parse((other / "feeds" / "all.atom.xml").read_bytes())
    assert [entry.id for entry in after.entries] == [entry.id for entry in before.entries]
    assert before.feed.id == after.feed.id
    assert all(entry.link.startswith("https://mirror.example.net/briefings/") for entry in after.entries)
    assert (site / "index.html").read_bytes() == (other / "index.html").read_bytes(), "pages use relative links"


def test_an_archive_without_briefings_still_builds(tmp_path: Path) -> None:
    content = tmp_path / "content"
    (content / "taxonomy").mkdir(parents=True)
    (content / "taxonomy" / "topics.toml").write_bytes((FIXTURE_CONTENT / "taxonomy" / "topics.toml").read_bytes())
    output = build_site(content, tmp_path / "out")
    assert "No briefings yet." in (output / "index.html").read_text(encoding="utf-8")
    assert feedparser.parse((output / "feeds" / "all.atom.xml").read_bytes()).bozo == 0
    assert (output / "briefings-offline.zip").is_file() and (output / "topics" / "energy.html").is_file()


def test_siteurl_comes_from_the_environment_and_paths_from_the_settings_file(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from pelican.settings import read_settings

    monkeypatch.setenv("BRIEFINGS_SITEURL", "https://env.example.org/archive/")
    settings = read_settings(str(CONF))
    assert settings["SITEURL"] == "https://env.example.org/archive"
    assert settings["PATH"] == str(ROOT / "content") and settings["OUTPUT_PATH"] == str(ROOT / "output")
    assert settings["THEME"] == str(ROOT / "theme") and settings["PLUGIN_PATHS"] == [str(ROOT / "plugins")]
    assert settings["ARTICLE_PATHS"] == ["briefings"]


def run_pelican_cli(content: Path, output: Path) -> subprocess.CompletedProcess[str]:
    pelican = Path(sys.executable).with_name("pelican")
    return subprocess.run(
        [str(pelican), str(content), "-s", str(CONF), "-o", str(output), "--fatal", "warnings"],
        cwd=ROOT, capture_output=True, text=True, timeout=120, env={**os.environ, "COLUMNS": "250"},
    )


def test_cli_build_with_fatal_warnings_passes(tmp_path: Path) -> None:
    result = run_pelican_cli(FIXTURE_CONTENT, tmp_path / "out")
    assert result.returncode == 0, result.stdout + result.stderr
    assert (tmp_path / "out" / "briefings-offline.zip").is_file()


def test_broken_briefing_fails_the_build_naming_the_file(tmp_path: Path) -> None:
    content = tmp_path / "content"
    (content / "briefings").mkdir(parents=True)
    (content / "taxonomy").mkdir()
    (content / "taxonomy" / "topics.toml").write_bytes((FIXTURE_CONTENT / "taxonomy" / "topics.toml").read_bytes())
    good = (FIXTURE_CONTENT / "briefings" / "oil-price-cap-enforcement.md").read_text(encoding="utf-8")
    (content / "briefings" / "no-uid.md").write_text(re.sub(r"(?m)^Uid: .*\n", "", good), encoding="utf-8")
    result = run_pelican_cli(content, tmp_path / "out")
    assert result.returncode != 0
    assert "no-uid.md" in result.stdout + result.stderr
    assert "Uid: missing" in result.stdout + result.stderr


def test_unknown_topic_fails_the_build_naming_the_file(tmp_path: Path) -> None:
    content = tmp_path / "content"
    (content / "briefings").mkdir(parents=True)
    (content / "taxonomy").mkdir()
    (content / "taxonomy" / "topics.toml").write_bytes((FIXTURE_CONTENT / "taxonomy" / "topics.toml").read_bytes())
    good = (FIXTURE_CONTENT / "briefings" / "oil-price-cap-enforcement.md").read_text(encoding="utf-8")
    (content / "briefings" / "odd-topic.md").write_text(good.replace("Topics: sanctions", "Topics: piracy"),
                                                         encoding="utf-8")
    result = run_pelican_cli(content, tmp_path / "out")
    assert result.returncode != 0
    assert "odd-topic.md" in result.stdout + result.stderr and "piracy" in result.stdout + result.stderr


def test_every_briefing_setting_is_documented_in_the_readme() -> None:
    names = sorted(set(re.findall(r"^(BRIEFING_[A-Z_]+)\s*=", CONF.read_text(encoding="utf-8"), re.MULTILINE)))
    assert names, "pelican.conf.py defines no BRIEFING_ settings"
    readme = (ROOT / "README.md").read_text(encoding="utf-8") if (ROOT / "README.md").is_file() else ""
    assert [name for name in names if name not in readme] == []


def test_no_script_file_can_end_a_script_element_or_break_a_string(site: Path) -> None:
    scripts = sorted(site.rglob("*.js"))
    assert len(scripts) >= 6
    for path in scripts:
        text = path.read_text(encoding="utf-8")
        lowered = text.lower()
        assert "</script" not in lowered and "<!--" not in lowered, path.name
        assert "\u2028" not in text and "\u2029" not in text, path.name


def test_search_script_puts_article_data_in_the_page_only_as_text() -> None:
    script = (ROOT / "theme" / "static" / "js" / "search.js").read_text(encoding="utf-8")
    assert "textContent" in script and "createTextNode" in script
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function"):
        assert sink not in script, sink
