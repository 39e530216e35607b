"""Property tests over the cleaner and the briefing writer (hypothesis).

Whatever bytes a capture holds: the cleaner either returns a document or raises a PipelineError (a refusal),
never anything else; the briefing written from any document has a well-formed header (only the project's
keys, each once, one line each, a blank line after it, the fingerprint matching); and its body, rendered as
the site renders it, carries no active content and shows each block's text as text. Any title gives a
page name that obeys G3, and any file name is shown in messages on one line with nothing raw a terminal
would act on (G11).
"""

from __future__ import annotations

import sys
import tempfile
from datetime import datetime, timezone
from pathlib import Path
from types import ModuleType

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefings.documents import Block, Briefing, CleanedDocument, Entity, Tagging
from briefings.errors import PipelineError
from briefings.extract import clean
from briefings.names import make_slug, printable_path
from briefings.read_raw import read_raw
from briefings.summarize import digest
from briefings.write_briefing import HEADER_KEYS, escape_markdown, one_line, read_existing, render_briefing

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "plugins"))
from briefing_reader.render import render_markdown  # noqa: E402  (the site's own renderer)

PAYLOADS = [
    "<script>alert('HS-prop')</script>", "<img src=x onerror=alert('HS-prop')>", "javascript:alert('HS-prop')",
    "]]></description></item><item><title>x", "</script><!--", "\nStatus: draft\nSave_as: pwned.html\n",
    "---\ntitle: injected\n---", "{: onclick=\"alert(1)\" }", "[x](javascript:alert(1))", "&lt;b&gt;",
    "&amp;T", "\u2028\u2029\ufeff\ufffe\uffff\x00\x07\x1b", "\u202eevil", "# heading", "> quote", "1. item",
    "- item", "***", "`code`", "<!-- c -->", "\\", "| a | b |", "${alert(1)}", "{{constructor}}",
]
WORDS = st.sampled_from(["The", "council", "approved", "the", "plan", "on", "Monday", "after", "a", "long",
                         "debate", "over", "costs", "and", "timing", "Київ", "Zürich", "ремонт", "AT&T",
                         "42%"])
TEXT = st.one_of(st.lists(WORDS, min_size=1, max_size=30).map(" ".join), st.sampled_from(PAYLOADS), st.text())
ATTRIBUTES = st.sampled_from([
    'onclick="alert(1)"', 'onerror="alert(1)"', 'href="javascript:alert(1)"', 'href=" jav&#x09;ascript:x"',
    'src="data:text/html,<script>alert(1)</script>"', 'style="background:url(javascript:alert(1))"',
    'srcdoc="<script>alert(1)</script>"', 'id="content"', 'name="q"', 'xlink:href="javascript:alert(1)"',
    'formaction="javascript:alert(1)"', 'href="https://example.org/a"',
    'title="</noscript><img src=x onerror=alert(1)>"',
])
TAGS = st.sampled_from(["p", "div", "span", "a", "img", "script", "style", "svg", "math", "iframe", "noscript",
                        "textarea", "title", "template", "table", "td", "h1", "h2", "li", "ul", "form", "button",
                        "object", "embed", "blockquote", "mglyph", "foreignObject", "xmp", "select"])


def element(tag: str, attributes: list[str], children: list[str]) -> str:
    return f"<{tag} {' '.join(attributes)}>{''.join(children)}</{tag}>"


MARKUP = st.recursive(TEXT, lambda children: st.builds(element, TAGS, st.lists(ATTRIBUTES, max_size=3),
                                                       st.lists(children, max_size=4)), max_leaves=25)


def page(title: str, parts: list[str]) -> str:
    prose = "<p>The harbour board approved a new schedule for the night ferries after a long public debate.</p>"
    return (f"<!DOCTYPE html><html><head><meta charset=utf-8><title>{title}</title></head><body><main><article>"
            f"<h1>{title}</h1>{prose}{''.join(parts)}{prose.replace('night', 'day')}</article></main></body></html>")


def header_and_body(checker: ModuleType, text: str) -> tuple[list[str], str]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "briefing.md"
        path.write_text(text, encoding="utf-8")
        problems = checker.read_briefing(path, frozenset(HEADER_KEYS)).header_problems
        if read_existing(path).hand_edited:
            problems.append("the fingerprint does not match a file the writer just wrote")
    return problems, text.partition("\n\n")[2]


def assert_inert(checker: ModuleType, body: str) -> str:
    fragment = checker.parse_fragment(render_markdown(body))
    problems = checker.active_content_problems(fragment, "body", checker.SiteKnown(), fragment, fragment=True)
    assert problems == []
    text: str = checker.text_content(fragment)
    return text


