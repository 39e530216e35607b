"""Shared pieces of the safety suite: the bad-input checker as a module, the fixture corpus, the renderer."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

REPO = Path(__file__).resolve().parents[2]
HOSTILE = REPO / "tests" / "fixtures" / "hostile"


def load_checker() -> ModuleType:
    """scripts/bench/bad_input.py, imported by path (scripts/bench is a folder of scripts, not a package)."""
    spec = importlib.util.spec_from_file_location("bad_input", REPO / "scripts" / "bench" / "bad_input.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["bad_input"] = module  # dataclasses look their module up while the class is created
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def checker() -> ModuleType:
    return load_checker()


@pytest.fixture(scope="session")
def hostile_corpus() -> Path:
    return HOSTILE
