"""Search entries -> small JavaScript files that the browser loads on demand with <script>. No Pelican imports.

Why this shape: one lunr index of every briefing grows by about 2.6 kB per briefing, far too much to load from
disk (file:// compresses nothing) before showing the first result of a 20,000-briefing archive. So:

- Briefings are numbered oldest first (ref "0" is the oldest; short refs, because lunr repeats the ref in every
  posting) and cut into *slices* of `slice_size` consecutive refs, so a new briefing changes only the newest
  slice. Each slice is one lunr index, built by lunr.py.
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

import dataclasses
import hashlib
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from functools import lru_cache

from lunr import __TARGET_JS_VERSION__
from lunr.stop_word_filter import WORDS as _LUNR_STOP_WORDS

from .entries import SearchEntry
from .words import search_words, stem

GLOBAL_NAME = "briefingSearch"
MANIFEST = "manifest"
FIELDS = (           # (field, boost)
    ("title", 10),
    ("tags", 5),     # topic names and ids, entity names
    ("text", 2),     # summary and key points
)
_K1 = 1.2   # lunr's BM25 parameters (Builder defaults)
_B = 0.75
_STOP_WORDS = frozenset(_LUNR_STOP_WORDS)
_stem = lru_cache(maxsize=200_000)(stem)  # the same few thousand words recur in every briefing
SNIPPET_CHARACTERS = 320  # the stored snippet: the summary, cut at a word boundary
# Inside a <script> file these sequences could end the script or start an HTML comment (the JS is also valid
# inline), and U+2028/U+2029 ended string literals before ES2019; escaping them keeps the JSON's meaning.
_SCRIPT_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}


@dataclass(frozen=True, slots=True)
class SearchLayout:
    slice_size: int = 2000      # briefings per slice index
    tail_size: int = 250        # briefings per slice of the newest, not yet full, slice_size block
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
    """The serialized lunr index of the entries, refs counting from first_ref, terms in lunr.js order.

    The same index lunr.py's Builder serializes for these documents and pipeline (stop words dropped from "text",
    lunr.js stems, BM25 with k1 = 1.2 and b = 0.75, scores rounded to 3 places; tests/plugins compares the two),
    computed without lunr.py's per-token objects, binary-search vector inserts and query token set, which the
    serialized index does not hold: lunr.py's Builder took a third of the build's time."""
    if not entries:
        return empty_index()
    field_names = [name for name, _ in FIELDS]
    postings: dict[str, dict[str, Any]] = {}  # term -> {field: {ref: {}}, "_index": n}, as lunr.py serializes it
    frequencies: list[tuple[str, str, int, dict[str, int]]] = []  # (field, ref, field length, term counts)
    for position, entry in enumerate(entries):
        ref = str(first_ref + position)
        for field, words in _fields(entry):
            counts: dict[str, int] = {}
            for term in words:
                counts[term] = counts.get(term, 0) + 1
                posting = postings.get(term)
                if posting is None:
                    posting = {name: {} for name in field_names}
                    posting["_index"] = len(postings)
                    postings[term] = posting
                posting[field].setdefault(ref, {})
            frequencies.append((field, ref, len(words), counts))
    vectors = _field_vectors(frequencies, postings, len(entries))
    inverted = sorted(postings.items(), key=lambda item: js_order(item[0]))
    return {"version": __TARGET_JS_VERSION__, "fields": field_names, "fieldVectors": vectors,
            "invertedIndex": [[term, posting] for term, posting in inverted], "pipeline": ["stemmer"]}


def _field_vectors(frequencies: list[tuple[str, str, int, dict[str, int]]], postings: dict[str, dict[str, Any]],
                   document_count: int) -> list[list[Any]]:
    """[["field/ref", [term index, BM25 score, ...]], ...] in the order the fields were added, computed as lunr.py's
    Builder._create_field_vectors and idf compute them (the same float operations in the same order)."""
    boosts = dict(FIELDS)
    totals: dict[str, int] = {}
    counted: dict[str, int] = {}
    for field, _, length, _ in frequencies:
        totals[field] = totals.get(field, 0) + length
        counted[field] = counted.get(field, 0) + 1
    average = {field: totals[field] / counted[field] for field in totals}
    idf: dict[str, float] = {}
    vectors: list[list[Any]] = []
    for field, ref, length, counts in frequencies:
        elements: list[tuple[int, float]] = []
        for term, tf in counts.items():
            posting = postings[term]
            term_idf = idf.get(term)
            if term_idf is None:
                with_term = sum(len(posting[name]) for name, _ in FIELDS)
                term_idf = math.log(1 + abs((document_count - with_term + 0.5) / (with_term + 0.5)))
                idf[term] = term_idf
            score = term_idf * ((_K1 + 1) * tf) / (_K1 * (1 - _B + _B * (length / average[field])) + tf)
            score *= boosts[field]
            elements.append((posting["_index"], round(score, 3)))
        elements.sort()
        vectors.append([f"{field}/{ref}", [number for pair in elements for number in pair]])
    return vectors


def _fields(entry: SearchEntry) -> list[tuple[str, list[str]]]:
    """(field, its terms) per field: stop words dropped from "text" only (every word of a title or a name can be
    searched for: "at" finds "AT&T"), every word stemmed as lunr.js stems queries. search_words leaves no
    punctuation, so no trimmer is needed (lunr.js runs none on queries)."""
    text = search_words(" ".join((entry.summary, *entry.key_points)))
    return [
        ("title", [_stem(word) for word in search_words(entry.title)]),
        ("tags", [_stem(word) for word in search_words(" ".join(entry.topics + entry.topic_ids + entry.entities))]),
        ("text", [_stem(word) for word in text if word not in _STOP_WORDS]),
    ]


def split_index(serialized: dict[str, Any], shard_bytes: int) -> list[tuple[str, dict[str, Any]]]:
    """The index cut by term range: (first term, shard index) pairs in term order; the first term of the first
    shard is "" so that every term falls into exactly one shard. Every shard is a loadable lunr index."""
    inverted = serialized["invertedIndex"]
    if not inverted:
        return [("", serialized)]
    rest_index = 1 + max(posting["_index"] for _, posting in inverted)
    groups = _term_groups(inverted, shard_bytes)
    group_of = {posting["_index"]: number for number, group in enumerate(groups) for _, posting in group}
    # One pass over the vectors, each element dealt to its term's shard (not one pass per shard: that was
    # quadratic in the slice size).
    shard_vectors: list[list[list[Any]]] = [[] for _ in groups]
    for field_ref, elements in serialized["fieldVectors"]:
        pairs = _pairs(elements)
        total = sum(value * value for _, value in pairs)
        kept_by_group: dict[int, list[float]] = {}  # shard -> [index, value, ...] of this vector's kept terms
        squares: dict[int, float] = {}              # shard -> sum of the kept values' squares, summed in order
        for index, value in pairs:
            number = group_of[index]
            kept = kept_by_group.get(number)
            if kept is None:
                kept = kept_by_group[number] = []
                squares[number] = 0
            kept += (index, value)
            squares[number] += value * value
        for number, kept in kept_by_group.items():
            shard_vectors[number].append([field_ref, _rest_vector(kept, total - squares[number], rest_index)])
    shards: list[tuple[str, dict[str, Any]]] = []
    for number, group in enumerate(groups):
        shard = dict(serialized, invertedIndex=group, fieldVectors=shard_vectors[number])
        shards.append(("" if not shards else group[0][0], shard))
    return shards


def _pairs(elements: Sequence[float]) -> list[tuple[int, float]]:
    return [(int(elements[i]), float(elements[i + 1])) for i in range(0, len(elements), 2)]


def _rest_vector(kept: list[float], dropped: float, rest_index: int) -> list[float]:
    """The kept elements (flat: index, value, ...) plus one element (index rest_index, past every term) holding the
    length of the dropped ones (dropped = the sum of their squares), so that the vector's magnitude, which
    lunr.js divides by, is unchanged."""
    if dropped > 1e-9:
        return kept + [rest_index, round(math.sqrt(dropped), 3)]
    return kept


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


class PartCache(Protocol):
    """Where search_files finds the files of an unchanged slice or document chunk from the last build (the
    incremental-build store, through the plugin), and records those it writes. Names are relative to the
    manifest's folder."""

    def reuse_part(self, key: str, fingerprint: str) -> Any: ...

    def record_part(self, key: str, fingerprint: str, note: Any, names: Sequence[str]) -> None: ...


