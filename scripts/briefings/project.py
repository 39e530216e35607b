"""Where the project's own files are: the settings file, theme and plugins beside this package."""

from __future__ import annotations

from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]
SETTINGS_NAME = "pelican.conf.py"


def settings_file() -> Path:
    """pelican.conf.py of the current folder when there is one, else the project's own."""
    local = Path.cwd() / SETTINGS_NAME
    return local if local.is_file() else PROJECT_ROOT / SETTINGS_NAME
