"""The shortcuts that keep tagging fast (an alias index tried only where its first word starts, needles and
leading strings found by one automaton scan before regex searches or match attempts) change no result.

Each shortcut only skips searches that cannot match. These tests compare it with searching everything, on
real-shaped sentences and on generated text full of the awkward cases: any case, hyphens for spaces,
possessives, Turkish dotted and dotless i, the long s, names glued to longer words.
"""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from briefings.entities import Gazetteer, _alias_pattern, _latest_introduced, _Mention, _word_starts, resolve_mentions
from briefings.summarize import (_ABBREVIATIONS, _FURNITURE_PIECES, QUOTE_LOOKAHEAD, _is_furniture, ends_like_sentence,
                                 sentence_units, split_sentences)
from briefings.tag_topics import _weigh, decide_topics, document_sentences
from briefings.taxonomy import (Exclusion, Rule, Taxonomy, build_rule_index, fold_case, key_scan, leading, match_keys,
                                needles)

from tagging_documents import make_document


# Every piece searched at once: what _is_furniture must decide.
FURNITURE = re.compile("|".join(_FURNITURE_PIECES), re.IGNORECASE | re.VERBOSE)


def every_alias_searched(text: str, gazetteer: Gazetteer) -> list[_Mention]:
    """resolve_mentions as it was before the index: every alias and surname searched in the whole text."""
    mentions = []
    owners: dict[str, list] = {}  # type: ignore[type-arg]
    for entry in gazetteer.entries:
        for alias in entry.aliases:
            mentions += [_Mention(m.start(), m.end(), entry, True)
                         for m in _alias_pattern(alias, entry.case_sensitive).finditer(text)]
        if entry.surname:
            owners.setdefault(entry.surname, []).append(entry)
    for surname, people in owners.items():
        for match in _alias_pattern(surname, True).finditer(text):
            owner = _latest_introduced(tuple(people), mentions, match.start())
            if owner is not None:
                mentions.append(_Mention(match.start(), match.end(), owner, False))
    resolved, introduced, taken_until = [], set(), -1
    for mention in sorted(mentions, key=lambda m: (m.start, -(m.end - m.start))):
        if mention.start < taken_until or (not mention.full and mention.entry.name not in introduced):
            continue
        resolved.append(mention)
        introduced.add(mention.entry.name)
        taken_until = mention.end
    return resolved


def spans(mentions: list[_Mention]) -> list[tuple[int, int, str, bool]]:
    return [(m.start, m.end, m.entry.name, m.full) for m in mentions]


SENTENCES = [
    "PRESIDENT ZELENSKYY met Boris Johnson in KYIV; Johnson promised more air defence.",
    "Putin’s spokesman said Putinism was a Western invention, and the Kremlin-backed press agreed.",
    "Ukraine received IRIS T launchers, not IRIS-T missiles, said the defence-minister of Germany.",
    "Recep Tayyip Erdoğan hosted talks in Istanbul; Erdogan's aides said Erdoğan would call Putin.",
    "KYİV and Kyıv are how some wires print the capital; ſanctions is an old spelling.",
    "Mike Johnson replied. Johnson, the Speaker, said Boris Johnson was wrong; then Johnson left.",
    "the patriot act and a swift reply from the eu-style debate on nato-russia ties",
    "Boris Johnson Boris Johnson; Johnson-Johnson and Kyiv Kyiv-Kyiv, KYIV's Kyivan Kyiv.",
]


def test_the_alias_index_finds_exactly_what_searching_every_alias_finds(gazetteer: Gazetteer) -> None:
    for sentence in SENTENCES:
        assert spans(resolve_mentions(sentence, gazetteer)) == spans(every_alias_searched(sentence, gazetteer))


def test_case_hyphens_possessives_and_surnames_still_resolve(gazetteer: Gazetteer) -> None:
    text = "\n".join(SENTENCES[:2] + SENTENCES[5:6])
    found = {(text[m.start:m.end], m.entry.name) for m in resolve_mentions(text, gazetteer)}
    assert ("ZELENSKYY", "Volodymyr Zelensky") in found
    assert ("KYIV", "Kyiv") in found
    assert ("Johnson", "Boris Johnson") in found          # the surname after the full name
    assert ("Putin", "Vladimir Putin") in found            # "Putin’s": the possessive still names him
    assert not any(name.startswith("Putinism") for name, _ in found)


def test_dotted_capital_i_matches_like_re_does(gazetteer: Gazetteer) -> None:
    # re, ignoring case, reads "KYİV" as "Kyiv"; the index must not skip the search.
    assert [m.entry.name for m in resolve_mentions("Strikes on KYİV overnight.", gazetteer)] == ["Kyiv"]


