"""Search entries -> small JavaScript files that the browser loads on demand with <script>. No Pelican imports.

Why this shape: one lunr index of every briefing grows by about 2.6 kB per briefing, far too much to load from
disk (file:// compresses nothing) before showing the first result of a 20,000-briefing archive. So:

- Briefings are numbered oldest first (ref "0" is the oldest) and cut into *slices* of consecutive briefings,
  each one lunr index built by lunr.py. The cuts are content-defined (`slice_bounds`): a slice ends at a briefing
  whose name hashes to a cut, so adding, removing or moving one briefing, at any date, changes the slice it lands
  in and no other cut (but, rarely, the next one's). Inside a slice, refs count from its first briefing (short
  refs, because lunr repeats the ref in every posting; the browser adds the slice's first ref), so a slice's files
  do not depend on how many briefings are older: an older briefing added re-indexes one slice, not every newer one.
- The newest briefings, after the last cut, are cut the same way into smaller slices (`tail_size`), so a new
  briefing re-indexes about tail_size briefings until the newest ones make a whole slice.
- Each slice index is cut by term range into *shards* of about `shard_bytes`. A shard is itself a loadable lunr
  index: the postings of its terms, and for every field vector that holds one of them only those elements plus one
  "rest" element carrying the rest of the vector's length. lunr.js divides by the vector's length when scoring, so
  the sum over the shards of a query's terms ranks documents as the whole slice index would (it is that score
  times the square root of the number of query terms, the same factor for every document).
- What a result shows (url, title, date, topics, snippet) lives apart, in *document chunks* of `doc_chunk` refs
  of one slice.
- Topic masks (one integer per briefing, bit i = topic i) live in one file per slice, loaded only for a filter.
- A small manifest lists the slices (each one's id, first ref, count and the first term of each shard), so the
  browser loads, per query term, one shard of the newest slice first, shows results, then moves to older slices.
  A slice's id is a hash of its oldest briefing's name, and its files are named from it (`s<id>-<n>` shards,
  `t<id>` masks, `d<id>-<n>` document chunks), so an unchanged slice keeps its files when briefings are added
  elsewhere.

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
    slice_size: int = 2000      # briefings per slice index, on average (from half to twice as many)
    tail_size: int = 250        # the same for the slices of the newest briefings, after the last slice_size cut
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
                 cache: PartCache | None = None, keys: Sequence[str] | None = None,
                 names: Sequence[str] | None = None) -> tuple[str, dict[str, str]]:
    """(The manifest script, every file to write by name relative to the manifest's folder). Entries come newest
    first; topics are (id, name) pairs, at most 52 (the masks are JavaScript numbers, exact to 2**53).

    `names` (default: the entries' urls) name the briefings for the content-defined cuts (slice_bounds); with a
    cache, the files of a slice whose briefings are unchanged are the last build's and are not in the returned
    dict. The manifest lists the slices newest first, the order the browser searches. `keys`, when given, stand
    for the entries in the slices' fingerprints (one short text per entry that changes whenever the entry may);
    then an entry is read from `entries` only for a slice that is written again."""
    if len(topics) > 52:
        raise ValueError(f"the topic filter handles at most 52 topics, the taxonomy has {len(topics)}")
    topic_position = {topic_id: position for position, (topic_id, _) in enumerate(topics)}
    count = len(entries)
    oldest_names = list(names if names is not None else [entry.url for entry in entries])[::-1]
    stand_ins = list(keys)[::-1] if keys is not None else None

    files: dict[str, str] = {}
    slices = []
    ids: set[str] = set()
    for start, end in slice_bounds(oldest_names, layout):
        slice_id = _slice_id(oldest_names[start], ids)
        ids.add(slice_id)
        members = stand_ins[start:end] if stand_ins is not None else [
            _values(entries[count - 1 - ref]) for ref in range(start, end)]
        key = f"slice {slice_id}"
        fingerprint = part_fingerprint(dataclasses.astuple(layout), topics, members)
        line = cache.reuse_part(key, fingerprint) if cache else None
        if line is None:
            part = [entries[count - 1 - ref] for ref in range(start, end)]
            line, made = _slice_files(slice_id, part, topic_position, layout)
            files.update(made)
            if cache:
                cache.record_part(key, fingerprint, line, sorted(made))
        # Where the slice starts is the manifest's to say: the slice's own files hold refs counted from 0.
        slices.append({**line, "first": start})
    manifest = {"count": count, "docChunk": layout.doc_chunk, "slices": slices[::-1],
                "topics": [list(topic) for topic in topics]}
    return render_script(MANIFEST, manifest), files


def slice_bounds(names: Sequence[str], layout: SearchLayout) -> list[tuple[int, int]]:
    """(first ref, end ref) of each slice, oldest first, for briefings named `names` (oldest first).

    Content-defined cuts (`_runs`) of about slice_size briefings; the briefings after the last of them, the
    newest, are cut the same way at about tail_size, so that a new briefing re-indexes about tail_size
    briefings until the newest ones make a whole slice."""
    hashes = [_name_hash(name) for name in names]
    closed, newest = _runs(hashes, 0, layout.slice_size)
    tails, last = _runs(hashes, newest, layout.tail_size)
    return closed + tails + ([(last, len(hashes))] if last < len(hashes) else [])


def _runs(hashes: Sequence[int], start: int, size: int) -> tuple[list[tuple[int, int]], int]:
    """(The runs that end at a cut, where the briefings after them begin). A run ends at a briefing whose hash is
    a multiple of size // 2 once it holds size // 2 briefings (then one in size // 2 is a cut: runs of `size` on
    average), and anyway at 2 * size. A cut depends on the briefing and its distance to the last cut only, so a
    briefing added or removed moves no cut but, rarely, the next one (when it is a cut itself, or the run it
    joins was cut at 2 * size)."""
    least, most = max(1, size // 2), max(1, 2 * size)
    runs = []
    begin = start
    for position in range(start, len(hashes)):
        held = position + 1 - begin
        if held >= most or (held >= least and hashes[position] % least == 0):
            runs.append((begin, position + 1))
            begin = position + 1
    return runs, begin


def _name_hash(name: str) -> int:
    """A stable 64-bit hash of a briefing's name."""
    return int.from_bytes(hashlib.blake2b(name.encode("utf-8", "surrogatepass"), digest_size=8).digest(), "big")


def _slice_id(first_name: str, taken: set[str]) -> str:
    """What a slice's files are named after: 32 bits of a hash of its oldest briefing's name, numbered on when two
    slices of the archive would share it (it then depends on the order of the slices, a rare case)."""
    base = f"{_name_hash(first_name):016x}"[:8]
    slice_id, number = base, 1
    while slice_id in taken:
        number += 1
        slice_id = f"{base}-{number}"
    return slice_id


def _values(entry: SearchEntry) -> tuple[Any, ...]:
    """The entry's fields as plain values (dataclasses.astuple deep-copies, five times slower)."""
    return tuple(getattr(entry, field.name) for field in dataclasses.fields(entry))


def shard_name(slice_id: str, number: int) -> str:
    return f"s{slice_id}-{number}"


def mask_name(slice_id: str) -> str:
    return f"t{slice_id}"


def chunk_name(slice_id: str, number: int) -> str:
    return f"d{slice_id}-{number}"


def _slice_files(slice_id: str, part: Sequence[SearchEntry], topic_position: dict[str, int],
                 layout: SearchLayout) -> tuple[dict[str, Any], dict[str, str]]:
    """(The slice's line in the manifest but its first ref, its files): the index shards, the topic masks and the
    document chunks of its briefings, refs counted from 0. The line names no file: the browser names them as
    shard_name, mask_name and chunk_name do, from the slice's id."""
    files = {}
    first_terms = []
    for number, (first_term, shard) in enumerate(split_index(build_index(part), layout.shard_bytes)):
        name = shard_name(slice_id, number)
        files[f"{name}.js"] = render_script(name, shard)
        first_terms.append(first_term)
    name = mask_name(slice_id)
    files[f"{name}.js"] = render_script(name, [topic_mask(entry, topic_position) for entry in part])
    for number, start in enumerate(range(0, len(part), layout.doc_chunk)):
        name = chunk_name(slice_id, number)
        rows = [document_row(entry, topic_position) for entry in part[start:start + layout.doc_chunk]]
        files[f"{name}.js"] = render_script(name, rows)
    return {"id": slice_id, "count": len(part), "shards": first_terms}, files
