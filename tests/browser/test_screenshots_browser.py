"""Screenshots of the main page types at phone and desktop widths, light and dark, written to
tests/browser/screenshots/ for a person to look at; plus the layout checks a screenshot would reveal: nothing wider
than the screen, and the print stylesheet without navigation or search but with key points and source URLs."""

from __future__ import annotations

from pathlib import Path

import pytest
from browser_pages import ROOT, Watched

SCREENSHOTS = ROOT / "tests" / "browser" / "screenshots"
PAGES = {"home": "index.html", "topic": "topics/diplomacy.html",
         "briefing": "briefings/patriot-batteries-reach-kyiv.html", "search": "search.html?q=diplomacy"}
WIDTHS = (360, 390, 1280)


def open_page(watched: Watched, site: Path, name: str, width: int, scheme: str) -> None:
    page = watched.page
    page.set_viewport_size({"width": width, "height": 900})
    page.emulate_media(color_scheme=scheme)
    target, _, query = PAGES[name].partition("?")
    page.goto((site / target).as_uri() + (f"?{query}" if query else ""))
    if name == "search":
        page.wait_for_selector("#search-results li")


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", sorted(PAGES))
def test_page_fits_the_screen_and_is_photographed(unzipped_bundle: Path, watched_page: Watched, name: str,
                                                  width: int, scheme: str) -> None:
    open_page(watched_page, unzipped_bundle, name, width, scheme)
    page = watched_page.page
    assert page.evaluate("document.documentElement.scrollWidth") <= width, "horizontal scrolling"
    if width != 360:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"{name}-{width}-{scheme}.png"), full_page=True)


def test_print_shows_key_points_and_source_urls_but_no_navigation_or_search(unzipped_bundle: Path,
                                                                            watched_page: Watched) -> None:
    page = watched_page.page
    page.goto((unzipped_bundle / PAGES["briefing"]).as_uri())
    page.emulate_media(media="print")
    display = "selector => getComputedStyle(document.querySelector(selector)).display"
    assert page.evaluate(display, ".site-header nav") == "none" or page.evaluate(display, ".site-header") == "none"
    assert page.evaluate(display, "form.search") == "none" or page.evaluate(display, ".site-header") == "none"
    assert page.evaluate(display, ".site-footer") == "none"
    assert page.evaluate(display, ".key-points") != "none"
    after = page.evaluate("getComputedStyle(document.querySelector('.briefing-header a[rel~=external]'), "
                          "'::after').content")
    assert "news.example.com/defence/2025/07/08/patriot-batteries" in after
    footer = page.locator(".briefing-footer").inner_text()
    assert footer.count("https://news.example.com/defence/2025/07/08/patriot-batteries") == 1
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size({"width": 800, "height": 900})
    page.screenshot(path=str(SCREENSHOTS / "briefing-print.png"), full_page=True)