def test_a_word_is_found_only_where_it_stands_whole() -> None:
    text = "Kyiv, Kyivan KYIV Kyiv_x xKyiv Kyiv-Kyiv Kyiv"
    # Any case folds to the same word; "_" and letters join words, "-" does not.
    assert _word_starts(text, frozenset({"kyiv"})) == {"kyiv": [0, 13, 31, 36, 41]}
    assert _word_starts("US-led USA US", frozenset({"us", "usa", "uk"})) == {"us": [0, 11], "usa": [7]}


def test_a_word_is_found_in_any_spelling_re_reads_as_it() -> None:
    # re, ignoring case, reads the dotted capital I, the dotless i and the long s as "i" and "s".
    text = "KYİV, Kyıv and ſanctions"
    assert _word_starts(text, frozenset({"kyiv", "sanctions"})) == {"kyiv": [0, 6], "sanctions": [15]}


def alias_words(gazetteer: Gazetteer) -> list[str]:
    words = {word for entry in gazetteer.entries for alias in (*entry.aliases, entry.surname)
             for word in re.split(r"[\s\-']+", alias) if word}
    return sorted(words)


def mangled_text(words: list[str]) -> st.SearchStrategy[str]:
    """Gazetteer words in any case, joined by spaces, hyphens, apostrophes, glued to letters or odd ones."""
    word = st.sampled_from(words).flatmap(lambda w: st.sampled_from([w, w.upper(), w.lower(), w.capitalize(),
                                                                     w.replace("i", "ı"), w.replace("I", "İ"),
                                                                     w.replace("s", "ſ")]))
    glue = st.sampled_from([" ", " ", "-", "–", "'s ", "’s ", "s ", "ism ", ". ", ", ", "\n", "x", "_"])
    return st.lists(st.tuples(word, glue), min_size=1, max_size=12).map(
        lambda parts: "".join(w + g for w, g in parts))


@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_generated_text_gets_the_same_mentions_either_way(gazetteer: Gazetteer, data: st.DataObject) -> None:
    text = data.draw(mangled_text(alias_words(gazetteer)))
    assert spans(resolve_mentions(text, gazetteer)) == spans(every_alias_searched(text, gazetteer))


def test_needles_are_what_every_match_must_contain() -> None:
    assert needles(re.compile(r"\bair[\s-]?defen[cs]e", re.I)) == ("defen",)
    assert needles(re.compile(r"\bmissiles?\b|\bdrones?\b|\brockets?\b", re.I)) == ("drone", "missile", "rocket")
    assert needles(re.compile(r"(?-i:\bSAMs?\b)|\bmanpads", re.I)) == ("manpads", "sam")
    # Nothing is required of an optional part or a character class: such a pattern is always searched.
    assert needles(re.compile(r"(peace )?\d+", re.I)) == ()


@given(text=st.text())
def test_the_ascii_shortcut_folds_exactly_as_translating_and_casefolding(text: str) -> None:
    assert fold_case(text) == text.translate(str.maketrans("İıſ", "iis")).casefold()


def holds_a_needle(found: tuple[str, ...], text: str) -> bool:
    return not found or any(needle in fold_case(text) for needle in found)


def test_a_sentence_without_any_needle_is_not_searched_and_nothing_is_lost() -> None:
    pattern = re.compile(r"\b(shot|shoot|shooting|brought) down\b", re.I)
    found = needles(pattern)
    for text in ["Air defence SHOT DOWN 40 drones.", "The jets were brought  down.", "Talks broke down."]:
        assert holds_a_needle(found, text) or pattern.search(text) is None
    assert not holds_a_needle(found, "Ministers met in Brussels on Monday.")
    rule = Exclusion(label="downed", pattern=pattern, reason="", needles=found)
    index = build_rule_index([rule])
    assert index.fired("Ministers met in Brussels on Monday.", "ministers met in brussels on monday.") == frozenset()
    assert index.fired("Air defence SHOT DOWN 40 drones.", "air defence shot down 40 drones.") == {rule}


def test_the_key_scan_finds_every_key_at_every_place_overlapping_ones_too() -> None:
    scan = key_scan({key: key for key in ["air", "air defence", "defence", "def", "drone", "drones"]})
    found = sorted((end - len(key) + 1, key) for end, key in scan.iter("air defence drones"))
    assert found == [(0, "air"), (0, "air defence"), (4, "def"), (4, "defence"), (12, "drone"), (12, "drones")]