def part_fingerprint(*parts: Any) -> str:
    """A hash of JSON-able values (entries as tuples), stable across runs."""
    text = json.dumps(parts, ensure_ascii=True, sort_keys=True, separators=(",", ":"), default=list)
    return hashlib.blake2b(text.encode("ascii"), digest_size=16).hexdigest()


def search_files(entries: Sequence[SearchEntry], topics: Sequence[tuple[str, str]], layout: SearchLayout,
                 cache: PartCache | None = None, keys: Sequence[str] | None = None) -> tuple[str, dict[str, str]]:
    """(The manifest script, every file to write by name relative to the manifest's folder). Entries come newest
    first; topics are (id, name) pairs, at most 52 (the masks are JavaScript numbers, exact to 2**53).

    Refs count from the oldest briefing, and slices and document chunks are cut from the oldest too, so a new
    briefing changes only the newest slice and chunk: with a cache, the files of the others are the last build's
    and are not in the returned dict. The manifest lists the slices newest first, the order the browser searches.
    `keys`, when given, stand for the entries in the parts' fingerprints (one short text per entry that changes
    whenever the entry may); then an entry is read from `entries` only for a part that is written again."""
    if len(topics) > 52:
        raise ValueError(f"the topic filter handles at most 52 topics, the taxonomy has {len(topics)}")
    topic_position = {topic_id: position for position, (topic_id, _) in enumerate(topics)}
    count = len(entries)

    def oldest_first(start: int, end: int) -> list[SearchEntry]:
        return [entries[count - 1 - ref] for ref in range(start, end)]

    def stand_ins(start: int, end: int) -> list[Any]:
        if keys is not None:
            return [keys[count - 1 - ref] for ref in range(start, end)]
        return [_values(entry) for entry in oldest_first(start, end)]

    files: dict[str, str] = {}
    slices = []
    for number, (start, end) in enumerate(slice_bounds(count, layout)):
        key = f"slice {number}"
        fingerprint = part_fingerprint(start, dataclasses.astuple(layout), topics, stand_ins(start, end))
        line = cache.reuse_part(key, fingerprint) if cache else None
        if line is None:
            line, made = _slice_files(number, start, oldest_first(start, end), topic_position, layout)
            files.update(made)
            if cache:
                cache.record_part(key, fingerprint, line, sorted(made))
        slices.append(line)
    for number, start in enumerate(range(0, count, layout.doc_chunk)):
        name = f"d{number}"
        end = min(count, start + layout.doc_chunk)
        fingerprint = part_fingerprint(topics, stand_ins(start, end))
        if cache is None or cache.reuse_part(name, fingerprint) is None:
            rows = [document_row(entry, topic_position) for entry in oldest_first(start, end)]
            files[f"{name}.js"] = render_script(name, rows)
            if cache:
                cache.record_part(name, fingerprint, name, [f"{name}.js"])
    manifest = {"count": count, "docChunk": layout.doc_chunk, "slices": slices[::-1],
                "topics": [list(topic) for topic in topics]}
    return render_script(MANIFEST, manifest), files


