"""Pelican adapter: puts each briefing's related briefings into the template context."""

from __future__ import annotations

from typing import Any

from pelican import signals

from .related import Profile, related_slugs

RELATED_LIMIT = 3


def add_related_to_context(generator: Any) -> None:
    """context["briefing_related"][slug] = the related Pelican articles, best first."""
    profiles = [
        Profile(slug=article.slug, entities=frozenset(tag.name for tag in article.metadata.get("tags", [])),
                topics=frozenset(article.metadata["topics"]))
        for article in generator.articles
    ]
    by_slug = {article.slug: article for article in generator.articles}
    generator.context["briefing_related"] = {
        slug: [by_slug[other] for other in others]
        for slug, others in related_slugs(profiles, RELATED_LIMIT).items()
    }


def register() -> None:
    signals.article_generator_finalized.connect(add_related_to_context)
