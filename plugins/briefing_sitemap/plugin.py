"""Pelican adapter: absolute URLs. sitemap.xml lists every page; templates get the absolute site URL.

Pages link relatively (RELATIVE_URLS), so `SITEURL` in a template is "." or ".."; metadata meant for other
programs (JSON-LD) needs the absolute address, which this plugin puts in the context as `briefing_siteurl`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pelican import signals

from briefings.errors import PipelineError
from briefings.listing_pages import listing_files

from .sitemap import SitemapUrl, render_sitemap

LISTING_PAGES = ("index.html", "topics.html", "entities.html", "archives.html", "offline.html")


class SitemapError(PipelineError):
    """The sitemap could not be written; the message names the setting."""


def sitemap_urls(siteurl: str, generator: Any) -> list[SitemapUrl]:
    """Listing pages, topic pages, entity pages, then briefings: each group sorted, so builds match."""
    per_page = generator.settings.get("PAGINATED_TEMPLATES", {})
    listing = [SitemapUrl(f"{siteurl}/{name}") for page in LISTING_PAGES
               for name in listing_files(page, len(generator.articles),
                                      per_page.get("archives") if page == "archives.html" else None)]
    topics = [SitemapUrl(f"{siteurl}/{name}") for topic, articles in generator.context["briefing_topics"]
              for name in listing_files(f"topics/{topic.id}.html", len(articles), per_page.get("topic"))]
    entities = sorted((SitemapUrl(f"{siteurl}/{name}") for tag, articles in generator.tags.items()
                       for name in listing_files(tag.url, len(articles), per_page.get("tag"))), key=_loc)
    briefings = sorted((SitemapUrl(f"{siteurl}/{article.url}", article.date) for article in generator.articles),
                       key=_loc)
    return listing + topics + entities + briefings


def _loc(url: SitemapUrl) -> str:
    return url.loc


def absolute_siteurl(settings: dict[str, Any]) -> str:
    """SITEURL without a trailing slash; raises SitemapError unless it is an absolute http(s) URL."""
    siteurl = str(settings.get("SITEURL") or "").rstrip("/")
    if not siteurl.startswith(("https://", "http://")):
        raise SitemapError(Path("pelican.conf.py"), f"SITEURL must be an absolute http(s) URL (got {siteurl!r})")
    return siteurl


def add_siteurl_to_context(generator: Any) -> None:
    """Put the absolute site URL into the template context as briefing_siteurl."""
    generator.context["briefing_siteurl"] = absolute_siteurl(generator.settings)


def write_sitemap(generator: Any, writer: Any) -> None:  # the signal also sends the writer
    """Write sitemap.xml at the root of the output folder."""
    siteurl = absolute_siteurl(generator.settings)
    if "briefing_topics" not in generator.context:
        raise SitemapError(Path("pelican.conf.py"), "PLUGINS must list briefing_topics before briefing_sitemap")
    target = Path(generator.output_path) / "sitemap.xml"
    target.write_text(render_sitemap(sitemap_urls(siteurl, generator)), encoding="utf-8")


def register() -> None:
    signals.article_generator_finalized.connect(add_siteurl_to_context)
    signals.article_writer_finalized.connect(write_sitemap)
