"""The topics plugin's settings, validated once."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .taxonomy import TopicsError


@dataclass(frozen=True, slots=True)
class TopicsSettings:
    taxonomy: Path        # BRIEFING_TAXONOMY, resolved against PATH
    home_limit: int       # BRIEFING_HOME_LIMIT

    @classmethod
    def from_settings(cls, settings: dict[str, Any]) -> TopicsSettings:
        """The settings; raises TopicsError naming every bad BRIEFING_ setting."""
        problems = []
        taxonomy = settings.get("BRIEFING_TAXONOMY")
        if not isinstance(taxonomy, str) or not taxonomy:
            problems.append("BRIEFING_TAXONOMY must be a path (relative to PATH)")
            taxonomy = ""
        limit = settings.get("BRIEFING_HOME_LIMIT")
        if not isinstance(limit, int) or isinstance(limit, bool) or limit < 1:
            problems.append("BRIEFING_HOME_LIMIT must be a positive integer")
            limit = 1
        if problems:
            raise TopicsError(Path("pelican.conf.py"), "; ".join(problems))
        return cls(taxonomy=Path(settings["PATH"]) / taxonomy, home_limit=limit)
