"""The briefing file: one-line metadata that cannot be injected, a body whose text stays text."""

from __future__ import annotations

import re
import sys
import unicodedata
from datetime import datetime, timezone
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from briefings.documents import Block, Briefing, CleanedDocument, Digest, Entity, Tagging
from briefings import write_briefing
from briefings.write_briefing import (HEADER_KEYS, escape_markdown, one_line, read_existing, render_briefing,
                                      write_atomically, write_output)

WHEN = datetime(2025, 10, 12, 9, 30, tzinfo=timezone.utc)
MARKDOWN = MarkdownIt("commonmark", {"html": False})


def briefing(title: str = "Allies pledge air defence", blocks: tuple[Block, ...] = (),
             summary: str = "Allies pledged more air defence.") -> Briefing:
    document = CleanedDocument(
        source=Path("content/raw/a.html"), sha256="ab" * 32, title=title,
        blocks=blocks or (Block("paragraph", "Allies pledged more air defence systems on Sunday."),),
        published=WHEN, date_source="capture", captured=WHEN, url="https://news.example.com/a",
        site_name="news.example.com", section="World")
    return Briefing(document=document, slug="allies-pledge-air-defence", uid="6f1d7a52-0000-4000-8000-000000000001",
                    raw_path="content/raw/a.html",
                    tagging=Tagging(topics=("air-defense", "diplomacy"),
                                    entities=(Entity("NATO", "organisation"), Entity("Volodymyr Zelensky", "person"))),
                    digest=Digest(summary=summary, key_points=("One | two.", "Three.", "Four.")))


def header_lines(text: str) -> list[str]:
    return text.partition("\n\n")[0].splitlines()


def test_header_keys_are_known_unique_and_in_order() -> None:
    keys = [line.partition(":")[0] for line in header_lines(render_briefing(briefing()))]
    assert len(keys) == len(set(keys))
    assert keys == [key for key in HEADER_KEYS if key in keys]
    assert "Topics: air-defense, diplomacy" in header_lines(render_briefing(briefing()))


def test_line_breaks_in_a_title_cannot_inject_metadata() -> None:
    hostile = "Grain exports resume\nStatus: draft\r\nDate: 1999-01-01\u2028Save_as: pwned.html"
    lines = header_lines(render_briefing(briefing(title=hostile)))
    assert [line for line in lines if line.startswith(("Status", "Save_as"))] == []
    assert [line for line in lines if line.startswith("Date:")] == ["Date: 2025-10-12T09:30:00+00:00"]
    assert lines[0] == "Title: Grain exports resume Status: draft Date: 1999-01-01 Save_as: pwned.html"


def test_key_points_keep_their_separator_unambiguous() -> None:
    text = render_briefing(briefing())
    assert "Key_Points: One / two. | Three. | Four." in header_lines(text)


def test_markup_looking_text_renders_as_the_same_text() -> None:
    for text in ["<script>alert('x')</script>", "[click](javascript:alert(1))", "# not a heading",
                 "1. not a list", "*stars* and _underscores_ & &amp; entities", "> not a quote", "![img](x.png)",
                 "{{ template }} `code` ~~strike~~ | pipe |", "- dash", "+ plus", "= equals"]:
        html = MARKDOWN.render(escape_markdown(text))
        assert html == f"<p>{escape_html(text)}</p>\n", text


def escape_html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def test_body_keeps_headings_quotes_and_lists() -> None:
    blocks = (Block("paragraph", "Lead."), Block("heading", "Sanctions strategy", 2), Block("quote", "We need more."),
              Block("bullet", "Patriot"), Block("bullet", "IRIS-T"), Block("ordered", "first"), Block("ordered", "second"))
    body = render_briefing(briefing(blocks=blocks)).partition("\n\n")[2]
    assert body == "Lead.\n\n## Sanctions strategy\n\n> We need more.\n\n- Patriot\n- IRIS-T\n\n1. first\n2. second\n"


def test_untouched_file_is_not_hand_edited_and_an_edit_is_detected(tmp_path: Path) -> None:
    path = tmp_path / "b.md"
    write_atomically(path, render_briefing(briefing()))
    assert not read_existing(path).hand_edited
    path.write_text(path.read_text(encoding="utf-8").replace("Allies pledged more air defence systems",
                                                               "Allies pledged Patriot systems"), encoding="utf-8")
    assert read_existing(path).hand_edited


def test_atomic_write_leaves_no_temporary_file(tmp_path: Path) -> None:
    write_atomically(tmp_path / "b.md", "text\n")
    assert [path.name for path in tmp_path.iterdir()] == ["b.md"]


def test_the_listed_white_space_is_what_str_split_splits_on() -> None:
    """one_line returns text it finds clean unchanged; a white space character missing from the list would
    survive into a header line."""
    characters = map(chr, range(sys.maxunicode + 1))
    listed = re.compile(f"[{write_briefing._OTHER_WHITE_SPACE}]")
    assert [char for char in characters if bool(listed.match(char)) != (char.isspace() and char != " ")] == []


def reference_one_line(value: str) -> str:
    """one_line without its shortcut for text that is already one clean line."""
    value = unicodedata.normalize("NFC", value)
    value = write_briefing._SURROGATE.sub("", write_briefing._CONTROL.sub(" ", value))
    return " ".join(value.split())


def test_one_line_equals_the_full_cleaning_for_every_character() -> None:
    for code in range(sys.maxunicode + 1):
        value = f"{chr(code)}a {chr(code)}b{chr(code)}"   # the character first, between words, last
        assert one_line(value) == reference_one_line(value), hex(code)


@pytest.mark.parametrize("value", ["", " ", "a  b", " a", "a ", "a\tb", "a\u00a0b", "a\u3000b", "a\x1fb", "a\x00b",
                                   "a\ud800b", "e\u0301 x", "plain words, one space each"])
def test_one_line_cleans_what_its_shortcut_must_not_skip(value: str) -> None:
    assert one_line(value) == reference_one_line(value)


def test_escaping_lines_with_and_without_markup() -> None:
    assert escape_markdown("no markup at all") == "no markup at all"
    assert escape_markdown("snake_case & <b>") == "snake\\_case \\& \\<b\\>"
    assert escape_markdown("1. first, no other markup") == "1\\. first, no other markup"


def test_a_write_into_a_missing_folder_creates_it(tmp_path: Path) -> None:
    write_atomically(tmp_path / "new" / "deeper" / "b.md", "text\n")
    assert (tmp_path / "new" / "deeper" / "b.md").read_bytes() == b"text\n"


def test_a_file_in_place_of_the_folder_fails_as_mkdir_does(tmp_path: Path) -> None:
    (tmp_path / "taken").write_text("a file", encoding="utf-8")
    with pytest.raises(FileExistsError):
        write_output(tmp_path / "taken" / "b.md", "text\n")


def test_text_that_cannot_be_encoded_leaves_no_file(tmp_path: Path) -> None:
    with pytest.raises(UnicodeEncodeError):
        write_atomically(tmp_path / "b.md", "lone \ud800 surrogate")
    assert list(tmp_path.iterdir()) == []


def test_written_bytes_are_the_utf8_text_without_newline_translation(tmp_path: Path) -> None:
    text = "Title: Grüße\r\n\nbody \u2014 x\n" + "long line " * 20000
    write_atomically(tmp_path / "b.md", text)
    assert (tmp_path / "b.md").read_bytes() == text.encode("utf-8")
