"""axe-core (npm) finds no WCAG 2.2 AA violation on the main page types, in light and dark mode."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from browser_pages import ROOT, Watched

AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
PAGES = ["index.html", "topics/air-defense.html", "briefings/patriot-batteries-reach-kyiv.html",
         "entities/patriot.html", "archives.html", "topics.html", "offline.html", "search.html"]


def axe_violations(page: Any) -> list[str]:
    """One line per violation: rule id, impact and the first offending element."""
    if not AXE_JS.is_file():
        pytest.fail("node_modules/axe-core is missing: run `npm ci`")
    page.add_script_tag(content=AXE_JS.read_text(encoding="utf-8"))
    # preload: false stops axe fetching the stylesheets with XHR, which file:// pages may not do.
    result = page.evaluate(
        "tags => axe.run(document,"
        " {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations'], preload: false})",
        WCAG_TAGS)
    return [f"{v['id']} ({v['impact']}): {v['nodes'][0]['html']}" for v in result["violations"]]


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("name", PAGES)
def test_page_has_no_axe_violations(unzipped_bundle: Path, watched_page: Watched, name: str, scheme: str) -> None:
    page = watched_page.page
    page.emulate_media(color_scheme=scheme)
    page.goto((unzipped_bundle / name).as_uri())
    assert axe_violations(page) == []


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("name", ["index.html", "briefings/port-dues-featured.html"])
def test_featured_block_note_and_merged_sources_have_no_axe_violations(curated_bundle: Path, watched_page: Watched,
                                                                      name: str, scheme: str) -> None:
    page = watched_page.page
    page.emulate_media(color_scheme=scheme)
    page.goto((curated_bundle / name).as_uri())
    assert page.locator(".featured, .curator-note").count() == 1
    assert axe_violations(page) == []


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_open_search_results_have_no_axe_violations(unzipped_bundle: Path, watched_page: Watched,
                                                     scheme: str) -> None:
    page = watched_page.page
    page.emulate_media(color_scheme=scheme)
    page.goto((unzipped_bundle / "index.html").as_uri())
    page.focus("#search-input")
    page.keyboard.type("air defense")
    page.wait_for_selector("#search-results li")
    assert axe_violations(page) == []


def test_search_works_by_keyboard_alone(unzipped_bundle: Path, watched_page: Watched) -> None:
    page = watched_page.page
    page.goto((unzipped_bundle / "index.html").as_uri())
    page.keyboard.press("Tab")  # skip link first
    assert page.evaluate("document.activeElement.className") == "skip-link"
    while page.evaluate("document.activeElement.id") != "search-input":
        page.keyboard.press("Tab")
    page.keyboard.type("tankers")
    page.wait_for_selector("#search-results li")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent").startswith("EU tightens enforcement")
    page.keyboard.press("Enter")
    page.wait_for_url("**/briefings/oil-price-cap-enforcement.html")