def briefing_of(document: CleanedDocument) -> Briefing:
    return Briefing(document=document, slug="x", uid="6f1d7a52-3c0e-4f5e-9a47-0b6c2f1e8d31", raw_path="raw/x.html",
                    tagging=Tagging(topics=("diplomacy",), entities=(Entity("Kyiv, city", "place"),)),
                    digest=digest(document))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(title=TEXT, parts=st.lists(MARKUP, min_size=1, max_size=6), suffix=st.sampled_from([".html", ".txt", ".md"]))
def test_any_capture_is_cleaned_or_refused_and_written_inert(checker: ModuleType, title: str, parts: list[str],
                                                             suffix: str) -> None:
    assert_cleaned_or_refused_and_inert(checker, page(title, parts), suffix)


def assert_cleaned_or_refused_and_inert(checker: ModuleType, capture: str, suffix: str) -> None:
    """The capture either gives a briefing with a well-formed header and an inert body, or a refusal naming it."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"capture{suffix}"
        path.write_text(capture, encoding="utf-8", errors="surrogatepass")
        try:
            document = clean(read_raw(path))
        except PipelineError as refusal:
            assert str(path.name) in str(refusal)
            return
    problems, body = header_and_body(checker, render_briefing(briefing_of(document)))
    assert problems == []
    assert_inert(checker, body)


HEADER_LIKE = st.sampled_from(["Title: injected", "Status: draft", "Date: 1999-01-01", "Save_as: pwned.html",
                               "---", "title: front matter", "Template: evil", "Slug: injected", ""])
LINES = st.lists(st.one_of(HEADER_LIKE, TEXT, st.lists(WORDS, min_size=8, max_size=40).map(" ".join)),
                 min_size=1, max_size=15)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(lines=LINES, suffix=st.sampled_from([".txt", ".md"]))
def test_any_text_capture_is_cleaned_or_refused_and_written_inert(checker: ModuleType, lines: list[str],
                                                                  suffix: str) -> None:
    assert_cleaned_or_refused_and_inert(checker, "\n".join(lines), suffix)


KINDS = st.sampled_from(["paragraph", "heading", "quote", "bullet", "ordered", "code"])
BLOCKS = st.lists(st.builds(Block, kind=KINDS, text=TEXT, level=st.integers(0, 6)), min_size=1, max_size=8)
WHEN = st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2100, 1, 1), timezones=st.just(timezone.utc))


@settings(max_examples=200, deadline=None)
@given(title=TEXT.filter(lambda t: bool(one_line(t))), blocks=BLOCKS, url=TEXT, site=TEXT, author=TEXT,
       section=TEXT, when=WHEN)
def test_any_document_gives_a_well_formed_inert_briefing(checker: ModuleType, title: str, blocks: list[Block],
                                                         url: str, site: str, author: str, section: str,
                                                         when: datetime) -> None:
    document = CleanedDocument(source=Path("raw/x.html"), sha256="0" * 64, title=title, blocks=tuple(blocks),
                               published=when, date_source="capture", captured=when, url=url, site_name=site,
                               section=section, author=author, language="en")
    text = render_briefing(briefing_of(document))
    problems, body = header_and_body(checker, text)
    assert problems == []
    assert checker._character_problem(text.encode("utf-8", "surrogatepass"), ".md", True) == ""
    assert_inert(checker, body)


@settings(max_examples=300, deadline=None)
@given(text=TEXT)
def test_escaped_text_renders_back_to_the_same_text(checker: ModuleType, text: str) -> None:
    shown = assert_inert(checker, escape_markdown(text))
    assert shown == checker.norm(one_line(text))


@settings(max_examples=500, deadline=None)
@given(title=TEXT, fallback=st.text(alphabet="0123456789abcdef", min_size=12, max_size=12))
def test_any_title_gives_a_safe_page_name(checker: ModuleType, title: str, fallback: str) -> None:
    slug = make_slug(title, fallback)
    assert checker.name_problem(f"{slug}.html") == "" and checker.name_problem(f"{slug}.md") == ""


@settings(max_examples=500, deadline=None)
@given(name=st.text(min_size=1))
def test_any_file_name_is_shown_on_one_clean_line(checker: ModuleType, name: str) -> None:
    shown = printable_path(name)
    assert "\n" not in shown and "\r" not in shown
    assert checker._RAW_CONTROL.search(shown) is None
