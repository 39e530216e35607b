"""content/taxonomy/topics.toml -> the topics the site shows. No Pelican imports.

The site needs only each topic's id, name and description from the `[[topic]]` tables; the tagging rules in
the same file belong to scripts/briefings/taxonomy.py, which validates them at ingest time.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from briefings.errors import PipelineError

TOPIC_ID = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")


class TopicsError(PipelineError):
    """The taxonomy is unreadable, or a briefing names a topic it does not define."""


@dataclass(frozen=True, slots=True)
class SiteTopic:
    id: str
    name: str
    description: str


def load_site_topics(path: Path) -> tuple[SiteTopic, ...]:
    """The topics of the taxonomy file, in file order; raises TopicsError listing every problem."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise TopicsError(path, f"cannot read the taxonomy: {error}") from error
    raw_topics = data.get("topic")
    if not isinstance(raw_topics, list) or not raw_topics:
        raise TopicsError(path, "at least one [[topic]] table is required")
    problems: list[str] = []
    topics = [_site_topic(raw, index, problems) for index, raw in enumerate(raw_topics)]
    seen: set[str] = set()
    for index, topic in enumerate(topics):
        if topic.id in seen:
            problems.append(f"topic[{index}].id: duplicate id {topic.id!r}")
        seen.add(topic.id)
    if problems:
        raise TopicsError(path, "; ".join(problems))
    return tuple(topics)


def _site_topic(raw: object, index: int, problems: list[str]) -> SiteTopic:
    if not isinstance(raw, dict):
        problems.append(f"topic[{index}]: not a table")
        return SiteTopic(id="", name="", description="")
    values = {}
    for key in ("id", "name", "description"):
        value = raw.get(key)
        if not isinstance(value, str) or not value.strip():
            problems.append(f"topic[{index}].{key}: a non-empty string is required")
            value = ""
        values[key] = value.strip()
    if values["id"] and not TOPIC_ID.match(values["id"]):
        problems.append(f"topic[{index}].id: {values['id']!r} is not a lower-case-hyphenated id")
    return SiteTopic(id=values["id"], name=values["name"], description=values["description"])
