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
# Stale pages would otherwise end up in the offline bundle. plugins/briefing_incremental moves the old output aside
# instead of deleting it, and puts back the pages whose inputs did not change.
DELETE_OUTPUT_DIRECTORY = True
THEME = str(_HERE / "theme")
THEME_STATIC_DIR = "theme"
PLUGIN_PATHS = [str(_HERE / "plugins")]
PLUGINS = [
    "briefing_reader", "briefing_topics", "briefing_related", "briefing_search", "briefing_feeds", "briefing_sitemap",
    "briefing_cards", "briefing_bundle", "briefing_incremental",
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
# Briefings have no translations. Looking for them compares every briefing with every other (0.17 s at 5,000
# briefings, 16 times more at 20,000); two briefings with one slug still stop the build (one output file).
ARTICLE_TRANSLATION_ID = None
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

# Pelican's content cache: an unchanged briefing is not parsed nor rendered from Markdown again. Entries are checked
# by file modification time; plugins/briefing_incremental empties the cache when code or settings change.
CACHE_PATH = ".briefings-cache/build"   # `briefings build --content DIR` uses DIR/../.briefings-cache/build
CACHE_CONTENT = True
LOAD_CONTENT_CACHE = True
GZIP_CACHE = False  # measured at 5,000 briefings: gzip took 3 s of every build to save 9 MB of disk
# Cache the briefing objects themselves, not only what the reader made: an unchanged briefing then costs Pelican
# no work at all (0.7 s less per build at 5,000 briefings). Our plugins never change a briefing object.
CONTENT_CACHING_LAYER = "generator"
JINJA_ENVIRONMENT = {"trim_blocks": True, "lstrip_blocks": True, "autoescape": True, "extensions": []}

# --- Our settings (each one is described in README.md, "Site settings") ---------------------------------------
BRIEFING_TAXONOMY = "taxonomy/topics.toml"          # topics shown on the site, relative to PATH
BRIEFING_HOME_LIMIT = 20                            # briefings listed on the home page
BRIEFING_SEARCH_INDEX = "search/index.js"           # search manifest script, relative to the output folder
BRIEFING_SEARCH_SLICE_SIZE = 2000                   # briefings per search slice, on average (newest searched first)
BRIEFING_SEARCH_TAIL_SIZE = 250                     # the same for the newest briefings, after the last whole slice
                                                    # (a new briefing re-indexes about this many)
BRIEFING_SEARCH_SHARD_BYTES = 60_000                # target size of one index shard file (a term range)
BRIEFING_SEARCH_DOC_CHUNK = 100                     # briefings per result-document file
BRIEFING_LUNR_JS = str(_HERE / "node_modules" / "lunr" / "lunr.min.js")  # installed by `npm ci`
BRIEFING_FEED_DIR = "feeds"                         # feeds folder, relative to the output folder
BRIEFING_FEED_AUTHOR = "Briefings archive"          # feed author, and entry author when there is no byline
BRIEFING_FEED_MAX_ITEMS = 100                       # newest entries per feed
BRIEFING_FEED_NAMESPACE = "5b0b8f4e-3c52-4d47-9a55-2f7f6c1d9e21"  # feed-id namespace: set once, never change
BRIEFING_BUNDLE = "briefings-offline.zip"           # offline bundle, at the root of the output folder
BRIEFING_LIST_PAGE_SIZE = 50                        # briefings per topic or entity page
BRIEFING_ARCHIVE_PAGE_SIZE = 500                    # briefings per archive page
BRIEFING_FULL_BUILD = False                         # True (`briefings build --full`): render every page again

# Topic, entity and archive pages are paginated from the oldest briefing (plugins/briefing_incremental): the main
# page topics/air-defense.html shows the newest, older ones are topics/air-defense.page-1.html (the oldest) and up.
PAGINATED_TEMPLATES = {"index": None, "tag": BRIEFING_LIST_PAGE_SIZE, "topic": BRIEFING_LIST_PAGE_SIZE,
                       "archives": BRIEFING_ARCHIVE_PAGE_SIZE}
