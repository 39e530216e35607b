"""A synthetic archive written straight as briefing files, skipping cleaning and tagging (for bench-search).

At 20,000 briefings an ingest takes many minutes; the search benchmark needs the briefings' shape, not our
tagger's judgement. Each synthetic capture (synthetic.make_capture) becomes a Briefing with the capture's
title, date and paragraphs, entities of the project's gazetteer whose names appear in the text, zero to two
topics drawn by the capture's seeded generator, a summary of the lead sentences (at most 60 words) and three to
five key points, and is written with the project's own briefing writer, so the files are in the real format.
"""

from __future__ import annotations

import hashlib
import random
import re
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import synthetic
from briefings.documents import Block, Briefing, CleanedDocument, Digest, Entity, Tagging
from briefings.ingest import make_uid
from briefings.names import make_slug
from briefings.write_briefing import render_briefing

SUMMARY_WORDS = 60
ENTITY_KINDS = {"people": "person", "organisations": "organisation", "places": "place", "weapons": "weapon"}


@dataclass(frozen=True, slots=True)
class Vocabulary:
    topics: tuple[str, ...]
    entities: tuple[tuple[re.Pattern[str], Entity], ...]


def load_vocabulary(taxonomy: Path) -> Vocabulary:
    """Topic ids and entity names (with a whole-word pattern each) of a taxonomy folder."""
    topics = tomllib.loads((taxonomy / "topics.toml").read_text(encoding="utf-8"))
    entities = tomllib.loads((taxonomy / "entities.toml").read_text(encoding="utf-8"))
    found = []
    for table, kind in ENTITY_KINDS.items():
        for entry in entities.get(table, []):
            names = [entry["name"], *entry.get("aliases", [])]
            pattern = re.compile(r"\b(?:" + "|".join(re.escape(name) for name in names) + r")\b")
            found.append((pattern, Entity(name=entry["name"], kind=kind)))
    return Vocabulary(topics=tuple(topic["id"] for topic in topics["topic"]), entities=tuple(found))


def briefing_for(index: int, capture: synthetic.Capture, vocabulary: Vocabulary, slugs: set[str]) -> Briefing:
    """The briefing of capture number index; slugs already taken get a suffix, like ingest does."""
    rng = random.Random(f"direct:{index}")
    sha256 = hashlib.sha256(capture.text.encode("utf-8")).hexdigest()
    text = "\n".join(capture.paragraphs)
    sentences = [s for p in capture.paragraphs for s in synthetic.split_sentences(p)]
    topics = tuple(sorted(rng.sample(vocabulary.topics, k=rng.choice((0, 0, 1, 1, 1, 2)))))
    entities = tuple(sorted((entity for pattern, entity in vocabulary.entities if pattern.search(text)),
                            key=lambda entity: entity.name))
    slug = make_slug(capture.title, fallback=sha256[:12])
    if slug in slugs:
        slug = f"{slug[:70]}-{sha256[:8]}"
    slugs.add(slug)
    document = CleanedDocument(
        source=Path(capture.name), sha256=sha256, title=capture.title,
        blocks=tuple(Block(kind="paragraph", text=paragraph) for paragraph in capture.paragraphs),
        published=capture.published, date_source="capture",
        captured=capture.published + timedelta(hours=5), url=f"https://example.org/{slug}",
        site_name="synthetic.example.org", section="World", language="en")
    return Briefing(document=document, slug=slug, uid=make_uid(sha256), raw_path=f"content/raw/{capture.name}",
                    tagging=Tagging(topics=topics, entities=entities),
                    digest=Digest(summary=summary(sentences), key_points=key_points(rng, sentences)))


def summary(sentences: Sequence[str]) -> str:
    """The lead sentences, whole, up to SUMMARY_WORDS words (the first sentence at least)."""
    chosen: list[str] = []
    for sentence in sentences:
        if chosen and sum(len(s.split()) for s in chosen) + len(sentence.split()) > SUMMARY_WORDS:
            break
        chosen.append(sentence)
    return " ".join(chosen)


def key_points(rng: random.Random, sentences: Sequence[str]) -> tuple[str, ...]:
    candidates = [s for s in sentences[1:] if 8 <= len(s.split()) <= 40]
    return tuple(rng.sample(candidates, k=min(len(candidates), rng.randint(3, 5))))


def write_archive(count: int, briefings: Path, taxonomy: Path) -> int:
    """Write `count` briefings into the folder; returns how many were written."""
    vocabulary = load_vocabulary(taxonomy)
    briefings.mkdir(parents=True, exist_ok=True)
    slugs: set[str] = set()
    for index, capture in enumerate(synthetic.captures(count)):
        briefing = briefing_for(index, capture, vocabulary, slugs)
        (briefings / f"{briefing.slug}.md").write_text(render_briefing(briefing), encoding="utf-8")
    return count
