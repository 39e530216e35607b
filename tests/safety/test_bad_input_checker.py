"""The bad-input checker's own rules, on small real-shaped inputs: a checker that cannot fail proves nothing."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path
from types import ModuleType

import pytest


@pytest.mark.parametrize("name", ["index.html", "air-defense.html", "briefings-offline.zip", "lunr.2.3.9.js",
                                  "A_b-9.x"])
def test_safe_names_pass(checker: ModuleType, name: str) -> None:
    assert checker.name_problem(name) == ""


@pytest.mark.parametrize("name, why", [
    (".hidden.html", "starts with"), ("-rf.html", "starts with"), ("page.", "ends with"),
    ("two words.html", "characters"), ("..\\escape.html", "characters"), ("киев.html", "characters"),
    ("aux.html", "device"), ("Com1.tar.gz", "device"), ("LPT9", "device"), ("a" * 101, "100 bytes"),
])
def test_unsafe_names_are_named(checker: ModuleType, name: str, why: str) -> None:
    assert why in checker.name_problem(name)


@pytest.mark.parametrize("entry, bad", [
    ("index.html", False), ("briefings/markets-rally.html", False), ("theme/css/", False),
    ("../index.html", True), ("/etc/passwd", True), ("briefings\\x.html", True), ("a/./b.html", True),
    ("C:/x.html", True), ("briefings/.hidden.html", True),
])
def test_bundle_entry_names(checker: ModuleType, entry: str, bad: bool) -> None:
    assert bool(checker.zip_entry_problem(entry)) is bad


@pytest.mark.parametrize("url, bad", [
    ("https://example.org/a", False), ("../theme/css/site.css", False), ("mailto:desk@example.org", False),
    ("#top", False), ("//cdn.example.org/x.js", False), ("?q=budget", False),
    ("javascript:alert(1)", True), (" JaVaScRiPt:alert(1)", True), ("java\tscript:alert(1)", True),
    ("\x0ejavascript:alert(1)", True), ("vbscript:msgbox(1)", True), ("data:text/html,<script>", True),
    ("feed:javascript:alert(1)", True), ("file:///etc/passwd", True),
])
def test_url_schemes(checker: ModuleType, url: str, bad: bool) -> None:
    assert bool(checker.url_problem(url)) is bad


@pytest.mark.parametrize("line, reason", [
    ("inbox/empty.html: refused: empty file [empty]", "empty"),
    ("inbox/consent.html: no article text (empty page, or only a consent wall) [no-article-text]",
     "no-article-text"),
    ("inbox/photo.html: refused: binary file (a PNG image)", "binary"),
    ("inbox/dump.txt: refused: too large (20,971,520 bytes)", "too-large"),
    ("inbox/b.html: duplicate of inbox/a.html (identical bytes)", "duplicate"),
    ("ingest: 3 ingested, 0 updated", ""),
])
def test_refusal_reasons(checker: ModuleType, line: str, reason: str) -> None:
    assert checker.reason_of(line) == reason


def test_a_line_is_about_the_file_it_names_first(checker: ModuleType) -> None:
    names = ["wire-story.html", "wire-story (1).html", "story.html"]
    line = "/tmp/inbox/wire-story (1).html: duplicate of /tmp/inbox/wire-story.html [duplicate]"
    assert checker.line_subject(line, names) == "wire-story (1).html"
    assert checker.line_subject("/tmp/inbox/my-story.html: refused [empty]", names) == ""


def test_escaped_control_characters_still_name_the_file(checker: ModuleType) -> None:
    name = "bidi\u202eevil\u0007name.html"
    line = "/tmp/inbox/bidi\\u202eevil\\x07name.html: refused: empty file [empty]"
    assert checker.line_subject(line, [name]) == name
    backslashed = "..\\up\\LPT1.html"
    assert checker.line_subject("/tmp/inbox/..\\\\up\\\\LPT1.html: refused [binary]", [backslashed]) == backslashed


@pytest.mark.parametrize("text", [
    'window.briefingSearch = {"docs": [["a.html", "A"]]};',
    '{"docs": []}',
    'registerShard(3, [["b.html", "B </script>"]]);',
])
def test_search_data_is_found_inside_javascript(checker: ModuleType, text: str) -> None:
    assert checker.js_data_part(text) is not None


def test_search_data_followed_by_code_is_refused(checker: ModuleType) -> None:
    with pytest.raises(ValueError, match="unexpected code"):
        checker.js_data_part('var d = {"a": 1}; alert(1);')


def test_generated_parts_are_concatenated_in_order(checker: ModuleType) -> None:
    parts = [{"text": "<p>"}, {"repeat": "ж", "count": 700_000}, {"text": "</p>"}]
    data = b"".join(checker.build_parts(parts))
    assert data == b"<p>" + "ж".encode() * 700_000 + b"</p>"


PAGE = """<!DOCTYPE html><html><head><script src="theme/js/search.js" defer></script></head><body>
<main><article>{body}</article></main></body></html>"""


def problems_of(checker: ModuleType, body: str, known: object | None = None) -> list[str]:
    site = known or site_known(checker)
    root = checker.parse_html(PAGE.format(body=body))
    result: list[str] = checker.active_content_problems(root, "archives.html", site, checker.main_element(root))
    return result


def site_known(checker: ModuleType) -> object:
    known = checker.SiteKnown()
    known.learn(checker.parse_html(PAGE.format(body="<p>Benign text.</p>")), "index.html")
    return known


def test_clean_page_has_no_active_content(checker: ModuleType) -> None:
    assert problems_of(checker, '<p>Text with <a href="https://example.org/">a link</a> and '
                                '&lt;script&gt;alert(1)&lt;/script&gt; as text.</p>') == []


@pytest.mark.parametrize("body, expected", [
    ("<script>alert('BI-1')</script>", "inline <script>"),
    ('<script src="https://evil.example/x.js"></script>', "not one of the site's scripts"),
    ('<img src=x onerror="alert(1)">', "event handler"),
    ('<a href="jav&#x09;ascript:alert(1)">x</a>', "scheme javascript"),
    ('<a href="&#x6A;avascript&colon;alert(1)">x</a>', "scheme javascript"),
    ('<iframe srcdoc="x"></iframe>', "srcdoc"),
    ('<svg><a xlink:href="javascript:alert(1)">x</a></svg>', "scheme javascript"),
    ("<math><mi>x</mi></math>", "<math> inside"),
    ('<p style="color:red">x</p>', "style=...> inside"),
    ('<img srcset="a.png 1x, javascript:alert(1) 2x">', "scheme javascript"),
    ("<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\"></p></noscript>", "event handler"),
    ('<button formaction="javascript:alert(1)">go</button>', "formaction"),
    ("<template><img src=x onerror=alert(1)></template>", "<template> inside"),
])
def test_active_content_is_found(checker: ModuleType, body: str, expected: str) -> None:
    assert any(expected in problem for problem in problems_of(checker, body)), problems_of(checker, body)


def test_site_script_is_known_from_any_page_depth(checker: ModuleType) -> None:
    known = site_known(checker)
    deep = ('<!DOCTYPE html><html><head><script src="../theme/js/search.js" defer></script></head>'
            '<body><main><p>x</p></main></body></html>')
    root = checker.parse_html(deep)
    assert checker.active_content_problems(root, "briefings/x.html", known, checker.main_element(root)) == []


def test_visible_text_keeps_markup_looking_text_and_separates_blocks(checker: ModuleType) -> None:
    root = checker.parse_html("<main><p>&lt;script&gt;alert('x')&lt;/script&gt;</p><table><tr><td>Cell one</td>"
                              "<td>Cell two</td></tr></table><p>caf\u0065\u0301</p></main>")
    text = checker.text_content(checker.main_element(root))
    assert "<script>alert('x')</script>" in text
    assert "Cell one Cell two" in text
    assert "caf\u00e9" in text  # NFC


def test_briefing_header_problems_are_listed(checker: ModuleType, tmp_path: Path) -> None:
    path = tmp_path / "x.md"
    path.write_text("Title: A\nStatus: draft\nTitle: B\nSave_as: pwned.html\nnot a header line\n\nBody\n",
                    encoding="utf-8")
    problems = checker.read_briefing(path, frozenset({"Title"})).header_problems
    assert any("appears twice" in p for p in problems)
    assert any("forbidden key Status" in p for p in problems)
    assert any("forbidden key Save_as" in p for p in problems)
    assert any("not 'Key: value'" in p for p in problems)


def test_inbox_is_filled_byte_exact_and_verified(checker: ModuleType, hostile_corpus: Path,
                                                 tmp_path: Path) -> None:
    _, cases = checker.load_cases(hostile_corpus)
    small = [case for case in cases if case.size < 1_000_000]
    assert checker.fill_inbox(hostile_corpus, small, tmp_path / "inbox") == []
    for case in small:
        data = (tmp_path / "inbox" / case.file).read_bytes()
        assert hashlib.sha256(data).hexdigest() == case.sha256


def test_a_changed_inbox_file_is_reported(checker: ModuleType, hostile_corpus: Path, tmp_path: Path) -> None:
    _, cases = checker.load_cases(hostile_corpus)
    case = next(case for case in cases if case.stored and case.size > 0)
    corpus = tmp_path / "corpus"
    (corpus / "inbox").mkdir(parents=True)
    shutil.copy2(hostile_corpus / "inbox" / case.file, corpus / "inbox" / case.file)
    with (corpus / "inbox" / case.file).open("ab") as stream:
        stream.write(b"\n")
    problems = checker.fill_inbox(corpus, [case], tmp_path / "inbox")
    assert len(problems) == 1 and case.id in problems[0]


def test_invisible_elements_are_not_visible_text(checker: ModuleType) -> None:
    root = checker.parse_html("<main><p>Shown</p><noscript>hidden one</noscript><template>hidden two</template>"
                              "</main>")
    assert checker.text_content(checker.main_element(root)) == "Shown"


def test_browser_check_catches_a_dialog_and_passes_a_clean_page(checker: ModuleType, tmp_path: Path,
                                                                browser: object) -> None:
    (tmp_path / "clean.html").write_text("<main><h1>Quiet page</h1></main>", encoding="utf-8")
    (tmp_path / "loud.html").write_text("<main><img src=x onerror=\"alert('BI-loud')\"></main>", encoding="utf-8")
    (tmp_path / "quiet-log.html").write_text("<main><img src=x onerror=\"console.log('BI-loud')\"></main>",
                                             encoding="utf-8")
    (tmp_path / "search.html").write_text(
        "<main><input type=search id=q><div id=r></div></main><script>document.getElementById('q')"
        ".addEventListener('input', e => { const a = document.createElement('a'); a.href = 'clean.html';"
        " a.textContent = 'Quiet page'; document.getElementById('r').replaceChildren(a); });</script>",
        encoding="utf-8")
    findings = checker.browse(tmp_path.as_uri() + "/", ["clean.html", "loud.html", "quiet-log.html"], "search.html",
                              [checker.Query("case-1", "Quiet", "Quiet page")], "test", {"BI-loud": "case-loud"},
                              browser)
    assert len(findings.problems) == 2, findings.problems
    assert "loud.html" in findings.problems[0] and "quiet-log.html" in findings.problems[1]
    assert [case_id for case_id, _ in findings.case_problems] == ["case-loud", "case-loud"]


def briefing_file(checker: ModuleType, folder: Path, slug: str, title: str, sha: str) -> object:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{slug}.md"
    path.write_text(f"Title: {title}\nDate: 2025-01-02T00:00:00+00:00\nRaw: inbox/{slug}.html\nRaw_Sha256: {sha}\n"
                    f"Uid: 00000000-0000-4000-8000-00000000000{len(slug) % 10}\n\nBody.\n", encoding="utf-8")
    return checker.read_briefing(path, frozenset({"Title", "Date", "Raw", "Raw_Sha256", "Uid"}))


def site_with_index(checker: ModuleType, tmp_path: Path, index_js: str) -> tuple[object, object, list[object]]:
    output = tmp_path / "output"
    (output / "search").mkdir(parents=True)
    (output / "search" / "index.js").write_text(index_js, encoding="utf-8")
    briefings = [briefing_file(checker, tmp_path / "content", "at-t-results", "AT&T <and> Verizon", "a" * 64),
                 briefing_file(checker, tmp_path / "content", "budget-talks", "Budget talks stall", "b" * 64)]
    outcome = checker.Outcome(briefings=briefings, by_case={}, notices={}, unmatched=[])
    site = checker.Site(output=output, pages={}, briefing_pages={}, inbox=tmp_path, known=checker.SiteKnown())
    return site, outcome, briefings


def test_search_index_with_each_briefing_once_passes(checker: ModuleType, tmp_path: Path) -> None:
    site, outcome, _ = site_with_index(checker, tmp_path, 'window.s = {"docs": [["briefings/at-t-results.html", '
                                       '"AT&T <and> Verizon"], ["briefings/budget-talks.html", "Budget talks"]]};')
    report = checker.Report()
    checker.check_search_index(site, [], outcome, report)
    assert report.rules.get("G6", []) == []


@pytest.mark.parametrize("index_js, expected", [
    ('window.s = {"docs": [["briefings/at-t-results.html", "AT&T"]]};', "budget-talks: 0 search documents"),
    ('window.s = {"docs": [["briefings/at-t-results.html", "A"], ["briefings/at-t-results.html", "A"], '
     '["briefings/budget-talks.html", "B"]]};', "at-t-results: 2 search documents"),
    ('window.s = {"docs": [["briefings/at-t-results.html", "x</script><script>alert(1)//"], '
     '["briefings/budget-talks.html", "B"]]};', "'</script'"),
    ('window.s = {"docs": [["briefings/at-t-results.html", "line\u2028sep"], ["briefings/budget-talks.html", "B"]]};',
     "U+2028"),
    ('window.s = {"docs": [["briefings/at-t-results.html", "A"], ["briefings/budget-talks.html", "B"],]};',
     "not JSON data"),
])
def test_search_index_problems_are_found(checker: ModuleType, tmp_path: Path, index_js: str, expected: str) -> None:
    site, outcome, _ = site_with_index(checker, tmp_path, index_js)
    report = checker.Report()
    checker.check_search_index(site, [], outcome, report)
    assert any(expected in problem for problem in report.rules.get("G6", [])), report.rules


ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Briefings</title><id>urn:x</id>
<updated>2025-01-02T00:00:00Z</updated><author><name>Desk</name></author>
<entry><title type="html">AT&amp;amp;T &amp;lt;and&amp;gt; Verizon</title><id>urn:uuid:1</id>
<link href="https://example.org/briefings/at-t-results.html"/><updated>2025-01-02T00:00:00Z</updated>
<content type="html">{content}</content></entry></feed>"""