def slice_bounds(count: int, layout: SearchLayout) -> list[tuple[int, int]]:
    """(first ref, end ref) of each slice, oldest first: blocks of slice_size, then the newest, partial block cut
    in slices of tail_size, so that a new briefing re-indexes at most tail_size briefings (until its block fills
    and becomes one slice)."""
    full = count - count % layout.slice_size
    bounds = [(start, start + layout.slice_size) for start in range(0, full, layout.slice_size)]
    return bounds + [(start, min(count, start + layout.tail_size)) for start in range(full, count, layout.tail_size)]


def _values(entry: SearchEntry) -> tuple[Any, ...]:
    """The entry's fields as plain values (dataclasses.astuple deep-copies, five times slower)."""
    return tuple(getattr(entry, field.name) for field in dataclasses.fields(entry))


def _slice_files(number: int, start: int, part: Sequence[SearchEntry], topic_position: dict[str, int],
                 layout: SearchLayout) -> tuple[dict[str, Any], dict[str, str]]:
    """(The slice's line in the manifest, its files): the index shards and the topic masks of refs start..."""
    files = {}
    shards = []
    for shard_number, (first_term, shard) in enumerate(split_index(build_index(part, start), layout.shard_bytes)):
        name = f"s{number}-{shard_number}"
        files[f"{name}.js"] = render_script(name, shard)
        shards.append([first_term, name])
    mask_name = f"t{number}"
    files[f"{mask_name}.js"] = render_script(mask_name, [topic_mask(entry, topic_position) for entry in part])
    return {"first": start, "count": len(part), "shards": shards, "topics": mask_name}, files
