"""content/taxonomy/topics.toml -> Taxonomy: the curator-edited rules that decide a briefing's topics.

The file is data reviewed like code. Loading validates every key and reports every problem at once, each
naming the file and the key (`topics.toml: topic[2].signals[4].pattern: ...`), so a curator's typo fails the
ingest loudly instead of silently untagging an archive.

Speed: most sentences hold none of a topic's words, and a regex search costs far more than a substring
test. So each pattern carries `needles`, strings one of which every match contains (read from the compiled
pattern, never written by the curator), and a sentence lacking all of them is not searched. One scan of a
sentence finds every needle it holds (`RuleIndex`: all the taxonomy's needles in one Aho-Corasick
automaton), so a sentence costs one scan plus the searches of the few patterns whose needles it holds, not
one test per pattern. Most patterns also tell how every match starts (`leading`: "\\bukrain" starts with
"ukrain"): such a pattern is only tried where the scan found one of those strings, a match attempt that
fails at once instead of a search through the whole sentence. This only skips searches that cannot match:
what fires is exactly what searching every pattern would fire.
"""

from __future__ import annotations

import re
# The regex syntax tree (private to re since Python 3.11, so no stubs), read only to find the needles of a pattern.
import re._constants as sre_constants  # type: ignore[import-not-found]
import re._parser as sre_parser  # type: ignore[import-not-found]
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import ahocorasick

from briefings.errors import PipelineError

TOPIC_ID = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")
POSITIONS = ("title", "lead", "body")


class TaxonomyError(PipelineError):
    """The taxonomy file is missing, not TOML, or breaks the schema; the message names file and key."""


# Rules compare by identity (eq=False): a sentence's fired rules are a set, and two rules with the same
# pattern in different places of the file are different rules.
@dataclass(frozen=True, slots=True, eq=False)
class Signal:
    """One piece of evidence: a case-insensitive regex and how much one sentence holding it weighs."""

    label: str                 # what --explain shows: the curator's term, or the regex itself
    pattern: re.Pattern[str]
    weight: float
    needles: tuple[str, ...] = ()   # folded strings one of which every match holds; () = always search
    leading: tuple[str, ...] = ()   # folded strings one of which every match starts with; () = not known


@dataclass(frozen=True, slots=True, eq=False)
class Exclusion:
    """A context that voids a sentence's evidence (e.g. "North Korea" for air defense)."""

    label: str
    pattern: re.Pattern[str]
    reason: str
    dominates: bool = False    # scope.outside only: out of scope even when the sentence also names the war
    needles: tuple[str, ...] = ()   # as for Signal
    leading: tuple[str, ...] = ()   # as for Signal


Rule = Signal | Exclusion


@dataclass(frozen=True, slots=True)
class KeyedRules:
    """The rules a key string stands for, as the automaton reports it."""

    back: int                    # len(key) - 1: the automaton reports where a key ends
    starts: tuple[Rule, ...]     # rules every match of which starts with the key
    holds: tuple[Rule, ...]      # other rules every match of which holds it


@dataclass(frozen=True, slots=True)
class RuleIndex:
    """Every rule of a taxonomy by its keys: the rules that fire in a sentence, for one scan of it."""

    scan: Any                    # ahocorasick.Automaton of every key -> KeyedRules: one pass finds them all
    always: tuple[Rule, ...]     # rules without keys: searched in every sentence

    def fired(self, text: str, folded: str) -> frozenset[Rule]:
        """The rules whose pattern occurs in `text`; `folded` is fold_case(text)."""
        # Folding never shortens a letter, so when it keeps the length it folded letter for letter: a key
        # found in `folded` stands at the same place in `text`, and a rule that starts with it is tried there
        # only. Text that folds longer ("ß" is "ss") has its keys elsewhere: there every rule is searched.
        in_place = len(folded) == len(text)
        found: set[Rule] = set()
        searched = set(self.always)
        # An automaton without keys refuses to scan: it has nothing to find.
        for end, keyed in self.scan.iter(folded) if len(self.scan) else ():
            if keyed.holds:
                searched.update(keyed.holds)
            if not in_place:
                searched.update(keyed.starts)
                continue
            for rule in keyed.starts:
                if rule not in found and rule.pattern.match(text, end - keyed.back) is not None:
                    found.add(rule)
        if searched:   # most sentences hold no key of a rule that must be searched
            searched -= found
            found.update(rule for rule in searched if rule.pattern.search(text))
        return frozenset(found)