def test_leading_strings_are_what_every_match_starts_with() -> None:
    assert leading(re.compile(r"\bukrain", re.I)) == ("ukrain",)
    # Zero-width assertions are passed over; a part matching one of a few strings extends every start.
    assert leading(re.compile(r"(?<!nuclear )\b(energy|power) grid", re.I)) == ("energy grid", "power grid")
    assert leading(re.compile(r"\bs-?300\b", re.I)) == ("s-300", "s300")
    assert leading(re.compile(r"\bair[\s-]?defen[cs]e", re.I)) == ("air",)
    # The parser moves a start shared by alternatives out of them; the alternatives' starts extend it.
    assert leading(re.compile(r"\bairstrikes?|\baerial (assault|attack)", re.I)) == (
        "aerial assault", "aerial attack", "airstrike", "airstrikes")
    assert leading(re.compile(r"(?-i:\bS(WIFT|wift)\b)", re.I)) == ("swift",)
    assert leading(re.compile(r"(peace )?plan", re.I)) == ("peace plan", "plan")
    # A match that may start with anything (a class, a repeat, an optional word) has no leading strings.
    assert leading(re.compile(r"\d+ drones", re.I)) == ()
    assert leading(re.compile(r"(\w+ )?plan", re.I)) == ()
    assert leading(re.compile(r"^\s*(read|see) more", re.I)) == ()
    assert match_keys(re.compile(r"\bmissiles?\b|\bdrones?\b", re.I)).needles == ("drone", "missile")


def test_a_rule_is_tried_where_its_match_would_start_and_nothing_is_lost() -> None:
    pattern = re.compile(r"(?<!nuclear )\b(energy|power) (grid|plant)s?\b", re.I)
    keys = match_keys(pattern)
    rule = Exclusion(label="grid", pattern=pattern, reason="", needles=keys.needles, leading=keys.leading)
    index = build_rule_index([rule])
    for text in ["Strikes hit the power grid.", "The nuclear power plant.", "Superpower grids.", "ENERGY  GRID",
                 "Power plants, power grids; nuclear energy grid", "Kraftwerk: power plant – Straße", "power"]:
        assert index.fired(text, fold_case(text)) == ({rule} if pattern.search(text) else frozenset()), text


def test_an_index_without_keys_fires_only_what_is_always_searched() -> None:
    assert build_rule_index([]).fired("Anything at all.", "anything at all.") == frozenset()


def test_a_rule_without_needles_is_searched_in_every_sentence() -> None:
    rule = Exclusion(label="numbers", pattern=re.compile(r"(peace )?\d+", re.I), reason="")
    index = build_rule_index([rule])
    assert index.fired("Talks on 12 points.", "talks on 12 points.") == {rule}
    assert index.fired("No figures.", "no figures.") == frozenset()


def taxonomy_rules(taxonomy: Taxonomy) -> list[Rule]:
    rules: list[Rule] = [*taxonomy.ignored, *taxonomy.scope.terms, *taxonomy.scope.must_name, *taxonomy.scope.outside]
    for topic in taxonomy.topics:
        rules += [*topic.signals, *topic.exclusions]
    return rules


def topic_patterns(taxonomy: Taxonomy) -> list[tuple[re.Pattern[str], tuple[str, ...]]]:
    return [(rule.pattern, rule.needles) for rule in taxonomy_rules(taxonomy)]


def topic_words(taxonomy: Taxonomy) -> list[str]:
    words = {word for _, found in topic_patterns(taxonomy) for needle in found for word in needle.split()}
    return sorted(words | {"the", "on", "of", "Russia", "12", "said", "in", "by", "with", "Putin", "March 3, 2024."})


@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_every_taxonomy_pattern_fires_exactly_as_its_search(taxonomy: Taxonomy, data: st.DataObject) -> None:
    text = data.draw(mangled_text(topic_words(taxonomy)))
    for pattern, found in topic_patterns(taxonomy):
        if pattern.search(text):
            assert holds_a_needle(found, text), (pattern.pattern, text)
    searched = {rule for rule in taxonomy_rules(taxonomy) if rule.pattern.search(text)}
    assert taxonomy.rules.fired(text, fold_case(text)) == searched


def ascii_text(words: list[str]) -> st.SearchStrategy[str]:
    """Taxonomy words in any case, glued by ASCII spaces, hyphens, apostrophes and punctuation: text whose keys
    are tried in place."""
    word = st.sampled_from(words).flatmap(lambda w: st.sampled_from([w, w.upper(), w.lower(), w.capitalize()]))
    glue = st.sampled_from([" ", " ", "-", "'s ", "s ", "ism ", ". ", ", ", "\n", "x", "_", "  ", "/", "("])
    return st.lists(st.tuples(word, glue), min_size=1, max_size=12).map(
        lambda parts: "".join(w + g for w, g in parts))


