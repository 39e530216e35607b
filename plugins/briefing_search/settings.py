"""The search plugin's settings, validated once."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from briefings.errors import PipelineError

from .index import SearchLayout


class SearchError(PipelineError):
    """The search index or lunr.js could not be produced; the message names the file or setting."""


@dataclass(frozen=True, slots=True)
class SearchSettings:
    index_path: str       # BRIEFING_SEARCH_INDEX, the manifest script, relative to OUTPUT_PATH
    lunr_js: Path         # BRIEFING_LUNR_JS, lunr.js installed by npm
    layout: SearchLayout  # BRIEFING_SEARCH_SLICE_SIZE, BRIEFING_SEARCH_SHARD_BYTES, BRIEFING_SEARCH_DOC_CHUNK

    @property
    def folder(self) -> str:
        """The folder of the manifest, lunr.js and every other search file ("" for the output root)."""
        folder = str(PurePosixPath(self.index_path).parent)
        return "" if folder == "." else folder

    @property
    def lunr_target(self) -> str:
        """Where lunr.js goes in the output: next to the index."""
        return f"{self.folder}/lunr.js" if self.folder else "lunr.js"

    @classmethod
    def from_settings(cls, settings: dict[str, Any]) -> SearchSettings:
        """The settings; raises SearchError naming every bad BRIEFING_ setting."""
        problems = []
        index_path = settings.get("BRIEFING_SEARCH_INDEX")
        if not isinstance(index_path, str) or not index_path.endswith(".js") or index_path.startswith("/"):
            problems.append("BRIEFING_SEARCH_INDEX must be a relative path ending in .js")
        lunr_js = settings.get("BRIEFING_LUNR_JS")
        if not isinstance(lunr_js, str) or not Path(lunr_js).is_file():
            problems.append(f"BRIEFING_LUNR_JS must name lunr.js installed by `npm ci` (got {lunr_js!r})")
        numbers = {}
        defaults = SearchLayout()
        for name, default in (("BRIEFING_SEARCH_SLICE_SIZE", defaults.slice_size),
                              ("BRIEFING_SEARCH_TAIL_SIZE", defaults.tail_size),
                              ("BRIEFING_SEARCH_SHARD_BYTES", defaults.shard_bytes),
                              ("BRIEFING_SEARCH_DOC_CHUNK", defaults.doc_chunk)):
            value = settings.get(name, default)
            if not isinstance(value, int) or isinstance(value, bool) or value < 1:
                problems.append(f"{name} must be a positive integer (got {value!r})")
                value = default
            numbers[name] = value
        if problems:
            raise SearchError(Path("pelican.conf.py"), "; ".join(problems))
        layout = SearchLayout(slice_size=numbers["BRIEFING_SEARCH_SLICE_SIZE"],
                              tail_size=numbers["BRIEFING_SEARCH_TAIL_SIZE"],
                              shard_bytes=numbers["BRIEFING_SEARCH_SHARD_BYTES"],
                              doc_chunk=numbers["BRIEFING_SEARCH_DOC_CHUNK"])
        return cls(index_path=str(index_path), lunr_js=Path(str(lunr_js)), layout=layout)