@dataclass(frozen=True, slots=True)
class Topic:
    id: str
    name: str
    description: str
    signals: tuple[Signal, ...]
    exclusions: tuple[Exclusion, ...]
    threshold: float           # weighted score needed
    min_sentences: int         # sentences with evidence needed: a passing mention is one sentence
    min_coverage: float        # share of the article's sentences carrying evidence
    sentence_cap: float        # one sentence never weighs more than this, however many terms it holds
    sentence_floor: float      # a sentence whose signals weigh less holds only shared vocabulary: no evidence
    min_window: float          # evidence needed within one stretch of `window_sentences` body sentences
    signal_set: frozenset[Rule] = field(init=False, repr=False, compare=False)   # the signals, for set tests

    def __post_init__(self) -> None:
        object.__setattr__(self, "signal_set", frozenset(self.signals))


@dataclass(frozen=True, slots=True)
class Scope:
    """The archive's subject: evidence counts only in an article, and a sentence, inside it."""

    terms: tuple[Signal, ...]          # Russia/Ukraine war vocabulary
    must_name: tuple[Signal, ...]      # at least one sentence must hold one of these (Russia's side)
    min_article_hits: int              # sentences naming the war needed before any topic applies
    outside: tuple[Exclusion, ...]     # other theatres: a sentence naming one and not the war is void
    outside_ratio: float               # war sentences needed per other-theatre sentence
    mixed_weight: float                # multiplier for a sentence naming both the war and another theatre
    term_set: frozenset[Rule] = field(init=False, repr=False, compare=False)        # terms, for set tests
    must_name_set: frozenset[Rule] = field(init=False, repr=False, compare=False)   # must_name, for set tests

    def __post_init__(self) -> None:
        object.__setattr__(self, "term_set", frozenset(self.terms))
        object.__setattr__(self, "must_name_set", frozenset(self.must_name))


@dataclass(frozen=True, slots=True)
class Taxonomy:
    source: Path
    position_weights: dict[str, float]  # title / lead / body multipliers
    lead_sentences: int                 # how many opening body sentences form the lead
    window_sentences: int               # the stretch of body a developed thread must show up in
    ignored: tuple[Exclusion, ...]      # captions, credits, link lines: never evidence for any topic
    ignore_unpunctuated: bool           # body paragraphs not ending like a sentence (headlines, links) too
    scope: Scope
    topics: tuple[Topic, ...]
    rules: RuleIndex = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # Built once with the taxonomy (frozen, hence the object.__setattr__), used by every sentence.
        rules: list[Rule] = [*self.ignored, *self.scope.terms, *self.scope.must_name, *self.scope.outside]
        for topic in self.topics:
            rules += [*topic.signals, *topic.exclusions]
        object.__setattr__(self, "rules", build_rule_index(rules))

    def topic(self, topic_id: str) -> Topic:
        """The topic with that id; raises KeyError naming it."""
        for topic in self.topics:
            if topic.id == topic_id:
                return topic
        raise KeyError(topic_id)


class _Problems:
    """Collects schema problems so one load reports all of them."""

    def __init__(self, source: Path) -> None:
        self.source = source
        self.messages: list[str] = []

    def add(self, key: str, problem: str) -> None:
        self.messages.append(f"{key}: {problem}")

    def raise_if_any(self) -> None:
        if self.messages:
            raise TaxonomyError(self.source, "; ".join(self.messages))


