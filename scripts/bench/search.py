"""`make bench-search`: search at 20,000 briefings in headless Chromium from file:// (issue 5).

Builds a synthetic archive (briefing files written directly, see direct_archive.py, or an existing folder given
with --briefings), builds the site with `briefings build`, then for each query, in a fresh page opened from
file://: focuses the search box, types the query and measures
- bytes of files loaded after the focus and before the first result was rendered (sizes on disk: nothing is
  compressed from file://), and whether anything of the search was loaded before the focus;
- time from typing (the whole query arrives in one input event right after the focus, as a fast typist or a
  paste would) to the first result row rendered, and from the focus to it; the index loads in between;
- a second query in the same page, once the index is loaded (warm).
Goals: at most 1 MB loaded and at most 300 ms to the first result, at 20,000 briefings.

    python scripts/bench/search.py                                     # 20,000 briefings in a temporary folder
    python scripts/bench/search.py --size 200 --work /tmp/bench-search  # quick, keeps the archive for next time
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlparse

sys.path.insert(0, str(Path(__file__).resolve().parent))
import direct_archive  # noqa: E402
from measure import human_bytes, python, tree_size  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
QUERIES = ("sanctions", "zelensky", "missile", "oil prices", "kyiv", "president")
WARM_QUERY = "putin"
GOAL_BYTES = 1024 * 1024
GOAL_MS = 300.0
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run"]
SEARCH_INPUT = "input[type=search]"
TIMEOUT_MS = 20_000

# Installed before any page script runs: records when the search box gets focus, when typing starts, when the
# first result row appears in the results list (an element with id or class search-results), and every script
# or stylesheet element added to the page with the time it was added. From file:// nothing but such elements can
# load an index (fetch and XHR are refused), and Chromium keeps no resource timing entries for file:// URLs.
PROBE = """
(() => {
  const probe = window.__searchProbe = {focus: null, firstKey: null, firstResult: null, resultText: null,
                                        loads: []};
  const stamp = (name) => { if (probe[name] === null) probe[name] = performance.now(); };
  document.addEventListener('focusin', (e) => { if (e.target.matches('input[type=search]')) stamp('focus'); }, true);
  document.addEventListener('input', (e) => { if (e.target.matches('input[type=search]')) stamp('firstKey'); }, true);
  const isResult = (node) => node.nodeType === 1 && node.closest &&
    node.closest('#search-results, .search-results, [data-search-results]') && node.querySelector &&
    (node.matches('li, article, [role=option]') ? node : node.querySelector('li, article, [role=option]'));
  const noteLoad = (node) => {
    const url = node.nodeType === 1 && (node.tagName === 'SCRIPT' ? node.src : node.tagName === 'LINK' ? node.href : '');
    if (url) probe.loads.push([url, performance.now()]);
  };
  new MutationObserver((records) => {
    for (const record of records) record.addedNodes.forEach(noteLoad);
    if (probe.firstResult !== null || probe.firstKey === null) return;
    for (const record of records) for (const node of record.addedNodes) {
      const row = isResult(node);
      if (row) { probe.firstResult = performance.now(); probe.resultText = row.textContent.slice(0, 120); return; }
    }
  }).observe(document, {childList: true, subtree: true});
})();
"""


@dataclass(frozen=True, slots=True)
class Loaded:
    path: str        # relative to the output folder
    bytes: int
    start_ms: float  # page clock


@dataclass(frozen=True, slots=True)
class Trial:
    query: str
    typing_to_result_ms: float
    focus_to_result_ms: float
    bytes_before_result: int
    files_before_result: tuple[Loaded, ...]
    search_bytes_before_focus: int
    warm_ms: float
    first_result: str


def prepare_site(arguments: argparse.Namespace, work: Path) -> tuple[Path, float]:
    """The built site of the archive (built once per archive); returns (output folder, build seconds)."""
    content = work / f"n{arguments.size}" / "content"
    briefings = arguments.briefings or content / "briefings"
    if arguments.briefings is None and len(list(briefings.glob("*.md"))) != arguments.size:
        shutil.rmtree(content, ignore_errors=True)
        print(f"writing {arguments.size:,} briefings into {briefings}", file=sys.stderr, flush=True)
        direct_archive.write_archive(arguments.size, briefings, REPO / "content" / "taxonomy")
    if not (content / "taxonomy").exists():
        shutil.copytree(REPO / "content" / "taxonomy", content / "taxonomy")
    if arguments.briefings is not None and briefings.resolve() != (content / "briefings").resolve():
        shutil.rmtree(content / "briefings", ignore_errors=True)
        (content / "briefings").symlink_to(briefings.resolve(), target_is_directory=True)
    output = work / f"n{arguments.size}" / "output"
    print(f"building the site into {output}", file=sys.stderr, flush=True)
    start = time.perf_counter()
    subprocess.run([python(), "-m", "briefings.cli", "build", "--content", str(content), "--output", str(output)],
                   check=True, cwd=work, stdout=subprocess.DEVNULL)
    return output, time.perf_counter() - start


def loaded_files(loads: Sequence[tuple[str, float]], output: Path) -> list[Loaded]:
    """The file:// scripts and stylesheets the page added, with their sizes on disk."""
    found = []
    for url, start in loads:
        parsed = urlparse(url)
        if parsed.scheme != "file":
            continue
        path = Path(unquote(parsed.path))
        size = path.stat().st_size if path.is_file() else 0
        try:
            relative = path.resolve().relative_to(output.resolve()).as_posix()
        except ValueError:
            relative = str(path)
        found.append(Loaded(path=relative, bytes=size, start_ms=float(start)))
    return found


