"""Pelican adapter: puts each briefing's related briefings into the template context."""

from __future__ import annotations

from typing import Any

from pelican import signals

from briefings.site_build import STORE_KEY

from .related import Profile, related_slugs_since

RELATED_LIMIT = 3
MEMORY = "related briefings"


def add_related_to_context(generator: Any) -> None:
    """context["briefing_related"][slug] = the related Pelican articles, best first. With an incremental build
    (plugins/briefing_incremental), only the lists a change can reach are computed again."""
    profiles = [
        Profile(slug=article.slug, entities=frozenset(tag.name for tag in article.metadata.get("tags", [])),
                topics=frozenset(article.metadata["topics"]))
        for article in generator.articles
    ]
    store = generator.context.get(STORE_KEY)
    related, memory = related_slugs_since(profiles, RELATED_LIMIT, store.recall(MEMORY) if store else None)
    if store:
        store.remember(MEMORY, memory)
    by_slug = {article.slug: article for article in generator.articles}
    generator.context["briefing_related"] = {slug: [by_slug[other] for other in others]
                                             for slug, others in related.items()}


def register() -> None:
    signals.article_generator_finalized.connect(add_related_to_context)