def load_taxonomy(path: Path) -> Taxonomy:
    """The taxonomy in `path`; raises TaxonomyError naming the file and every bad key."""
    data = read_toml(path, TaxonomyError)
    problems = _Problems(path)
    settings = _table(data, "settings", problems)
    position_weights = {
        name: _number(settings, f"{name}_weight", f"settings.{name}_weight", problems, default=1.0)
        for name in POSITIONS
    }
    lead_sentences = int(_number(settings, "lead_sentences", "settings.lead_sentences", problems, default=3))
    window_sentences = int(_number(settings, "window_sentences", "settings.window_sentences", problems, default=6))
    ignore_unpunctuated = settings.get("ignore_unpunctuated", True)
    if not isinstance(ignore_unpunctuated, bool):
        problems.add("settings.ignore_unpunctuated", "must be true or false")
        ignore_unpunctuated = True
    ignored = _exclusions(settings.get("ignore_sentences", []), "settings.ignore_sentences", problems)
    scope = _scope(_table(data, "scope", problems), problems)
    raw_topics = data.get("topic", [])
    if not isinstance(raw_topics, list) or not raw_topics:
        problems.add("topic", "at least one [[topic]] table is required")
        raw_topics = []
    topics = tuple(_topic(raw, f"topic[{index}]", problems) for index, raw in enumerate(raw_topics))
    seen: set[str] = set()
    for index, topic in enumerate(topics):
        if topic.id in seen:
            problems.add(f"topic[{index}].id", f"duplicate topic id {topic.id!r}")
        seen.add(topic.id)
    problems.raise_if_any()
    return Taxonomy(source=path, position_weights=position_weights, lead_sentences=lead_sentences,
                    window_sentences=window_sentences, ignored=ignored,
                    ignore_unpunctuated=ignore_unpunctuated, scope=scope, topics=topics)


def read_toml(path: Path, error: type[PipelineError]) -> dict[str, Any]:
    """The parsed TOML file; raises `error` naming the file when it is missing or malformed."""
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError:
        raise error(path, "file not found") from None
    except OSError as exc:
        raise error(path, f"cannot read: {exc.strerror}") from None
    except tomllib.TOMLDecodeError as exc:
        raise error(path, f"not valid TOML: {exc}") from None


def _scope(raw: dict[str, Any], problems: _Problems) -> Scope:
    terms = _signals(raw.get("terms"), "scope.terms", problems)
    must_name = _signals(raw.get("must_name"), "scope.must_name", problems) if "must_name" in raw else ()
    outside = _exclusions(raw.get("outside", []), "scope.outside", problems)
    hits = int(_number(raw, "min_article_hits", "scope.min_article_hits", problems, default=1))
    ratio = _number(raw, "outside_ratio", "scope.outside_ratio", problems, default=1.0)
    mixed = _number(raw, "mixed_weight", "scope.mixed_weight", problems, default=0.5)
    return Scope(terms=terms, must_name=must_name, min_article_hits=hits, outside=outside, outside_ratio=ratio, mixed_weight=mixed)


def _topic(raw: Any, key: str, problems: _Problems) -> Topic:
    if not isinstance(raw, dict):
        problems.add(key, "must be a table")
        raw = {}
    topic_id = _text(raw, "id", f"{key}.id", problems)
    if topic_id and not TOPIC_ID.match(topic_id):
        problems.add(f"{key}.id", f"{topic_id!r} is not a slug (lower-case letters, digits, hyphens)")
    signals = _signals(raw.get("signals"), f"{key}.signals", problems)
    return Topic(
        id=topic_id,
        name=_text(raw, "name", f"{key}.name", problems),
        description=_text(raw, "description", f"{key}.description", problems),
        signals=signals,
        exclusions=_exclusions(raw.get("exclusions", []), f"{key}.exclusions", problems),
        threshold=_number(raw, "threshold", f"{key}.threshold", problems),
        min_sentences=int(_number(raw, "min_sentences", f"{key}.min_sentences", problems, default=2)),
        min_coverage=_number(raw, "min_coverage", f"{key}.min_coverage", problems, default=0.0),
        sentence_cap=_number(raw, "sentence_cap", f"{key}.sentence_cap", problems, default=4.0),
        sentence_floor=_number(raw, "sentence_floor", f"{key}.sentence_floor", problems, default=1.0),
        min_window=_number(raw, "min_window", f"{key}.min_window", problems, default=0.0),
    )


