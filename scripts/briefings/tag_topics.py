"""CleanedDocument + Taxonomy + Gazetteer -> Tagging: the briefing's topics and entities.

How a topic is decided (the curator tunes the numbers in content/taxonomy/topics.toml):

1. The article is cut into sentences, each standing in the title, the lead (first few body sentences) or
   the body. Captions, credits, link debris and headline-like lines are never evidence.
2. A sentence naming another theatre (Korea, Taiwan, Gaza...) and not the war is out of scope: its evidence
   is void; naming both, it counts at a reduced weight. A sentence matching one of the topic's exclusions
   is void too.
3. Each remaining sentence scores the sum of the weights of the signals it holds (each signal once, capped
   per sentence, nothing below a floor), times the weight of where it stands.
4. A topic applies when the score reaches its threshold, enough distinct sentences carry evidence (a passing
   mention is one sentence), they cover enough of the article, and one stretch of consecutive sentences
   holds enough of it (a developed thread). An article that is not about the war (never names Russia's
   side, or names other theatres more than the war) gets no topic.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from briefings.documents import CleanedDocument, Tagging
from briefings.entities import Gazetteer, find_entities
from briefings.summarize import ends_like_sentence, sentence_units
from briefings.taxonomy import Exclusion, Rule, Scope, Taxonomy, Topic, fold_case


HEADLINE_MAX_WORDS = 25


@dataclass(frozen=True, slots=True)
class Sentence:
    text: str
    position: str       # title, lead or body
    in_scope: bool      # False when it names another theatre and not the war
    names_war: bool     # holds a scope term
    mixed: bool         # names both the war and another theatre
    ignored_as: str     # the ignore rule it matched (a caption, a credit), "" if none
    fired: frozenset[Rule]   # every rule of the taxonomy whose pattern occurs in the text


@dataclass(frozen=True, slots=True)
class SentenceEvidence:
    sentence: Sentence
    signals: tuple[tuple[str, float], ...]   # (label, weight) of every signal that fired
    excluded_by: str                          # the exclusion or scope rule that voided it, "" if none
    score: float                              # weighted contribution, 0 when voided


@dataclass(frozen=True, slots=True)
class TopicDecision:
    topic: Topic
    evidence: tuple[SentenceEvidence, ...]
    score: float
    sentences: int
    coverage: float
    best_window: float   # the most evidence in any `window_sentences` consecutive body sentences
    article_in_scope: bool

    @property
    def applies(self) -> bool:
        """Whether the topic applies: in scope and every criterion of the topic met."""
        return (self.article_in_scope and self.score >= self.topic.threshold
                and self.sentences >= self.topic.min_sentences and self.coverage >= self.topic.min_coverage
                and self.best_window >= self.topic.min_window)


def tag_document(doc: CleanedDocument, taxonomy: Taxonomy, gazetteer: Gazetteer) -> Tagging:
    """The document's topics (sorted ids) and entities (sorted by name)."""
    decisions = decide_topics(doc, taxonomy)
    topics = tuple(sorted(d.topic.id for d in decisions if d.applies))
    return Tagging(topics=topics, entities=find_entities(doc, gazetteer))


def explain_document(doc: CleanedDocument, taxonomy: Taxonomy, gazetteer: Gazetteer) -> dict[str, Any]:
    """Why each topic applied or not, JSON-ready, keyed by topic id: the article's scope verdict, every
    signal that fired with its sentence, position and weight, the exclusions that voided evidence, and
    the score, sentence count, coverage and best window against their thresholds.

    `gazetteer` is accepted so the signature matches tag_document; entities need no explanation."""
    del gazetteer
    sentences = document_sentences(doc, taxonomy)
    scope = {
        "in_scope": article_in_scope(sentences, taxonomy.scope),
        "war_sentences": sum(s.names_war for s in sentences),
        "min_war_sentences": taxonomy.scope.min_article_hits,
        "other_theatre_sentences": sum(not s.in_scope or s.mixed for s in sentences),
        "outside_ratio": taxonomy.scope.outside_ratio,
    }
    return {d.topic.id: {"scope": scope, **_explain_decision(d)} for d in _decide(sentences, taxonomy)}


def _explain_decision(decision: TopicDecision) -> dict[str, Any]:
    topic = decision.topic
    fired = [
        {"position": ev.sentence.position, "sentence": ev.sentence.text,
         "signals": [{"signal": label, "weight": weight} for label, weight in ev.signals],
         "score": round(ev.score, 3)}
        for ev in decision.evidence if ev.signals and not ev.excluded_by
    ]
    excluded = [
        {"position": ev.sentence.position, "sentence": ev.sentence.text, "excluded_by": ev.excluded_by,
         "signals": [label for label, _ in ev.signals]}
        for ev in decision.evidence if ev.excluded_by and ev.signals
    ]
    return {
        "applies": decision.applies,
        "score": round(decision.score, 3), "threshold": topic.threshold,
        "sentences": decision.sentences, "min_sentences": topic.min_sentences,
        "coverage": round(decision.coverage, 3), "min_coverage": topic.min_coverage,
        "best_window": round(decision.best_window, 3), "min_window": topic.min_window,
        "fired": fired, "exclusions": excluded,
    }


def decide_topics(doc: CleanedDocument, taxonomy: Taxonomy) -> list[TopicDecision]:
    """One decision per topic, in taxonomy order."""
    return _decide(document_sentences(doc, taxonomy), taxonomy)


