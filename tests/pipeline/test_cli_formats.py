"""The command line lists the extract formats without importing the cleaning code; they must be the real ones."""

from __future__ import annotations

from briefings.cli import EXTRACT_FORMATS
from briefings.to_formats import FORMATS


def test_extract_formats_offered_are_the_formats_written() -> None:
    assert sorted(EXTRACT_FORMATS) == sorted(FORMATS)
