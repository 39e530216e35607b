"""Fingerprints of what each page is made from, computed without rendering it. No Pelican imports.

A page's fingerprint is a hash of its *inputs*: the code fingerprint (templates, plugins, settings, versions:
anything that changes every page), the page's name, and what the page's template reads from its briefings. The
rules below follow theme/templates/: an article page shows its briefing, its related briefings and its topic
neighbours; a listing shows its briefings' cards and its links to other pages; the main page of a listing also
shows counts. A template without a rule here is rendered on every build, so a new template is never stale.

When a template starts to show something new, its rule here must name it: tests/site/test_incremental_build.py
builds an archive incrementally through a series of changes and compares every file with a clean build.
"""

from __future__ import annotations

import hashlib
import sys
from collections.abc import Callable, Iterable, Mapping
from importlib import metadata
from pathlib import Path
from typing import Any

from briefings.site_build import article_key, digest

PACKAGES = ("pelican", "jinja2", "markdown-it-py", "mdit-py-plugins", "lunr", "nh3", "python-slugify")


def files_digest(roots: Iterable[Path]) -> str:
    """The names and bytes of every file under the roots (a folder or a file), in a stable order."""
    hasher = hashlib.blake2b(digest_size=16)
    for root in roots:
        paths = sorted(path for path in root.rglob("*") if path.is_file()) if root.is_dir() else [root]
        for path in paths:
            if "__pycache__" in path.parts:
                continue
            hasher.update(str(path).encode("utf-8", "surrogatepass") + b"\x00")
            hasher.update(path.read_bytes())
    return hasher.hexdigest()


def package_versions() -> str:
    """Python's and the rendering packages' versions."""
    versions = [f"python {sys.version}"]
    for name in PACKAGES:
        try:
            versions.append(f"{name}=={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            versions.append(f"{name} missing")
    return ",".join(versions)


# Settings about how a build runs, not what it makes: a --full build must not make the next one full too.
NOT_OUTPUT_SETTINGS = frozenset({"BRIEFING_FULL_BUILD", "LOAD_CONTENT_CACHE", "CACHE_CONTENT", "CACHE_PATH"})


def settings_digest(settings: Mapping[str, Any]) -> str:
    """Every setting (UPPERCASE key) that shapes the output, by its text form; a function by its qualified name."""
    parts = []
    for key in sorted(key for key in settings if key.isupper() and key not in NOT_OUTPUT_SETTINGS):
        value = settings[key]
        parts.append(f"{key}={getattr(value, '__qualname__', None) or value!r}")
    return digest(*parts)


def code_fingerprint(settings: Mapping[str, Any], code_roots: Iterable[Path]) -> str:
    """What every page depends on: settings, the theme, our plugins and package, installed versions."""
    return digest(settings_digest(settings), files_digest(code_roots), package_versions())


# --- Briefings ------------------------------------------------------------------------------------------------

def articles_digest(articles: Iterable[Any]) -> str:
    """The briefings' keys (briefings.site_build.article_key: a stat each, not a hash of the rendered body and
    metadata, which took a third of an unchanged build's page checks)."""
    return digest(*(article_key(article) for article in articles))


def _page_links(page: Any) -> tuple[object, ...]:
    return (page.url, page.is_main, page.newer_url, page.older_url, page.newest_url, page.oldest_url)


# --- One rule per template: (page's keyword arguments, shared context) -> what the page shows ---------------------

Rule = Callable[[Mapping[str, Any], Mapping[str, Any]], tuple[object, ...]]


def _article(page: Mapping[str, Any], context: Mapping[str, Any]) -> tuple[object, ...]:
    article = page["article"]
    related = context.get("briefing_related", {}).get(article.slug, [])
    neighbours = [(step.topic.id, step.newer and article_key(step.newer), step.older and article_key(step.older))
                  for step in context.get("briefing_topic_neighbours", {}).get(article.slug, [])]
    return article_key(article), articles_digest(related), neighbours


def _index(page: Mapping[str, Any], context: Mapping[str, Any]) -> tuple[object, ...]:
    return (len(context.get("articles", [])), articles_digest(context.get("briefing_featured", [])),
            articles_digest(context.get("briefing_latest", [])))


def _listing(key: str) -> Callable[[Mapping[str, Any], Mapping[str, Any]], tuple[object, ...]]:
    """A paginated listing: its page's briefings and links; the main page also shows the total."""
    def rule(page: Mapping[str, Any], context: Mapping[str, Any]) -> tuple[object, ...]:
        shown = page[f"{key}_page"]
        total = len(page.get(key, ())) if shown.is_main else None
        return articles_digest(shown.object_list), _page_links(shown), total
    return rule


def _tag(page: Mapping[str, Any], context: Mapping[str, Any]) -> tuple[object, ...]:
    return (page["tag"].name, page["tag"].url, *_listing("articles")(page, context))


def _topic(page: Mapping[str, Any], context: Mapping[str, Any]) -> tuple[object, ...]:
    shown = page["articles_page"]
    overview = page["topic_overview"]
    points = [(point, article_key(article)) for point, article in overview.latest_points]
    main = (len(page["topic_articles"]), points, overview.years, overview.entities,
            sorted(page["tag_urls"].items())) if shown.is_main else None
    return (page["topic"].id, articles_digest(shown.object_list), _page_links(shown), main)


def _tags(page: Mapping[str, Any], context: Mapping[str, Any]) -> tuple[object, ...]:
    return tuple((tag.name, tag.url, len(articles)) for tag, articles in context.get("tags", []))


def _topics(page: Mapping[str, Any], context: Mapping[str, Any]) -> tuple[object, ...]:
    return tuple((topic.id, len(articles)) for topic, articles in context.get("briefing_topics", []))


def _nothing_more(page: Mapping[str, Any], context: Mapping[str, Any]) -> tuple[object, ...]:
    return ()


RULES: dict[str, Rule] = {
    "article": _article, "index": _index, "archives": _listing("dates"), "tag": _tag, "topic": _topic,
    "tags": _tags, "topics": _topics, "search": _nothing_more, "offline": _nothing_more,
}


def page_fingerprint(code: str, name: str, template_name: str | None, page: Mapping[str, Any],
                     context: Mapping[str, Any]) -> str | None:
    """The fingerprint of the page `name` rendered by template_name, or None when no rule knows that template."""
    rule = RULES.get(template_name or "")
    if rule is None:
        return None
    return digest(code, name, template_name, *rule(page, context))
