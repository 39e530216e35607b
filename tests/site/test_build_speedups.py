"""The build's shortcuts change no byte: teaser cards rendered once and reused (plugins/briefing_cards) give the
same pages as rendering the macro on every listing. And the shortcuts that change no output are in force."""

from __future__ import annotations

import gc
import sys
from pathlib import Path

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


def test_a_build_runs_the_garbage_collector_less_often_and_leaves_it_running(tmp_path: Path) -> None:
    # Pelican's signal keeps a weak reference to its receiver: one defined inside register() would be gone before
    # the build starts, and the collector would run as often as ever. The second build loads the content cache,
    # with the collector paused; after it, the collector runs again and has nothing frozen, as a process that
    # builds again and again (pelican --autoreload) needs.
    before = gc.get_threshold()
    gc.set_threshold(700, 10, 10)
    try:
        content = curated_content(tmp_path / "content")
        build_site(content, tmp_path / "output")
        plugin = sys.modules["briefing_incremental.plugin"]
        assert gc.get_threshold() == (plugin.YOUNG_OBJECTS_PER_COLLECTION, 10, 10)
        assert any((tmp_path / "output.cache").rglob("ArticlesGenerator"))
        build_site(content, tmp_path / "output")
        assert gc.isenabled() and gc.get_freeze_count() == 0
    finally:
        gc.set_threshold(*before)
        gc.enable()