def run_trial(browser: object, page_url: str, output: Path, query: str) -> Trial:
    """One cold search in a fresh page, then one warm search in the same page."""
    context = browser.new_context()  # type: ignore[attr-defined]
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.add_init_script(PROBE)
    page.goto(page_url, wait_until="load")
    page.wait_for_timeout(200)  # let deferred scripts settle, so only what focus triggers counts as after it
    before_focus_requests = [url for url in requested if _is_search_file(urlparse(url).path)]
    page.focus(SEARCH_INPUT)
    page.keyboard.insert_text(query)  # one input event with the whole query, right after the focus
    wait_for_result(page, query)
    probe = page.evaluate("window.__searchProbe")
    files = loaded_files(probe["loads"], output)
    before_focus = [f for f in files if f.start_ms < probe["focus"] and _is_search_file(f.path)]
    before_focus += loaded_files([(url, 0.0) for url in before_focus_requests], output)
    outside = [url for url in requested if urlparse(url).scheme != "file"]
    after_focus = tuple(f for f in files if probe["focus"] <= f.start_ms <= probe["firstResult"])
    warm = warm_search(page)
    context.close()
    if errors or outside:
        raise RuntimeError(f"{query!r}: page errors {errors}, requests outside file:// {outside[:5]}")
    return Trial(query=query, typing_to_result_ms=probe["firstResult"] - probe["firstKey"],
                 focus_to_result_ms=probe["firstResult"] - probe["focus"],
                 bytes_before_result=sum(f.bytes for f in after_focus), files_before_result=after_focus,
                 search_bytes_before_focus=sum(f.bytes for f in before_focus), warm_ms=warm,
                 first_result=" ".join(str(probe["resultText"]).split()))


def wait_for_result(page: object, query: str) -> None:
    """Wait for the probe to see a result row; raises RuntimeError with the page's status text if none came."""
    try:
        page.wait_for_function("window.__searchProbe.firstResult !== null",  # type: ignore[attr-defined]
                               timeout=TIMEOUT_MS)
    except Exception as error:  # Playwright's TimeoutError: say what the page showed instead
        status = page.evaluate(  # type: ignore[attr-defined]
            "(document.querySelector('[role=status]') || document.body).textContent.slice(0, 200)")
        raise RuntimeError(f"{query!r}: no result row within {TIMEOUT_MS} ms; the page says: {status!r}") from error


