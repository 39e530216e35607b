"""Search over many slices and shards, from file://: what is loaded before the first result, order, topic filter,
bookmarkable searches. A synthetic archive of 600 briefings cut into small slices stands in for a big one."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest
from browser_pages import CONF, Watched
from pelican import Pelican
from pelican.settings import read_settings
from synthetic_archive import write_archive

COUNT = 600
LAYOUT = {"BRIEFING_SEARCH_SLICE_SIZE": 150, "BRIEFING_SEARCH_SHARD_BYTES": 6000, "BRIEFING_SEARCH_DOC_CHUNK": 25}
# Records every script element the page adds (with its time), the focus and the first result row.
PROBE = """
(() => {
  const probe = window.__probe = {focus: null, firstResult: null, loads: []};
  document.addEventListener('focusin', (e) => {
    if (probe.focus === null && e.target.matches('input[type=search]')) probe.focus = performance.now();
  }, true);
  new MutationObserver((records) => {
    for (const record of records) for (const node of record.addedNodes) {
      if (node.tagName === 'SCRIPT' && node.src) probe.loads.push([node.src, performance.now()]);
      if (probe.firstResult === null && node.tagName === 'LI' && node.closest('#search-results'))
        probe.firstResult = performance.now();
    }
  }).observe(document, {childList: true, subtree: true});
})();
"""


@pytest.fixture(scope="module")
def big_bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 600-briefing archive in slices of 150 and shards of about 6 kB, built and unzipped."""
    root = tmp_path_factory.mktemp("big")
    content = write_archive(root / "content", COUNT)
    settings = read_settings(str(CONF), override={"PATH": str(content), "OUTPUT_PATH": str(root / "output"),
                                                   "CACHE_PATH": str(root / "cache"),
                                                   "SITEURL": "https://archive.test.example", **LAYOUT})
    Pelican(settings).run()
    target = root / "unzipped"
    with zipfile.ZipFile(root / "output" / "briefings-offline.zip") as archive:
        archive.extractall(target)
    return target


def manifest(site: Path) -> Any:
    """The search manifest the build wrote (search/index.js: briefingSearch.add("manifest", {...});)."""
    text = (site / "search" / "index.js").read_text(encoding="ascii")
    return json.loads(text[text.index(",") + 1:text.rindex(");")])


def loaded_search_files(site: Path, loads: list[list[Any]], since: float, until: float) -> list[Path]:
    return [Path(unquote(urlsplit(url).path)) for url, at in loads if since <= at <= until]


def first_search(watched: Watched, site: Path, start_page: str, query: str) -> tuple[dict[str, Any], list[str]]:
    page = watched.page
    page.add_init_script(PROBE)
    page.goto((site / start_page).as_uri())
    page.wait_for_timeout(100)
    assert page.evaluate("window.__probe.loads.filter(([url]) => url.includes('/search/')).length") == 0, \
        "nothing of the search loads before the box gets focus"
    page.focus("#search-input")
    page.keyboard.insert_text(query)
    page.wait_for_function("window.__probe.firstResult !== null", timeout=10_000)
    page.wait_for_function("/match/.test(document.querySelector('#search-status').textContent)", timeout=10_000)
    return page.evaluate("window.__probe"), page.locator("#search-results .result-title").all_text_contents()


@pytest.mark.parametrize("start_page", ["index.html", "briefings/report-00003.html"])
def test_first_result_loads_only_one_slices_shards_and_one_document_chunk(
        big_bundle: Path, watched_page: Watched, start_page: str) -> None:
    probe, titles = first_search(watched_page, big_bundle, start_page, "sanctions")
    files = loaded_search_files(big_bundle, probe["loads"], probe["focus"], probe["firstResult"])
    names = sorted(path.name for path in files)
    # The manifest lists the newest slice first; the newest briefing is in that slice's last document chunk.
    newest = manifest(big_bundle)["slices"][0]
    last_chunk = (newest["count"] - 1) // LAYOUT["BRIEFING_SEARCH_DOC_CHUNK"]
    assert [name for name in names if name[0] in "di"] == [f"d{newest['id']}-{last_chunk}.js", "index.js"], names
    assert "lunr.js" in names
    shards = [name for name in names if name.startswith("s")]
    assert shards and all(name.startswith(f"s{newest['id']}-") for name in shards), \
        "only the newest slice before the first result"
    assert len(shards) <= 2, "one shard for the stem, one for the typed prefix"
    assert sum(path.stat().st_size for path in files) < 1024 * 1024
    assert probe["firstResult"] - probe["focus"] < 3000  # generous: a shared test machine; the bench measures
    assert titles and len(titles) == 20 and all("(report " in title for title in titles)
    numbers = [int(title.rsplit("(report ", 1)[1].rstrip(")")) for title in titles]
    assert numbers == sorted(numbers, reverse=True), "newest first"


def test_show_more_reaches_older_slices(big_bundle: Path, watched_page: Watched) -> None:
    page = watched_page.page
    page.goto((big_bundle / "index.html").as_uri())
    page.focus("#search-input")
    page.keyboard.type("interceptors")
    page.wait_for_selector("#search-results li")
    before = page.locator("#search-results li").count()
    page.click(".search-more")
    page.wait_for_function(f"document.querySelectorAll('#search-results li').length > {before}")
    page.wait_for_timeout(200)
    titles = page.locator("#search-results .result-title").all_text_contents()
    numbers = [int(title.rsplit("(report ", 1)[1].rstrip(")")) for title in titles]
    assert numbers == sorted(numbers, reverse=True) and len(numbers) == len(set(numbers)) == 40
    assert page.evaluate("document.activeElement.closest('#search-results li') !== null"), "focus moves to the new"


def test_topic_filter_and_relevance_order_and_the_link_remembers_them(big_bundle: Path,
                                                                      watched_page: Watched) -> None:
    page = watched_page.page
    page.goto((big_bundle / "search.html").as_uri() + "?q=grain+corridor&topic=energy&order=relevance")
    page.wait_for_function("/match/.test(document.querySelector('#search-status').textContent)", timeout=10_000)
    assert page.input_value("#search-topic") == "energy" and page.input_value("#search-order") == "relevance"
    hrefs = page.eval_on_selector_all("#search-results .result-title a", "links => links.map(a => a.href)")
    assert hrefs
    for href in hrefs[:5]:
        source = Path(unquote(urlsplit(href).path)).stem + ".md"
        text = (big_bundle.parent / "content" / "briefings" / source).read_text(encoding="utf-8")
        assert "energy" in text.split("Topics: ", 1)[1].split("\n", 1)[0]
    page.select_option("#search-topic", "sanctions")
    page.wait_for_function("location.search.includes('topic=sanctions')")
    assert "q=grain+corridor" in page.evaluate("location.search")


def test_every_search_file_is_small(big_bundle: Path) -> None:
    sizes = {path.name: path.stat().st_size for path in (big_bundle / "search").glob("*.js")}
    assert max(size for name, size in sizes.items() if name.startswith("s")) < 40_000
    assert sizes["index.js"] < 10_000
