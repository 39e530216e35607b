"""One raw capture -> a prepared briefing (cleaned, tagged, digested, its body rendered and signed) or the
reason it was refused.

This is the unit of work handed to worker processes by `ingest`: a plain function of a path and settings
that are loaded once per process, returning picklable values, so any `concurrent.futures` executor
(a process pool here, a cluster's executor elsewhere) can run it. Everything that does not depend on the
rest of the archive happens here, so the one process that writes briefings only adds their headers.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

from briefings.documents import CleanedDocument, Digest, Tagging
from briefings.duplicates import encode_signature, signature
from briefings.entities import Gazetteer, load_gazetteer
from briefings.errors import PipelineError
from briefings.extract import clean
from briefings.read_raw import read_raw
from briefings.summarize import digest
from briefings.tag_topics import tag_document
from briefings.taxonomy import Taxonomy, load_taxonomy
from briefings.write_briefing import render_body


@dataclass(frozen=True, slots=True)
class Prepared:
    document: CleanedDocument   # its metadata, for the header; blocks=(): they are in `body` already
    tagging: Tagging
    digest: Digest
    body: str         # the briefing's body: render_body of the cleaned document's blocks
    signature: str    # encode_signature of the body's duplicate-detection signature, "" for a body without words


@dataclass(frozen=True, slots=True)
class Refused:
    source: Path
    reason: str       # empty, binary, too-large, no-article-text, unreadable
    message: str      # one line naming the file


@dataclass(frozen=True, slots=True)
class AlreadyKnown:
    """The capture's bytes already have a briefing: nothing to extract."""

    source: Path
    sha256: str


Outcome = Prepared | Refused | AlreadyKnown


@dataclass(frozen=True, slots=True)
class TaggingFiles:
    topics: Path
    entities: Path


@lru_cache(maxsize=4)
def load_tagging_rules(files: TaggingFiles) -> tuple[Taxonomy, Gazetteer]:
    """The taxonomy and gazetteer, parsed once per process."""
    return load_taxonomy(files.topics), load_gazetteer(files.entities)


def prepare(path: Path, files: TaggingFiles, known_sha256: frozenset[str] = frozenset()) -> Outcome:
    """Read, clean, tag, digest and render one capture; never raises for a bad capture, returns Refused instead."""
    try:
        raw = read_raw(path)
        if raw.sha256 in known_sha256:
            return AlreadyKnown(source=path, sha256=raw.sha256)
        document = clean(raw)
        taxonomy, gazetteer = load_tagging_rules(files)
        body = render_body(document.blocks)
        # The blocks are rendered into the body: sending them back to the writing process too would double
        # what each capture pickles between processes.
        return Prepared(document=replace(document, blocks=()), tagging=tag_document(document, taxonomy, gazetteer),
                        digest=digest(document), body=body, signature=encode_signature(signature(body)))
    except PipelineError as error:
        return Refused(source=path, reason=error.reason, message=str(error))
    except OSError as error:
        return Refused(source=path, reason="unreadable", message=str(PipelineError(path, f"unreadable: {error.strerror}")))
