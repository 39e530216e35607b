"""The reference build: vanilla Pelican over the same briefing Markdown.

Default theme (notmyidea), no plugins, Pelican's own Markdown reader (the `markdown` package, Python-Markdown):
Pelican reads the briefings' `Key: value` header as metadata. Only what a site must have is set (name, URL,
time zone, paths); slugs come from the file names as in our build, so both sites have the same pages. Its
default feeds, tag, category and author pages stay on: that is what a vanilla Pelican site costs.
"""

from __future__ import annotations

from pathlib import Path

SETTINGS = '''\
# Written by scripts/bench/vanilla_pelican.py: vanilla Pelican, default theme, no plugins.
PATH = {content!r}
OUTPUT_PATH = {output!r}
SITENAME = "Briefings (vanilla Pelican)"
SITEURL = "https://briefings.example.org"
TIMEZONE = "UTC"
DEFAULT_LANG = "en"
SLUGIFY_SOURCE = "basename"
PLUGINS = []
DELETE_OUTPUT_DIRECTORY = True
'''


def write_settings(folder: Path, content: Path, output: Path) -> Path:
    """A Pelican settings file for a vanilla build of content into output; returns its path."""
    folder.mkdir(parents=True, exist_ok=True)
    settings = folder / "vanilla.conf.py"
    settings.write_text(SETTINGS.format(content=str(content.resolve()), output=str(output.resolve())),
                        encoding="utf-8")
    return settings


def command(python: str, settings: Path) -> list[str]:
    """The command line of a vanilla build (warnings are not fatal: it is not our site)."""
    return [python, "-m", "pelican", "--settings", str(settings)]


def check_markdown_installed() -> None:
    """Raises SystemExit naming the missing package: Pelican skips every .md file without it."""
    try:
        import markdown  # noqa: F401
    except ImportError:
        raise SystemExit("vanilla Pelican needs the `markdown` package: "
                         ".venv/bin/python -m pip install markdown==3.11.3") from None
