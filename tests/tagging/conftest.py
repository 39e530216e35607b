"""Shared fixtures: the project's own taxonomy and gazetteer (content/taxonomy/)."""

from __future__ import annotations

import pytest

from briefings.entities import Gazetteer, load_gazetteer
from briefings.taxonomy import Taxonomy, load_taxonomy

from tagging_documents import REPO


@pytest.fixture(scope="session")
def taxonomy() -> Taxonomy:
    return load_taxonomy(REPO / "content" / "taxonomy" / "topics.toml")


@pytest.fixture(scope="session")
def gazetteer() -> Gazetteer:
    return load_gazetteer(REPO / "content" / "taxonomy" / "entities.toml")
