"""content/taxonomy/entities.toml -> Gazetteer, and CleanedDocument -> the entities it names.

Each entry has a canonical name, a kind (person, organisation, place, weapon) and aliases: spelling
variants that always mean it (Zelensky, Zelenskyy, Volodymyr Zelenskiy). A person may also have a
`surname`: a bare surname is common to many people ("Johnson"), so it resolves to the entry only once one
of that entry's full names has appeared earlier in the article.

Speed: an article names a few dozen of the gazetteer's hundreds of aliases, so the gazetteer is indexed by
the first word of each alias. An article's words are read once (cut, folded and looked up by whole-list
calls, not one by one), and only the aliases whose first word occurs in it are searched for, and only where
that word starts: the alias's pattern is tried at those places instead of scanning the whole article once
per alias. Both only skip searches that cannot match: the mentions found are exactly those of searching
every alias.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, KeysView
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import compress
from pathlib import Path
from typing import Any

from briefings.documents import CleanedDocument, Entity
from briefings.errors import PipelineError
from briefings.taxonomy import fold_case, read_toml

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
class _AliasSearch:
    """One alias (or shared surname) to look for, and the entries a match can mean."""

    alias: str
    case_sensitive: bool
    owners: tuple[GazetteerEntry, ...]   # one entry for an alias; everyone sharing it for a surname
    first: str                           # _first_word of what it looks for: every match starts with it

    @property
    def pattern(self) -> re.Pattern[str]:
        # Compiled on first use (then cached): an article names a few dozen of the hundreds of aliases, and
        # compiling them all took half of loading the gazetteer.
        return _alias_pattern(self.alias, self.case_sensitive)


@dataclass(frozen=True, slots=True)
class _AliasIndex:
    """The gazetteer's searches keyed by the folded first word of what they look for."""

    aliases: tuple[_AliasSearch, ...]      # in gazetteer order, so mentions come out in the order they always did
    surnames: tuple[_AliasSearch, ...]     # in order of first appearance in the gazetteer
    alias_keys: dict[str, tuple[int, ...]]    # folded first word -> positions in `aliases`
    surname_keys: dict[str, tuple[int, ...]]  # folded first word -> positions in `surnames`
    first_words: frozenset[str]               # the keys of both


@dataclass(frozen=True, slots=True)
class Gazetteer:
    source: Path
    entries: tuple[GazetteerEntry, ...]
    index: _AliasIndex = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # Built once with the gazetteer (frozen, hence the object.__setattr__), used by every article.
        object.__setattr__(self, "index", _build_index(self.entries))


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
    """Every match of an alias, then every bare surname whose owner was introduced before it; only the
    aliases and surnames whose first word occurs in `text` are searched for."""
    index = gazetteer.index
    starts = _word_starts(text, index.first_words)
    mentions = []
    for position in _positions(index.alias_keys, starts.keys()):
        search = index.aliases[position]
        for start, end in _matches(search, text, starts):
            mentions.append(_Mention(start, end, search.owners[0], full=True))
    for position in _positions(index.surname_keys, starts.keys()):
        search = index.surnames[position]
        for start, end in _matches(search, text, starts):
            owner = _latest_introduced(search.owners, mentions, start)
            if owner is not None:
                mentions.append(_Mention(start, end, owner, full=False))
    return mentions


def _word_starts(text: str, wanted: frozenset[str]) -> dict[str, list[int]]:
    """Where each word (run of word characters) of the text that folds to one of `wanted` starts, ascending,
    by folded word."""
    # An article has hundreds of words and names a few dozen gazetteer words: the words are cut, folded and
    # looked up by whole-list calls, and only the words wanted are handled one by one.
    pieces = _NON_WORD_RUN.split(text)   # word, separator, word, ..., word (the first and last may be "")
    # fold_case maps each character on its own, and only a line feed folds to something holding a line feed
    # (no word holds one): the words folded as one text and cut at line feeds are the words folded one by one.
    folded_words = fold_case("\n".join(pieces[::2])).split("\n")
    starts: dict[str, list[int]] = {}
    start = 0        # where the word `number` starts: the length of the pieces before it (pieces[:2 * number])
    added_up = 0     # how many pieces `start` has added up so far
    for number in compress(range(len(folded_words)), map(wanted.__contains__, folded_words)):
        folded = folded_words[number]
        if folded:   # the "" before a text that starts with a separator is no word
            start += sum(map(len, pieces[added_up:2 * number]))
            added_up = 2 * number
            starts.setdefault(folded, []).append(start)
    return starts


def _matches(search: _AliasSearch, text: str, starts: dict[str, list[int]]) -> Iterator[tuple[int, int]]:
    """The spans of search.pattern.finditer(text), trying the pattern only where its first word starts (every
    match starts at a word that folds to it; `starts` is _word_starts of the text)."""
    pattern = search.pattern
    if not search.first:
        for match in pattern.finditer(text):
            yield match.span()
        return
    taken_until = 0
    for start in starts.get(search.first, ()):
        if start >= taken_until:   # finditer's matches never overlap
            tried = pattern.match(text, start)
            if tried:
                yield tried.span()
                taken_until = tried.end()


def _positions(keys: dict[str, tuple[int, ...]], words: KeysView[str]) -> list[int]:
    """Positions of the searches whose first word is among `words` (or that have none), in index order."""
    found = set(keys.get("", ()))
    for word in words & keys.keys():
        found.update(keys[word])
    return sorted(found)


def _build_index(entries: tuple[GazetteerEntry, ...]) -> _AliasIndex:
    """Every alias and shared surname, keyed by its folded first word."""
    aliases = [_AliasSearch(alias, entry.case_sensitive, (entry,), _first_word(alias))
               for entry in entries for alias in entry.aliases]
    owners: dict[str, list[GazetteerEntry]] = {}
    for entry in entries:
        if entry.surname:
            owners.setdefault(entry.surname, []).append(entry)
    surnames = [_AliasSearch(surname, True, tuple(people), _first_word(surname))
                for surname, people in owners.items()]
    alias_keys = _keys([search.first for search in aliases])
    surname_keys = _keys([search.first for search in surnames])
    return _AliasIndex(aliases=tuple(aliases), surnames=tuple(surnames), alias_keys=alias_keys,
                       surname_keys=surname_keys, first_words=frozenset(alias_keys.keys() | surname_keys.keys()))


def _keys(first_words: list[str]) -> dict[str, tuple[int, ...]]:
    keys: dict[str, list[int]] = {}
    for position, word in enumerate(first_words):
        keys.setdefault(word, []).append(position)
    return {word: tuple(positions) for word, positions in keys.items()}


def _first_word(alias: str) -> str:
    """The folded run of word characters an alias starts with; "" when it starts with punctuation, so it is
    searched for in every article. A match of the alias starts with exactly that run in the text: the
    pattern refuses a word character before it, and after it comes punctuation, a separator or the end."""
    match = _WORD_RUN.match(alias)
    return fold_case(match.group()) if match else ""


_WORD_RUN = re.compile(r"\w+")   # the runs a first word is compared with; the same \w as the alias patterns
# What separates them; kept by split, so every piece's length counts. Written \W\W* rather than \W+: a
# pattern that opens with a character class lets re skip to the next separator instead of trying a match at
# every letter (an eighth of the split's time).
_NON_WORD_RUN = re.compile(r"(\W\W*)")


def _latest_introduced(owners: tuple[GazetteerEntry, ...], mentions: list[_Mention],
                       before: int) -> GazetteerEntry | None:
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
