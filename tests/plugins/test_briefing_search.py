"""The lunr index script: safe inside <script>, loadable by lunr.js whatever the terms' scripts."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from briefing_search.entries import SearchEntry
from briefing_search.index import GLOBAL_NAME, js_order, render_index_script

ROOT = Path(__file__).resolve().parents[2]
LUNR_JS = ROOT / "node_modules" / "lunr" / "lunr.js"


def entry(title: str, summary: str, key_points: tuple[str, ...] = ()) -> SearchEntry:
    return SearchEntry(url="briefings/x.html", title=title, date="2025-07-08", topics=("Air defense",),
                       topic_ids=("air-defense",), entities=("Volodymyr Zelensky",), summary=summary,
                       key_points=key_points)


ENTRIES = [
    entry("Patriot batteries reach Kyiv 🔥",
          "Zelensky met ＮＡＴＯ envoys \uf0ae; the café in Київ stayed open.",
          ("Interceptors </script><!-- arrived\u2028today",)),
    entry("Zürich talks 🕊️", "Délégations agree on a prisoner exchange 🤝 in Genève."),
    entry("Oil price cap", "Tankers of the shadow fleet were listed.", ("Revenue fell",)),
]


def payload(script: str) -> dict:
    prefix = f"window.{GLOBAL_NAME} = "
    assert script.startswith(prefix) and script.endswith(";\n")
    return json.loads(script[len(prefix):-2])


def test_script_cannot_break_out_of_a_script_element() -> None:
    script = render_index_script(ENTRIES)
    assert script.isascii()
    lowered = script.lower()
    assert "</script" not in lowered and "<!--" not in lowered and "\u2028" not in script
    assert payload(script)["docs"][0][4] == ENTRIES[0].summary


def test_result_rows_are_what_a_result_shows() -> None:
    docs = payload(render_index_script(ENTRIES))["docs"]
    assert docs[1] == ["briefings/x.html", "Zürich talks 🕊️", "2025-07-08", ["Air defense"],
                       "Délégations agree on a prisoner exchange 🤝 in Genève."]


def test_terms_are_in_javascript_string_order() -> None:
    terms = [term for term, _ in payload(render_index_script(ENTRIES))["index"]["invertedIndex"]]
    assert terms == sorted(terms, key=js_order)
    # The case lunr.py gets wrong: code point order puts the emoji last, UTF-16 order puts it first.
    assert js_order("🔥") < js_order("ｎａｔｏ") and "🔥" > "ｎａｔｏ"
    assert terms.index("🔥") < terms.index("ｎａｔｏ")


def test_body_and_refs_stay_small() -> None:
    index = payload(render_index_script(ENTRIES))["index"]
    refs = {ref.split("/", 1)[1] for ref, _ in index["fieldVectors"]}
    assert refs == {"0", "1", "2"}
    assert index["version"] == "2.3.9"


def search_with_lunr_js(tmp_path: Path, entries: list[SearchEntry], queries: list[str]) -> dict[str, list[str]]:
    """Load the index script with lunr.js in node; returns the refs found per query."""
    index_js = tmp_path / "index.js"
    index_js.write_text(render_index_script(entries), encoding="ascii")
    program = (
        "global.window = {}; const lunr = require(process.argv[1]); require(process.argv[2]);"
        "const idx = lunr.Index.load(window.briefingSearch.index);"
        "const out = {}; for (const q of process.argv.slice(3)) out[q] = idx.search(q).map(r => r.ref);"
        "console.log(JSON.stringify(out));"
    )
    result = subprocess.run(["node", "-e", program, str(LUNR_JS), str(index_js), *queries],
                            capture_output=True, text=True, timeout=60, check=True)
    found: dict[str, list[str]] = json.loads(result.stdout)
    return found


needs_node = pytest.mark.skipif(shutil.which("node") is None or not LUNR_JS.is_file(), reason="needs node and `npm ci`")


@needs_node
def test_lunr_js_loads_the_index_and_finds_non_ascii_terms(tmp_path: Path) -> None:
    queries = ["patriot", "київ", "café", "zürich", "🔥", "🕊️", "ｎａｔｏ", "tanker", "zelensky",
               "air-defense"]
    found = search_with_lunr_js(tmp_path, ENTRIES, queries)
    assert found["patriot"] == ["0"] and found["київ"] == ["0"] and found["café"] == ["0"]
    assert found["zürich"] == ["1"] and found["🕊️"] == ["1"] and found["🔥"] == ["0"]
    assert found["ｎａｔｏ"] == ["0"] and found["tanker"] == ["2"]
    assert sorted(found["zelensky"]) == ["0", "1", "2"]


@needs_node
def test_an_empty_archive_gives_a_loadable_empty_index(tmp_path: Path) -> None:
    assert search_with_lunr_js(tmp_path, [], ["patriot"]) == {"patriot": []}
