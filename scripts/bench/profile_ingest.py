"""Where ingest's CPU goes, per capture and per stage, in one process (no pool, no profiler overhead).

Runs each stage of `briefings.prepare.prepare` and of writing a briefing over every capture of a folder, in
the order ingest runs them, and prints the CPU milliseconds per capture of each stage, plus the import and
rule-loading costs paid once per process. cProfile inflates small functions; this times stages as they run.

    python scripts/bench/profile_ingest.py FOLDER [--taxonomy content/taxonomy]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

REPO = Path(__file__).resolve().parents[2]
T = TypeVar("T")


class Stopwatch:
    """CPU seconds spent per stage."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = defaultdict(float)

    def run(self, stage: str, work: Callable[[], T]) -> T:
        start = time.process_time()
        result = work()
        self.seconds[stage] += time.process_time() - start
        return result


def main() -> int:
    parser = argparse.ArgumentParser(description="CPU per capture of each ingest stage, in one process")
    parser.add_argument("folder", type=Path)
    parser.add_argument("--taxonomy", type=Path, default=REPO / "content" / "taxonomy")
    arguments = parser.parse_args()
    once, stages = Stopwatch(), Stopwatch()
    once.run("import the ingest modules", lambda: __import__("briefings.ingest"))  # what ingest imports
    from briefings import prepare, write_briefing
    from briefings.documents import Briefing, Tagging
    from briefings.duplicates import DuplicateIndex, encode_signature, signature
    from briefings.entities import find_entities
    from briefings.extract import clean
    from briefings.read_raw import read_raw
    from briefings.summarize import digest
    from briefings.tag_topics import decide_topics

    files = prepare.TaggingFiles(topics=arguments.taxonomy / "topics.toml",
                                 entities=arguments.taxonomy / "entities.toml")
    taxonomy, gazetteer = once.run("load taxonomy and gazetteer", lambda: prepare.load_tagging_rules(files))
    captures = sorted(path for path in arguments.folder.iterdir() if path.is_file())
    index = DuplicateIndex()
    with tempfile.TemporaryDirectory() as scratch:
        for number, path in enumerate(captures):
            raw = stages.run("read", lambda: read_raw(path))
            document = stages.run("clean (extract*.py)", lambda: clean(raw))
            decisions = stages.run("topics", lambda: decide_topics(document, taxonomy))
            entities = stages.run("entities", lambda: find_entities(document, gazetteer))
            summary = stages.run("summary and key points", lambda: digest(document))
            body = stages.run("render body", lambda: write_briefing.render_body(document.blocks))
            signed = stages.run("duplicate signature", lambda: encode_signature(signature(body)))
            stages.run("duplicates: find + add (main)", lambda: index.find(signed))
            stages.run("duplicates: find + add (main)", lambda: index.add(str(number), path.name, signed))
            topics = tuple(sorted(decision.topic.id for decision in decisions if decision.applies))
            briefing = Briefing(document=document, slug=str(number), uid="u", raw_path=path.name,
                                tagging=Tagging(topics=topics, entities=entities), digest=summary)
            text = stages.run("header + fingerprint (main)", lambda: write_briefing.signed_briefing(briefing, body))
            stages.run("write (atomic, fsync; main)", lambda: write_briefing.write_atomically(
                Path(scratch) / f"{number}.md", text))
    for stage, seconds in once.seconds.items():
        print(f"{stage:40s} {seconds * 1000:8.1f} ms once")
    for stage, seconds in stages.seconds.items():
        print(f"{stage:40s} {seconds * 1000 / len(captures):8.2f} ms per capture")
    total = sum(stages.seconds.values()) * 1000 / len(captures)
    print(f"{'total per capture':40s} {total:8.2f} ms ({len(captures)} captures)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
