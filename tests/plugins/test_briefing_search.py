"""The search files: safe inside <script>, loadable by lunr.js whatever the terms' scripts, and sharded so that
summing the shards' scores ranks documents exactly as one whole index would."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from briefing_search.entries import SearchEntry
from briefing_search.index import (GLOBAL_NAME, SearchLayout, build_index, chunk_name, document_row, js_order,
                                   mask_name, render_script, search_files, shard_name, slice_bounds, split_index)
from briefing_search.words import search_words, stem

ROOT = Path(__file__).resolve().parents[2]
LUNR_JS = ROOT / "node_modules" / "lunr" / "lunr.js"
TOPICS = [("air-defense", "Air defense"), ("sanctions", "Sanctions"), ("diplomacy", "Diplomacy")]


def entry(title: str, summary: str, key_points: tuple[str, ...] = (), topic_ids: tuple[str, ...] = ("air-defense",),
          date: str = "2025-07-08") -> SearchEntry:
    names = tuple(dict(TOPICS)[topic] for topic in topic_ids)
    return SearchEntry(url=f"briefings/{re.sub(r'[^a-z0-9]+', '-', title.lower())}.html", title=title, date=date,
                       topics=names, topic_ids=topic_ids, entities=("Volodymyr Zelensky",), summary=summary,
                       key_points=key_points)


ENTRIES = [
    entry("Patriot batteries reach Kyiv 🔥",
          "Zelensky met ＮＡＴＯ envoys \uf0ae; the café in Київ stayed open.",
          ("Interceptors </script><!-- arrived\u2028today",)),
    entry("Zürich talks 🕊️", "Délégations agree on a prisoner exchange 🤝 in Genève.", topic_ids=("diplomacy",)),
    entry("Oil price cap", "Tankers of the shadow fleet were listed.", ("Revenue fell",), topic_ids=("sanctions",)),
]

SENTENCES = [
    "Germany pledged more Patriot batteries as drones hit Kyiv overnight.",
    "The EU agreed a new sanctions package targeting shadow fleet tankers and oil revenue.",
    "Negotiators met in Geneva to discuss a prisoner exchange and a ceasefire on energy sites.",
    "Air defense crews shot down most of the missiles, officials in Kharkiv said.",
    "Oil prices rose after the price cap was tightened for Russian crude exports.",
    "President Zelensky asked NATO partners for interceptors before winter.",
    "Diplomats in Brussels said talks on the grain corridor would resume next week.",
]


def archive(count: int) -> list[SearchEntry]:
    """count real-shaped entries, newest first, mixing the sentences and topics deterministically."""
    entries = []
    for number in range(count):
        first, second = SENTENCES[number % 7], SENTENCES[(number * 3 + 1) % 7]
        topics = (TOPICS[number % 3][0],) + ((TOPICS[(number + 1) % 3][0],) if number % 4 == 0 else ())
        entries.append(entry(f"Briefing {number}: {first.split(' as ')[0]}", f"{first} {second}",
                             (second,), topics, date=f"2025-{12 - number % 12:02d}-01"))
    return entries


def payload(script: str) -> tuple[str, object]:
    match = re.fullmatch(rf'{GLOBAL_NAME}\.add\("([a-z0-9-]+)",(.*)\);\n', script, re.DOTALL)
    assert match, script[:80]
    return match.group(1), json.loads(match.group(2))


def rows_by_ref(manifest_script: str, parts: dict[str, str]) -> list[object]:
    """Every document row, by the ref the browser gives it (a slice's first ref plus the row's place in it)."""
    manifest = payload(manifest_script)[1]
    rows: list[object] = []
    for piece in sorted(manifest["slices"], key=lambda piece: piece["first"]):  # type: ignore[index]
        assert piece["first"] == len(rows)
        for number in range(-(-piece["count"] // manifest["docChunk"])):  # type: ignore[index]
            rows += payload(parts[f"{chunk_name(piece['id'], number)}.js"])[1]  # type: ignore[operator]
        assert len(rows) == piece["first"] + piece["count"]
    return rows


def test_every_file_is_ascii_and_cannot_break_out_of_a_script_element() -> None:
    manifest, parts = search_files(ENTRIES, TOPICS, SearchLayout())
    for text in [manifest, *parts.values()]:
        assert text.isascii()
        lowered = text.lower()
        assert "</script" not in lowered and "<!--" not in lowered and "\u2028" not in text
    assert rows_by_ref(manifest, parts)[0][4] == ENTRIES[-1].summary  # type: ignore[index]  # ref 0: the oldest


def test_document_rows_hold_what_a_result_shows() -> None:
    rows = rows_by_ref(*search_files(ENTRIES, TOPICS, SearchLayout()))
    assert rows[1] == ["briefings/z-rich-talks-.html", "Zürich talks 🕊️", "2025-07-08", [2],
                       "Délégations agree on a prisoner exchange 🤝 in Genève."]


def test_terms_are_in_javascript_string_order() -> None:
    terms = [term for term, _ in build_index(ENTRIES)["invertedIndex"]]
    assert terms == sorted(terms, key=js_order)
    # The case lunr.py gets wrong: code point order puts the emoji last, UTF-16 order puts it first.
    assert js_order("🔥") < js_order("ｎａｔｏ") and "🔥" > "ｎａｔｏ"
    assert terms.index("🔥") < terms.index("ｎａｔｏ")


def test_layout_slices_shards_chunks_and_masks() -> None:
    entries = archive(200)
    layout = SearchLayout(slice_size=40, tail_size=10, shard_bytes=1500, doc_chunk=10)
    manifest_script, parts = search_files(entries, TOPICS, layout)
    name, manifest = payload(manifest_script)
    assert name == "manifest" and manifest["count"] == 200 and manifest["docChunk"] == 10  # type: ignore[index]
    slices = manifest["slices"]  # type: ignore[index]
    # Listed newest first, the order the browser searches them; together they hold every ref once.
    firsts = [piece["first"] for piece in slices]
    assert firsts == sorted(firsts, reverse=True) and firsts[-1] == 0
    assert [piece["first"] + piece["count"] for piece in slices] == [200, *firsts[:-1]]
    assert len(slices) >= 5 and any(piece["count"] >= 20 for piece in slices)
    assert all(len(s["shards"]) > 1 for s in slices if s["count"] >= 20), "small shard_bytes must cut slices"
    for piece in slices:
        terms = piece["shards"]
        assert terms[0] == "" and terms == sorted(terms, key=js_order)
    # The manifest names no file: each is named from its slice's id, as the browser names it.
    assert sorted(parts) == sorted(f"{name}.js" for piece in slices for name in (
        mask_name(piece["id"]), *(chunk_name(piece["id"], n) for n in range(-(-piece["count"] // 10))),
        *(shard_name(piece["id"], n) for n in range(len(piece["shards"])))))
    oldest = entries[::-1]
    bits = {topic_id: 1 << position for position, (topic_id, _) in enumerate(TOPICS)}
    _, masks = payload(parts[f"{mask_name(slices[-1]['id'])}.js"])
    assert masks == [sum(bits[t] for t in set(e.topic_ids)) for e in oldest[:slices[-1]["count"]]]
    # Refs are short and count from each slice's first briefing: the browser adds the slice's first ref.
    second = slices[-2]
    _, shard = payload(parts[f"{shard_name(second['id'], 0)}.js"])
    refs = {int(ref.split("/")[1]) for ref, _ in shard["fieldVectors"]}  # type: ignore[index]
    assert refs and min(refs) >= 0 and max(refs) < second["count"]
    assert rows_by_ref(manifest_script, parts) == [document_row(e, {t: n for n, (t, _) in enumerate(TOPICS)})
                                                   for e in oldest]


def test_an_archive_with_more_topics_than_mask_bits_is_refused() -> None:
    with pytest.raises(ValueError, match="at most 52 topics"):
        search_files(ENTRIES, [(f"t{n}", f"T{n}") for n in range(53)], SearchLayout())


needs_node = pytest.mark.skipif(shutil.which("node") is None or not LUNR_JS.is_file(), reason="needs node and `npm ci`")

SHARDED_SEARCH = """
const lunr = require(process.argv[1]);
const [whole, shards, queries] = JSON.parse(require('fs').readFileSync(0, 'utf8'));
const scores = (index, query) => Object.fromEntries(index.search(query).map(r => [r.ref, r.score]));
const wholeIndex = lunr.Index.load(whole);
const parts = shards.map(([first, data]) => [first, lunr.Index.load(data)]);
const out = {};
for (const q of queries) {
  const sum = {};
  for (const word of q.split(' ')) {
    const stem = lunr.stemmer(new lunr.Token(word.toLowerCase())).toString();
    let at = 0;
    parts.forEach(([first], i) => { if (first <= stem) at = i; });
    for (const [ref, score] of Object.entries(scores(parts[at][1], word))) sum[ref] = (sum[ref] || 0) + score;
  }
  out[q] = [scores(wholeIndex, q), sum];
}
console.log(JSON.stringify(out));
"""


@needs_node
def test_summed_shard_scores_rank_like_the_whole_index_in_lunr_js() -> None:
    whole = build_index(archive(40))
    shards = split_index(whole, 1200)
    assert len(shards) >= 5
    queries = ["patriot", "sanctions", "oil prices", "zelensky kyiv", "geneva ceasefire energy", "київ"]
    result = subprocess.run(["node", "-e", SHARDED_SEARCH, str(LUNR_JS)], input=json.dumps([whole, shards, queries]),
                            capture_output=True, text=True, timeout=60, check=True)
    found = json.loads(result.stdout)
    for query in queries[:-1]:
        expected, summed = found[query]
        assert expected, query
        assert summed.keys() == expected.keys(), query
        # lunr.js divides by the query vector's length too, which each shard sees for its own terms only: the sum
        # is the whole index's score times sqrt(number of words), the same for every document: the same ranking.
        factor = len(query.split()) ** 0.5
        assert all(abs(summed[ref] - factor * expected[ref]) < 2e-3 * max(1.0, summed[ref]) for ref in expected), query


def slices_of(names: list[str], layout: SearchLayout) -> list[tuple[str, ...]]:
    return [tuple(names[start:end]) for start, end in slice_bounds(names, layout)]


def test_slices_cover_the_archive_in_runs_of_about_the_slice_size() -> None:
    layout = SearchLayout(slice_size=40, tail_size=10)
    names = [f"briefings/report-{number}.html" for number in range(2000)]
    bounds = slice_bounds(names, layout)
    assert bounds[0][0] == 0 and bounds[-1][1] == 2000
    assert all(end == start for (_, end), (start, _) in zip(bounds, bounds[1:]))
    sizes = [end - start for start, end in bounds]
    big = [size for size in sizes if size >= 20]
    assert all(20 <= size <= 80 for size in big) and 30 <= sum(big) / len(big) <= 50
    # The newest briefings, after the last whole slice, in slices of about tail_size.
    assert all(size <= 20 for size in sizes[len(big):]) and sizes[len(big):]
    assert slice_bounds([], layout) == [] and slice_bounds(names[:3], layout) == [(0, 3)]


def test_adding_a_briefing_at_any_date_changes_one_or_two_slices() -> None:
    # Cuts are content-defined: a briefing added in the middle changes the slice it lands in and, when it is a cut
    # itself or the slice was cut at its largest, the next one; never every newer slice, as counting cuts from
    # the oldest briefing did (half the archive re-indexed for a backdated briefing).
    layout = SearchLayout(slice_size=40, tail_size=10)
    names = [f"briefings/report-{number}.html" for number in range(2000)]
    before = set(slices_of(names, layout))
    changed = []
    for place in range(0, 2001, 20):
        after = slices_of(names[:place] + [f"briefings/backdated-{place}.html"] + names[place:], layout)
        changed.append(sum(1 for piece in after if piece not in before))
    assert max(changed) <= 3 and sum(changed) / len(changed) <= 1.3, changed
    # A new briefing (the newest) changes only the newest slice.
    after = slices_of([*names, "briefings/news.html"], layout)
    assert sum(1 for piece in after if piece not in before) == 1


class MemoryCache:
    """The incremental-build store's part API, in memory: files written by one run are the next run's."""

    def __init__(self) -> None:
        self.recorded: dict[str, tuple[str, object]] = {}
        self.current: dict[str, tuple[str, object]] = {}

    def reuse_part(self, key: str, fingerprint: str) -> object:
        found = self.recorded.get(key)
        if found and found[0] == fingerprint:
            self.current[key] = found
            return found[1]
        return None

    def record_part(self, key: str, fingerprint: str, note: object, names: object) -> None:
        self.current[key] = (fingerprint, note)

    def next_build(self) -> None:
        self.recorded, self.current = self.current, {}


def written_slices(files: dict[str, str], slices: list[dict[str, object]]) -> list[object]:
    """The ids of the slices whose mask file was written (a slice's files are written, or put back, together)."""
    return [piece["id"] for piece in slices if f"{mask_name(str(piece['id']))}.js" in files]


@pytest.mark.parametrize("place", [0, 100, 180])   # the newest briefing, one in the middle, one among the oldest
def test_a_new_briefing_rewrites_only_the_slice_it_lands_in(place: int) -> None:
    layout = SearchLayout(slice_size=40, shard_bytes=1500, doc_chunk=10, tail_size=10)
    entries = archive(200)
    added = entries[place]
    cache = MemoryCache()
    first_manifest, first_files = search_files(entries[:place] + entries[place + 1:], TOPICS, layout, cache)
    cache.next_build()
    manifest, files = search_files(entries, TOPICS, layout, cache)
    slices = payload(manifest)[1]["slices"]  # type: ignore[index]
    landed = next(piece for piece in slices if piece["first"] <= 199 - place < piece["first"] + piece["count"])
    assert written_slices(files, slices) == [landed["id"]], "one slice written, the others put back"
    assert all(name.removesuffix(".js")[1:].startswith(landed["id"]) for name in files)
    assert len(slices) >= 5
    # Reused slices keep their manifest lines; a clean run gives the same manifest and files.
    clean_manifest, clean_files = search_files(entries, TOPICS, layout)
    assert clean_manifest == manifest and all(clean_files[name] == text for name, text in files.items())
    assert set(clean_files) - set(files) <= set(first_files) and first_manifest != manifest
    assert any(added.title == row[1] for row in rows_by_ref(clean_manifest, clean_files))  # type: ignore[index]


SEARCH_FILES = """
global.lunr = require(process.argv[1]);
const found = {};
global.briefingSearch = {add: (name, data) => { found[name] = data; }};
for (const file of process.argv.slice(3)) require(file);
const out = {};
for (const [name, data] of Object.entries(found)) {
  if (!/^s/.test(name)) continue;
  const index = lunr.Index.load(data);
  for (const q of JSON.parse(process.argv[2])) out[q] = (out[q] || []).concat(index.search(q).map(r => r.ref));
}
console.log(JSON.stringify(out));
"""


def search_with_lunr_js(tmp_path: Path, entries: list[SearchEntry], queries: list[str]) -> dict[str, list[str]]:
    """Load every search file with lunr.js in node (each shard must load); returns the refs found per query."""
    manifest, parts = search_files(entries, TOPICS, SearchLayout(shard_bytes=300))
    files = []
    for name, text in {"index.js": manifest, **parts}.items():
        (tmp_path / name).write_text(text, encoding="ascii")
        files.append(str(tmp_path / name))
    result = subprocess.run(["node", "-e", SEARCH_FILES, str(LUNR_JS), json.dumps(queries), *files],
                            capture_output=True, text=True, timeout=60, check=True)
    found: dict[str, list[str]] = json.loads(result.stdout)
    return found


@needs_node
def test_lunr_js_loads_every_shard_and_finds_non_ascii_terms(tmp_path: Path) -> None:
    queries = ["patriot", "київ", "café", "zürich", "🔥", "🕊️", "ｎａｔｏ", "tanker", "zelensky", "air"]
    found = search_with_lunr_js(tmp_path, ENTRIES, queries)
    # Refs count from the oldest: ENTRIES[2] is "0", ENTRIES[0] (the newest) is "2".
    assert found["patriot"] == ["2"] and found["київ"] == ["2"] and found["café"] == ["2"]
    assert found["zürich"] == ["1"] and found["🕊️"] == ["1"] and found["🔥"] == ["2"]
    assert found["ｎａｔｏ"] == ["2"] and found["tanker"] == ["0"]
    assert sorted(found["zelensky"]) == ["0", "1", "2"]


HOSTILE_TITLES = [
    entry("Lyon : l’économie locale résiste à la crise", "Les commerces du centre-ville tiennent bon."),
    entry("Tools & trades: the <b>bold</b> plan for AT&T's fibre rollout", "Crews lay cable."),
    entry("Keys to the way ahead", "Officials say the city stays on budget."),
]


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("Lyon : l’économie locale", ["lyon", "l", "économie", "locale"]),
        ("the <b>bold</b> plan for AT&T's", ["the", "b", "bold", "b", "plan", "for", "at", "t", "s"]),
        ("Київ, «Zürich» — ＮＡＴＯ!", ["київ", "zürich", "ｎａｔｏ"]),
        ("peace 🕊️ talks 👩‍👩‍👧 end", ["peace", "🕊️", "talks", "👩‍👩‍👧", "end"]),
        ("cafe\u0301 snake_case x\u200by", ["café", "snake_case", "x", "y"]),
        ("$5 + 3% = €8 <script>", ["5", "3", "8", "script"]),
    ],
)
def test_search_words_cut_at_punctuation_symbols_and_space(text: str, words: list[str]) -> None:
    assert search_words(text) == words


