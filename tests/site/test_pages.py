"""Briefing, topic, entity and archive pages: pagination with file-style names, the topic overview, dates that
match the feeds, JSON-LD that cannot end its script element, and the offline page."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from bs4 import BeautifulSoup
from sitebuild import FIXTURE_CONTENT, SITEURL, build_site

SMALL_PAGES = {"PAGINATED_TEMPLATES": {"index": None, "tag": 1, "topic": 1, "archives": 1}}


def page(site: Path, name: str) -> BeautifulSoup:
    return BeautifulSoup((site / name).read_text(encoding="utf-8"), "html.parser")


def test_listings_are_paginated_from_the_oldest_briefing(tmp_path: Path) -> None:
    site = build_site(FIXTURE_CONTENT, tmp_path / "out", **SMALL_PAGES)
    assert (site / "topics" / "diplomacy.page-1.html").is_file()
    assert not (site / "topics" / "diplomacy.page-2.html").exists()
    assert (site / "entities" / "kyiv.page-1.html").is_file()
    assert (site / "archives.page-2.html").is_file() and (site / "archives.page-1.html").is_file()
    assert not (site / "archives.page-3.html").exists()
    first, older = page(site, "topics/diplomacy.html"), page(site, "topics/diplomacy.page-1.html")
    assert [a.get_text() for a in first.select(".card-title a")] == [
        "Geneva talks: Київ and Zürich delegations meet over prisoner exchange 🕊️"]
    assert first.select_one('.pager a[rel="next"]')["href"] == "../topics/diplomacy.page-1.html"
    assert older.select_one('.pager a[rel="prev"]')["href"] == "../topics/diplomacy.html"
    # An older page names the dates it covers, never "page 2 of 2", which the next briefing would change.
    assert "Briefings from 20" in older.select_one(".pager").get_text()
    assert "of" not in older.select_one("title").get_text().split("·")[0]
    assert older.select_one(".latest-points") is None, "the overview is on the main page only"
    archive = [page(site, name).select(".archive-list li")
               for name in ("archives.html", "archives.page-2.html", "archives.page-1.html")]
    assert [len(items) for items in archive] == [1, 1, 1]
    dates = [items[0].time["datetime"] for items in archive]
    assert dates == sorted(dates, reverse=True), "the main page is the newest, page-1 the oldest"
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    for name in ("topics/diplomacy.page-1.html", "entities/kyiv.page-1.html", "archives.page-1.html",
                 "archives.page-2.html", "offline.html"):
        assert f"<loc>{SITEURL}/{name}</loc>" in sitemap, name


def test_topic_page_shows_latest_key_points_months_entities_and_feeds(site: Path) -> None:
    soup = page(site, "topics/diplomacy.html")
    points = [li.get_text(" ", strip=True) for li in soup.select(".latest-points li")]
    assert len(points) == 2 and points[0].startswith("Swiss mediators hosted the meeting in Genève.")
    years = [[cell.get_text() for cell in row.select("th, td")] for row in soup.select(".months tbody tr")]
    assert years == [["2025", "", "", "", "", "", "", "2", "", "", "", "", ""]]
    entities = {a.contents[0].strip(): a["href"] for a in soup.select("#topic-entities-heading ~ ul a")}
    assert entities["Kyiv"] == "../entities/kyiv.html"
    feeds = [a["href"] for a in soup.select(".feeds a")]
    assert feeds == ["../feeds/topics/diplomacy.atom.xml", "../feeds/topics/diplomacy.rss.xml",
                     "../feeds/topics/diplomacy.json"]
    assert soup.select_one('meta[name="description"]')["content"].strip()


def test_json_ld_cannot_end_its_script_element(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, content)
    path = content / "briefings" / "oil-price-cap-enforcement.md"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "Title: EU tightens", "Title: </script><!-- <script>alert(1)</script> EU tightens"), encoding="utf-8")
    site = build_site(content, tmp_path / "out")
    html = (site / "briefings" / "oil-price-cap-enforcement.html").read_text(encoding="utf-8")
    start = html.index('<script type="application/ld+json">') + len('<script type="application/ld+json">')
    body = html[start: html.index("</script>", start)]
    assert "<" not in body and ">" not in body
    assert json.loads(body)["headline"].startswith("</script><!-- <script>")


def test_briefing_page_dates_source_and_reading_time(site: Path) -> None:
    soup = page(site, "briefings/patriot-batteries-reach-kyiv.html")
    meta = soup.select_one(".briefing-header .meta")
    assert meta.find("time")["datetime"] == "2025-07-08T09:30:00+03:00"
    assert "Updated" not in meta.get_text(), "never edited: no updated date"
    assert "1 min read" in " ".join(meta.get_text().split())
    footer = soup.select_one(".briefing-footer")
    assert footer.find("a")["rel"] == ["external", "noopener"]
    assert footer.find("time")["datetime"] == "2025-07-08T10:02:11+00:00"
    data = json.loads(soup.select_one('script[type="application/ld+json"]').string)
    assert data["datePublished"] == data["dateModified"] == "2025-07-08T09:30:00+03:00"
    assert data["isBasedOn"] == "https://news.example.com/defence/2025/07/08/patriot-batteries"


def test_offline_page_offers_the_zip_only_by_its_web_address(site: Path) -> None:
    soup = page(site, "offline.html")
    download = soup.select_one("a.download")
    assert download["href"] == f"{SITEURL}/briefings-offline.zip"
    assert download["rel"] == ["external", "noopener"]
    footer_links = [a["href"] for a in page(site, "topics/sanctions.html").select(".site-footer a")]
    assert "../offline.html" in footer_links
    assert not [href for href in footer_links if href.endswith(".zip")]


def test_a_page_that_would_not_work_offline_fails_the_build_naming_it(tmp_path: Path) -> None:
    from test_site_build import run_pelican_cli

    content = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, content)
    path = content / "briefings" / "oil-price-cap-enforcement.md"
    path.write_text(path.read_text(encoding="utf-8") + "\nSee [the list](../lists/tankers.html).\n", encoding="utf-8")
    result = run_pelican_cli(content, tmp_path / "out")
    output = " ".join((result.stdout + result.stderr).split())
    assert result.returncode != 0
    assert "briefings/oil-price-cap-enforcement.html: does not work offline" in output
    assert "lists/tankers.html is not in the bundle" in output
    assert not (tmp_path / "out" / "briefings-offline.zip").exists()
