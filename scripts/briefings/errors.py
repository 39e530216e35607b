"""One exception per pipeline stage, sharing one base that names the file."""

from __future__ import annotations

from pathlib import Path

from briefings.names import printable_path


class PipelineError(Exception):
    """A file could not go through the pipeline; the message names it."""

    reason = "failed"  # a short machine-readable word for reports

    def __init__(self, source: Path, problem: str) -> None:
        super().__init__(f"{printable_path(source)}: {problem}")
        self.source = source
        self.problem = problem


class RejectedInput(PipelineError):
    """The raw capture is refused before extraction (empty, binary, too large)."""

    def __init__(self, source: Path, reason: str, problem: str) -> None:
        super().__init__(source, problem)
        self.reason = reason  # one of: empty, binary, too-large, unreadable


class ExtractionError(PipelineError):
    """The raw capture has no usable article text."""

    reason = "no-article-text"


class BriefingWriteError(PipelineError):
    """The briefing could not be written."""

    reason = "unwritable"