@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_ascii_text_fires_exactly_as_searching_every_pattern(taxonomy: Taxonomy, data: st.DataObject) -> None:
    words = [word for word in topic_words(taxonomy) if word.isascii()]
    text = data.draw(ascii_text(words + [key for rule in taxonomy_rules(taxonomy) for key in rule.leading]))
    searched = {rule for rule in taxonomy_rules(taxonomy) if rule.pattern.search(text)}
    assert taxonomy.rules.fired(text, fold_case(text)) == searched


def test_topic_evidence_on_a_real_shaped_article_is_unchanged(taxonomy: Taxonomy) -> None:
    doc = make_document("Russia fires 40 drones at Kyiv", [
        "Ukraine's air force said it shot down 35 of the 40 Shahed drones launched overnight.",
        "Power outages hit three regions after strikes on energy infrastructure, officials said.",
        "Foreign ministers will discuss sanctions on Russia's shadow fleet at the summit in Brussels.",
    ])
    for sentence in [doc.title, *doc.paragraphs]:
        searched = {rule for rule in taxonomy_rules(taxonomy) if rule.pattern.search(sentence)}
        assert searched, sentence
        assert taxonomy.rules.fired(sentence, fold_case(sentence)) == searched


# Letters that fold to another length ("ß" is "ss") or that ignoring case equates with others (Turkish dotted and
# dotless i, the long s, the Kelvin sign, final sigma), typographic punctuation, and characters outside the
# Basic Multilingual Plane (places in the text are counted in characters, not UTF-16 units).
AWKWARD_CASE = "İıſKßẞΣσς’“”—\u00a0😀𝔘"


@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_text_with_awkward_letters_fires_exactly_as_searching_every_pattern(taxonomy: Taxonomy,
                                                                            data: st.DataObject) -> None:
    words = topic_words(taxonomy) + [key for rule in taxonomy_rules(taxonomy) for key in rule.leading]
    word = st.sampled_from(words).flatmap(lambda w: st.sampled_from([w, w.upper(), w.replace("s", "ß"),
                                                                     w.replace("i", "İ"), w.replace("k", "K")]))
    glue = st.text(alphabet=AWKWARD_CASE + " -.,'", min_size=1, max_size=3)
    text = "".join(data.draw(st.lists(st.tuples(word, glue).map("".join), min_size=1, max_size=10)))
    searched = {rule for rule in taxonomy_rules(taxonomy) if rule.pattern.search(text)}
    assert taxonomy.rules.fired(text, fold_case(text)) == searched


@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_furniture_is_found_as_ignoring_case_finds_it(data: st.DataObject) -> None:
    words = ["Getty", "İmages", "ımage", "caption", "ſhare", "this", "Photo", "by", "K", "REUTERS", "/", "©",
             "read", "more", "(L)", "Correspondent", "reports", "left", ",", "Straße", "2", "hours", "ago"]
    sentence = " ".join(data.draw(st.lists(st.sampled_from(words), max_size=8)))
    assert _is_furniture(sentence) == (FURNITURE.search(sentence) is not None), sentence


@given(text=st.text(alphabet=st.sampled_from("a.!?:;\"')]’” \n\u00a0")))
def test_reading_the_end_decides_as_the_end_of_sentence_search(text: str) -> None:
    assert ends_like_sentence(text, ".!?:;") == bool(re.search(r"""[.!?:;]["'”’)\]]*\s*$""", text))
    assert ends_like_sentence(text, ".!?") == bool(re.search(r"""[.!?]["'”’)\]]*\s*$""", text))


def test_evidence_shared_by_sentences_without_signals_is_what_weighing_gives(taxonomy: Taxonomy) -> None:
    doc = make_document("Russia fires 40 drones at Kyiv", [
        "Ukraine's air force said it shot down 35 of the 40 Shahed drones launched overnight.",
        "Power outages hit three regions after strikes on energy infrastructure, officials said.",
        "Foreign ministers will discuss sanctions on Russia's shadow fleet at the summit in Brussels.",
        "The weather was mild in the capital.",
    ])
    sentences = document_sentences(doc, taxonomy)
    for decision in decide_topics(doc, taxonomy):
        assert decision.evidence == tuple(_weigh(sentence, decision.topic, taxonomy) for sentence in sentences)


