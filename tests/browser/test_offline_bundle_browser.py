"""The unzipped offline bundle in headless Chromium from file://: navigation and search, no network, no errors."""

from __future__ import annotations

from pathlib import Path

import pytest
from browser_pages import Watched


def search(watched: Watched, query: str) -> list[str]:
    """Type a query into the search box; returns the result titles."""
    page = watched.page
    page.fill("#search-input", "")
    page.focus("#search-input")
    page.type("#search-input", query)
    page.wait_for_function(
        "document.querySelector('#search-status').textContent.match(/match/)", timeout=10_000)
    return page.locator("#search-results li .result-title").all_text_contents()


def test_search_patriot_from_home_and_open_the_result(unzipped_bundle: Path, watched_page: Watched) -> None:
    page = watched_page.page
    page.goto((unzipped_bundle / "index.html").as_uri())
    assert not any(url.endswith("search/index.js") for url in watched_page.requests), "index loaded before focus"
    titles = search(watched_page, "Patriot")
    assert titles == ["Germany sends two more Patriot batteries as drone attacks on Kyiv intensify"]
    assert any(url.endswith("search/index.js") for url in watched_page.requests)
    page.click("#search-results li a")
    page.wait_for_load_state()
    assert page.url.endswith("/briefings/patriot-batteries-reach-kyiv.html")
    assert "Patriot" in page.locator("h1").text_content()


@pytest.mark.parametrize("query", ["Київ", "zürich", "café", "🕊️", "ＮＡＴＯ", "genève"])
def test_non_ascii_terms_are_found(unzipped_bundle: Path, watched_page: Watched, query: str) -> None:
    watched_page.page.goto((unzipped_bundle / "index.html").as_uri())
    titles = search(watched_page, query)
    assert titles and titles[0].startswith("Geneva talks"), titles


def test_search_from_a_deep_page_links_back_correctly(unzipped_bundle: Path, watched_page: Watched) -> None:
    page = watched_page.page
    page.goto((unzipped_bundle / "topics" / "diplomacy.html").as_uri())
    assert search(watched_page, "tankers") == [
        "EU tightens enforcement of the oil price cap on shadow fleet tankers"]
    page.click("#search-results li a")
    page.wait_for_load_state()
    assert page.url.endswith("/briefings/oil-price-cap-enforcement.html")
    assert "approximate" in page.locator(".note").text_content()


def test_navigation_reaches_topic_and_entity_pages(unzipped_bundle: Path, watched_page: Watched) -> None:
    page = watched_page.page
    page.goto((unzipped_bundle / "index.html").as_uri())
    page.click("nav >> text=Topics")
    page.click("main >> text=Air defense")
    assert page.url.endswith("/topics/air-defense.html")
    assert page.locator("main .card-title").all_text_contents() == [
        "Germany sends two more Patriot batteries as drone attacks on Kyiv intensify"]
    page.click("main .card-title a")
    page.click("main .chip >> text=Volodymyr Zelensky")
    assert page.url.endswith("/entities/volodymyr-zelensky.html")
    page.click("nav >> text=Archive")
    assert page.locator("main .archive-list li").count() == 3


def test_search_link_runs_its_query_and_highlights_terms(unzipped_bundle: Path, watched_page: Watched) -> None:
    page = watched_page.page
    page.goto((unzipped_bundle / "search.html").as_uri() + "?q=Patriot")
    page.wait_for_selector("#search-results li")
    assert page.input_value("#search-input") == "Patriot"
    marks = page.locator("#search-results mark").all_text_contents()
    assert marks and {mark.lower() for mark in marks} == {"patriot"}


def test_enter_searches_in_place_and_the_form_goes_nowhere(unzipped_bundle: Path, watched_page: Watched) -> None:
    page = watched_page.page
    start = (unzipped_bundle / "topics" / "sanctions.html").as_uri()
    page.goto(start)
    page.fill("#search-input", "tankers")
    page.press("#search-input", "Enter")
    page.wait_for_selector("#search-results li")
    assert page.url == start
    assert page.evaluate("document.querySelector('form.search').hasAttribute('action')") is False


def test_without_javascript_the_search_box_points_to_pages_that_work(unzipped_bundle: Path, browser: object) -> None:
    context = browser.new_context(java_script_enabled=False)  # type: ignore[attr-defined]
    page = context.new_page()
    page.goto((unzipped_bundle / "topics" / "sanctions.html").as_uri())
    page.click("form.search a:text-is(\"archive\")")
    page.wait_for_url("**/archives.html")
    assert page.locator("main .archive-list li").count() == 3
    context.close()


def test_slash_focuses_search_and_arrows_walk_the_results(unzipped_bundle: Path, watched_page: Watched) -> None:
    page = watched_page.page
    page.goto((unzipped_bundle / "index.html").as_uri())
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.id") == "search-input"
    page.keyboard.type("diplomacy")
    page.wait_for_selector("#search-results li:nth-child(2)")
    titles = page.locator("#search-results .result-title").all_text_contents()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.textContent") == titles[1]
    page.keyboard.press("ArrowUp")
    page.keyboard.press("ArrowUp")
    assert page.evaluate("document.activeElement.id") == "search-input"
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    assert page.locator("h1").text_content() == titles[0]