def test_index_terms_have_no_punctuation_left_on_them() -> None:
    terms = {term for term, _ in build_index(HOSTILE_TITLES)["invertedIndex"]}
    assert {"économi", "bold", "t", "kei", "wai"} & terms == {"économi", "bold", "t"}
    assert {"key", "way", "stai"} - terms == {"stai"}  # stemmed as lunr.js does: "keys" -> "key", "stays" -> "stay"
    assert not [term for term in terms if any(char in term for char in "<>&’:/'")]


STEMS = """
const lunr = require(process.argv[1]);
const words = JSON.parse(require('fs').readFileSync(0, 'utf8'));
console.log(JSON.stringify(words.map(w => lunr.stemmer(new lunr.Token(w)).toString())));
"""


@needs_node
def test_the_index_is_stemmed_exactly_as_lunr_js_stems_queries() -> None:
    words = sorted(set(search_words(" ".join(SENTENCES + [e.title + " " + e.summary for e in ENTRIES + HOSTILE_TITLES])
                                    + " keys stays way say cry by yes yell ply sly relational hopeful agreed"
                                    + " économie électricité Ελλάδα украина generalization")))
    result = subprocess.run(["node", "-e", STEMS, str(LUNR_JS)], input=json.dumps(words), capture_output=True,
                            text=True, timeout=60, check=True)
    assert dict(zip(words, json.loads(result.stdout))) == {word: stem(word) for word in words}