def _signals(raw: Any, key: str, problems: _Problems) -> tuple[Signal, ...]:
    if not isinstance(raw, list) or not raw:
        problems.add(key, "must be a non-empty array of signals")
        return ()
    signals = []
    for index, item in enumerate(raw):
        item_key = f"{key}[{index}]"
        if not isinstance(item, dict):
            problems.add(item_key, "must be a table like { term = \"...\", weight = 2 }")
            continue
        compiled = _pattern(item, item_key, problems)
        weight = _number(item, "weight", f"{item_key}.weight", problems, default=1.0)
        if compiled is not None:
            keys = match_keys(compiled)
            signals.append(Signal(label=_label(item), pattern=compiled, weight=weight, needles=keys.needles,
                                  leading=keys.leading))
    return tuple(signals)


def _exclusions(raw: Any, key: str, problems: _Problems) -> tuple[Exclusion, ...]:
    if not isinstance(raw, list):
        problems.add(key, "must be an array of tables")
        return ()
    exclusions = []
    for index, item in enumerate(raw):
        item_key = f"{key}[{index}]"
        if not isinstance(item, dict):
            problems.add(item_key, "must be a table like { term = \"...\", reason = \"...\" }")
            continue
        compiled = _pattern(item, item_key, problems)
        reason = str(item.get("reason", ""))
        dominates = item.get("dominates", False)
        if not isinstance(dominates, bool):
            problems.add(f"{item_key}.dominates", "must be true or false")
            dominates = False
        if compiled is not None:
            keys = match_keys(compiled)
            exclusions.append(Exclusion(label=_label(item), pattern=compiled, reason=reason, dominates=dominates,
                                        needles=keys.needles, leading=keys.leading))
    return tuple(exclusions)


def _pattern(item: dict[str, Any], key: str, problems: _Problems) -> re.Pattern[str] | None:
    """A `term` (plain words, matched whole) or a `regex`; exactly one of them."""
    term, regex = item.get("term"), item.get("regex")
    if (term is None) == (regex is None):
        problems.add(key, "needs exactly one of `term` or `regex`")
        return None
    if term is not None:
        if not isinstance(term, str) or not term.strip():
            problems.add(f"{key}.term", "must be a non-empty string")
            return None
        # A term matches whole words; internal spaces match any run of white space or a hyphen.
        words = [re.escape(word) for word in term.split()]
        return re.compile(r"\b" + r"[\s-]+".join(words) + r"\b", re.IGNORECASE)
    if not isinstance(regex, str) or not regex:
        problems.add(f"{key}.regex", "must be a non-empty string")
        return None
    try:
        return re.compile(regex, re.IGNORECASE)
    except re.error as exc:
        problems.add(f"{key}.regex", f"invalid regular expression: {exc}")
        return None


def _label(item: dict[str, Any]) -> str:
    """What --explain shows: the curator's `name` for a regex, else the term or the regex itself."""
    if isinstance(item.get("name"), str) and item["name"].strip():
        return str(item["name"]).strip()
    return str(item["term"] if "term" in item else item["regex"])


def _table(data: dict[str, Any], key: str, problems: _Problems) -> dict[str, Any]:
    value = data.get(key, {})
    if not isinstance(value, dict):
        problems.add(key, "must be a table")
        return {}
    return value


def _text(raw: dict[str, Any], name: str, key: str, problems: _Problems) -> str:
    value = raw.get(name)
    if not isinstance(value, str) or not value.strip():
        problems.add(key, "required, a non-empty string")
        return ""
    return value.strip()


def _number(raw: dict[str, Any], name: str, key: str, problems: _Problems,
            default: float | None = None) -> float:
    value = raw.get(name, default)
    if value is None:
        problems.add(key, "required, a number")
        return 0.0
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        problems.add(key, f"must be a number, not {value!r}")
        return default if default is not None else 0.0
    if value < 0:
        problems.add(key, f"must not be negative, got {value}")
    return float(value)


# Letters that Python's re, ignoring case, equates with a letter they do not case-fold to (Turkish dotted
# and dotless i, the long s). Folding them too keeps a needle test from refusing text re would match.
_RE_CASE_EQUIVALENTS = str.maketrans({"İ": "i", "ı": "i", "ſ": "s"})


