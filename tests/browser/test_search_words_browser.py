"""Search in Chromium cuts queries into words exactly as the build cut the briefings: words written against
punctuation, accented first letters, Cyrillic and emoji are found; a withdrawn briefing is not."""

from __future__ import annotations

import sys
import unicodedata
from pathlib import Path

import pytest
from browser_pages import ROOT, Watched

sys.path.insert(0, str(ROOT / "plugins"))
from briefing_search.words import search_words  # noqa: E402  (plugins/ is Pelican's PLUGIN_PATHS, not a package)

LYON = "Lyon : l’économie locale résiste à la crise"
ATT = "Tools & trades: the <b>bold</b> plan for AT&T's fibre rollout"
GENEVA = "Geneva talks: Київ and Zürich delegations meet over prisoner exchange 🕊️"
SAMPLE = ("Lyon : l’économie — «Київ» 'quoted' AT&T <b>x</b> ＮＡＴＯ 🕊️ 👩\u200d👩\u200d👧 cafe\u0301 snake_case $5 3½ "
          "x\u200by ŞİŞLİ ΣΟΦΟΣ straße e-mail C++ 50% #tag @user ‹a› „b“ 1,5 ١٢٣ नमस्ते 東京")


def search(watched: Watched, query: str) -> list[str]:
    """Type the query into the search box; the result titles once the status line says how many match."""
    page = watched.page
    page.fill("#search-input", "")
    page.focus("#search-input")
    page.type("#search-input", query)
    page.wait_for_function("document.querySelector('#search-status').textContent.match(/match/)", timeout=10_000)
    return page.locator("#search-results li .result-title").all_text_contents()


def assigned_bmp_characters() -> str:
    """Every character of the Basic Multilingual Plane this Python's Unicode data assigns (no surrogates)."""
    return "".join(chr(code) for code in range(0x20, 0x10000)
                   if unicodedata.category(chr(code)) not in ("Cn", "Cs", "Co"))


def test_the_browser_cuts_words_as_the_build_does(curated_bundle: Path, watched_page: Watched) -> None:
    page = watched_page.page
    page.goto((curated_bundle / "index.html").as_uri())
    assert page.evaluate("text => briefingSearch.words(text)", SAMPLE) == search_words(SAMPLE)
    # Character by character over the whole BMP: "a<c>b" is one word or two on both sides.
    characters = assigned_bmp_characters()
    in_browser = page.evaluate("cs => Array.from(cs).map(c => briefingSearch.words('a' + c + 'b').length)",
                               characters)
    in_python = [len(search_words(f"a{char}b")) for char in characters]
    differing = [f"U+{ord(char):04X}" for char, js, py in zip(characters, in_browser, in_python) if js != py]
    assert differing == []
    # And every word character is lower-cased and composed the same way (ΣΟΦΟΣ ends in ς on both sides).
    letters = " ".join(char for char, count in zip(characters, in_python) if count == 1)
    assert page.evaluate("text => briefingSearch.words(text)", letters) == search_words(letters)


@pytest.mark.parametrize(
    ("query", "title"),
    [("économie", LYON), ("Économie", LYON), ("l’économie", LYON), ("bold", ATT), ("AT&T", ATT), ("at", ATT),
     ("keys", ATT), ("Київ", GENEVA), ("🕊️", GENEVA), ("zürich", GENEVA)],
)
def test_words_next_to_punctuation_accents_and_emoji_are_found(curated_bundle: Path, watched_page: Watched,
                                                               query: str, title: str) -> None:
    watched_page.page.goto((curated_bundle / "search.html").as_uri())
    assert title in search(watched_page, query)


def test_the_result_title_shows_markup_looking_text_as_text(curated_bundle: Path, watched_page: Watched) -> None:
    page = watched_page.page
    page.goto((curated_bundle / "search.html").as_uri() + "?q=bold")
    page.wait_for_selector("#search-results li")
    link = page.locator("#search-results li .result-title a").first
    assert link.text_content() == ATT
    assert page.locator("#search-results b").count() == 0
    assert link.locator("mark").all_text_contents() == ["bold"]


def test_a_withdrawn_briefing_is_not_searchable(curated_bundle: Path, watched_page: Watched) -> None:
    watched_page.page.goto((curated_bundle / "search.html").as_uri())
    assert search(watched_page, "retracted") == []
    assert search(watched_page, "harbour dues") == ["Port authority cuts harbour dues for grain ships"]
