"""Search entries -> a lunr index inside a JavaScript file that a <script> tag can load. No Pelican imports.

Only short fields are indexed (title, summary, key points, topics, entities), never the body: the index is
loaded whole by the browser, from disk too, where nothing is compressed. Document refs are the entries'
positions ("0", "1", ...) because lunr repeats the ref in every posting.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from lunr import __TARGET_JS_VERSION__, lunr

from .entries import SearchEntry

GLOBAL_NAME = "briefingSearch"
FIELDS = (
    {"field_name": "title", "boost": 10},
    {"field_name": "topics", "boost": 5},
    {"field_name": "entities", "boost": 5},
    {"field_name": "summary", "boost": 2},
    {"field_name": "key_points", "boost": 1},
)
# Inside a <script> file these sequences could end the script or start an HTML comment (the JS is also valid
# inline), and U+2028/U+2029 ended string literals before ES2019; escaping them keeps the JSON's meaning.
_SCRIPT_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}


def build_index(entries: Sequence[SearchEntry]) -> dict[str, Any]:
    """The serialized lunr index of the entries, with terms in the order lunr.js requires."""
    if not entries:
        return empty_index()
    documents = [_document(str(ref), entry) for ref, entry in enumerate(entries)]
    serialized: dict[str, Any] = lunr(ref="ref", fields=FIELDS, documents=documents).serialize()
    serialized["invertedIndex"] = sorted(serialized["invertedIndex"], key=lambda item: js_order(item[0]))
    return serialized


def empty_index() -> dict[str, Any]:
    """A serialized index with no documents (lunr.py cannot build one: it divides by the document count)."""
    return {
        "version": __TARGET_JS_VERSION__,
        "fields": [field["field_name"] for field in FIELDS],
        "fieldVectors": [],
        "invertedIndex": [],
        "pipeline": ["stemmer"],
    }


def js_order(term: str) -> bytes:
    """Sort key matching JavaScript's `<` on strings (UTF-16 code units).

    lunr.py sorts terms by code point; lunr.js inserts them into its token set in array order and throws "out of
    order word insertion" when that order disagrees with its own, which happens once a term holds a character
    beyond U+FFFF (emoji) and another a character in U+E000-U+FFFF (lunr.py issue 144).
    """
    return term.encode("utf-16-be", "surrogatepass")


def _document(ref: str, entry: SearchEntry) -> dict[str, str]:
    return {
        "ref": ref,
        "title": entry.title,
        "topics": " ".join(entry.topics + entry.topic_ids),
        "entities": " ".join(entry.entities),
        "summary": entry.summary,
        "key_points": " ".join(entry.key_points),
    }


def result_rows(entries: Sequence[SearchEntry]) -> list[list[Any]]:
    """What a result shows, per ref: [url, title, date, topic names, snippet]."""
    return [[entry.url, entry.title, entry.date, list(entry.topics), entry.summary] for entry in entries]


def render_index_script(entries: Sequence[SearchEntry]) -> str:
    """JavaScript (pure ASCII) setting window.briefingSearch = {index, docs}; no `</script` or `<!--` inside."""
    payload = {"index": build_index(entries), "docs": result_rows(entries)}
    text = json.dumps(payload, ensure_ascii=True, sort_keys=True, separators=(",", ":"))
    for raw, escaped in _SCRIPT_ESCAPES.items():
        text = text.replace(raw, escaped)
    return f"window.{GLOBAL_NAME} = {text};\n"