def word_starts_one_by_one(text: str, wanted: frozenset[str]) -> dict[str, list[int]]:
    """_word_starts as it was: every word run found, folded and looked up on its own."""
    starts: dict[str, list[int]] = {}
    for match in re.finditer(r"\w+", text):
        if fold_case(match.group()) in wanted:
            starts.setdefault(fold_case(match.group()), []).append(match.start())
    return starts


def test_no_character_but_the_line_feed_folds_to_one() -> None:
    # _word_starts folds all the words at once, joined by line feeds, and cuts the result at line feeds.
    every_other = "".join(chr(code) for code in range(0x110000) if code != ord("\n"))
    assert "\n" not in fold_case(every_other)
    assert fold_case("\n") == "\n"


@settings(max_examples=300, deadline=None)
@given(text=st.text(alphabet=AWKWARD_CASE + "kyivKYIVus_- .'\n\u0345", max_size=60))
def test_words_folded_at_once_start_where_words_folded_one_by_one_do(text: str) -> None:
    # Letters folding longer ("ß"), a text opening or closing with a separator, a mark that is no word
    # character but folds to one (U+0345), and "" among the wanted words (an alias starting with punctuation).
    wanted = frozenset(fold_case(word) for word in re.findall(r"\w+", text)[::2]) | {"", "kyiv", "us", "ss"}
    assert _word_starts(text, wanted) == word_starts_one_by_one(text, wanted)


def split_by_slices(text: str) -> tuple[list[str], list[str]]:
    """sentence_units and split_sentences as they were: the last word and the quotations read from copies of
    the unit and the sentence so far, instead of from the paragraph in place."""
    text = " ".join(text.split())
    units, sentences, unit_start, sentence_start = [], [], 0, 0
    for match in re.finditer(r"""[.!?]+["'”’)\]]*\s+(?=["'“‘(\[]?[A-Z0-9])""", text):
        last = text[unit_start:match.start() + 1].rsplit(None, 1)
        last_word = last[-1].rstrip(".").lower() if last else ""
        if last_word in _ABBREVIATIONS or (len(last_word) == 1 and last_word.isalpha()):
            continue
        units.append(text[unit_start:match.end()].strip())
        unit_start = match.end()
        so_far, ahead = text[sentence_start:match.end()], text[match.end():match.end() + QUOTE_LOOKAHEAD]
        if ((so_far.count("“") > so_far.count("”") and "”" in ahead)
                or (so_far.count("“") <= so_far.count("”") and so_far.count('"') % 2 == 1 and '"' in ahead)):
            continue
        sentences.append(text[sentence_start:match.end()].strip())
        sentence_start = match.end()
    for pieces, start in ((units, unit_start), (sentences, sentence_start)):
        if text[start:].strip():
            pieces.append(text[start:].strip())
    return units, sentences


@settings(max_examples=500, deadline=None)
@given(words=st.lists(st.sampled_from(["Gen.", "U.S.", "Mr.", "A.", "he", "said.", "left!", "Why?", "“Go.", "now.”",
                                       '"Yes.', 'no."', "(It", "ended.)", "Kyiv", "2024.", " ", "\n", "x" * 290]),
                      max_size=25))
def test_sentences_are_cut_where_they_were_cut_from_copies(words: list[str]) -> None:
    # An abbreviation opening a later unit, a quotation opened in an earlier sentence, a closing quote just
    # inside or past the look-ahead: reading the paragraph in place must cut exactly as the copies did.
    text = " ".join(words)
    assert (sentence_units(text), split_sentences(text)) == split_by_slices(text)


def test_a_paragraph_without_double_quotes_has_its_units_as_sentences() -> None:
    # Only " and “ open a quotation that holds sentences together: single quotes, apostrophes and a stray
    # closing ” never do, so such a paragraph's sentences are its units, as cutting from copies finds.
    for text in ["‘Go.’ He left. It ended.” Then Kyiv said no.", "It's over. 'Yes.' Done! Why? Fine.",
                 "One. Two. Three."]:
        units, sentences = split_by_slices(text)
        assert units == sentences
        assert (sentence_units(text), split_sentences(text)) == (units, sentences)


def test_sparse_words_after_long_separators_start_where_they_stand() -> None:
    # _word_starts adds up the lengths of the pieces between wanted words only when it reaches one: words
    # far apart, behind runs of several separators, a text opening with a separator, letters folding longer.
    text = "—  Kyiv… (Straße) said:\n\n  “us”, then — after 3 long… pauses — KYIV’s ß-kyiv"
    wanted = frozenset({"kyiv", "us", "ss", "strasse", ""})
    assert _word_starts(text, wanted) == word_starts_one_by_one(text, wanted)
    assert _word_starts(text, wanted)["kyiv"] == [3, text.index("KYIV"), len(text) - 4]
