"""Pelican adapter: topic names for every template, one page per topic, and the topics index page."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from pelican import signals

from .neighbours import topic_neighbours
from .overview import BriefingFacts, topic_overview
from .settings import TopicsSettings
from .taxonomy import SiteTopic, TopicsError, load_site_topics

TOPIC_SAVE_AS = "topics/{id}.html"
TOPICS_SAVE_AS = "topics.html"


def topic_listing(topics: tuple[SiteTopic, ...], articles: list[Any]) -> list[tuple[SiteTopic, list[Any]]]:
    """Each topic with its briefings in the order given; raises TopicsError for a briefing's unknown topic."""
    by_id: dict[str, list[Any]] = {topic.id: [] for topic in topics}
    for article in articles:
        for topic_id in article.metadata["topics"]:
            if topic_id not in by_id:
                known = ", ".join(sorted(by_id))
                raise TopicsError(Path(article.source_path), f"Topics: {topic_id!r} is not in the taxonomy ({known})")
            by_id[topic_id].append(article)
    return [(topic, by_id[topic.id]) for topic in topics]


def add_topics_to_context(generator: Any) -> None:
    """Put the taxonomy's topics and each topic's briefings into the shared template context."""
    settings = TopicsSettings.from_settings(generator.settings)
    topics = load_site_topics(settings.taxonomy)
    listing = topic_listing(topics, generator.articles)
    generator.context["briefing_topics"] = listing
    slugs = {id(article): article.slug for article in generator.articles}
    generator.context["briefing_topic_neighbours"] = topic_neighbours(listing, slugs)
    generator.context["briefing_topic_by_id"] = {topic.id: topic for topic in topics}
    generator.context["briefing_latest"] = generator.articles[: settings.home_limit]
    # `Featured: yes` in a briefing's header (a curator's choice) puts it in the home page's featured block.
    generator.context["briefing_featured"] = [article for article in generator.articles
                                              if article.metadata["featured"]]


def briefing_facts(article: Any) -> BriefingFacts[Any]:
    """What a topic overview needs of a Pelican article."""
    # datetime's own strftime: Pelican's (article.date is its SafeDatetime) handles locales and "%-d" flags,
    # which "%Y-%m" has none of, and took 0.1 s of a rebuild at 5,000 briefings.
    return BriefingFacts(article=article, month=datetime.strftime(article.date, "%Y-%m"),
                         key_points=tuple(article.metadata["key_points"]),
                         entities=tuple(tag.name for tag in article.metadata.get("tags", [])))


def write_topic_pages(generator: Any, writer: Any) -> None:
    """Write topics/<id>.html (then topics/<id>-2.html ... when paginated) for every topic, also those without
    briefings yet, and topics.html."""
    relative = generator.settings["RELATIVE_URLS"]
    template = generator.get_template("topic")
    tag_urls = {tag.name: tag.url for tag in getattr(generator, "tags", {})}
    for topic, articles in generator.context["briefing_topics"]:
        name = TOPIC_SAVE_AS.format(id=topic.id)
        overview = topic_overview([briefing_facts(article) for article in articles])
        writer.write_file(name, template, generator.context, relative_urls=relative,
                          paginated={"articles": articles}, template_name="topic", url=name,
                          topic=topic, topic_articles=articles, topic_overview=overview, tag_urls=tag_urls,
                          page_name=f"topics/{topic.id}")
    writer.write_file(TOPICS_SAVE_AS, generator.get_template("topics"), generator.context,
                      relative_urls=relative, page_name="topics")


def register() -> None:
    signals.article_generator_finalized.connect(add_topics_to_context)
    signals.article_writer_finalized.connect(write_topic_pages)