def warm_search(page: object) -> float:
    """Milliseconds from typing WARM_QUERY to its first result row, the index being loaded."""
    page.fill(SEARCH_INPUT, "")  # type: ignore[attr-defined]
    page.evaluate("Object.assign(window.__searchProbe, {firstKey: null, firstResult: null})")  # type: ignore
    page.wait_for_timeout(50)  # type: ignore[attr-defined]
    page.keyboard.insert_text(WARM_QUERY)  # type: ignore[attr-defined]
    wait_for_result(page, WARM_QUERY)
    probe = page.evaluate("window.__searchProbe")  # type: ignore[attr-defined]
    return float(probe["firstResult"] - probe["firstKey"])


def _is_search_file(path: str) -> bool:
    return "/search/" in f"/{path}" or "lunr" in path


def measure(output: Path, queries: Sequence[str]) -> list[Trial]:
    from playwright.sync_api import sync_playwright

    page_url = (output / "index.html").resolve().as_uri()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            return [run_trial(browser, page_url, output, query) for query in queries]
        finally:
            browser.close()


def report(trials: Sequence[Trial], size: int, output: Path, build_seconds: float) -> bool:
    """Print the table; returns whether both goals are met by the worst trial."""
    search_bytes, search_files = tree_size(output / "search")
    print(f"\nbench-search: {size:,} briefings, site built in {build_seconds:.1f} s; output/search/ holds "
          f"{human_bytes(search_bytes)} in {search_files} files")
    print("| query | typing -> first result | focus -> first result | loaded after focus, before result "
          "| warm query | search files before focus | first result |")
    print("|---|---|---|---|---|---|---|")
    for trial in trials:
        print(f"| {trial.query} | {trial.typing_to_result_ms:.0f} ms | {trial.focus_to_result_ms:.0f} ms | "
              f"{human_bytes(trial.bytes_before_result)} ({len(trial.files_before_result)} files) | "
              f"{trial.warm_ms:.0f} ms | {human_bytes(trial.search_bytes_before_focus)} | "
              f"{trial.first_result[:60]} |")
    typing = [trial.typing_to_result_ms for trial in trials]
    loaded = [trial.bytes_before_result for trial in trials]
    print(f"median typing -> first result {statistics.median(typing):.0f} ms (worst {max(typing):.0f} ms, goal "
          f"<= {GOAL_MS:.0f} ms); bytes before first result median {human_bytes(statistics.median(loaded))} "
          f"(worst {human_bytes(max(loaded))}, goal <= {human_bytes(GOAL_BYTES)})")
    print("files loaded after focus (first query): " + ", ".join(
        f"{f.path} {human_bytes(f.bytes)}" for f in trials[0].files_before_result))
    met = max(typing) <= GOAL_MS and max(loaded) <= GOAL_BYTES and not any(t.search_bytes_before_focus
                                                                           for t in trials)
    print("goals met" if met else "goals NOT met")
    return met


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=20_000, help="briefings in the archive (default 20,000)")
    parser.add_argument("--work", type=Path, default=None,
                        help="keep the archive and site here and reuse the archive (default: a temporary folder)")
    parser.add_argument("--briefings", type=Path, default=None,
                        help="use this folder of briefings (e.g. one bench-scale ingested) instead")
    parser.add_argument("--output", type=Path, default=None, help="measure this built site; build nothing")
    arguments = parser.parse_args(argv)
    if arguments.work and arguments.work.resolve().is_relative_to(REPO):
        parser.error(f"{arguments.work}: inside the repository; the corpus texts must stay outside it")
    temporary = None if arguments.work else tempfile.TemporaryDirectory(prefix="bench-search-")
    work = arguments.work or Path(temporary.name)  # type: ignore[union-attr]
    try:
        if arguments.output:
            output, build_seconds = arguments.output, 0.0
        else:
            output, build_seconds = prepare_site(arguments, work)
        trials = measure(output, QUERIES)
        return 0 if report(trials, arguments.size, output, build_seconds) else 1
    finally:
        if temporary:
            temporary.cleanup()


if __name__ == "__main__":
    sys.exit(main())
