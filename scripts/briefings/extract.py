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

from briefings.documents import CaptureKind, CleanedDocument, RawArticle
from briefings.errors import ExtractionError
from briefings.extract_html import clean_html
from briefings.extract_markdown import clean_markdown
from briefings.extract_text import clean_text

FUTURE_TOLERANCE = timedelta(days=1)  # time zones and clock skew between the page and the curator
CLEANERS: dict[CaptureKind, Callable[[RawArticle], CleanedDocument]] = {
    "html": clean_html,
    "text": clean_text,
    "markdown": clean_markdown,
}


def clean(raw: RawArticle) -> CleanedDocument:
    """The article body and metadata of a capture; raises ExtractionError when it holds no article text."""
    cleaner = CLEANERS.get(raw.kind)
    if cleaner is None:
        raise ExtractionError(raw.source, f"unknown capture kind {raw.kind!r}")
    return without_future_date(cleaner(raw))


def without_future_date(document: CleanedDocument) -> CleanedDocument:
    """The document, dated by its file instead when the date it claims lies after its own capture."""
    # A page cannot be published after it was saved; such a date is a typo or injected metadata.
    if document.date_source == "capture" and document.published > document.captured + FUTURE_TOLERANCE:
        return replace(document, published=document.captured, date_source="file")
    return document
