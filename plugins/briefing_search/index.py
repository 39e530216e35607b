"""Search entries -> small JavaScript files that the browser loads on demand with <script>. No Pelican imports.

Why this shape: one lunr index of every briefing grows by about 2.6 kB per briefing, far too much to load from
disk (file:// compresses nothing) before showing the first result of a 20,000-briefing archive. So:

- Briefings are numbered newest first (ref "0" is the newest; short refs, because lunr repeats the ref in every
  posting) and cut into *slices* of `slice_size` consecutive refs. Each slice is one lunr index, built by lunr.py.
- Each slice index is cut by term range into *shards* of about `shard_bytes`. A shard is itself a loadable lunr
  index: the postings of its terms, and for every field vector that holds one of them only those elements plus one
  "rest" element carrying the rest of the vector's length. lunr.js divides by the vector's length when scoring, so
  the sum over the shards of a query's terms ranks documents as the whole slice index would (it is that score
  times the square root of the number of query terms, the same factor for every document).
- What a result shows (url, title, date, topics, snippet) lives apart, in *document chunks* of `doc_chunk` refs.
- Topic masks (one integer per briefing, bit i = topic i) live in one file per slice, loaded only for a filter.
- A small manifest lists the slices and the first term of each shard, so the browser loads, per query term, one
  shard of the newest slice first, shows results, then moves to older slices.

Every file is `briefingSearch.add("<name>", <JSON>);`: plain ASCII, no `</script`, no `<!--`, no U+2028/U+2029.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from lunr import __TARGET_JS_VERSION__
from lunr.builder import Builder
from lunr.stemmer import stemmer
from lunr.stop_word_filter import stop_word_filter

from .entries import SearchEntry
from .words import lunr_js_stemmer, search_words

GLOBAL_NAME = "briefingSearch"
MANIFEST = "manifest"
FIELDS = (           # (field, boost)
    ("title", 10),
    ("tags", 5),     # topic names and ids, entity names
    ("text", 2),     # summary and key points
)
SNIPPET_CHARACTERS = 320  # the stored snippet: the summary, cut at a word boundary
# Inside a <script> file these sequences could end the script or start an HTML comment (the JS is also valid
# inline), and U+2028/U+2029 ended string literals before ES2019; escaping them keeps the JSON's meaning.
_SCRIPT_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}


@dataclass(frozen=True, slots=True)
class SearchLayout:
    slice_size: int = 2000      # briefings per slice index
    shard_bytes: int = 60_000   # aim for each shard file (a single very common term may exceed it)
    doc_chunk: int = 100        # briefings per document chunk


def js_order(term: str) -> bytes:
    """Sort key matching JavaScript's `<` on strings (UTF-16 code units).

    lunr.py sorts terms by code point; lunr.js inserts them into its token set in array order and throws "out of
    order word insertion" when that order disagrees with its own, which happens once a term holds a character
    beyond U+FFFF (emoji) and another a character in U+E000-U+FFFF (lunr.py issue 144).
    """
    return term.encode("utf-16-be", "surrogatepass")


def empty_index() -> dict[str, Any]:
    """A serialized index with no documents (lunr.py cannot build one: it divides by the document count)."""
    return {"version": __TARGET_JS_VERSION__, "fields": [name for name, _ in FIELDS],
            "fieldVectors": [], "invertedIndex": [], "pipeline": ["stemmer"]}


def build_index(entries: Sequence[SearchEntry], first_ref: int = 0) -> dict[str, Any]:
    """The serialized lunr index of the entries, refs counting from first_ref, terms in lunr.js order."""
    if not entries:
        return empty_index()
    builder = _builder()
    for position, entry in enumerate(entries):
        builder.add(_document(str(first_ref + position), entry))
    serialized: dict[str, Any] = builder.build().serialize()
    serialized["invertedIndex"] = sorted(serialized["invertedIndex"], key=lambda item: js_order(item[0]))
    return serialized


def _builder() -> Builder:
    """A lunr builder fed with words already cut by search_words (lunr.py's tokenizer takes a list as given)
    and stemmed as lunr.js stems queries. No trimmer: lunr.js runs none on queries, and search_words leaves no
    punctuation to trim."""
    builder = Builder()
    builder.pipeline.add(stop_word_filter, lunr_js_stemmer)
    # Every word of a title or a name can be searched for ("at" finds "AT&T", "What they said" is findable);
    # stop words are dropped from the long summary text only, where they would fill the index.
    builder.pipeline.skip(stop_word_filter, ["title", "tags"])
    builder.search_pipeline.add(stemmer)  # serialized as the index's pipeline: lunr.js stems query terms too
    builder.ref("ref")
    for name, boost in FIELDS:
        builder.field(name, boost=boost)
    return builder


def _document(ref: str, entry: SearchEntry) -> dict[str, Any]:
    return {
        "ref": ref,
        "title": search_words(entry.title),
        "tags": search_words(" ".join(entry.topics + entry.topic_ids + entry.entities)),
        "text": search_words(" ".join((entry.summary, *entry.key_points))),
    }


def split_index(serialized: dict[str, Any], shard_bytes: int) -> list[tuple[str, dict[str, Any]]]:
    """The index cut by term range: (first term, shard index) pairs in term order; the first term of the first
    shard is "" so that every term falls into exactly one shard. Every shard is a loadable lunr index."""
    inverted = serialized["invertedIndex"]
    if not inverted:
        return [("", serialized)]
    rest_index = 1 + max(posting["_index"] for _, posting in inverted)
    vectors = [(field_ref, _pairs(elements)) for field_ref, elements in serialized["fieldVectors"]]
    shards: list[tuple[str, dict[str, Any]]] = []
    for group in _term_groups(inverted, shard_bytes):
        wanted = {posting["_index"] for _, posting in group}
        shard_vectors = []
        for field_ref, pairs in vectors:
            kept = [(index, value) for index, value in pairs if index in wanted]
            if kept:
                shard_vectors.append([field_ref, _rest_vector(kept, pairs, rest_index)])
        shard = dict(serialized, invertedIndex=group, fieldVectors=shard_vectors)
        shards.append(("" if not shards else group[0][0], shard))
    return shards


def _pairs(elements: Sequence[float]) -> list[tuple[int, float]]:
    return [(int(elements[i]), float(elements[i + 1])) for i in range(0, len(elements), 2)]


def _rest_vector(kept: list[tuple[int, float]], pairs: list[tuple[int, float]], rest_index: int) -> list[float]:
    """The kept elements, flat, plus one element (index rest_index, past every term) holding the length of the
    dropped ones, so that the vector's magnitude, which lunr.js divides by, is unchanged."""
    dropped = sum(value * value for _, value in pairs) - sum(value * value for _, value in kept)
    flat: list[float] = [number for pair in kept for number in pair]
    if dropped > 1e-9:
        flat += [rest_index, round(math.sqrt(dropped), 3)]
    return flat


def _term_groups(inverted: list[Any], shard_bytes: int) -> list[list[Any]]:
    """Consecutive runs of terms whose estimated shard size stays under shard_bytes (at least one term each)."""
    groups: list[list[Any]] = [[]]
    size = 0
    for item in inverted:
        postings = sum(len(refs) for key, refs in item[1].items() if key != "_index")
        # Measured at 20,000 briefings: a posting costs about 10 bytes, its field vector element about 10, and the
        # vector it lands in (field ref and "rest" element, shared by the shard's terms) about 18 more.
        cost = len(item[0]) + 40 + 38 * postings
        if groups[-1] and size + cost > shard_bytes:
            groups.append([])
            size = 0
        groups[-1].append(item)
        size += cost
    return groups


def snippet(text: str, limit: int = SNIPPET_CHARACTERS) -> str:
    """The text, cut at the last space before `limit` characters with an ellipsis when longer."""
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", 0, limit)
    return text[: cut if cut > 0 else limit].rstrip() + "\u2026"


def document_row(entry: SearchEntry, topic_position: dict[str, int]) -> list[Any]:
    """What a result shows: [url, title, date, topic positions in the manifest's list, snippet]."""
    return [entry.url, entry.title, entry.date, [topic_position[topic] for topic in entry.topic_ids],
            snippet(entry.summary)]


def topic_mask(entry: SearchEntry, topic_position: dict[str, int]) -> int:
    """Bit i set when the entry has the manifest's topic i (the filter reads these)."""
    return sum(1 << topic_position[topic] for topic in set(entry.topic_ids))


def render_script(name: str, payload: Any) -> str:
    """JavaScript (pure ASCII) handing the payload to briefingSearch.add; no `</script` or `<!--` inside."""
    text = json.dumps(payload, ensure_ascii=True, sort_keys=True, separators=(",", ":"))
    for raw, escaped in _SCRIPT_ESCAPES.items():
        text = text.replace(raw, escaped)
    return f"{GLOBAL_NAME}.add({json.dumps(name)},{text});\n"


def search_files(entries: Sequence[SearchEntry], topics: Sequence[tuple[str, str]],
                 layout: SearchLayout) -> tuple[str, dict[str, str]]:
    """(The manifest script, every other file by name relative to the manifest's folder). Entries come newest
    first; topics are (id, name) pairs, at most 52 (the masks are JavaScript numbers, exact to 2**53)."""
    if len(topics) > 52:
        raise ValueError(f"the topic filter handles at most 52 topics, the taxonomy has {len(topics)}")
    topic_position = {topic_id: position for position, (topic_id, _) in enumerate(topics)}
    files: dict[str, str] = {}
    slices = []
    for number, start in enumerate(range(0, len(entries), layout.slice_size)):
        part = entries[start: start + layout.slice_size]
        shards = []
        for shard_number, (first_term, shard) in enumerate(split_index(build_index(part, start),
                                                                       layout.shard_bytes)):
            name = f"s{number}-{shard_number}"
            files[f"{name}.js"] = render_script(name, shard)
            shards.append([first_term, name])
        mask_name = f"t{number}"
        files[f"{mask_name}.js"] = render_script(mask_name, [topic_mask(entry, topic_position) for entry in part])
        slices.append({"first": start, "count": len(part), "shards": shards, "topics": mask_name})
    for number, start in enumerate(range(0, len(entries), layout.doc_chunk)):
        name = f"d{number}"
        rows = [document_row(entry, topic_position) for entry in entries[start: start + layout.doc_chunk]]
        files[f"{name}.js"] = render_script(name, rows)
    manifest = {"count": len(entries), "docChunk": layout.doc_chunk, "slices": slices,
                "topics": [list(topic) for topic in topics]}
    return render_script(MANIFEST, manifest), files
