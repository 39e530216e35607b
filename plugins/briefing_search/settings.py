"""The search plugin's settings, validated once."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from briefings.errors import PipelineError


class SearchError(PipelineError):
    """The search index or lunr.js could not be produced; the message names the file or setting."""


@dataclass(frozen=True, slots=True)
class SearchSettings:
    index_path: str       # BRIEFING_SEARCH_INDEX, relative to OUTPUT_PATH
    lunr_js: Path         # BRIEFING_LUNR_JS, lunr.js installed by npm

    @property
    def lunr_target(self) -> str:
        """Where lunr.js goes in the output: next to the index."""
        folder = PurePosixPath(self.index_path).parent
        return "lunr.js" if str(folder) == "." else f"{folder}/lunr.js"

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
        if problems:
            raise SearchError(Path("pelican.conf.py"), "; ".join(problems))
        return cls(index_path=str(index_path), lunr_js=Path(str(lunr_js)))
