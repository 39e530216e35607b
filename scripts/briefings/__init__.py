"""Briefings: raw article captures in, a tagged Markdown briefing archive out."""

__version__ = "0.1.0"
