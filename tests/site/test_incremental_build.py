"""Incremental builds (plugins/briefing_incremental): after each change to an archive, the output rebuilt in place
is byte for byte the output of a clean build, and pages whose inputs did not change are not written again."""

from __future__ import annotations

import filecmp
import re
import shutil
from pathlib import Path

import pytest
from briefings.errors import PipelineError
from sitebuild import build_site, curated_content

# Pages of one briefing, so that every listing has older pages and a new briefing touches pagination.
SMALL_PAGES = {"PAGINATED_TEMPLATES": {"index": None, "tag": 1, "topic": 1, "archives": 2}}


def files_of(folder: Path) -> dict[str, Path]:
    return {path.relative_to(folder).as_posix(): path for path in folder.rglob("*") if path.is_file()}


def assert_same_as_clean_build(content: Path, incremental: Path, scratch: Path) -> None:
    """A clean build of content (fresh output and cache) has exactly the files and bytes of `incremental`."""
    clean = scratch / "clean"
    shutil.rmtree(clean, ignore_errors=True)
    shutil.rmtree(f"{clean}.cache", ignore_errors=True)
    build_site(content, clean, **SMALL_PAGES)
    ours, theirs = files_of(incremental), files_of(clean)
    assert sorted(ours) == sorted(theirs)
    differ = [name for name in sorted(ours) if not filecmp.cmp(ours[name], theirs[name], shallow=False)]
    assert differ == []


def inodes(folder: Path) -> dict[str, int]:
    """File -> inode: a page put back unchanged keeps its inode, a page written again gets a new one."""
    return {name: path.stat().st_ino for name, path in files_of(folder).items()}


def add_briefing(content: Path, model: str, slug: str, date: str, title: str) -> Path:
    """A new briefing file made from an existing one, with its own slug, date, title and Uid."""
    text = (content / "briefings" / f"{model}.md").read_text(encoding="utf-8")
    text = re.sub(r"^Title: .*$", f"Title: {title}", text, count=1, flags=re.MULTILINE)
    text = re.sub(r"^Date: .*$", f"Date: {date}", text, count=1, flags=re.MULTILINE)
    text = re.sub(r"^Uid: (.*)$", lambda match: f"Uid: {match.group(1)[:-4]}beef", text, count=1, flags=re.MULTILINE)
    target = content / "briefings" / f"{slug}.md"
    target.write_text(text, encoding="utf-8")
    return target


@pytest.fixture()
def archive(tmp_path: Path) -> tuple[Path, Path]:
    """(content folder, output folder) of the curated fixture archive, built once."""
    content = curated_content(tmp_path / "content")
    output = build_site(content, tmp_path / "output", **SMALL_PAGES)
    return content, output


def test_an_unchanged_archive_rewrites_nothing_and_matches_a_clean_build(archive: tuple[Path, Path],
                                                                      tmp_path: Path) -> None:
    content, output = archive
    before = inodes(output)
    build_site(content, output, **SMALL_PAGES)
    after = inodes(output)
    rewritten = [name for name in after if before.get(name) != after[name] and name.endswith(".html")]
    assert rewritten == []
    assert_same_as_clean_build(content, output, tmp_path)


def test_a_new_briefing_rewrites_few_pages_and_matches_a_clean_build(archive: tuple[Path, Path],
                                                                   tmp_path: Path) -> None:
    content, output = archive
    before = inodes(output)
    add_briefing(content, "patriot-batteries-reach-kyiv", "patriot-follow-up", "2030-09-01T08:00:00+00:00",
                 "Patriot follow-up: the batteries are operational")
    build_site(content, output, **SMALL_PAGES)
    assert_same_as_clean_build(content, output, tmp_path)
    after = inodes(output)
    pages = [name for name in after if name.endswith(".html")]
    rewritten = [name for name in pages if before.get(name) != after[name]]
    assert "briefings/patriot-follow-up.html" in rewritten and "index.html" in rewritten
    # Listings are cut from the oldest briefing: the archive (two per page) had seven briefings, now eight, and
    # its oldest page stays as it was. So do the pages of briefings that share nothing with the new one.
    assert "archives.page-1.html" in before and "archives.page-1.html" not in rewritten
    assert "briefings/lyon-economie.html" not in rewritten and "entities/ukraine.page-1.html" not in rewritten
    # Its topics' feeds and the whole archive's are written again; the other topics' feeds are the last build's.
    feeds = [name for name in after if name.startswith("feeds/") and not name.endswith(".opml")]
    assert sorted(name for name in feeds if before.get(name) != after[name]) == sorted(
        f"feeds/{feed}{suffix}" for feed in ("all", "topics/air-defense", "topics/diplomacy")
        for suffix in (".atom.xml", ".rss.xml", ".json"))


