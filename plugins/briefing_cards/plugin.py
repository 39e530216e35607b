"""Pelican adapter: each briefing's teaser card is rendered once per page folder and reused on every listing.

A briefing is listed on the home page, its topic pages and every entity page that names it (about seven listings
each), and rendering the `briefing_card` macro of theme/templates/_macros.html was most of the listing pages'
time. The card depends only on the briefing, the heading level and SITEURL (which, with RELATIVE_URLS, differs
by the page's folder: "." or ".."), so the template global `cached_briefing_card(article, heading)` renders it
once per (SITEURL, heading, briefing) for each Jinja environment (one per generator, so one per build).
"""

from __future__ import annotations

from typing import Any

from jinja2 import pass_context
from jinja2.runtime import Context
from markupsafe import Markup
from pelican import signals

_CACHE_ATTRIBUTE = "briefing_card_cache"  # set on the Jinja environment, which lives as long as one build


@pass_context
def cached_briefing_card(context: Context, article: Any, heading: str = "h2") -> Markup:
    """The briefing_card macro's HTML for the article, rendered at most once per SITEURL and heading."""
    environment = context.environment
    cache: dict[tuple[str, ...], Any] = getattr(environment, _CACHE_ATTRIBUTE, None) or {}
    setattr(environment, _CACHE_ATTRIBUTE, cache)
    siteurl = str(context.get("SITEURL", ""))
    key = (siteurl, heading, str(article.source_path))
    card: Markup | None = cache.get(key)
    if card is None:
        macros = cache.get((siteurl,))
        if macros is None:  # the macros, bound to the first listing's context seen with this SITEURL
            macros = cache[(siteurl,)] = environment.get_template("_macros.html").make_module(context.get_all())
        card = cache[key] = Markup(getattr(macros, "briefing_card")(article, heading))
    return card


def add_card_global(generator: Any) -> None:
    generator.env.globals["cached_briefing_card"] = cached_briefing_card


def register() -> None:
    signals.generator_init.connect(add_card_global)
