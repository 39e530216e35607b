"""Pelican adapter: incremental builds. Pages whose inputs did not change are not rendered again (see store.py).
Also what makes any build cheaper: Pelican's content cache kept per output folder, entity pages sorted once,
compiled templates kept, and a garbage collector that runs less often.

Needs DELETE_OUTPUT_DIRECTORY = True (the default here): the previous output is moved aside rather than deleted,
and only what this build asks for comes back. With it off, every page is rendered, as Pelican does.
"""

from __future__ import annotations

import gc
import hashlib
import logging
import shutil
import sys
from pathlib import Path
from typing import Any

from jinja2 import FileSystemBytecodeCache
from pelican import signals
from pelican.generators import ArticlesGenerator, CachingGenerator, PagesGenerator

from briefings.site_build import STORE_KEY, forget_article_keys

from .fingerprints import code_fingerprint
from .store import OutputStore
from .writer import IncrementalWriter

logger = logging.getLogger(__name__)
STATE_FOLDER = "briefing-output"
# Pelican's content cache moves into the state folder: it holds what our reader made of each briefing (with the
# settings, inside every entity), which a change of code or settings changes while Pelican checks only the files'
# times. So it belongs to one output folder and one code fingerprint, and is emptied when that changes.
CONTENT_CACHE_FOLDER = "content-cache"
TEMPLATES_FOLDER = "compiled-templates"
# CPython looks for reference cycles each time 700 more container objects are alive, and now and then walks every
# object alive. A build makes millions of objects that live until it ends (each briefing's metadata and body, the
# content cache) and little cyclic garbage: at 5,000 briefings the collector took 2.4 s of a full build's 22 s of
# CPU, and 0.27 s of a 2-s rebuild, most of it while Pelican unpickled its content cache. Looking after 10,000 new
# objects (the older generations keep their ratios) cut that to 0.7 s and 0.2 s, with the same peak memory (297
# MB); pausing the collector while the cache loads and then freezing what it loaded (gc.freeze: those objects are
# never scanned again) cut the rebuild's to 0.06-0.09 s.
YOUNG_OBJECTS_PER_COLLECTION = 10_000
# The threshold the process had before the build started, put back when it ends.
_threshold_outside_builds: tuple[int, int, int] | None = None


def code_roots(settings: dict[str, Any], plugins: list[Any]) -> list[Path]:
    """Files every page depends on: the theme, the folder of every loaded plugin (ours and any other), the modules
    of our package the plugins imported (the cleaning and tagging code is not part of a build), the topics file."""
    package = [Path(path) for name, module in sorted(sys.modules.items())
               if name.split(".")[0] == "briefings" and (path := getattr(module, "__file__", None))]
    plugin_folders = sorted({Path(path).parent for plugin in plugins if (path := getattr(plugin, "__file__", None))})
    taxonomy = Path(settings["PATH"]) / str(settings.get("BRIEFING_TAXONOMY", ""))
    return [Path(settings["THEME"]), *plugin_folders, *package] + (
        [taxonomy] if taxonomy.is_file() else [])


def state_folder(settings: dict[str, Any]) -> Path:
    """One state folder per output folder, under Pelican's CACHE_PATH."""
    output = Path(settings["OUTPUT_PATH"]).resolve()
    key = hashlib.blake2b(str(output).encode("utf-8", "surrogatepass"), digest_size=8).hexdigest()
    return Path(settings["CACHE_PATH"]) / STATE_FOLDER / key


def collect_less_often(pelican: Any) -> None:
    """Let the garbage collector run less often for the rest of the build (YOUNG_OBJECTS_PER_COLLECTION)."""
    global _threshold_outside_builds
    # A build that raised before its end (finish_build) left the collector paused, objects frozen or the threshold
    # raised: a process that builds again (pelican --autoreload, the tests) starts from the collector as it was.
    restore_collector()
    _threshold_outside_builds = young, middle, old = gc.get_threshold()
    gc.set_threshold(max(YOUNG_OBJECTS_PER_COLLECTION, young), middle, old)


def restore_collector() -> None:
    """The collector as it was before the build: running, its threshold, nothing frozen (the frozen objects are the
    build's, which the process must be able to collect once it ends)."""
    global _threshold_outside_builds
    gc.unfreeze()
    gc.enable()
    if _threshold_outside_builds is not None:
        gc.set_threshold(*_threshold_outside_builds)
        _threshold_outside_builds = None


def pause_collector_for_cache(generator: Any) -> None:
    """Before the articles or pages generator loads Pelican's content cache (it does right after this signal):
    no collection while it unpickles thousands of objects that all live until the build ends."""
    if isinstance(generator, (ArticlesGenerator, PagesGenerator)):
        gc.disable()


def freeze_loaded_cache(generator: Any) -> None:
    """After the cache loaded: move every object alive to the collector's permanent generation, and collect again."""
    gc.freeze()
    gc.enable()


# Where a generator keeps what it read (pelican.generators): each briefing or page, whether listed or not.
CONTENT_LISTS = ("articles", "translations", "hidden_articles", "hidden_translations", "drafts",
                 "drafts_translations", "pages", "hidden_pages", "draft_pages", "draft_translations")


