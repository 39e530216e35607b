"""The cleaning stage: RawArticle -> CleanedDocument, whatever shape the capture has.

    from briefings.extract import clean
    doc = clean(raw)   # raises briefings.errors.ExtractionError(raw.source, ...)

Saved pages go through `extract_html` (trafilatura, judged against readability), copy-pasted page text
through the line classifier of `extract_text`, Markdown through `extract_markdown`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import timedelta
from importlib import import_module

from briefings.documents import CaptureKind, CleanedDocument, RawArticle
from briefings.errors import ExtractionError

FUTURE_TOLERANCE = timedelta(days=1)  # time zones and clock skew between the page and the curator
# Each kind's cleaner as (module, function), imported on first use: plain-text cleaning must not pay for
# trafilatura, lxml and readability (a quarter of a second of imports) that only saved pages need.
CLEANERS: dict[CaptureKind, tuple[str, str]] = {
    "html": ("briefings.extract_html", "clean_html"),
    "text": ("briefings.extract_text", "clean_text"),
    "markdown": ("briefings.extract_markdown", "clean_markdown"),
}


def clean(raw: RawArticle) -> CleanedDocument:
    """The article body and metadata of a capture; raises ExtractionError when it holds no article text."""
    where = CLEANERS.get(raw.kind)
    if where is None:
        raise ExtractionError(raw.source, f"unknown capture kind {raw.kind!r}")
    module, function = where
    cleaner: Callable[[RawArticle], CleanedDocument] = getattr(import_module(module), function)
    return without_future_date(cleaner(raw))


def without_future_date(document: CleanedDocument) -> CleanedDocument:
    """The document, dated by its file instead when the date it claims lies after its own capture."""
    # A page cannot be published after it was saved; such a date is a typo or injected metadata.
    if document.date_source == "capture" and document.published > document.captured + FUTURE_TOLERANCE:
        return replace(document, published=document.captured, date_source="file")
    return document