def fold_case(text: str) -> str:
    """`text` with the case differences re ignores (re.IGNORECASE) folded away: if a pattern matches `text`,
    every literal run of the match, folded, occurs in the result."""
    if text.isascii():   # most text: nothing to translate, and casefold is lower for ASCII
        return text.lower()
    # Text with curly quotes or accents is not ASCII, yet rarely holds one of the three letters: three
    # substring tests cost far less than translate, which looks up every character.
    if "İ" in text or "ı" in text or "ſ" in text:
        text = text.translate(_RE_CASE_EQUIVALENTS)
    return text.casefold()


def build_rule_index(rules: list[Rule]) -> RuleIndex:
    """The rules keyed by how their matches start (when that is known well enough) or else by their needles,
    with one scan that finds every key of a text."""
    starts: dict[str, list[Rule]] = {}
    holds: dict[str, list[Rule]] = {}
    for rule in rules:
        if _tried_in_place(rule):
            for key in rule.leading:
                starts.setdefault(key, []).append(rule)
        else:
            for key in rule.needles:
                holds.setdefault(key, []).append(rule)
    scan = key_scan({key: KeyedRules(back=len(key) - 1, starts=tuple(starts.get(key, ())),
                                     holds=tuple(holds.get(key, ()))) for key in starts.keys() | holds.keys()})
    always = tuple(rule for rule in rules if not rule.needles and not _tried_in_place(rule))
    return RuleIndex(scan=scan, always=always)


def _tried_in_place(rule: Rule) -> bool:
    """Whether the rule is tried only where one of its leading strings stands, instead of searched where its
    needles are: when the shortest leading string is about as rare as the shortest needle. A short start found
    at many places ("in" of a pattern that needs "russia" later on) would be tried far more often than the
    pattern is searched; a one-letter start ("s" of "\\bs-?\\d+") is found almost everywhere."""
    if not rule.leading:
        return False
    shortest = min(map(len, rule.leading))
    return shortest >= 2 and (not rule.needles or shortest >= min(4, *map(len, rule.needles)))


def key_scan(keys: dict[str, Any]) -> Any:
    """An Aho-Corasick automaton whose iter(text) yields (end, value) for every occurrence in `text` of every
    key, overlapping ones included; an automaton without keys refuses to scan (check len() first)."""
    scan = ahocorasick.Automaton()
    for key, value in sorted(keys.items()):
        scan.add_word(key, value)
    if keys:
        scan.make_automaton()
    return scan


_REPEATS = (sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT, sre_constants.POSSESSIVE_REPEAT)


@dataclass(frozen=True, slots=True)
class MatchKeys:
    needles: tuple[str, ...]   # folded strings one of which every match contains, sorted; () when unknown
    leading: tuple[str, ...]   # folded strings one of which every match starts with, sorted; () when unknown


def match_keys(pattern: re.Pattern[str]) -> MatchKeys:
    """What every match of `pattern` contains and starts with, read from its syntax tree (parsed once)."""
    try:
        tree = sre_parser.parse(pattern.pattern, pattern.flags)
        found, starts = _required(tree), _leading(tree)
    # CPython's own regex parser (re._parser, 3.11+): private, so anything unexpected means no shortcut.
    except (re.error, TypeError, ValueError, IndexError, AttributeError):
        return MatchKeys(needles=(), leading=())
    return MatchKeys(needles=tuple(sorted(found)) if found else (), leading=tuple(sorted(starts)) if starts else ())


def needles(pattern: re.Pattern[str]) -> tuple[str, ...]:
    """Folded strings one of which every match of `pattern` contains, sorted; () when none can be found
    (the pattern is then always searched)."""
    return match_keys(pattern).needles


def leading(pattern: re.Pattern[str]) -> tuple[str, ...]:
    """Folded strings one of which every match of `pattern` starts with, sorted; () when not known."""
    return match_keys(pattern).leading


_ZERO_WIDTH = (sre_constants.AT, sre_constants.ASSERT, sre_constants.ASSERT_NOT)