def lean_content_cache(generator: Any) -> None:
    """Right after the articles or pages generator loaded Pelican's content cache: give every cached briefing this
    build's context, and make the cache it saves hold only what this build read, without any context.

    Pelican pickles each briefing with the context of the build that read it (its `_context`), and never drops
    the briefing of a deleted file. So every build that read a new briefing added its whole context to the cache
    for good (0.74 MB at 5,000 briefings, and a little more time to save and load it on every later build), and a
    cached briefing resolved its links with an old build's context. Pelican 4.12 internals (`_cache`, `_context`)."""
    if not isinstance(generator, CachingGenerator) or not getattr(generator, "_cache_data_policy", False):
        return
    for _, item in generator._cache.values():   # FileStampDataCacher: path -> (stamp, content)
        item._context = generator.context
    save = generator.save_cache

    def save_cache() -> None:
        current = {id(item) for name in CONTENT_LISTS for item in getattr(generator, name, ())}
        kept = {path: entry for path, entry in generator._cache.items() if id(entry[1]) in current}
        generator._cache = kept
        for _, item in kept.values():
            item._context = None
        try:
            save()
        finally:
            for _, item in kept.values():
                item._context = generator.context

    generator.save_cache = save_cache


def begin_build(pelican: Any) -> None:
    """Move the previous output aside and hand the store to the writer (through the settings)."""
    settings = pelican.settings
    settings[STORE_KEY] = None
    forget_article_keys()
    if not settings.get("DELETE_OUTPUT_DIRECTORY"):
        return
    code = code_fingerprint(settings, code_roots(settings, list(pelican.plugins)))
    store = OutputStore(Path(pelican.output_path), state_folder(settings), code,
                        tuple(settings.get("OUTPUT_RETENTION", ())))
    content_cache = store.state / CONTENT_CACHE_FOLDER
    if not store.begin(trust=not settings.get("BRIEFING_FULL_BUILD")):
        shutil.rmtree(content_cache, ignore_errors=True)
    settings["CACHE_PATH"] = str(content_cache)
    settings[STORE_KEY] = store


def entity_pages_by_date(generator: Any) -> None:
    """Replace the articles generator's generate_tags with one that sorts each entity's briefings by date instead
    of scanning every briefing of the archive for each entity, which is quadratic: 2.5 s at 5,000 briefings, 16
    times more at 20,000, spent even when every entity page is unchanged. Same pages: Pelican's `dates` of an
    entity is the archive's date order restricted to it, and sorting the entity's briefings (kept in archive
    order) by date with a stable sort gives exactly that."""
    def generate_tags(write: Any) -> None:
        template = generator.get_template("tag")
        newest_first = generator.context["NEWEST_FIRST_ARCHIVES"]
        # The same order as comparing the dates (aware datetimes compare as instants), without the time zone
        # arithmetic of every comparison.
        instants = {id(article): article.date.timestamp() for article in generator.articles}
        for tag, articles in generator.tags.items():
            dates = sorted(articles, key=lambda article: instants[id(article)], reverse=newest_first)
            write(tag.save_as, template, generator.context, tag=tag, url=tag.url, articles=articles, dates=dates,
                  template_name="tag", blog=True, page_name=tag.page_name, all_articles=generator.articles)

    generator.generate_tags = generate_tags


def compiled_templates_cache(generator: Any) -> None:
    """Keep the theme's compiled templates in the state folder (Jinja's bytecode cache, checked against each
    template's source): a rebuild that renders a few pages no longer compiles every template first."""
    store = generator.settings.get(STORE_KEY)
    if store is not None:
        folder = store.state / TEMPLATES_FOLDER
        folder.mkdir(exist_ok=True)
        generator.env.bytecode_cache = FileSystemBytecodeCache(str(folder))


def remember_urls(generator: Any) -> None:
    """Keep each briefing's url and save_as as Pelican's own overrides. Pelican works them out from the URL
    settings every time they are asked for (three times per briefing per build, 0.25 s at 5,000 briefings); set
    before the content cache is saved, they are kept with the unchanged briefings, whose cache a change of
    settings empties (see begin_build). An overridden save_as makes Pelican write the page with override_output,
    which IncrementalWriter._claim honours as Pelican does: two briefings with one page name still stop the
    build."""
    for article in (*generator.articles, *generator.translations, *generator.hidden_articles, *generator.drafts):
        if not hasattr(article, "override_url"):
            article.override_url = article.url
        if not hasattr(article, "override_save_as"):
            article.override_save_as = article.save_as


def incremental_writer(pelican: Any) -> type[IncrementalWriter]:
    return IncrementalWriter


def finish_build(pelican: Any) -> None:
    restore_collector()
    store = pelican.settings.get(STORE_KEY)
    if store is not None:
        store.finish()
        logger.info("Incremental build: %d pages rendered, %d unchanged pages kept", store.rendered, store.reused)


def register() -> None:
    signals.initialized.connect(collect_less_often)
    signals.initialized.connect(begin_build)
    signals.get_writer.connect(incremental_writer)
    signals.generator_init.connect(pause_collector_for_cache)
    signals.article_generator_init.connect(freeze_loaded_cache)
    signals.page_generator_init.connect(freeze_loaded_cache)
    signals.article_generator_init.connect(lean_content_cache)
    signals.page_generator_init.connect(lean_content_cache)
    signals.generator_init.connect(compiled_templates_cache)
    signals.article_generator_pretaxonomy.connect(remember_urls)
    signals.article_generator_finalized.connect(entity_pages_by_date)
    signals.finalized.connect(finish_build)