@needs_node
def test_lunr_js_finds_words_written_next_to_punctuation(tmp_path: Path) -> None:
    queries = ["économie", "bold", "t", "at", "keys", "way", "stay", "fibre", "to", "the", "on"]
    found = search_with_lunr_js(tmp_path, HOSTILE_TITLES, queries)
    # Refs count from the oldest: HOSTILE_TITLES[2] is "0", HOSTILE_TITLES[0] is "2".
    assert found["économie"] == ["2"] and found["bold"] == ["1"] and found["t"] == ["1"] and found["at"] == ["1"]
    # Stop words are indexed in titles ("to", "the") but not in summaries ("on" is only in the summary of "0").
    assert found["to"] == ["0"] and sorted(found["the"]) == ["0", "1"] and found["on"] == []
    assert found["keys"] == ["0"] and found["way"] == ["0"] and found["stay"] == ["0"] and found["fibre"] == ["1"]


@needs_node
def test_an_empty_archive_gives_a_loadable_manifest(tmp_path: Path) -> None:
    manifest, parts = search_files([], TOPICS, SearchLayout())
    assert parts == {} and payload(manifest)[1]["slices"] == []  # type: ignore[index]


def test_render_script_names_the_part() -> None:
    assert render_script("d3", [1]) == 'briefingSearch.add("d3",[1]);\n'


