"""Pelican settings for the briefings archive.

`pelican content -s pelican.conf.py` builds the site from the repository root; `briefings build` uses this file
and overrides PATH, OUTPUT_PATH and SITEURL. Every path below is resolved from this file's folder, so the build
does not depend on the current directory. Our own settings start with BRIEFING_ and are described in the README.
"""

from __future__ import annotations

import os
from pathlib import Path

_HERE = Path(__file__).resolve().parent

# --- Where things are -------------------------------------------------------------------------------------------
PATH = "content"
# content/briefings/*.md are the articles. content/raw/ (captures) and content/taxonomy/ are never read as content.
ARTICLE_PATHS = ["briefings"]
PAGE_PATHS: list[str] = []
STATIC_PATHS: list[str] = []
READERS = {"html": None, "htm": None}  # only our Markdown reader turns files into briefings
OUTPUT_PATH = "output"
DELETE_OUTPUT_DIRECTORY = True  # stale pages would otherwise end up in the offline bundle
THEME = str(_HERE / "theme")
THEME_STATIC_DIR = "theme"
PLUGIN_PATHS = [str(_HERE / "plugins")]
PLUGINS = [
    "briefing_reader", "briefing_topics", "briefing_related", "briefing_search", "briefing_feeds", "briefing_sitemap",
    "briefing_cards", "briefing_bundle",
]

# --- Site identity and URLs -------------------------------------------------------------------------------------
SITENAME = "Briefings"
SITEURL = os.environ.get("BRIEFINGS_SITEURL", "https://briefings.example.org").rstrip("/")
RELATIVE_URLS = True  # pages link relatively (work from file://); feeds use the absolute SITEURL
DEFAULT_LANG = "en"
TIMEZONE = "UTC"
LOCALE = ("C.UTF-8", "C")
DEFAULT_DATE_FORMAT = "%Y-%m-%d"
DEFAULT_PAGINATION = False


def newest_first(article: object) -> tuple[float, str]:
    """Sort key: newest first, then by slug, so briefings with the same date keep one stable order."""
    return (-article.date.timestamp(), article.slug)  # type: ignore[attr-defined]


ARTICLE_ORDER_BY = newest_first
SLUGIFY_SOURCE = "basename"  # content/briefings/<slug>.md keeps the slug the ingest step chose

ARTICLE_URL = "briefings/{slug}.html"
ARTICLE_SAVE_AS = "briefings/{slug}.html"
ARTICLE_LANG_URL = "briefings/{slug}-{lang}.html"
ARTICLE_LANG_SAVE_AS = "briefings/{slug}-{lang}.html"
TAG_URL = "entities/{slug}.html"
TAG_SAVE_AS = "entities/{slug}.html"
TAGS_URL = "entities.html"
TAGS_SAVE_AS = "entities.html"
ARCHIVES_URL = "archives.html"
ARCHIVES_SAVE_AS = "archives.html"
INDEX_SAVE_AS = "index.html"
SEARCH_SAVE_AS = "search.html"  # search.html?q=words: a search that can be bookmarked and linked
# offline.html exists on the web and in the offline bundle; only its absolute link fetches the zip from the web.
OFFLINE_SAVE_AS = "offline.html"
DIRECT_TEMPLATES = ["index", "tags", "archives", "search", "offline"]

# Pages, categories, authors, drafts and date archives are not part of this site.
CATEGORY_SAVE_AS = ""
CATEGORIES_SAVE_AS = ""
AUTHOR_SAVE_AS = ""
AUTHORS_SAVE_AS = ""
PAGE_SAVE_AS = ""
PAGE_LANG_SAVE_AS = ""
DRAFT_SAVE_AS = ""
DRAFT_LANG_SAVE_AS = ""
DRAFT_PAGE_SAVE_AS = ""
DRAFT_PAGE_LANG_SAVE_AS = ""
YEAR_ARCHIVE_SAVE_AS = ""
MONTH_ARCHIVE_SAVE_AS = ""
DAY_ARCHIVE_SAVE_AS = ""

# Pelican's own feeds are off: plugins/briefing_feeds writes Atom and RSS with Uid-based entry ids.
FEED_ALL_ATOM = None
FEED_ALL_RSS = None
FEED_ATOM = None
FEED_RSS = None
CATEGORY_FEED_ATOM = None
CATEGORY_FEED_RSS = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
TAG_FEED_ATOM = None
TAG_FEED_RSS = None
TRANSLATION_FEED_ATOM = None
TRANSLATION_FEED_RSS = None

# Two builds of the same content must be byte-identical.
LOAD_CONTENT_CACHE = False
CACHE_CONTENT = False
JINJA_ENVIRONMENT = {"trim_blocks": True, "lstrip_blocks": True, "autoescape": True, "extensions": []}

# --- Our settings (each one is described in README.md, "Site settings") ---------------------------------------
BRIEFING_TAXONOMY = "taxonomy/topics.toml"          # topics shown on the site, relative to PATH
BRIEFING_HOME_LIMIT = 20                            # briefings listed on the home page
BRIEFING_SEARCH_INDEX = "search/index.js"           # search manifest script, relative to the output folder
BRIEFING_SEARCH_SLICE_SIZE = 2000                   # briefings per search slice (newest slice searched first)
BRIEFING_SEARCH_SHARD_BYTES = 60_000                # target size of one index shard file (a term range)
BRIEFING_SEARCH_DOC_CHUNK = 100                     # briefings per result-document file
BRIEFING_LUNR_JS = str(_HERE / "node_modules" / "lunr" / "lunr.min.js")  # installed by `npm ci`
BRIEFING_FEED_DIR = "feeds"                         # feeds folder, relative to the output folder
BRIEFING_FEED_AUTHOR = "Briefings archive"          # feed author, and entry author when there is no byline
BRIEFING_FEED_MAX_ITEMS = 100                       # newest entries per feed
BRIEFING_FEED_NAMESPACE = "5b0b8f4e-3c52-4d47-9a55-2f7f6c1d9e21"  # feed-id namespace: set once, never change
BRIEFING_BUNDLE = "briefings-offline.zip"           # offline bundle, at the root of the output folder
BRIEFING_LIST_PAGE_SIZE = 50                        # briefings per topic or entity page (then topic-2.html ...)
BRIEFING_ARCHIVE_PAGE_SIZE = 500                    # briefings per archive page (archives-2.html ...)

# Topic, entity and archive pages are paginated with file-style names: topics/air-defense-2.html.
PAGINATED_TEMPLATES = {"index": None, "tag": BRIEFING_LIST_PAGE_SIZE, "topic": BRIEFING_LIST_PAGE_SIZE,
                       "archives": BRIEFING_ARCHIVE_PAGE_SIZE}
PAGINATION_PATTERNS = ((1, "{name}{extension}", "{name}{extension}"),
                       (2, "{name}-{number}{extension}", "{name}-{number}{extension}"))
