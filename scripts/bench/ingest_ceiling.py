"""How fast ingest could be if a stage cost nothing: the ceiling each stage puts on the ingest goal of issue 7.

Times, in one process and side by side (alternating, median of --repeat runs, imports and start-up excluded):
- ingest: `briefings ingest --jobs N` over the folder, as curators run it;
- ingest with cleaning free: the same, with every capture's cleaned document computed beforehand (clean() answers
  from a table), so what is left is reading, tagging, entities, summary, signature, the process pool and writing;
- ingest with tagging free: every capture's topics and entities, digest and duplicate signature computed beforehand,
  so what is left is reading, cleaning, rendering the body, the process pool and writing;
- ingest with all of prepare free: every capture's outcome computed beforehand, so what is left is the pool, the
  main process's bookkeeping and writing the briefings;
- trafilatura.extract alone over the same captures, in this process (as trafilatura_alone.py does).

The workers are forked from this process, so they find the tables (module globals) without pickling them; the
process pool pickles the stand-in functions by name, so they live at module level too.

    python scripts/bench/ingest_ceiling.py FOLDER [--jobs 2] [--repeat 3]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from types import ModuleType
from typing import Any

import trafilatura

from briefings import cli, ingest, prepare
from briefings.documents import CleanedDocument, Digest, RawArticle, Tagging
from briefings.duplicates import encode_signature, signature
from briefings.extract import clean
from briefings.read_raw import read_raw
from briefings.summarize import digest
from briefings.tag_topics import tag_document
from briefings.write_briefing import render_body

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synthetic import as_html  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
CLEANED: dict[str, CleanedDocument] = {}        # by the capture's sha256
OUTCOMES: dict[Path, prepare.Outcome] = {}      # by the capture's path
TAGGINGS: dict[str, Tagging] = {}               # by the capture's sha256
DIGESTS: dict[str, Digest] = {}                 # by the capture's sha256
SIGNATURES: dict[str, str] = {}                 # encoded, by the rendered body


def cleaned_beforehand(raw: RawArticle) -> CleanedDocument:
    """Stands in for prepare.clean."""
    return CLEANED[raw.sha256]


def tagged_beforehand(document: CleanedDocument, *rules: object) -> Tagging:
    """Stands in for prepare.tag_document."""
    return TAGGINGS[document.sha256]


def digested_beforehand(document: CleanedDocument) -> Digest:
    """Stands in for prepare.digest."""
    return DIGESTS[document.sha256]


def signed_beforehand(body: str) -> str:
    """Stands in for prepare.signature; prepare.encode_signature then passes its answer through (`as_it_is`)."""
    return SIGNATURES[body]


def as_it_is(value: str) -> str:
    return value


def prepared_beforehand(path: Path, files: prepare.TaggingFiles,
                        known_sha256: frozenset[str] = frozenset()) -> prepare.Outcome:
    """Stands in for ingest.prepare."""
    return OUTCOMES[path]


@contextmanager
def standing_in(module: ModuleType, name: str, stand_in: Any) -> Iterator[None]:
    """The module's global `name` is `stand_in` for the block (the modules look their globals up at each call)."""
    real = getattr(module, name)
    setattr(module, name, stand_in)
    try:
        yield
    finally:
        setattr(module, name, real)


def timed(work: Callable[[], object]) -> float:
    start = time.perf_counter()
    work()
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description="ingest throughput with a stage made free, beside trafilatura")
    parser.add_argument("folder", type=Path)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=3)
    arguments = parser.parse_args()
    captures = sorted(path for path in arguments.folder.iterdir() if path.is_file())
    files = prepare.TaggingFiles(topics=REPO / "content" / "taxonomy" / "topics.toml",
                                 entities=REPO / "content" / "taxonomy" / "entities.toml")
    taxonomy, gazetteer = prepare.load_tagging_rules(files)
    for path in captures:
        raw = read_raw(path)
        document = CLEANED[raw.sha256] = clean(raw)
        TAGGINGS[raw.sha256] = tag_document(document, taxonomy, gazetteer)
        DIGESTS[raw.sha256] = digest(document)
        body = render_body(document.blocks)
        SIGNATURES[body] = encode_signature(signature(body))
        OUTCOMES[path] = prepare.prepare(path, files)

    def run_ingest(briefings: Path) -> None:
        command = ["ingest", str(arguments.folder), "--briefings", str(briefings), "--jobs", str(arguments.jobs),
                   "--taxonomy", str(REPO / "content" / "taxonomy")]
        if cli.main(command) != 0:
            raise SystemExit(f"ingest into {briefings} failed")

    stand_ins: dict[str, list[tuple[ModuleType, str, Any]]] = {
        "nothing": [],
        "cleaning": [(prepare, "clean", cleaned_beforehand)],
        "tagging": [(prepare, "tag_document", tagged_beforehand), (prepare, "digest", digested_beforehand),
                    (prepare, "signature", signed_beforehand), (prepare, "encode_signature", as_it_is)],
        "prepare": [(ingest, "prepare", prepared_beforehand)],
    }

    def with_free(stage: str, briefings: Path) -> None:
        with ExitStack() as stack:
            for module, name, stand_in in stand_ins[stage]:
                stack.enter_context(standing_in(module, name, stand_in))
            run_ingest(briefings)

    def trafilatura_alone() -> None:
        for path in captures:
            trafilatura.extract(as_html(path.name, path.read_text(encoding="utf-8")))

    seconds: dict[str, list[float]] = {"ingest": [], "cleaning free": [], "tagging free": [], "prepare free": [],
                                       "trafilatura": []}
    with tempfile.TemporaryDirectory(prefix="ingest-ceiling-") as scratch:
        for turn in range(arguments.repeat):
            # A fresh folder for every run: see scale.py's measure_ingest on deleting many files.
            seconds["ingest"].append(timed(lambda: with_free("nothing", Path(scratch) / f"a{turn}")))
            seconds["cleaning free"].append(timed(lambda: with_free("cleaning", Path(scratch) / f"b{turn}")))
            seconds["tagging free"].append(timed(lambda: with_free("tagging", Path(scratch) / f"d{turn}")))
            seconds["prepare free"].append(timed(lambda: with_free("prepare", Path(scratch) / f"c{turn}")))
            seconds["trafilatura"].append(timed(trafilatura_alone))
    reference = statistics.median(seconds["trafilatura"])
    print(f"{len(captures):,} captures, ingest --jobs {arguments.jobs}, median of {arguments.repeat}")
    for name, runs in seconds.items():
        median = statistics.median(runs)
        print(f"{name:<15} {median:6.2f} s  {len(captures) / median:7.1f} captures/s  "
              f"{reference / median:5.2f}x trafilatura")
    return 0


if __name__ == "__main__":
    sys.exit(main())