def _leading(items: Any) -> frozenset[str] | None:
    """For a sequence of syntax-tree items: strings one of which every match starts with (assertions such as
    \\b or a lookbehind match no characters, so they are passed over); None when not known."""
    starts = {""}
    for op, value in items:
        if op in _ZERO_WIDTH:
            continue
        # An item matching one of a few strings ("s", "-?", "[cs]", "(t|ts)") extends every start with each.
        whole = _strings([(op, value)])
        if whole is not None and len(starts) * len(whole) <= _MAX_STRINGS:
            starts = {start + more for start in starts for more in whole}
            continue
        inner: frozenset[str] | None = None
        if op is sre_constants.SUBPATTERN:
            inner = _leading(value[-1])
        elif op is sre_constants.ATOMIC_GROUP:
            inner = _leading(value)
        elif op is sre_constants.BRANCH:
            branches = [_leading(branch) for branch in value[1]]
            inner = frozenset().union(*branches) if all(branches) else None  # type: ignore[arg-type]
        # The parser moves the start shared by alternatives out of them ("\\bairstrike|\\baerial" starts
        # "a" then branches): a group's starts extend the ones before it. What follows a group is not read.
        if inner and len(starts) * len(inner) <= _MAX_STRINGS:
            starts = {start + more for start in starts for more in inner}
        break
    if "" in starts:
        return None
    return frozenset(fold_case(start) for start in starts)


_MAX_STRINGS = 64   # more keys than this for one pattern cost more to look for than they spare


def _strings(items: Any) -> set[str] | None:
    """Every string a sequence of syntax-tree items matches, when there are at most _MAX_STRINGS of them
    (assertions match no characters: passed over); None otherwise."""
    found = {""}
    for op, value in items:
        if op in _ZERO_WIDTH:
            continue
        if op is sre_constants.LITERAL:
            each: set[str] | None = {chr(value)}
        elif op is sre_constants.IN and all(kind is sre_constants.LITERAL for kind, _ in value):
            each = {chr(code) for _, code in value}   # a class of single letters, like [cs]
        elif op is sre_constants.SUBPATTERN:
            each = _strings(value[-1])
        elif op is sre_constants.BRANCH:
            each = _union([_strings(branch) for branch in value[1]])
        elif op in _REPEATS and value[1] <= 1:   # x? or x{0,1} or x{1}
            once = _strings(value[2])
            each = None if once is None else once | ({""} if value[0] == 0 else set())
        else:
            each = None
        if each is None or len(found) * len(each) > _MAX_STRINGS:
            return None
        found = {start + more for start in found for more in each}
    return found


def _union(parts: list[set[str] | None]) -> set[str] | None:
    """All the strings of every part; None when a part's strings are not known."""
    union: set[str] = set()
    for part in parts:
        if part is None:
            return None
        union |= part
    return union


def _required(items: Any) -> frozenset[str] | None:
    """For a sequence of syntax-tree items: a set of strings one of which every match contains, the most
    selective one found (longest shortest string); None when nothing is required."""
    best: frozenset[str] | None = None
    run: list[str] = []   # consecutive literal characters: they appear together in every match
    for op, value in list(items) + [(None, None)]:
        if op is sre_constants.LITERAL:
            run.append(chr(value))
            continue
        if run:
            best = _more_selective(best, frozenset({fold_case("".join(run))}))
            run = []
        if op is sre_constants.SUBPATTERN:
            best = _more_selective(best, _required(value[-1]))
        elif op is sre_constants.ATOMIC_GROUP:
            best = _more_selective(best, _required(value))
        elif op in _REPEATS and value[0] >= 1:
            best = _more_selective(best, _required(value[2]))
        elif op is sre_constants.BRANCH:
            branches = [_required(branch) for branch in value[1]]
            if all(branches):
                best = _more_selective(best, frozenset().union(*branches))  # type: ignore[arg-type]
        # Anything else (classes, `.`, assertions, optional parts) requires no particular string.
    return best


def _more_selective(current: frozenset[str] | None, other: frozenset[str] | None) -> frozenset[str] | None:
    if not other or "" in other:
        return current
    if not current or (min(map(len, other)), -len(other)) > (min(map(len, current)), -len(current)):
        return other
    return current