def lunr_py_index(entries: list[SearchEntry], first_ref: int) -> dict[str, object]:
    """The reference: the index lunr.py's own Builder serializes for the same words and pipeline."""
    from lunr.builder import Builder
    from lunr.stemmer import stemmer
    from lunr.stop_word_filter import stop_word_filter

    from briefing_search.words import lunr_js_stemmer

    builder = Builder()
    builder.pipeline.add(stop_word_filter, lunr_js_stemmer)
    builder.pipeline.skip(stop_word_filter, ["title", "tags"])
    builder.search_pipeline.add(stemmer)
    builder.ref("ref")
    for name, boost in (("title", 10), ("tags", 5), ("text", 2)):
        builder.field(name, boost=boost)
    for position, item in enumerate(entries):
        builder.add({"ref": str(first_ref + position), "title": search_words(item.title),
                     "tags": search_words(" ".join(item.topics + item.topic_ids + item.entities)),
                     "text": search_words(" ".join((item.summary, *item.key_points)))})
    serialized: dict[str, object] = builder.build().serialize()
    serialized["invertedIndex"] = sorted(serialized["invertedIndex"], key=lambda item: js_order(item[0]))
    return serialized


def test_the_index_is_the_one_lunr_py_would_build() -> None:
    # build_index computes lunr.py's serialized index itself (lunr.py's Builder was a third of the build time):
    # every posting, term number and BM25 score must be the same, to the byte once written.
    for entries, first_ref in ((ENTRIES, 0), (HOSTILE_TITLES, 7), (archive(60), 2000)):
        ours, reference = build_index(entries, first_ref), lunr_py_index(entries, first_ref)
        assert json.dumps(ours, sort_keys=True) == json.dumps(reference, sort_keys=True)


def test_the_fast_word_cutter_agrees_with_the_rule_on_every_code_point() -> None:
    # search_words cuts with one regular expression built from is_separator (the rule search.js shares); a
    # character it classed differently would make a word findable in the build but not in the browser.
    from briefing_search.words import is_separator, separators

    wrong = [code for code in range(0x110000)
             if bool(separators().fullmatch(chr(code))) != is_separator(chr(code))]
    assert wrong == []
    assert search_words("Zürich,\u00a0l’économie\u200b🕊️‍🔥 AT&T_x") == ["zürich", "l", "économie", "🕊️‍🔥", "at", "t_x"]


def test_the_separators_found_once_are_kept_in_the_build_cache(tmp_path: Path) -> None:
    from briefing_search.words import _cached_separator_ranges, separator_ranges

    found = _cached_separator_ranges(tmp_path)
    kept = list(tmp_path.glob("search-separators-unicode-*.json"))
    assert found == separator_ranges() and len(kept) == 1
    assert _cached_separator_ranges(tmp_path) == found