def _decide(sentences: list[Sentence], taxonomy: Taxonomy) -> list[TopicDecision]:
    """decide_topics for the document's sentences (document_sentences)."""
    in_scope = article_in_scope(sentences, taxonomy.scope)
    text_sentences = max(1, sum(s.position != "title" for s in sentences))
    # Most sentences hold none of a topic's signals: their evidence weighs nothing whatever the topic, so it
    # is built once per sentence and shared instead of weighed again for every topic.
    no_evidence = [SentenceEvidence(sentence=sentence, signals=(), excluded_by="", score=0.0) for sentence in sentences]
    decisions = []
    for topic in taxonomy.topics:
        signals = topic.signal_set
        evidence = tuple(_weigh(sentence, topic, taxonomy) if not signals.isdisjoint(sentence.fired) else empty
                         for sentence, empty in zip(sentences, no_evidence))
        counted = [ev for ev in evidence if ev.score > 0]
        body_counted = sum(ev.sentence.position != "title" for ev in counted)
        decisions.append(TopicDecision(
            topic=topic, evidence=evidence, score=sum((ev.score for ev in counted), 0.0), sentences=len(counted),
            coverage=body_counted / text_sentences,
            # Without evidence every window weighs 0.0: there is nothing to add up.
            best_window=_best_window(evidence, taxonomy.window_sentences) if counted else 0.0,
            article_in_scope=in_scope,
        ))
    return decisions


def _best_window(evidence: tuple[SentenceEvidence, ...], size: int) -> float:
    """The highest evidence score of `size` consecutive body sentences: a developed thread, not scattered mentions."""
    scores = [ev.score for ev in evidence if ev.sentence.position != "title"]
    if not scores:
        return 0.0
    return max(sum(scores[start:start + size]) for start in range(max(1, len(scores) - size + 1)))


def article_in_scope(sentences: list[Sentence], scope: Scope) -> bool:
    """Whether the article is about the war: it names it often enough, and more often than other theatres."""
    war = sum(s.names_war for s in sentences)
    elsewhere = sum(not s.in_scope or s.mixed for s in sentences)
    names_russia = not scope.must_name or any(not s.fired.isdisjoint(scope.must_name_set) for s in sentences)
    return names_russia and war >= scope.min_article_hits and war >= elsewhere * scope.outside_ratio


def document_sentences(doc: CleanedDocument, taxonomy: Taxonomy) -> list[Sentence]:
    """The title, then every body sentence in reading order, each with where it stands and its scope."""
    sentences = [_sentence(doc.title, "title", taxonomy, link_like=False)]
    seen_text = 0
    for block in doc.blocks:
        # A paragraph that does not end like a sentence is a headline or a link left in the page ("EU
        # Sanctions on Russia Stalled..." under "Related posts"): it is not reporting.
        link_like = (taxonomy.ignore_unpunctuated and block.kind == "paragraph"
                     and not ends_like_sentence(block.text, ".!?:;") and len(block.text.split()) <= HEADLINE_MAX_WORDS)
        for text in sentence_units(block.text):
            # Headings are signposts, not reporting: they stand with the body, never the lead.
            position = "lead" if block.kind != "heading" and seen_text < taxonomy.lead_sentences else "body"
            if block.kind != "heading" and not link_like:
                seen_text += 1
            sentences.append(_sentence(text, position, taxonomy, link_like))
    return sentences


_LINK_LIKE = "a line without final punctuation (headline or link)"


def _sentence(text: str, position: str, taxonomy: Taxonomy, link_like: bool) -> Sentence:
    """The sentence with its scope and the rules that fire in it; `link_like`: it stands in a paragraph that
    reads as a headline or link, ignored unless an ignore rule already names why."""
    fired = taxonomy.rules.fired(text, fold_case(text))
    if not fired:   # most sentences: no scope term, no other theatre, no ignore rule
        return Sentence(text=text, position=position, in_scope=True, names_war=False, mixed=False,
                        ignored_as=_LINK_LIKE if link_like else "", fired=fired)
    scope = taxonomy.scope
    names_war = not fired.isdisjoint(scope.term_set)
    outside = [rule for rule in scope.outside if rule in fired]
    # Some stories use the war's names without being about it (the 2019 Trump-Zelensky call).
    if any(rule.dominates for rule in outside):
        names_war = False
    elsewhere = bool(outside)
    ignored_as = _first_label(fired, taxonomy.ignored) or (_LINK_LIKE if link_like else "")
    return Sentence(text=text, position=position, in_scope=names_war or not elsewhere, names_war=names_war,
                    mixed=names_war and elsewhere, ignored_as=ignored_as, fired=fired)


def _weigh(sentence: Sentence, topic: Topic, taxonomy: Taxonomy) -> SentenceEvidence:
    fired = sentence.fired
    signals = tuple((s.label, s.weight) for s in topic.signals if s in fired) if fired else ()
    excluded_by = ""
    if signals and sentence.ignored_as:
        excluded_by = "not reporting (caption, credit or link): " + sentence.ignored_as
    elif signals and not sentence.in_scope:
        excluded_by = "outside the war's scope: " + _first_label(fired, taxonomy.scope.outside)
    elif signals:
        excluded_by = _first_label(fired, topic.exclusions)
    raw = min(topic.sentence_cap, sum(weight for _, weight in signals))
    if raw < topic.sentence_floor:
        raw = 0.0
    # A sentence naming the war and another theatre ("Iran nuclear talks, where Russia sits") is half news.
    context = taxonomy.scope.mixed_weight if sentence.mixed else 1.0
    score = 0.0 if excluded_by else raw * taxonomy.position_weights[sentence.position] * context
    return SentenceEvidence(sentence=sentence, signals=signals, excluded_by=excluded_by, score=score)


def _first_label(fired: frozenset[Rule], rules: Iterable[Exclusion]) -> str:
    """Why the first of `rules` among the `fired` ones voids a sentence (its reason, else its pattern); ""
    when none fired."""
    for rule in rules:
        if rule in fired:
            return rule.reason or rule.label
    return ""
