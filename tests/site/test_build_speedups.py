"""The build's shortcuts change no byte: teaser cards rendered once and reused (plugins/briefing_cards) give the
same pages as rendering the macro on every listing. And the shortcuts that change no output are in force."""

from __future__ import annotations

import gc
import pickle
import sys
from pathlib import Path
from typing import Any

import pytest

from pelican import signals
from pelican.settings import read_settings
from sitebuild import CONF, build_site, curated_content


def files(folder: Path) -> dict[str, bytes]:
    return {path.relative_to(folder).as_posix(): path.read_bytes() for path in folder.rglob("*") if path.is_file()}


def test_reused_teaser_cards_give_the_same_site_as_rendering_each_one(tmp_path: Path) -> None:
    # The curated archive lists briefings on the home page (featured cards use h3, latest h2), on topic pages
    # (h3, one folder down) and on entity pages (h2, one folder down): every kind of cached card.
    content = curated_content(tmp_path / "content")
    plugins = read_settings(str(CONF))["PLUGINS"]
    assert "briefing_cards" in plugins
    cached = files(build_site(content, tmp_path / "cached"))
    rendered = files(build_site(content, tmp_path / "rendered",
                                PLUGINS=[name for name in plugins if name != "briefing_cards"]))
    assert cached.keys() == rendered.keys()
    assert [name for name in cached if cached[name] != rendered[name]] == []
    assert any(b'class="card"' in data for name, data in cached.items() if name.startswith("entities/"))


def test_a_build_runs_the_garbage_collector_less_often_and_puts_it_back(tmp_path: Path,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    # Pelican's signal keeps a weak reference to its receiver: one defined inside register() would be gone before
    # the build starts, and the collector would run as often as ever. The second build loads the content cache,
    # with the collector paused; after it, the collector runs again with the process's own threshold and nothing
    # frozen, as a process that builds again and again (pelican --autoreload) needs.
    before = gc.get_threshold()
    gc.set_threshold(700, 10, 10)
    try:
        content = curated_content(tmp_path / "content")
        build_site(content, tmp_path / "output")
        assert any((tmp_path / "output.cache").rglob("ArticlesGenerator"))
        plugin = sys.modules["briefing_incremental.plugin"]
        in_force: list[tuple[int, int, int]] = []   # the threshold each time the plugin puts the collector back
        restore = plugin.restore_collector

        def recording_restore() -> None:
            in_force.append(gc.get_threshold())
            restore()

        monkeypatch.setattr(plugin, "restore_collector", recording_restore)
        build_site(content, tmp_path / "output")
        assert in_force == [(700, 10, 10), (plugin.YOUNG_OBJECTS_PER_COLLECTION, 10, 10)]   # at start, at end
        assert gc.isenabled() and gc.get_freeze_count() == 0 and gc.get_threshold() == (700, 10, 10)
    finally:
        gc.set_threshold(*before)
        gc.enable()


def test_a_build_that_failed_halfway_does_not_leave_the_collector_paused(tmp_path: Path) -> None:
    # What a build that raised between loading the content cache and its end leaves: the collector paused (or
    # objects frozen), the threshold raised. The next build in the same process starts from the collector as it was
    # before the failed one, and leaves it so.
    before = gc.get_threshold()
    gc.set_threshold(700, 10, 10)
    try:
        content = curated_content(tmp_path / "content")
        build_site(content, tmp_path / "output")
        plugin = sys.modules["briefing_incremental.plugin"]
        plugin.collect_less_often(None)
        gc.freeze()
        gc.disable()
        build_site(content, tmp_path / "output")
        assert gc.isenabled() and gc.get_freeze_count() == 0 and gc.get_threshold() == (700, 10, 10)
    finally:
        gc.unfreeze()
        gc.set_threshold(*before)
        gc.enable()


def cached_briefings(cache_root: Path) -> dict[str, object]:
    """What the articles generator's content cache (Pelican's pickle) holds: {source path: briefing}."""
    [path] = cache_root.rglob("ArticlesGenerator")
    with path.open("rb") as handle:
        return {name: briefing for name, (_, briefing) in pickle.load(handle).items()}


def test_the_content_cache_holds_what_the_build_read_and_no_build_context(tmp_path: Path) -> None:
    # Pelican's own cache keeps each briefing with the context of the build that read it, and the briefings of
    # deleted files for good: it grew with every build that read a new briefing. Ours holds this build's briefings
    # only, and their contexts are this build's, given back when the cache is loaded.
    content = curated_content(tmp_path / "content")
    build_site(content, tmp_path / "output")
    briefings = content / "briefings"
    deleted = briefings / "oil-price-cap-enforcement.md"
    added = briefings / "patriot-batteries-again.md"
    added.write_text((briefings / "patriot-batteries-reach-kyiv.md").read_text(encoding="utf-8")
                     .replace("Title: Germany sends two more", "Title: Germany sends two other", 1)
                     .replace("Uid: 6f1c2b9e", "Uid: 7f1c2b9e", 1), encoding="utf-8")
    deleted.unlink()
    build_site(content, tmp_path / "output")

    cached = cached_briefings(tmp_path / "output.cache")
    read = [path.name for path in briefings.glob("*.md") if "Withdrawn: Yes" not in path.read_text(encoding="utf-8")]
    assert sorted(Path(name).name for name in cached) == sorted(read)   # a withdrawn briefing is never cached
    assert "patriot-batteries-again.md" in read
    assert "briefings/oil-price-cap-enforcement.md" not in cached
    assert all(getattr(briefing, "_context") is None for briefing in cached.values())

    # The next build reads them from the cache, with its own context (a fresh read's).
    contexts: list[object] = []

    def record_contexts(generator: Any) -> None:   # a local name keeps it alive: signals hold receivers weakly
        contexts.extend([generator.context] + [article._context for article in generator.articles])

    signals.article_generator_pretaxonomy.connect(record_contexts)
    try:
        build_site(content, tmp_path / "output")
    finally:
        signals.article_generator_pretaxonomy.disconnect(record_contexts)
    assert len(contexts) == 1 + len(cached) and all(context is contexts[0] for context in contexts)
