"""content/taxonomy/entities.toml -> Gazetteer, and CleanedDocument -> the entities it names.

Each entry has a canonical name, a kind (person, organisation, place, weapon) and aliases: spelling
variants that always mean it (Zelensky, Zelenskyy, Volodymyr Zelenskiy). A person may also have a
`surname`: a bare surname is common to many people ("Johnson"), so it resolves to the entry only once one
of that entry's full names has appeared earlier in the article.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from briefings.documents import CleanedDocument, Entity
from briefings.errors import PipelineError
from briefings.taxonomy import read_toml

KINDS = ("person", "organisation", "place", "weapon")


class GazetteerError(PipelineError):
    """The gazetteer file is missing, not TOML, or breaks the schema; the message names file and key."""


@dataclass(frozen=True, slots=True)
class GazetteerEntry:
    name: str
    kind: str
    aliases: tuple[str, ...]      # always mean this entry; the canonical name is one of them
    surname: str                  # "" when bare-surname mentions are not resolved
    case_sensitive: bool          # for acronyms that are also words ("EU" is fine; "IRIS-T", "SWIFT"...)


@dataclass(frozen=True, slots=True)
class Gazetteer:
    source: Path
    entries: tuple[GazetteerEntry, ...]


@dataclass(frozen=True, slots=True)
class _Mention:
    start: int
    end: int
    entry: GazetteerEntry
    full: bool            # an alias (True) or a bare surname (False)


def load_gazetteer(path: Path) -> Gazetteer:
    """The gazetteer in `path`; raises GazetteerError naming the file and every bad key."""
    data = read_toml(path, GazetteerError)
    problems: list[str] = []
    entries: list[GazetteerEntry] = []
    for kind_key in ("people", "organisations", "places", "weapons"):
        raw = data.get(kind_key, [])
        if not isinstance(raw, list):
            problems.append(f"{kind_key}: must be an array of tables ([[{kind_key}]])")
            continue
        for index, item in enumerate(raw):
            entry = _entry(item, f"{kind_key}[{index}]", _kind_of(kind_key), problems)
            if entry is not None:
                entries.append(entry)
    unknown = sorted(set(data) - {"people", "organisations", "places", "weapons"})
    if unknown:
        problems.append(f"{', '.join(unknown)}: unknown section (use people, organisations, places, weapons)")
    _check_duplicates(entries, problems)
    if problems:
        raise GazetteerError(path, "; ".join(problems))
    return Gazetteer(source=path, entries=tuple(entries))


def find_entities(doc: CleanedDocument, gazetteer: Gazetteer) -> tuple[Entity, ...]:
    """Every gazetteer entry the title or body names, sorted by canonical name."""
    found: dict[str, Entity] = {}
    text = "\n".join([doc.title, *doc.paragraphs])
    for mention in resolve_mentions(text, gazetteer):
        found[mention.entry.name] = Entity(name=mention.entry.name, kind=mention.entry.kind)
    return tuple(found[name] for name in sorted(found, key=str.casefold))


def resolve_mentions(text: str, gazetteer: Gazetteer) -> list[_Mention]:
    """Mentions in reading order; a bare surname counts only after a full name of its entry appeared."""
    candidates = sorted(_candidate_mentions(text, gazetteer), key=lambda m: (m.start, -(m.end - m.start)))
    resolved: list[_Mention] = []
    introduced: set[str] = set()
    taken_until = -1
    for mention in candidates:
        if mention.start < taken_until:
            continue  # inside a longer mention already taken ("Vladimir Putin" holds "Putin")
        if not mention.full and mention.entry.name not in introduced:
            continue
        resolved.append(mention)
        introduced.add(mention.entry.name)
        taken_until = mention.end
    return resolved


def _candidate_mentions(text: str, gazetteer: Gazetteer) -> list[_Mention]:
    mentions = []
    surname_owners: dict[str, list[GazetteerEntry]] = {}
    for entry in gazetteer.entries:
        for alias in entry.aliases:
            for match in _alias_pattern(alias, entry.case_sensitive).finditer(text):
                mentions.append(_Mention(match.start(), match.end(), entry, full=True))
        if entry.surname:
            surname_owners.setdefault(entry.surname, []).append(entry)
    for surname, owners in surname_owners.items():
        for match in _alias_pattern(surname, True).finditer(text):
            owner = _latest_introduced(owners, mentions, match.start())
            if owner is not None:
                mentions.append(_Mention(match.start(), match.end(), owner, full=False))
    return mentions


def _latest_introduced(owners: list[GazetteerEntry], mentions: list[_Mention], before: int) -> GazetteerEntry | None:
    """Of the people sharing a surname, the one whose full name appeared most recently before `before`."""
    best: tuple[int, GazetteerEntry] | None = None
    for mention in mentions:
        if mention.full and mention.entry in owners and mention.end <= before:
            if best is None or mention.start > best[0]:
                best = (mention.start, mention.entry)
    return best[1] if best else None


@lru_cache(maxsize=4096)
def _alias_pattern(alias: str, case_sensitive: bool) -> re.Pattern[str]:
    # Curly and straight apostrophes, hyphens and spaces are interchangeable in names as printed.
    parts = [re.escape(part) for part in re.split(r"[\s\-‐–]+", alias.replace("’", "'"))]
    body = r"[\s\-‐–]+".join(parts).replace("'", "['’]")
    # The possessive ("Putin's") still names him; a longer word ("Putinism") does not.
    return re.compile(r"(?<![\w-])" + body + r"(?![\w-])", 0 if case_sensitive else re.IGNORECASE)


def _kind_of(section: str) -> str:
    return {"people": "person", "organisations": "organisation", "places": "place", "weapons": "weapon"}[section]


def _entry(item: Any, key: str, kind: str, problems: list[str]) -> GazetteerEntry | None:
    if not isinstance(item, dict):
        problems.append(f"{key}: must be a table")
        return None
    name = item.get("name")
    if not isinstance(name, str) or not name.strip():
        problems.append(f"{key}.name: required, a non-empty string")
        return None
    aliases = item.get("aliases", [])
    if not isinstance(aliases, list) or not all(isinstance(a, str) and a.strip() for a in aliases):
        problems.append(f"{key}.aliases: must be an array of non-empty strings")
        return None
    surname = item.get("surname", "")
    if not isinstance(surname, str):
        problems.append(f"{key}.surname: must be a string")
        return None
    if surname and kind != "person":
        problems.append(f"{key}.surname: only people have surnames")
    case_sensitive = item.get("case_sensitive", False)
    if not isinstance(case_sensitive, bool):
        problems.append(f"{key}.case_sensitive: must be true or false")
        return None
    unknown = sorted(set(item) - {"name", "aliases", "surname", "case_sensitive"})
    if unknown:
        problems.append(f"{key}: unknown key(s) {', '.join(unknown)}")
    all_aliases = tuple(dict.fromkeys([name.strip(), *(a.strip() for a in aliases)]))
    return GazetteerEntry(name=name.strip(), kind=kind, aliases=all_aliases, surname=surname.strip(),
                          case_sensitive=case_sensitive)


def _check_duplicates(entries: list[GazetteerEntry], problems: list[str]) -> None:
    owner: dict[str, str] = {}
    for entry in entries:
        for alias in entry.aliases:
            folded = alias.casefold()
            if folded in owner and owner[folded] != entry.name:
                problems.append(f"alias {alias!r} belongs to both {owner[folded]!r} and {entry.name!r}")
            owner[folded] = entry.name