def test_feed_titles_are_decoded_as_their_type_says(checker: ModuleType, tmp_path: Path) -> None:
    path = tmp_path / "all.atom.xml"
    path.write_text(ATOM.format(content="&lt;p&gt;Fine&lt;/p&gt;"), encoding="utf-8")
    feed = checker.read_feed(path, "feeds/all.atom.xml")
    assert feed.problems == []
    assert feed.entries[0].title == "AT&T <and> Verizon"
    assert feed.entries[0].html == ["<p>Fine</p>"]


def test_broken_feeds_are_reported(checker: ModuleType, tmp_path: Path) -> None:
    path = tmp_path / "all.atom.xml"
    path.write_text(ATOM.format(content="]]></content></entry><entry><title>x</title>"), encoding="utf-8")
    assert "not well-formed" in checker.read_feed(path, "f").problems[0]
    path.write_text(ATOM.format(content="bell \x07 here"), encoding="utf-8")
    assert checker.read_feed(path, "f").problems


def test_outcomes_map_briefings_and_lines_to_cases(checker: ModuleType, tmp_path: Path) -> None:
    manifest_cases = [
        {"id": "a", "family": "duplicate", "file": "story.html", "stored": True, "bytes": 1, "sha256": "s" * 64,
         "expect": "ingest", "duplicate_group": "g"},
        {"id": "b", "family": "duplicate", "file": "story (1).html", "stored": True, "bytes": 1, "sha256": "s" * 64,
         "expect": "reject", "reject_reason": "duplicate", "duplicate_group": "g", "duplicate_of": "a"},
        {"id": "c", "family": "empty-junk", "file": "empty.html", "stored": True, "bytes": 0, "sha256": "e" * 64,
         "expect": "reject", "reject_reason": "empty"},
        {"id": "d", "family": "binary", "file": "photo.html", "stored": True, "bytes": 9, "sha256": "p" * 64,
         "expect": "reject", "reject_reason": "binary"},
        {"id": "e", "family": "filename", "file": ".hidden.html", "stored": True, "bytes": 9, "sha256": "h" * 64,
         "expect": "ingest"},
    ]
    cases = [checker.Case(id=c["id"], family=c["family"], file=c["file"], stored=True, size=c["bytes"],
                          sha256=c["sha256"], expect=c["expect"], raw=c) for c in manifest_cases]
    briefing_file(checker, tmp_path / "content" / "briefings", "story", "Story", "s" * 64)
    stderr = ("/in/story (1).html: duplicate of /in/story.html (identical bytes) [duplicate]\n"
              "/in/empty.html: refused: binary file\n")
    result = checker.RunResult("ingest", 1, "ingest: 1 ingested, 1 duplicates, 1 refused (1 empty)\n", stderr,
                               1.0, 50.0, False)
    outcome = checker.collect_outcome(tmp_path, cases, result)
    report = checker.Report()
    checker.check_outcomes(cases, outcome, report)
    assert not report.cases.get("a") and not report.cases.get("b")
    assert "refused as binary, expected empty" in report.cases["c"][0]
    assert "silently skipped" in report.cases["d"][0] and "silently skipped" in report.cases["e"][0]