@pytest.mark.parametrize("change", ["backdated briefing", "edited title", "deleted briefing", "new topic name"])
def test_every_kind_of_change_matches_a_clean_build(archive: tuple[Path, Path], tmp_path: Path,
                                                    change: str) -> None:
    content, output = archive
    briefings = content / "briefings"
    if change == "backdated briefing":
        add_briefing(content, "oil-price-cap-enforcement", "old-price-cap-story", "2019-03-01T08:00:00+00:00",
                     "An old story about the price cap")
    elif change == "edited title":
        # The title shows on its own page, on listings, in related lists and topic neighbours of other pages.
        path = briefings / "patriot-batteries-reach-kyiv.md"
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("Title: Germany sends", "Title: Berlin sends", 1), encoding="utf-8")
    elif change == "deleted briefing":
        (briefings / "geneva-talks-multilingual.md").unlink()
    else:
        topics = content / "taxonomy" / "topics.toml"
        topics.write_text(topics.read_text(encoding="utf-8").replace('name = "Sanctions"', 'name = "Sanctions policy"',
                                                                      1), encoding="utf-8")
        assert "Sanctions policy" in topics.read_text(encoding="utf-8")
    build_site(content, output, **SMALL_PAGES)
    assert_same_as_clean_build(content, output, tmp_path)


def test_a_failed_build_is_not_trusted_by_the_next(archive: tuple[Path, Path], tmp_path: Path) -> None:
    content, output = archive
    broken = add_briefing(content, "patriot-batteries-reach-kyiv", "broken", "2030-01-01T08:00:00+00:00", "Broken")
    text = broken.read_text(encoding="utf-8")
    broken.write_text(text.replace("Topics: air-defense", "Topics: no-such-topic", 1), encoding="utf-8")
    with pytest.raises(PipelineError, match="no-such-topic"):
        build_site(content, output, **SMALL_PAGES)
    broken.unlink()
    add_briefing(content, "patriot-batteries-reach-kyiv", "after-the-failure", "2025-10-01T08:00:00+00:00",
                 "After the failure")
    build_site(content, output, **SMALL_PAGES)
    assert_same_as_clean_build(content, output, tmp_path)


def test_two_briefings_with_one_page_name_stop_a_rebuild_as_they_stop_a_clean_build(archive: tuple[Path, Path],
                                                                                    tmp_path: Path) -> None:
    """A curator's copy of a briefing in a subfolder has the same slug, so the same page, as the original: the
    build stops, even when the original's page is unchanged and put back rather than rendered (the copy has no
    topics nor entities, so no other page's related briefings or neighbours change)."""
    content, output = archive
    original = content / "briefings" / "patriot-batteries-reach-kyiv.md"
    copy = content / "briefings" / "kept" / original.name
    copy.parent.mkdir()
    text = original.read_text(encoding="utf-8").replace("Title: ", "Title: Copy of ", 1)
    copy.write_text(re.sub(r"^(Topics|Tags): .*\n", "", text, flags=re.MULTILINE), encoding="utf-8")
    with pytest.raises(Exception, match="patriot-batteries-reach-kyiv.html"):
        build_site(content, output, **SMALL_PAGES)
    with pytest.raises(Exception, match="patriot-batteries-reach-kyiv.html"):
        build_site(content, tmp_path / "clean", **SMALL_PAGES)
    # Once the curator removes the copy, the next rebuild puts the site back together from what the stopped
    # build left: the same as a clean build.
    shutil.rmtree(copy.parent)
    build_site(content, output, **SMALL_PAGES)
    assert_same_as_clean_build(content, output, tmp_path / "after")
