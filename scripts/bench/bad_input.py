"""`make check-bad-input`: run the whole pipeline on the hostile-input corpus and check every rule.

    .venv/bin/python scripts/bench/bad_input.py [--corpus DIR] [--work DIR] [--keep] [--no-browser]
                                                [--no-bounds]

--corpus tests/fixtures/hostile runs the project's own hostile fixtures (same format, no ../shared needed).

Follows "How a run works" of the corpus README (../shared/corpus/bad-input/README.md):
a fresh project folder (copies of pelican.conf.py, theme/, plugins/, content/taxonomy/), a fresh inbox with
every manifest case (stored ones copied byte-exact, generated ones built from `parts` and verified), a
record of the inbox and of the project tree, `briefings ingest` then `briefings build`, the global rules
G1-G15 and every case's own expectations, then a second ingest and build for G13.

What the site's "own" scripts, URLs and template elements are is learnt from a baseline build of the same
project from the repository's benign sample captures (content/raw/): anything the hostile build adds beyond
that came from article text.

The bad corpus is run for real: G5 needs Debian's chromium (/usr/bin/chromium) and Playwright (Python);
cases with time_limit_s / max_rss_mib are also ingested alone in a fresh project, timed and measured
(peak memory = the largest of wait4's ru_maxrss and the summed PSS of the process group, sampled).

Prints one PASS/FAIL line per rule and per case, then "family: passed/total" per family; exits 1 on any
failure (or a skipped rule), 2 when the corpus or the project cannot be set up.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import hashlib
import http.server
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import unicodedata
import urllib.parse
import zipfile
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import html5lib  # type: ignore[import-untyped]

REPO = Path(__file__).resolve().parents[2]
DEFAULT_CORPUS = REPO.parent / "shared" / "corpus" / "bad-input"


def _briefings_cli() -> str:
    """The project's `briefings` program: beside this interpreter, else in the project's venv, else on PATH."""
    for candidate in (Path(sys.executable).with_name("briefings"), REPO / ".venv" / "bin" / "briefings"):
        if candidate.exists():
            return str(candidate)
    return shutil.which("briefings") or "briefings"


BRIEFINGS_CLI = _briefings_cli()
GNU_TIME = "/usr/bin/time"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run"]

# What the project copy needs to build; everything else of the repository stays out of the run.
PROJECT_SKIP = frozenset({".git", ".venv", "output", "tests", "scripts", "bench", ".ci", ".pytest_cache",
                          ".hypothesis", ".mypy_cache", ".briefings-cache", "build", "__pycache__"})
CONTENT_SKIP = frozenset({"raw", "briefings"})
# The documented cache folder (.gitignore) may be written besides content/ and output/.
ALLOWED_TOP_LEVEL = frozenset({"content", "output", ".briefings-cache"})

RUN_TIMEOUT_S = 600
WHOLE_RUN_LIMIT_S = 600
WHOLE_RUN_LIMIT_MIB = 1536
BUNDLE_NAME = "briefings-offline.zip"
PRINT_CALLED = "__bad_input_print_called__"
PAYLOAD_QUERY = "<img src=x onerror=alert('BI-query')>"
HAND_EDIT = "Curator note BI-EDIT: checked against the council minutes by hand."

WINDOWS_DEVICES = frozenset({"CON", "PRN", "AUX", "NUL"} | {f"COM{i}" for i in range(1, 10)}
                            | {f"LPT{i}" for i in range(1, 10)})
FALLBACK_HEADER_KEYS = ("Title", "Date", "Date_Source", "Captured", "Source", "Source_Url", "Section", "Byline",
                        "Language", "Topics", "Tags", "Summary", "Key_Points", "Raw", "Raw_Sha256", "Uid",
                        "Fingerprint")
FORBIDDEN_KEYS = frozenset({"status", "save_as", "url", "template", "lang", "translation", "modified", "slug"})

FORBIDDEN_IN_CONTENT = frozenset({"iframe", "frame", "object", "embed", "applet", "base", "form", "input",
                                  "button", "textarea", "select", "style", "link", "meta", "svg", "math",
                                  "template", "script"})
FORBIDDEN_ATTRIBUTES = frozenset({"srcdoc", "formaction", "action"})
URL_ATTRIBUTES = frozenset({"href", "src", "srcset", "action", "formaction", "poster", "background", "cite",
                            "longdesc", "lowsrc", "dynsrc", "data", "xlink:href", "ping"})
SAFE_SCHEMES = frozenset({"http", "https", "mailto"})
DATA_SCRIPT_TYPES = frozenset({"application/ld+json", "application/json"})
BLOCK_TAGS = frozenset({"address", "article", "aside", "blockquote", "br", "dd", "details", "div", "dl", "dt",
                        "figcaption", "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr",
                        "li", "main", "nav", "ol", "p", "pre", "section", "summary", "table", "tbody", "td",
                        "tfoot", "th", "thead", "tr", "ul", "time"})
INVISIBLE_TAGS = frozenset({"script", "style", "noscript", "template", "head"})
TEXT_SUFFIXES = frozenset({".html", ".htm", ".xml", ".js", ".mjs", ".json", ".css", ".txt", ".md", ".toml",
                           ".atom", ".rss", ".opml", ".svg", ".csv", ".map", ".webmanifest", ".xsl"})
XLINK_NS = "{http://www.w3.org/1999/xlink}"

_XML_FORBIDDEN = re.compile("[^\x09\x0a\x0d\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_BAD_TEXT_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_LONE_SURROGATE_ESCAPE = re.compile(r"\\u(?:d[89ab][0-9a-f]{2}(?!\\ud[c-f][0-9a-f]{2})"
                                    r"|(?<!\\ud[89ab][0-9a-f]{2})d[c-f][0-9a-f]{2})", re.I)
# Control and bidi characters that must never reach a terminal raw (G11).
_RAW_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]")
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.\-]*):")
_URL_NOISE = re.compile("[\x00-\x20\x7f]")
_HEADER_LINE = re.compile(r"^([A-Za-z][A-Za-z0-9_]*): (.*)$")

# Most specific first: "no article text (empty page ...)" is a no-article-text refusal, not an empty file.
REASON_PATTERNS: dict[str, re.Pattern[str]] = {
    "duplicate": re.compile(r"duplicate", re.I),
    "too-large": re.compile(r"too[ _-]?large|too big|size limit|larger than", re.I),
    "binary": re.compile(r"\bbinary\b", re.I),
    "no-article-text": re.compile(r"no[ _-]article|no (usable |readable )?(article|body)( text)?\b|"
                                  r"no paragraphs|nothing to brief", re.I),
    "empty": re.compile(r"\bempty\b", re.I),
}


# ---------------------------------------------------------------------------------------------------------
# Small pure helpers (unit-checked in tests/safety/test_bad_input_checker.py)

def norm(text: str) -> str:
    """Text as the README compares it: NFC, every run of white space one space, trimmed."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for chunk in iter(lambda: stream.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def build_parts(parts: list[dict[str, Any]]) -> Iterator[bytes]:
    """The bytes of a generated case, in chunks: each text once, each repeat `count` times (UTF-8)."""
    for part in parts:
        if "text" in part:
            yield part["text"].encode("utf-8")
        else:
            unit = part["repeat"].encode("utf-8")
            count = int(part["count"])
            batch = max(1, (1 << 20) // max(len(unit), 1))
            while count > 0:
                yield unit * min(batch, count)
                count -= batch


def name_problem(component: str) -> str:
    """Why a created path component breaks G3, or "" when it is safe."""
    if not re.fullmatch(r"[A-Za-z0-9._-]+", component):
        return "characters outside A-Z a-z 0-9 . _ -"
    if component[0] in ".-":
        return "starts with '.' or '-'"
    if component.endswith((".", " ")):
        return "ends with '.' or a space"
    if len(component.encode("utf-8")) > 100:
        return "longer than 100 bytes"
    if component.split(".")[0].upper() in WINDOWS_DEVICES:
        return "a Windows device name"
    return ""


def zip_entry_problem(name: str) -> str:
    """Why a bundle entry name breaks G3, or "" when it is safe."""
    if "\\" in name:
        return "contains a backslash"
    if name.startswith("/") or re.match(r"^[A-Za-z]:", name):
        return "absolute"
    for component in name.rstrip("/").split("/"):
        if component in ("", ".", ".."):
            return "empty, '.' or '..' segment"
        problem = name_problem(component)
        if problem:
            return f"component {component!r}: {problem}"
    return ""


def url_problem(value: str) -> str:
    """Why a URL attribute value is unsafe (G4), or "" when it is relative or http/https/mailto."""
    cleaned = _URL_NOISE.sub("", value)
    match = _SCHEME.match(cleaned)
    if match and match.group(1).lower() not in SAFE_SCHEMES:
        return f"scheme {match.group(1).lower()}:"
    return ""


def srcset_urls(value: str) -> list[str]:
    return [candidate.strip().split()[0] for candidate in value.split(",") if candidate.strip()]


def search_word(title: str) -> str:
    """A word of the title to type into the search box: the longest word, the first on a tie."""
    words = [word for word in re.findall(r"\w+", title) if not word.isdigit()]
    return max(words, key=len) if words else title


def reason_of(line: str) -> str:
    """The refusal reason a log line states ("" when it states none); a reason tag like [binary] wins."""
    tagged = re.search(r"\[(" + "|".join(map(re.escape, REASON_PATTERNS)) + r")\]", line)
    if tagged:
        return tagged.group(1)
    for reason, pattern in REASON_PATTERNS.items():
        if pattern.search(line):
            return reason
    return ""


def name_forms(name: str) -> list[str]:
    """Ways a message may show a file name: as is, with backslashes doubled, with controls escaped."""
    escaped = "".join(_escape_char(char) for char in name)
    forms = {name, name.replace("\\", "\\\\"), escaped, json.dumps(name, ensure_ascii=False)[1:-1]}
    return sorted(forms, key=len, reverse=True)


def _escape_char(char: str) -> str:
    if char == "\\":
        return "\\\\"
    if unicodedata.category(char).startswith("C") or unicodedata.category(char) in ("Zl", "Zp"):
        code = ord(char)
        return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"
    return char


def line_subject(line: str, names: Iterable[str]) -> str:
    """The file a log line is about: the inbox file named first in it (the longest name on a tie)."""
    best: tuple[int, int, str] | None = None
    for name in names:
        for form in name_forms(name):
            position = _find_name(line, form)
            if position >= 0 and (best is None or (position, -len(form)) < (best[0], best[1])):
                best = (position, -len(form), name)
    return best[2] if best else ""


def _find_name(line: str, form: str) -> int:
    # A name counts only as a whole path component: "story.html" is not named by "my-story.html".
    start = 0
    while True:
        position = line.find(form, start)
        if position < 0:
            return -1
        before = line[position - 1] if position else " "
        if before in " /\t'\"`(:[" or position == 0:
            return position
        start = position + 1


def js_data_part(text: str) -> Any:
    """The JSON data of a search-index file: the whole file, or the one literal of a JS assignment/call."""
    try:
        return json.loads(text)
    except ValueError:
        pass
    starts = [index for index in (text.find("{"), text.find("[")) if index >= 0]
    if not starts:
        raise ValueError("no JSON object or array in the file")
    value, end = json.JSONDecoder().raw_decode(text, min(starts))
    if not re.fullmatch(r"\s*\)?\s*;?\s*", text[end:]):
        raise ValueError(f"unexpected code after the data: {text[end:end + 40]!r}")
    return value


# ---------------------------------------------------------------------------------------------------------
# HTML: parse as a browser does (html5lib), then inspect

def _parser() -> Any:
    return html5lib.HTMLParser(tree=html5lib.getTreeBuilder("etree"), namespaceHTMLElements=False)


def parse_html(text: str) -> ElementTree.Element:
    """The page as a browser parses it; scripting on, so <noscript> holds raw text as in Chromium."""
    root: ElementTree.Element = _parser().parse(text, scripting=True)
    return root


def parse_fragment(text: str) -> ElementTree.Element:
    root: ElementTree.Element = _parser().parseFragment(text, scripting=True)
    return root


def local(tag: Any) -> str:
    if not isinstance(tag, str):
        return ""  # comments and processing instructions
    return tag.rsplit("}", 1)[-1].lower()


def attr_name(name: str) -> str:
    if name.startswith(XLINK_NS):
        return "xlink:" + name[len(XLINK_NS):]
    return name.rsplit("}", 1)[-1].lower()


def text_content(element: ElementTree.Element) -> str:
    """The element's text, with a space at block boundaries (so cells and paragraphs do not run together)."""
    parts: list[str] = []
    _collect_text(element, parts)
    return norm("".join(parts))


def _collect_text(element: ElementTree.Element, parts: list[str]) -> None:
    tag = local(element.tag)
    if tag in INVISIBLE_TAGS:
        return  # never rendered as text; a payload in them is G4's business
    if tag and tag in BLOCK_TAGS:
        parts.append(" ")
    if tag and element.text:
        parts.append(element.text)
    for child in element:
        _collect_text(child, parts)
        if child.tail:
            parts.append(child.tail)
    if tag and tag in BLOCK_TAGS:
        parts.append(" ")


def find_first(root: ElementTree.Element, predicate: Callable[[ElementTree.Element], bool]
               ) -> ElementTree.Element | None:
    for element in root.iter():
        if predicate(element):
            return element
    return None


def main_element(root: ElementTree.Element) -> ElementTree.Element:
    """The page's main element (or role=main, or body)."""
    found = (find_first(root, lambda e: local(e.tag) == "main")
             or find_first(root, lambda e: e.get("role") == "main")
             or find_first(root, lambda e: local(e.tag) == "body"))
    return found if found is not None else root


def page_title(root: ElementTree.Element) -> str:
    """The title as shown on a briefing page: the first h1 of main, else of the page, else <title>."""
    for scope in (main_element(root), root):
        heading = find_first(scope, lambda e: local(e.tag) == "h1")
        if heading is not None:
            return text_content(heading)
    title = find_first(root, lambda e: local(e.tag) == "title")
    return text_content(title) if title is not None else ""


def signature(element: ElementTree.Element) -> str:
    return local(element.tag) + json.dumps(sorted((attr_name(k), v) for k, v in element.attrib.items()))


@dataclass(slots=True)
class SiteKnown:
    """What the theme itself puts in pages, learnt from the baseline build."""

    script_srcs: set[str] = field(default_factory=set)
    inline_scripts: set[str] = field(default_factory=set)
    url_values: set[str] = field(default_factory=set)
    content_signatures: set[str] = field(default_factory=set)
    ids: set[str] = field(default_factory=set)

    def learn(self, root: ElementTree.Element, page: str) -> None:
        inside = {id(e) for e in main_element(root).iter()}
        for element in root.iter():
            tag = local(element.tag)
            if tag == "script":
                if element.get("src"):
                    self.script_srcs.add(resolve(page, element.get("src", "")))
                else:
                    self.inline_scripts.add(sha256_bytes((element.text or "").encode()))
            for name, value in element.attrib.items():
                if attr_name(name) in URL_ATTRIBUTES:
                    self.url_values.add(value)
                if attr_name(name) in ("id", "name"):
                    self.ids.add(value)
            if id(element) in inside:
                self.content_signatures.add(signature(element))


def resolve(page: str, url: str) -> str:
    """A URL as an output-relative path when it points into the site, else as given."""
    joined = urllib.parse.urljoin(f"http://site.invalid/{page}", url.strip())
    parts = urllib.parse.urlsplit(joined)
    return parts.path.lstrip("/") if parts.netloc == "site.invalid" else joined


def active_content_problems(root: ElementTree.Element, page: str, known: SiteKnown,
                            content: ElementTree.Element | None, fragment: bool = False) -> list[str]:
    """G4 problems of one parsed page (or feed entry fragment), each naming the page."""
    problems: list[str] = []
    inside = {id(e) for e in content.iter()} if content is not None else set()
    for element in root.iter():
        tag = local(element.tag)
        if not tag:
            continue
        in_content = id(element) in inside
        if tag == "script":
            problems += _script_problem(element, page, known, fragment)
        elif in_content and tag in FORBIDDEN_IN_CONTENT and signature(element) not in known.content_signatures:
            problems.append(f"{page}: <{tag}> inside briefing content")
        for raw_name, value in element.attrib.items():
            name = attr_name(raw_name)
            if name.startswith("on"):
                problems.append(f"{page}: <{tag} {name}=...> event handler")
            elif name in FORBIDDEN_ATTRIBUTES:
                problems.append(f"{page}: <{tag} {name}=...> attribute")
            elif name == "style" and in_content and signature(element) not in known.content_signatures:
                problems.append(f"{page}: <{tag} style=...> inside briefing content")
            if name in URL_ATTRIBUTES and value not in known.url_values:
                urls = srcset_urls(value) if name == "srcset" else [value]
                for url in urls:
                    why = url_problem(url)
                    if why:
                        problems.append(f"{page}: <{tag} {name}={value[:60]!r}> {why}")
    return problems


def _script_problem(element: ElementTree.Element, page: str, known: SiteKnown, fragment: bool) -> list[str]:
    kind = (element.get("type") or "").strip().lower()
    body = element.text or ""
    if kind in DATA_SCRIPT_TYPES and not fragment:
        if "<!--" in body or "</script" in body.lower():
            return [f"{page}: data <script type={kind}> holds '<!--' or '</script'"]
        return []
    src = element.get("src")
    if fragment:
        return [f"{page}: <script> in feed entry HTML"]
    if src:
        if resolve(page, src) not in known.script_srcs:
            return [f"{page}: <script src={src[:60]!r}> is not one of the site's scripts"]
        return []
    if sha256_bytes(body.encode()) not in known.inline_scripts:
        return [f"{page}: inline <script> not among the site's own: {norm(body)[:60]!r}"]
    return []


# ---------------------------------------------------------------------------------------------------------
# The corpus and the inbox

@dataclass(frozen=True, slots=True)
class Case:
    id: str
    family: str
    file: str
    stored: bool
    size: int
    sha256: str
    expect: str
    raw: dict[str, Any]

    @property
    def acceptable(self) -> set[str]:
        return {self.expect, *self.raw.get("also_acceptable", [])}

    @property
    def checks(self) -> dict[str, Any]:
        return dict(self.raw.get("checks", {}))


def load_cases(corpus: Path) -> tuple[dict[str, Any], list[Case]]:
    manifest = json.loads((corpus / "manifest.json").read_text(encoding="utf-8"))
    cases = [Case(id=raw["id"], family=raw["family"], file=raw["file"], stored=raw["stored"], size=raw["bytes"],
                  sha256=raw["sha256"], expect=raw["expect"], raw=raw) for raw in manifest["cases"]]
    return manifest, cases


def fill_inbox(corpus: Path, cases: list[Case], inbox: Path) -> list[str]:
    """Put every case file into the inbox; returns the problems (a wrong size or checksum)."""
    inbox.mkdir(parents=True)
    problems = []
    for case in cases:
        target = inbox / case.file
        if case.stored:
            shutil.copy2(corpus / "inbox" / case.file, target)
            digest, size = sha256_file(target), target.stat().st_size
        else:
            digest_builder, size = hashlib.sha256(), 0
            with target.open("wb") as stream:
                for chunk in build_parts(case.raw["parts"]):
                    stream.write(chunk)
                    digest_builder.update(chunk)
                    size += len(chunk)
            digest = digest_builder.hexdigest()
        if digest != case.sha256 or size != case.size:
            problems.append(f"{case.id}: inbox copy has {size} bytes, sha256 {digest[:12]}; the manifest says "
                            f"{case.size} bytes, {case.sha256[:12]}")
    return problems


@dataclass(frozen=True, slots=True)
class FileState:
    sha256: str
    size: int
    mtime_ns: int
    symlink: bool


def snapshot(root: Path) -> dict[str, FileState]:
    """Every file, folder and link below root (relative POSIX path -> state); folders have an empty sha256."""
    states: dict[str, FileState] = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            path = Path(dirpath) / name
            relative = path.relative_to(root).as_posix()
            info = path.lstat()
            is_link = path.is_symlink()
            digest = sha256_file(path) if path.is_file() and not is_link else ""
            states[relative] = FileState(digest, info.st_size if digest else 0, info.st_mtime_ns, is_link)
    return states


def copy_project(destination: Path) -> None:
    """A fresh project folder: everything the build reads, none of the generated or raw content."""
    destination.mkdir(parents=True)
    for entry in sorted(REPO.iterdir()):
        if entry.name in PROJECT_SKIP or entry.name.endswith(".egg-info"):
            continue
        if entry.name == "content":
            (destination / "content").mkdir()
            for child in sorted(entry.iterdir()):
                if child.name not in CONTENT_SKIP:
                    _copy_entry(child, destination / "content" / child.name)
        else:
            _copy_entry(entry, destination / entry.name)


def _copy_entry(source: Path, target: Path) -> None:
    if source.is_dir():
        shutil.copytree(source, target, symlinks=True,
                        ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    else:
        shutil.copy2(source, target)


# ---------------------------------------------------------------------------------------------------------
# Running the pipeline

@dataclass(frozen=True, slots=True)
class RunResult:
    command: str
    returncode: int
    stdout: str
    stderr: str
    wall_s: float
    peak_rss_mib: float
    timed_out: bool

    @property
    def lines(self) -> list[str]:
        # Split on LF only: a file name may hold U+2028, U+0085 or a lone CR, which must show escaped.
        return [line for line in (self.stderr + "\n" + self.stdout).split("\n") if line.strip()]

    @property
    def crashed(self) -> bool:
        return self.timed_out or "Traceback (most recent call last)" in self.stderr or self.returncode < 0


def run_command(args: list[str], cwd: Path, logs: Path, label: str, timeout: float = RUN_TIMEOUT_S
                ) -> RunResult:
    """Run a command with its output in files; wall time and the peak RSS of it and its children."""
    logs.mkdir(parents=True, exist_ok=True)
    out_path, err_path = logs / f"{label}.stdout", logs / f"{label}.stderr"
    environment = dict(os.environ, PYTHONDONTWRITEBYTECODE="1", PYTHONIOENCODING="utf-8")
    environment["TMPDIR"] = str(logs.parent / "tmp")
    (logs.parent / "tmp").mkdir(exist_ok=True)
    maxrss_path = logs / f"{label}.maxrss"
    maxrss_path.unlink(missing_ok=True)
    start = time.monotonic()
    with out_path.open("wb") as out, err_path.open("wb") as err:
        process = subprocess.Popen(_measured(args, maxrss_path), cwd=cwd, stdout=out, stderr=err,
                                   stdin=subprocess.DEVNULL, env=environment, start_new_session=True)
        status, rusage, timed_out, sampled_kib = _wait(process, timeout)
    wall = time.monotonic() - start
    # The largest single process, and the sampled sum over the group (worker pools).
    peak_kib = max(_largest_process_kib(maxrss_path, rusage), sampled_kib)
    return RunResult(command=" ".join(args), returncode=os.waitstatus_to_exitcode(status),
                     stdout=out_path.read_text(encoding="utf-8", errors="replace"),
                     stderr=err_path.read_text(encoding="utf-8", errors="replace"),
                     wall_s=wall, peak_rss_mib=peak_kib / 1024, timed_out=timed_out)


def _measured(args: list[str], maxrss_path: Path) -> list[str]:
    """The command run under GNU time when the machine has it. A child forked straight from a big process (a
    test session) reports that process's memory in its own ru_maxrss; under `time` it is forked from a small
    one, so the figure is the command's own."""
    if not Path(GNU_TIME).is_file():
        return args
    return [GNU_TIME, "--quiet", "--format", "%M", "--output", str(maxrss_path), *args]


def _largest_process_kib(maxrss_path: Path, rusage: Any) -> int:
    if maxrss_path.is_file():
        figures = maxrss_path.read_text(encoding="utf-8").split()
        if figures and figures[-1].isdigit():
            return int(figures[-1])
    return int(rusage.ru_maxrss)


def _wait(process: subprocess.Popen[bytes], timeout: float) -> tuple[int, Any, bool, int]:
    """Wait for the process (killing its group after `timeout`); also the peak summed RSS of its group."""
    deadline = time.monotonic() + timeout
    peak_kib = 0
    while True:
        pid, status, rusage = os.wait4(process.pid, os.WNOHANG)
        if pid:
            process.returncode = os.waitstatus_to_exitcode(status)
            return status, rusage, False, peak_kib
        if time.monotonic() > deadline:
            os.killpg(process.pid, 9)
            _, status, rusage = os.wait4(process.pid, 0)
            process.returncode = os.waitstatus_to_exitcode(status)
            return status, rusage, True, peak_kib
        peak_kib = max(peak_kib, group_rss_kib(process.pid))
        time.sleep(0.05)


def group_rss_kib(group: int) -> int:
    """The memory (KiB) of every process in a process group, from /proc: proportional set sizes, so pages a
    forked worker shares with its parent count once; resident sizes where smaps_rollup cannot be read."""
    total = 0
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            stat = Path(entry.path, "stat").read_text()
            fields = stat[stat.rindex(")") + 2:].split()
            if int(fields[2]) != group:  # fields after the name: state, ppid, pgrp, ...
                continue
            total += _pss_kib(Path(entry.path)) or int(fields[21]) * os.sysconf("SC_PAGE_SIZE") // 1024
        except (OSError, ValueError, IndexError):
            continue  # the process ended while we looked
    return total


def _pss_kib(proc: Path) -> int:
    try:
        for line in (proc / "smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def ingest(project: Path, inbox: Path, logs: Path, label: str, timeout: float = RUN_TIMEOUT_S) -> RunResult:
    return run_command([BRIEFINGS_CLI, "ingest", str(inbox), "--briefings",
                        str(project / "content" / "briefings")], project, logs, label, timeout)


def build(project: Path, logs: Path, label: str) -> RunResult:
    result = run_command([BRIEFINGS_CLI, "build", "--content", str(project / "content"), "--output",
                          str(project / "output")], project, logs, label)
    if result.returncode == 0 and not (project / "output" / BUNDLE_NAME).exists():
        # The bundle is normally written by the build's plugin; the CLI can write it too.
        run_command([BRIEFINGS_CLI, "bundle", "--output", str(project / "output")], project, logs,
                    label + "-bundle")
    return result


# ---------------------------------------------------------------------------------------------------------
# Reading what the run produced

@dataclass(slots=True)
class BriefingFile:
    path: Path
    slug: str
    header: dict[str, str]
    header_problems: list[str]
    body: str
    page: Path | None = None
    page_root: ElementTree.Element | None = None


def read_briefing(path: Path, allowed_keys: frozenset[str]) -> BriefingFile:
    """A briefing file and every way its header breaks G10."""
    data = path.read_bytes()
    problems = []
    if data.startswith(b"\xef\xbb\xbf"):
        problems.append("starts with a BOM")
    text = data.decode("utf-8", errors="replace").lstrip("\ufeff")
    if "\n\n" not in text:
        problems.append("the header does not end with a blank line")
    header_text, _, body = text.partition("\n\n")
    header: dict[str, str] = {}
    for line in header_text.split("\n"):
        match = _HEADER_LINE.match(line)
        if not match:
            problems.append(f"header line is not 'Key: value': {line[:60]!r}")
            continue
        key, value = match.groups()
        if key in header:
            problems.append(f"key {key} appears twice")
        if key not in allowed_keys:
            problems.append(f"key {key} is not one the project writes")
        if key.lower() in FORBIDDEN_KEYS:
            problems.append(f"forbidden key {key}: {value[:40]!r}")
        if "\r" in value:
            problems.append(f"key {key} holds a carriage return")
        header[key] = value
    if not header.get("Title"):
        problems.append("no Title")
    return BriefingFile(path=path, slug=path.stem, header=header, header_problems=problems, body=body)


def header_keys() -> frozenset[str]:
    try:
        from briefings.write_briefing import HEADER_KEYS  # type: ignore[import-untyped]
        return frozenset(HEADER_KEYS)
    except ImportError:
        return frozenset(FALLBACK_HEADER_KEYS)


def html_pages(output: Path) -> list[Path]:
    return sorted(path for path in output.rglob("*") if path.suffix.lower() in (".html", ".htm")
                  and path.is_file())


def find_page(output: Path, slug: str) -> Path | None:
    direct = output / f"{slug}.html"
    if direct.is_file():
        return direct
    found = sorted(output.rglob(f"{slug}.html")) or sorted(output.rglob(f"{slug}/index.html"))
    return found[0] if found else None


@dataclass(slots=True)
class FeedEntry:
    feed: str
    title: str
    link: str
    entry_id: str
    html: list[str]


@dataclass(slots=True)
class Feed:
    path: str
    entries: list[FeedEntry]
    problems: list[str]


ATOM = "{http://www.w3.org/2005/Atom}"


def read_feed(path: Path, relative: str) -> Feed | None:
    """A feed file (Atom or RSS) with its G7 parse problems; None when the XML file is not a feed."""
    import feedparser  # type: ignore[import-untyped]
    from lxml import etree  # type: ignore[import-untyped]

    data = path.read_bytes()
    problems: list[str] = []
    try:
        root = etree.fromstring(data, parser=etree.XMLParser(resolve_entities=False, no_network=True,
                                                             huge_tree=True))
    except etree.XMLSyntaxError as error:
        return Feed(relative, [], [f"{relative}: not well-formed XML: {error}"])
    if root.tag not in (f"{ATOM}feed", "rss"):
        return None
    if _XML_FORBIDDEN.search(data.decode("utf-8", errors="replace")):
        problems.append(f"{relative}: XML-forbidden characters")
    parsed = feedparser.parse(data)
    if parsed.bozo:
        problems.append(f"{relative}: feedparser bozo: {parsed.get('bozo_exception')}")
    entries = _atom_entries(root, relative) if root.tag == f"{ATOM}feed" else _rss_entries(root, relative)
    return Feed(relative, entries, problems)


def _atom_entries(root: Any, relative: str) -> list[FeedEntry]:
    entries = []
    for entry in root.iter(f"{ATOM}entry"):
        title = entry.find(f"{ATOM}title")
        link = next((l.get("href", "") for l in entry.iter(f"{ATOM}link")
                     if l.get("rel", "alternate") == "alternate"), "")
        html = [node.text or "" for node in entry if node.tag in (f"{ATOM}content", f"{ATOM}summary")
                and node.get("type") == "html"]
        entries.append(FeedEntry(relative, _atom_text(title), link, entry.findtext(f"{ATOM}id") or "", html))
    return entries


def _atom_text(node: Any) -> str:
    if node is None:
        return ""
    kind = node.get("type", "text")
    if kind == "html":
        return text_content(parse_fragment(node.text or ""))
    if kind == "xhtml":
        return norm("".join(node.itertext()))
    return norm(node.text or "")


def _rss_entries(root: Any, relative: str) -> list[FeedEntry]:
    entries = []
    for item in root.iter("item"):
        html = [item.findtext("description") or ""]
        html += [node.text or "" for node in item if node.tag.endswith("}encoded")]
        entries.append(FeedEntry(relative, norm(item.findtext("title") or ""), item.findtext("link") or "",
                                 item.findtext("guid") or "", html))
    return entries


def read_json_feed(path: Path, relative: str) -> Feed | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError):
        return None
    if not isinstance(data, dict) or "jsonfeed.org" not in str(data.get("version", "")):
        return None
    entries = [FeedEntry(relative, norm(str(item.get("title", ""))), str(item.get("url", "")),
                         str(item.get("id", "")), [str(item.get("content_html", ""))])
               for item in data.get("items", [])]
    return Feed(relative, entries, [])


# ---------------------------------------------------------------------------------------------------------
# The report

@dataclass(slots=True)
class Report:
    rules: dict[str, list[str]] = field(default_factory=dict)
    cases: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    notes: list[str] = field(default_factory=list)
    skipped: dict[str, str] = field(default_factory=dict)   # rule -> why it was not checked

    def rule(self, rule: str, problems: Iterable[str]) -> None:
        self.rules.setdefault(rule, []).extend(problems)

    def case(self, case_id: str, problem: str) -> None:
        self.cases[case_id].append(problem)


RULE_NAMES = {
    "G1": "containment", "G2": "inbox untouched", "G3": "safe names", "G4": "no active content",
    "G5": "browser check", "G6": "search index", "G7": "feeds", "G8": "text", "G9": "clean characters",
    "G10": "metadata integrity", "G11": "rejections", "G12": "nothing silently skipped", "G13": "idempotence",
    "G14": "bounds", "G15": "unique pages",
}


def print_report(report: Report, cases: list[Case]) -> bool:
    """Print every rule and case line and the per-family summary; returns True when all passed."""
    for rule, name in RULE_NAMES.items():
        problems = report.rules.get(rule, [])
        if rule in report.skipped and not problems:
            print(f"SKIP {rule} {name}: {report.skipped[rule]}")
            continue
        print(_line(f"{rule} {name}", problems))
    by_family: dict[str, list[bool]] = defaultdict(list)
    for case in cases:
        problems = report.cases.get(case.id, [])
        print(_line(f"case {case.id} ({case.family})", problems))
        by_family[case.family].append(not problems)
    for note in report.notes:
        print(f"NOTE {note}")
    print("---")
    for family in sorted(by_family):
        print(f"{family}: {sum(by_family[family])}/{len(by_family[family])}")
    passed_rules = sum(1 for rule in RULE_NAMES if not report.rules.get(rule) and rule not in report.skipped)
    passed_cases = sum(1 for case in cases if not report.cases.get(case.id))
    skipped = f" ({len(report.skipped)} skipped)" if report.skipped else ""
    print(f"rules: {passed_rules}/{len(RULE_NAMES)}{skipped}")
    print(f"cases: {passed_cases}/{len(cases)}")
    return passed_rules == len(RULE_NAMES) and passed_cases == len(cases)


def _line(label: str, problems: list[str]) -> str:
    if not problems:
        return f"PASS {label}"
    shown = "; ".join(_one_line(problem) for problem in problems[:4])
    more = f" (+{len(problems) - 4} more)" if len(problems) > 4 else ""
    return f"FAIL {label}: {shown}{more}"


def _one_line(text: str) -> str:
    return "".join(_escape_char(char) if char != "\\" else char for char in text)


# ---------------------------------------------------------------------------------------------------------
# Which briefing and which log lines belong to which case

@dataclass(slots=True)
class Outcome:
    briefings: list[BriefingFile]
    by_case: dict[str, list[BriefingFile]]
    notices: dict[str, list[tuple[str, str]]]   # case id -> [(reason, line)]
    unmatched: list[BriefingFile]


def collect_outcome(project: Path, cases: list[Case], result: RunResult) -> Outcome:
    """Map briefings to cases by Raw_Sha256 (and Raw's file name between identical twins) and log lines to
    cases by the file they name first."""
    allowed = header_keys()
    briefings = [read_briefing(path, allowed) for path in sorted((project / "content" / "briefings").glob("*.md"))]
    by_sha: dict[str, list[Case]] = defaultdict(list)
    for case in cases:
        by_sha[case.sha256].append(case)
    by_case: dict[str, list[BriefingFile]] = defaultdict(list)
    unmatched = []
    for briefing in briefings:
        candidates = by_sha.get(briefing.header.get("Raw_Sha256", ""), [])
        if len(candidates) > 1:
            raw_name = briefing.header.get("Raw", "").rsplit("/", 1)[-1]
            candidates = [case for case in candidates if case.file == raw_name] or candidates[:1]
        if not candidates:
            unmatched.append(briefing)
        for case in candidates:
            by_case[case.id].append(briefing)
    notices: dict[str, list[tuple[str, str]]] = defaultdict(list)
    by_file = {case.file: case for case in cases}
    for line in result.lines:
        reason = reason_of(line)
        subject = line_subject(line, by_file) if reason else ""
        if subject:
            notices[by_file[subject].id].append((reason, line))
    return Outcome(briefings, by_case, notices, unmatched)


def check_outcomes(cases: list[Case], outcome: Outcome, report: Report) -> None:
    """Per-case ingest/reject expectations, duplicate groups, G11 and G12."""
    groups: dict[str, list[Case]] = defaultdict(list)
    for case in cases:
        if "duplicate_group" in case.raw:
            groups[case.raw["duplicate_group"]].append(case)
        else:
            _check_single(case, outcome, report)
    for members in groups.values():
        _check_group(members, outcome, report)
    for briefing in outcome.unmatched:
        report.rule("G12", [f"{briefing.path.name}: Raw_Sha256 {briefing.header.get('Raw_Sha256', '-')!r} "
                            "matches no inbox file"])


def _check_single(case: Case, outcome: Outcome, report: Report) -> None:
    made = outcome.by_case.get(case.id, [])
    notices = outcome.notices.get(case.id, [])
    if len(made) > 1:
        _fail(report, "G12", case, f"{len(made)} briefings: {', '.join(b.slug for b in made)}")
    if made and notices:
        _fail(report, "G11", case, f"ingested but also refused: {notices[0][1]!r}")
    if made:
        if "ingest" not in case.acceptable:
            _fail(report, "G11", case, f"briefing {made[0].slug} from a file that must be refused "
                                       f"({case.raw.get('reject_reason')})")
        return
    if not notices:
        _fail(report, "G12", case, "no briefing and no refusal line (silently skipped)")
        return
    if len(notices) > 1:
        _fail(report, "G11", case, f"{len(notices)} refusal lines, expected one: {[n[1] for n in notices]!r}")
    if "reject" not in case.acceptable:
        _fail(report, "G11", case, f"refused, expected a briefing: {notices[0][1]!r}")
    elif case.expect == "reject" and notices[0][0] != case.raw.get("reject_reason"):
        _fail(report, "G11", case, f"refused as {notices[0][0]}, expected {case.raw.get('reject_reason')}: "
                                   f"{notices[0][1]!r}")


def _check_group(members: list[Case], outcome: Outcome, report: Report) -> None:
    made = {briefing.path: briefing for case in members for briefing in outcome.by_case.get(case.id, [])}
    kept = [case for case in members if outcome.by_case.get(case.id)]
    if len(made) != 1:
        for case in members:
            _fail(report, "G12", case, f"group {case.raw['duplicate_group']} gave {len(made)} briefings, "
                                       "expected exactly one")
        return
    keeper = kept[0]
    for case in members:
        if case is keeper:
            continue
        notices = outcome.notices.get(case.id, [])
        if len(notices) != 1:
            _fail(report, "G11", case, f"{len(notices)} duplicate notices, expected one "
                                       f"{[n[1] for n in notices]!r}")
            continue
        reason, line = notices[0]
        if reason != "duplicate":
            _fail(report, "G11", case, f"notice says {reason}, expected duplicate: {line!r}")
        elif not any(_find_name(line, form) >= 0 for form in name_forms(keeper.file)):
            _fail(report, "G11", case, f"duplicate notice does not name the kept file {keeper.file!r}: {line!r}")


def _fail(report: Report, rule: str, case: Case, problem: str) -> None:
    report.rule(rule, [f"{case.id}: {problem}"])
    report.case(case.id, f"{rule}: {problem}")


def briefing_of(case: Case, cases: list[Case], outcome: Outcome) -> BriefingFile | None:
    """The briefing that stands for a case: its own, or its duplicate group's."""
    own = outcome.by_case.get(case.id)
    if own:
        return own[0]
    group = case.raw.get("duplicate_group")
    if group and case.expect == "ingest":
        for other in cases:
            if other.raw.get("duplicate_group") == group and outcome.by_case.get(other.id):
                return outcome.by_case[other.id][0]
    return None


# ---------------------------------------------------------------------------------------------------------
# Tree rules: G1, G2, G3, G9

def check_tree(before: dict[str, FileState], after: dict[str, FileState], report: Report) -> list[str]:
    """G1 and G3 over what the run created or changed; returns the created paths."""
    created = [path for path in after if path not in before]
    changed = [path for path in after if path in before and after[path] != before[path]
               and after[path].sha256 != ""]
    removed = [path for path in before if path not in after]
    g1 = []
    for path in created + changed + removed:
        if path.split("/", 1)[0] not in ALLOWED_TOP_LEVEL:
            g1.append(f"{'created' if path in created else 'changed' if path in changed else 'removed'} "
                      f"{path!r} outside content/ and output/")
    g1 += [f"symlink created: {path!r}" for path in created if after[path].symlink]
    report.rule("G1", g1)
    g3 = []
    for path in created:
        top, _, rest = path.partition("/")
        if top not in ("content", "output") or not rest:
            continue
        for component in rest.split("/"):
            problem = name_problem(component)
            if problem:
                g3.append(f"{path!r}: {problem}")
                break
    report.rule("G3", sorted(set(g3)))
    # A refused or interrupted write must not leave half a file behind.
    partial = [path for path in created if path.startswith("content/")
               and re.search(r"(\.part|\.tmp|~)$|/(tmp|\.#)[^/]*$", path)]
    report.rule("G11", [f"partial or temporary file left: {path!r}" for path in partial])
    return created


def check_inbox(before: dict[str, FileState], after: dict[str, FileState], report: Report) -> None:
    problems = [f"removed or renamed: {name!r}" for name in before if name not in after]
    problems += [f"added: {name!r}" for name in after if name not in before]
    problems += [f"changed: {name!r}" for name in before if name in after and before[name] != after[name]]
    report.rule("G2", problems)


def check_characters(project: Path, report: Report, owner: Callable[[str], list[str]]) -> None:
    """G9: no NUL, C0 controls (but TAB/LF/CR), U+FFFE/U+FFFF or lone surrogates; content/ is UTF-8 w/o BOM."""
    for top in ("content", "output"):
        for path in sorted((project / top).rglob("*")):
            if not path.is_file() or path.is_symlink():
                continue
            relative = path.relative_to(project).as_posix()
            if top == "output" and path.suffix.lower() not in TEXT_SUFFIXES:
                continue
            problem = _character_problem(path.read_bytes(), path.suffix.lower(), top == "content")
            if problem:
                report.rule("G9", [f"{relative}: {problem}"])
                for case_id in owner(relative):
                    report.case(case_id, f"G9: {relative}: {problem}")


def _character_problem(data: bytes, suffix: str, must_be_utf8: bool) -> str:
    if must_be_utf8 and data.startswith(b"\xef\xbb\xbf"):
        return "UTF-8 BOM"
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        return f"not UTF-8 ({error.reason} at byte {error.start})"
    bad = _BAD_TEXT_CHARS.search(text)
    if bad:
        return f"forbidden character U+{ord(bad.group()):04X} at {bad.start()}"
    if suffix in (".js", ".json", ".mjs") and _LONE_SURROGATE_ESCAPE.search(text):
        return "escaped lone surrogate"
    return ""


# ---------------------------------------------------------------------------------------------------------
# Pages: G4, G8 and the case checks that look at pages

@dataclass(slots=True)
class Site:
    output: Path
    pages: dict[str, ElementTree.Element]              # output-relative path -> parsed page
    briefing_pages: dict[str, str]                      # slug -> output-relative page path
    inbox: Path
    known: SiteKnown
    feeds: list[Feed] = field(default_factory=list)


def load_site(output: Path, inbox: Path, known: SiteKnown, outcome: Outcome, report: Report) -> Site:
    pages = {}
    for path in html_pages(output):
        relative = path.relative_to(output).as_posix()
        pages[relative] = parse_html(path.read_text(encoding="utf-8", errors="replace"))
    briefing_pages = {}
    for briefing in outcome.briefings:
        page = find_page(output, briefing.slug)
        if page is None:
            report.rule("G15", [f"{briefing.slug}: no page output/{briefing.slug}.html"])
            continue
        briefing.page = page
        briefing_pages[briefing.slug] = page.relative_to(output).as_posix()
        briefing.page_root = pages.get(briefing_pages[briefing.slug])
    return Site(output, pages, briefing_pages, inbox, known)


def check_pages(site: Site, known: SiteKnown, report: Report, owner: Callable[[str], list[str]]) -> None:
    """G4 over every HTML page; briefing content is the main element (search pages hold no content).
    The same problem on many pages (a template's) is reported once with the number of pages."""
    pages_by_kind: dict[str, list[str]] = defaultdict(list)
    for relative, root in site.pages.items():
        # Only the site's own search page holds no briefing content; a briefing may well be slugged "search-...".
        is_search = relative.lower() in ("search.html", "search/index.html")
        content = None if is_search else main_element(root)
        problems = active_content_problems(root, relative, known, content)
        for problem in problems:
            pages_by_kind[problem.split(": ", 1)[1]].append(relative)
        for case_id in owner(f"output/{relative}"):
            for problem in problems:
                report.case(case_id, f"G4: {problem}")
    for kind, pages in sorted(pages_by_kind.items(), key=lambda item: -len(item[1])):
        where = pages[0] if len(pages) == 1 else f"{len(pages)} pages, e.g. {pages[0]}"
        report.rule("G4", [f"{kind} ({where})"])


def check_case_pages(cases: list[Case], outcome: Outcome, site: Site, report: Report) -> None:
    """G8 (title_contains on the page, text_contains, text_absent) for every case with a briefing."""
    for case in cases:
        briefing = briefing_of(case, cases, outcome)
        if briefing is None:
            continue
        if briefing.page_root is None:
            _fail(report, "G15", case, f"briefing {briefing.slug} has no page")
            continue
        text = text_content(main_element(briefing.page_root))
        title = page_title(briefing.page_root)
        expected_title = case.raw.get("title_contains")
        if expected_title and norm(expected_title) not in title:
            _fail(report, "G8", case, f"page title {title[:80]!r} lacks {expected_title!r}")
        for wanted in case.raw.get("text_contains", []):
            if norm(wanted) not in text:
                _fail(report, "G8", case, f"page text lacks {wanted!r}")
        for unwanted in case.raw.get("text_absent", []):
            if norm(unwanted) and norm(unwanted) in text:
                _fail(report, "G8", case, f"page text shows {unwanted!r}")


def check_case_checks(cases: list[Case], outcome: Outcome, site: Site, project: Path, report: Report) -> None:
    """The `checks` of each case that can be judged from files (bounds are run apart)."""
    listings = [(relative, root) for relative, root in site.pages.items()
                if Path(relative).stem.startswith(("index", "archives"))]
    main_feed = max(site.feeds, key=lambda feed: len(feed.entries), default=None)
    for case in cases:
        briefing = briefing_of(case, cases, outcome)
        checks = case.checks
        if briefing is None:
            if checks and case.expect == "ingest":
                continue  # already failed as missing
            _check_no_output(case, checks, project, report)
            continue
        _check_briefing_checks(case, checks, briefing, cases, outcome, report)
        if checks.get("published"):
            page = site.briefing_pages.get(briefing.slug, "")
            if not any(_links_to(root, relative, page) for relative, root in listings):
                _fail(report, "G10", case, "published: not linked from index or archives pages")
            if main_feed is None or not _entries_for(main_feed, briefing):
                _fail(report, "G10", case, "published: not in the main feed")
        _check_no_output(case, checks, project, report)
        if checks.get("feed_entries_match_briefings"):
            # The feed problems are already G7 failures; here they also fail the case that asks for them.
            for problem in list(report.rules.get("G7", [])):
                if "entries for briefing" in problem or "matches" in problem or "XML" in problem:
                    report.case(case.id, f"G7: feed_entries_match_briefings: {problem}")
        if checks.get("no_clobber_ids") and briefing.page_root is not None:
            _check_ids(case, briefing, site.inbox / case.file, site.known, report)


def _check_briefing_checks(case: Case, checks: dict[str, Any], briefing: BriefingFile, cases: list[Case],
                           outcome: Outcome, report: Report) -> None:
    title = briefing.header.get("Title", "")
    date = briefing.header.get("Date", "")
    for prefix in checks.get("date_not", []):
        if date.startswith(prefix):
            _fail(report, "G10", case, f"date_not: Date is {date}")
    if checks.get("title_single_line") and ("\n" in title or "\r" in title or briefing.header_problems):
        _fail(report, "G10", case, f"title_single_line: {briefing.header_problems[:2]}")
    if checks.get("title_no_bom") and "\ufeff" in title:
        _fail(report, "G9", case, "title_no_bom: the title holds U+FEFF")
    if checks.get("slug_nonempty") and not re.search(r"[a-z0-9]", briefing.slug):
        _fail(report, "G15", case, f"slug_nonempty: slug {briefing.slug!r}")
    other_id = checks.get("distinct_from")
    if other_id:
        other_case = next((c for c in cases if c.id == other_id), None)
        other = briefing_of(other_case, cases, outcome) if other_case else None
        if other is None:
            _fail(report, "G15", case, f"distinct_from: {other_id} has no briefing")
        elif other.slug == briefing.slug or other.page is None or other.page == briefing.page:
            _fail(report, "G15", case, f"distinct_from: shares slug or page with {other_id}")


def _check_no_output(case: Case, checks: dict[str, Any], project: Path, report: Report) -> None:
    names = set(checks.get("no_output_named", []))
    strings = [s.encode("utf-8") for s in checks.get("no_text_anywhere", [])]
    if not names and not strings:
        return
    for top in ("content", "output"):
        for path in (project / top).rglob("*"):
            if path.name in names:
                _fail(report, "G1", case, f"no_output_named: {path.relative_to(project)} exists")
            if strings and path.is_file():
                data = path.read_bytes()
                for wanted in strings:
                    if wanted in data:
                        _fail(report, "G4", case, f"no_text_anywhere: {path.relative_to(project)} holds "
                                                  f"{wanted.decode()!r}")


def _check_ids(case: Case, briefing: BriefingFile, raw: Path, known: SiteKnown, report: Report) -> None:
    """no_clobber_ids: no id/name in the briefing's main element that the article itself carried."""
    assert briefing.page_root is not None
    raw_text = raw.read_bytes().decode("utf-8", errors="replace")
    article_values = set(re.findall(r"""\b(?:id|name)\s*=\s*["']?([^"'\s>]+)""", raw_text, re.I))
    for element in main_element(briefing.page_root).iter():
        for name in ("id", "name"):
            value = element.get(name)
            if value and value in article_values and value not in known.ids:
                _fail(report, "G4", case, f"no_clobber_ids: <{local(element.tag)} {name}={value!r}> from the article")


def _links_to(root: ElementTree.Element, relative: str, page: str) -> bool:
    """Whether the page at `relative` links to the output-relative `page`."""
    for element in root.iter():
        if local(element.tag) == "a":
            target = resolve(relative, element.get("href", ""))
            # An absolute link (SITEURL set) points at the page when its path ends with the page's path.
            if target == page or urllib.parse.urlsplit(target).path.endswith("/" + page):
                return True
    return False


def _entries_for(feed: Feed, briefing: BriefingFile) -> list[FeedEntry]:
    uid = briefing.header.get("Uid", "")
    found = []
    for entry in feed.entries:
        link_name = urllib.parse.urlsplit(entry.link).path.rsplit("/", 1)[-1]
        if (uid and uid in entry.entry_id) or link_name == f"{briefing.slug}.html" or \
                urllib.parse.urlsplit(entry.link).path.rstrip("/").endswith(f"/{briefing.slug}"):
            found.append(entry)
    return found


# ---------------------------------------------------------------------------------------------------------
# Feeds (G7) and the search index (G6)

def check_feeds(site: Site, cases: list[Case], outcome: Outcome, report: Report) -> None:
    for path in sorted(site.output.rglob("*")):
        suffix = path.suffix.lower()
        relative = path.relative_to(site.output).as_posix()
        if suffix in (".xml", ".atom", ".rss"):
            feed = read_feed(path, relative)
        elif suffix == ".json":
            feed = read_json_feed(path, relative)
        else:
            continue
        if feed is not None:
            site.feeds.append(feed)
            report.rule("G7", feed.problems)
    if not site.feeds:
        report.rule("G7", ["no feed found under output/"])
    for feed in site.feeds:
        _check_feed_entries(feed, site, outcome, report)
    for case in cases:
        briefing = briefing_of(case, cases, outcome)
        expected = case.raw.get("title_contains")
        if briefing is None or not expected:
            continue
        entries = [entry for feed in site.feeds for entry in _entries_for(feed, briefing)]
        if not entries:
            _fail(report, "G7", case, "no feed entry")
        for entry in entries:
            if norm(expected) not in entry.title:
                _fail(report, "G7", case, f"{entry.feed}: entry title {entry.title[:80]!r} lacks {expected!r}")


def _check_feed_entries(feed: Feed, site: Site, outcome: Outcome, report: Report) -> None:
    counts: Counter[str] = Counter()
    for entry in feed.entries:
        owners = [briefing for briefing in outcome.briefings if _entries_for(Feed(feed.path, [entry], []), briefing)]
        if len(owners) != 1:
            report.rule("G7", [f"{feed.path}: entry {entry.title[:60]!r} ({entry.link}) matches "
                               f"{len(owners)} briefings"])
            continue
        counts[owners[0].slug] += 1
        for html in entry.html:
            fragment = parse_fragment(html)
            report.rule("G7", [f"entry HTML {problem}" for problem in active_content_problems(
                fragment, f"{feed.path} entry {owners[0].slug}", site.known, fragment, fragment=True)])
    for slug, count in counts.items():
        if count > 1:
            report.rule("G7", [f"{feed.path}: {count} entries for briefing {slug}"])


@dataclass(slots=True)
class SearchDoc:
    file: str
    titles: list[str]
    values: list[str]


def check_search_index(site: Site, cases: list[Case], outcome: Outcome, report: Report) -> None:
    """G6: the index files hold valid JSON data, nothing that ends a script, every briefing exactly once."""
    docs: list[SearchDoc] = []
    markers = [b.slug for b in outcome.briefings] + [b.header.get("Uid", "") for b in outcome.briefings]
    markers = [marker for marker in markers if marker]
    for path in sorted(site.output.rglob("*")):
        relative = path.relative_to(site.output).as_posix()
        if path.suffix.lower() not in (".js", ".json") or "search" not in relative.lower():
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        try:
            data = js_data_part(text)
        except ValueError as error:
            if any(marker in text for marker in markers):
                report.rule("G6", [f"{relative}: holds briefing data but is not JSON data: {error}"])
            continue  # code, not data
        if path.suffix.lower() == ".js":
            for bad, what in (("</script", "'</script'"), ("<!--", "'<!--'"), ("\u2028", "raw U+2028"),
                              ("\u2029", "raw U+2029")):
                if bad in text.lower():
                    report.rule("G6", [f"{relative}: contains {what}"])
        docs += [SearchDoc(relative, titles, values) for titles, values in _titled_objects(data)]
    if not docs:
        report.rule("G6", ["no search index with titled documents found under output/ (*search*.js/json)"])
        return
    for each in outcome.briefings:
        found = [doc for doc in docs if _doc_is(doc, each)]
        if len(found) != 1:
            report.rule("G6", [f"{each.slug}: {len(found)} search documents, expected 1"])
    for case in cases:
        briefing = briefing_of(case, cases, outcome)
        expected = case.raw.get("title_contains")
        if briefing is None or not expected:
            continue
        for doc in docs:
            if _doc_is(doc, briefing) and not any(norm(expected) in norm(title) for title in doc.titles):
                shown = next((t for t in doc.titles if not t.endswith((".html", ".htm"))), doc.titles[0])
                _fail(report, "G6", case, f"{doc.file}: search title {shown[:80]!r} lacks {expected!r}")


def _titled_objects(data: Any, depth: int = 0) -> Iterator[tuple[list[str], list[str]]]:
    """Search documents in index data: (title candidates, all values). A document is an object with a
    string "title" (or "t"), or a flat array of values holding a page URL (its title is one of them)."""
    if depth > 50:
        return
    if isinstance(data, dict):
        title = data.get("title", data.get("t"))
        if isinstance(title, str):
            yield [title], [str(value) for value in data.values() if isinstance(value, (str, int))]
        for value in data.values():
            yield from _titled_objects(value, depth + 1)
    elif isinstance(data, list):
        scalars = [value for value in data if isinstance(value, str)]
        if len(scalars) >= 2 and any(re.search(r"\.html?(#.*)?$", value) for value in scalars):
            yield scalars, scalars
            return
        for value in data:
            yield from _titled_objects(value, depth + 1)


def _doc_is(doc: SearchDoc, briefing: BriefingFile) -> bool:
    slug, uid = briefing.slug, briefing.header.get("Uid", "")
    for value in doc.values:
        path = urllib.parse.urlsplit(value).path
        if value in (slug, uid) or path.endswith((f"/{slug}.html", f"/{slug}/")) or path == f"{slug}.html":
            return True
    return False


def check_build(outcome: Outcome, result: RunResult, report: Report) -> None:
    """G15: the build exits 0, overwrites nothing, and processes every briefing."""
    problems = []
    if result.returncode != 0 or result.timed_out:
        problems.append(f"build exited {result.returncode}: {_output_tail(result)}")
    if re.search(r"overwrit", result.stderr + result.stdout, re.I):
        problems.append("build reports an overwrite: " + next(line for line in result.lines
                                                                 if re.search("overwrit", line, re.I)))
    processed = re.search(r"Processed (\d+) articles?", result.stdout + result.stderr)
    if processed and int(processed.group(1)) != len(outcome.briefings):
        problems.append(f"Pelican processed {processed.group(1)} articles for {len(outcome.briefings)} briefings")
    slugs = Counter(briefing.slug for briefing in outcome.briefings)
    problems += [f"slug {slug!r} used {count} times" for slug, count in slugs.items() if count > 1]
    problems += [f"{briefing.path.name}: slug without [a-z0-9]" for briefing in outcome.briefings
                 if not re.search(r"[a-z0-9]", briefing.slug)]
    report.rule("G15", problems)


def _tail(text: str, lines: int = 3) -> str:
    return " | ".join(text.strip().splitlines()[-lines:]) or "(no output)"


def _output_tail(result: RunResult) -> str:
    """The last lines of a run's messages: errors on stderr, or on stdout for programs that log there."""
    return _tail(result.stderr) if result.stderr.strip() else _tail(result.stdout)


def check_headers(outcome: Outcome, report: Report, owner: Callable[[str], list[str]]) -> None:
    """G10 over every briefing header."""
    for briefing in outcome.briefings:
        for problem in briefing.header_problems:
            report.rule("G10", [f"{briefing.path.name}: {problem}"])
            for case_id in owner(f"content/briefings/{briefing.path.name}"):
                report.case(case_id, f"G10: {problem}")
        try:
            from briefings.write_briefing import read_existing
            if read_existing(briefing.path).hand_edited:
                report.rule("G10", [f"{briefing.path.name}: its Fingerprint does not match what ingest wrote"])
        except ImportError:
            pass


# ---------------------------------------------------------------------------------------------------------
# G5: headless Chromium over every page, web and offline bundle

@dataclass(frozen=True, slots=True)
class Query:
    case_id: str
    word: str
    expected: str


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base class names it so
        pass


@dataclass(slots=True)
class BrowserFindings:
    problems: list[str] = field(default_factory=list)
    case_problems: list[tuple[str, str]] = field(default_factory=list)
    blocked: set[str] = field(default_factory=set)
    page_errors: list[str] = field(default_factory=list)


def serve(directory: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    handler = functools.partial(QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


@contextlib.contextmanager
def chromium(shared: Any = None) -> Iterator[Any]:
    """Headless Chromium: the one a test session already runs (one Playwright per process), else a new one."""
    if shared is not None:
        yield shared
        return
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()


def browse(base: str, pages: list[str], search_page: str | None, queries: list[Query], label: str,
           markers: dict[str, str], shared_browser: Any = None) -> BrowserFindings:
    """Load every page and drive the search page; any alert/confirm/prompt is a failure."""
    from playwright.sync_api import Error as PlaywrightError

    findings = BrowserFindings()
    current = [""]

    def on_dialog(dialog: Any) -> None:
        message = dialog.message
        case_ids = [case_id for marker, case_id in markers.items() if marker in message]
        problem = f"{label} {current[0]}: {dialog.type}({message[:60]!r}) ran"
        findings.problems.append(problem)
        findings.case_problems += [(case_id, problem) for case_id in case_ids]
        dialog.dismiss()

    def on_console(message: Any) -> None:
        text = message.text
        case_ids = [case_id for marker, case_id in markers.items() if marker in text]
        if case_ids or text.startswith(PRINT_CALLED):
            problem = f"{label} {current[0]}: script wrote {text[:60]!r} to the console"
            findings.problems.append(problem)
            findings.case_problems += [(case_id, problem) for case_id in case_ids]

    def on_route(route: Any) -> None:
        url = route.request.url
        if url.startswith((base, "data:", "blob:", "about:")):
            route.continue_()
        else:
            findings.blocked.add(url[:100])
            route.abort()

    with chromium(shared_browser) as browser:
        context = browser.new_context()
        try:
            context.route("**/*", on_route)
            # window.print() opens no dialog event in headless Chromium; make it visible too.
            context.add_init_script(f"window.print = () => console.log({json.dumps(PRINT_CALLED)});")
            page = context.new_page()
            page.on("dialog", on_dialog)
            page.on("console", on_console)
            page.on("pageerror", lambda error: findings.page_errors.append(f"{label} {current[0]}: {error}"))
            for relative in pages:
                current[0] = relative
                try:
                    page.goto(base + urllib.parse.quote(relative), wait_until="load", timeout=20000)
                    page.wait_for_timeout(120)
                except PlaywrightError as error:
                    findings.problems.append(f"{label} {relative}: did not load: {str(error)[:120]}")
            if search_page is None:
                findings.problems.append(f"{label}: no search page found")
            else:
                _drive_search(page, base + urllib.parse.quote(search_page), queries, label, findings, current)
        finally:
            context.close()
    return findings


_RESULT_COUNT_JS = """expected => Array.from(document.querySelectorAll('a')).filter(a =>
    a.textContent.normalize('NFC').replace(/\\s+/g, ' ').includes(expected)).length"""


def _drive_search(page: Any, url: str, queries: list[Query], label: str, findings: BrowserFindings,
                  current: list[str]) -> None:
    from playwright.sync_api import Error as PlaywrightError

    box = "input[type=search], input[name=q], input[type=text]"
    for query in queries + [Query("", PAYLOAD_QUERY, "")]:
        current[0] = f"search {query.word!r}"
        try:
            page.goto(url, wait_until="load", timeout=20000)
            field_ = page.locator(box).first
            before = page.evaluate(_RESULT_COUNT_JS, norm(query.expected)) if query.expected else 0
            field_.click(timeout=5000)
            field_.fill(query.word, timeout=5000)
            if not query.expected:
                page.wait_for_timeout(800)
                page.goto(url + "?q=" + urllib.parse.quote(query.word), wait_until="load", timeout=20000)
                page.wait_for_timeout(800)
                continue
            page.wait_for_function(f"expected => ({_RESULT_COUNT_JS})(expected) > {before}",
                                   arg=norm(query.expected), timeout=6000)
        except PlaywrightError as error:
            problem = (f"{label} search {query.word!r}: no result whose text shows {query.expected!r} "
                       f"({str(error).splitlines()[0][:80]})")
            findings.problems.append(problem)
            if query.case_id:
                findings.case_problems.append((query.case_id, problem))


def check_browser(site: Site, cases: list[Case], outcome: Outcome, work: Path, report: Report,
                  shared_browser: Any = None) -> None:
    queries = []
    for case in cases:
        briefing = briefing_of(case, cases, outcome)
        expected = case.raw.get("title_contains")
        if briefing is not None and expected:
            queries.append(Query(case.id, search_word(expected), expected))
    markers = {case.raw["marker"]: case.id for case in cases if case.raw.get("marker")}
    pages = sorted(site.pages)
    search_page = _search_page(pages)
    server, base = serve(site.output)
    try:
        web = browse(base, pages, search_page, queries, "web", markers, shared_browser)
    finally:
        server.shutdown()
    _record_browser(web, report)
    bundle_dir = unpack_bundle(site.output / BUNDLE_NAME, work / "bundle", report)
    if bundle_dir is None:
        return
    bundle_pages = sorted(p.relative_to(bundle_dir).as_posix() for p in html_pages(bundle_dir))
    bundle_search = _search_page(bundle_pages)
    offline = browse(bundle_dir.as_uri() + "/", bundle_pages, bundle_search, queries, "bundle", markers,
                     shared_browser)
    _record_browser(offline, report)


def _search_page(pages: list[str]) -> str | None:
    """The search page; while the site has none, the home page's search box stands in for it."""
    named = [page for page in ("search.html", "search/index.html") if page in pages]
    return named[0] if named else ("index.html" if "index.html" in pages else None)


def _record_browser(findings: BrowserFindings, report: Report) -> None:
    report.rule("G5", findings.problems)
    for case_id, problem in findings.case_problems:
        report.case(case_id, f"G5: {problem}")
    if findings.blocked:
        report.notes.append(f"browser blocked {len(findings.blocked)} requests off the site, e.g. "
                            f"{sorted(findings.blocked)[:3]}")
    for error in findings.page_errors[:5]:
        report.notes.append(f"page script error: {error[:160]}")


def unpack_bundle(archive: Path, target: Path, report: Report) -> Path | None:
    """Check the bundle's entry names (G3) and unpack the safe ones; None when there is no bundle."""
    if not archive.is_file():
        report.rule("G5", [f"no offline bundle output/{BUNDLE_NAME}"])
        return None
    target.mkdir(parents=True)
    with zipfile.ZipFile(archive) as bundle:
        for info in bundle.infolist():
            problem = zip_entry_problem(info.filename)
            if problem:
                report.rule("G3", [f"bundle entry {info.filename!r}: {problem}"])
                continue
            destination = target / info.filename
            if info.is_dir():
                destination.mkdir(parents=True, exist_ok=True)
                continue
            destination.parent.mkdir(parents=True, exist_ok=True)
            destination.write_bytes(bundle.read(info))
    # A bundle may wrap the site in one top folder.
    children = [child for child in target.iterdir()]
    if len(children) == 1 and children[0].is_dir() and not (target / "index.html").exists():
        return children[0]
    return target


# ---------------------------------------------------------------------------------------------------------
# G13 idempotence and G14 bounds

def notice_set(outcome: Outcome) -> set[tuple[str, str]]:
    return {(case_id, reason) for case_id, notices in outcome.notices.items() for reason, _ in notices}


def compare_states(before: dict[str, FileState], after: dict[str, FileState], what: str) -> list[str]:
    problems = [f"{what}: {path!r} appeared" for path in after if path not in before]
    problems += [f"{what}: {path!r} disappeared" for path in before if path not in after]
    for path in before:
        if path in after and before[path].sha256 != after[path].sha256:
            problems.append(f"{what}: {path!r} changed")
        elif path in after and before[path].sha256 and before[path].mtime_ns != after[path].mtime_ns \
                and what.startswith("content"):
            problems.append(f"{what}: {path!r} rewritten with the same bytes")
    return problems


def pick_hand_edit(cases: list[Case], outcome: Outcome) -> BriefingFile | None:
    for case in sorted(cases, key=lambda c: c.id):
        made = outcome.by_case.get(case.id)
        if made and case.expect == "ingest" and "duplicate_group" not in case.raw:
            return made[0]
    return outcome.briefings[0] if outcome.briefings else None


def check_idempotence(project: Path, inbox: Path, logs: Path, cases: list[Case], first: Outcome,
                      report: Report) -> None:
    """G13: a second build is byte-identical; a second ingest changes nothing and keeps a hand edit."""
    content_dir, output_dir = project / "content", project / "output"
    output_first = snapshot(output_dir)
    build(project, logs, "build-2")
    report.rule("G13", compare_states(output_first, snapshot(output_dir), "second build: output")[:20])
    edited = pick_hand_edit(cases, first)
    if edited is not None:
        with edited.path.open("a", encoding="utf-8") as stream:
            stream.write(f"\n{HAND_EDIT}\n")
    content_before = snapshot(content_dir)
    texts_before = _briefing_texts(content_dir)
    second = ingest(project, inbox, logs, "ingest-2")
    report.rule("G13", compare_states(content_before, snapshot(content_dir), "second ingest: content")[:20])
    texts_after = _briefing_texts(content_dir)
    for name in sorted(set(texts_before) & set(texts_after)):
        if texts_before[name] != texts_after[name]:
            difference = _first_difference(texts_before[name], texts_after[name])
            report.rule("G13", [f"second ingest changed {name}: {difference}"])
    second_outcome = collect_outcome(project, cases, second)
    lost = notice_set(first) - notice_set(second_outcome)
    added = notice_set(second_outcome) - notice_set(first)
    if lost or added:
        report.rule("G13", [f"second ingest refusals/duplicates differ: missing {sorted(lost)}, "
                            f"new {sorted(added)}"])
    for case_id, reason in sorted(lost | added):
        said = "no longer reported" if (case_id, reason) in lost else "newly reported"
        report.case(case_id, f"G13: second ingest: {reason} {said}")
    if edited is not None:
        if HAND_EDIT not in edited.path.read_text(encoding="utf-8", errors="replace"):
            report.rule("G13", [f"{edited.path.name}: the hand edit was lost"])
        third = build(project, logs, "build-3")
        page = find_page(output_dir, edited.slug)
        if third.returncode != 0:
            report.rule("G13", [f"build after the hand edit exited {third.returncode}: {_output_tail(third)}"])
        elif page is None or HAND_EDIT not in text_content(main_element(parse_html(page.read_text("utf-8")))):
            report.rule("G13", [f"{edited.slug}: the hand edit does not show on its page"])


def _briefing_texts(content_dir: Path) -> dict[str, str]:
    return {path.name: path.read_text(encoding="utf-8", errors="replace")
            for path in sorted((content_dir / "briefings").glob("*.md"))}


def _first_difference(before: str, after: str) -> str:
    """The first line that differs, before -> after, shortened."""
    for old, new in zip(before.split("\n"), after.split("\n")):
        if old != new:
            return f"{old[:70]!r} -> {new[:70]!r}"
    return f"{len(before.splitlines())} lines -> {len(after.splitlines())} lines"


def check_bounds(cases: list[Case], inbox: Path, work: Path, report: Report) -> list[str]:
    """time_limit_s / max_rss_mib: each such file ingested alone in a fresh project; returns figures."""
    figures = []
    for case in cases:
        checks = case.checks
        if "time_limit_s" not in checks and "max_rss_mib" not in checks:
            continue
        root = work / "bounds" / case.id
        copy_project(root / "project")
        (root / "inbox").mkdir(parents=True)
        shutil.copy2(inbox / case.file, root / "inbox" / case.file)
        limit = float(checks.get("time_limit_s", 120))
        result = ingest(root / "project", root / "inbox", root / "logs", "ingest", timeout=max(3 * limit, 60))
        figures.append(f"{case.id}: {result.wall_s:.2f} s, peak RSS {result.peak_rss_mib:.0f} MiB, "
                       f"exit {result.returncode}")
        if result.timed_out or result.wall_s > limit:
            _fail(report, "G14", case, f"took {result.wall_s:.1f} s alone (limit {limit:g} s)")
        if "max_rss_mib" in checks and result.peak_rss_mib > float(checks["max_rss_mib"]):
            _fail(report, "G14", case, f"peak RSS {result.peak_rss_mib:.0f} MiB (limit {checks['max_rss_mib']})")
        if result.crashed:
            _fail(report, "G14", case, f"ingest crashed alone: {_tail(result.stderr)}")
        shutil.rmtree(root / "inbox")
    return figures


# ---------------------------------------------------------------------------------------------------------
# The baseline: what the theme itself puts in pages

def learn_baseline(work: Path, logs: Path, report: Report) -> SiteKnown:
    project, inbox = work / "baseline", work / "baseline-inbox"
    copy_project(project)
    inbox.mkdir()
    for capture in sorted((REPO / "content" / "raw").glob("*")):
        if capture.is_file():
            shutil.copy2(capture, inbox / capture.name)
    ingest(project, inbox, logs, "baseline-ingest")
    result = build(project, logs, "baseline-build")
    known = SiteKnown()
    if result.returncode != 0:
        report.notes.append(f"baseline build failed ({_output_tail(result)}): no site scripts are known")
        return known
    output = project / "output"
    for page in html_pages(output):
        known.learn(parse_html(page.read_text(encoding="utf-8", errors="replace")),
                    page.relative_to(output).as_posix())
    return known


# ---------------------------------------------------------------------------------------------------------
# The whole run

def run_check(corpus: Path, work: Path, use_browser: bool, check_limits: bool,
              shared_browser: Any = None) -> tuple[Report, list[Case]]:
    """Run the whole check in `work` (an empty folder); raises SetupError when the inbox cannot be built."""
    manifest, cases = load_cases(corpus)
    report = Report()
    project, inbox, logs = work / "project", work / "inbox", work / "logs"
    (work / "tmp").mkdir(parents=True)
    setup_problems = fill_inbox(corpus, cases, inbox)
    if setup_problems:
        raise SetupError("; ".join(setup_problems))
    copy_project(project)
    known = learn_baseline(work, logs, report)
    inbox_before, tree_before = snapshot(inbox), snapshot(project)
    around_before = set(os.listdir(work))
    first = ingest(project, inbox, logs, "ingest-1")
    site_build = build(project, logs, "build-1")
    report.rule("G1", [f"created {name!r} beside the project" for name in set(os.listdir(work)) - around_before])
    report.notes.append(f"ingest: exit {first.returncode}, {first.wall_s:.1f} s, peak RSS "
                        f"{first.peak_rss_mib:.0f} MiB; build: exit {site_build.returncode}, "
                        f"{site_build.wall_s:.1f} s, peak RSS {site_build.peak_rss_mib:.0f} MiB")
    check_run(first, site_build, manifest, report)
    outcome = collect_outcome(project, cases, first)
    owner = make_owner(cases, outcome)
    check_outcomes(cases, outcome, report)
    check_headers(outcome, report, owner)
    check_inbox(inbox_before, snapshot(inbox), report)
    check_tree(tree_before, snapshot(project), report)
    _check_work_root(work, report)
    check_characters(project, report, owner)
    check_build(outcome, site_build, report)
    site = load_site(project / "output", inbox, known, outcome, report)
    check_pages(site, known, report, owner)
    check_case_pages(cases, outcome, site, report)
    check_search_index(site, cases, outcome, report)
    check_feeds(site, cases, outcome, report)
    check_case_checks(cases, outcome, site, project, report)
    if use_browser:
        try:
            check_browser(site, cases, outcome, work, report, shared_browser)
        except Exception as error:  # noqa: BLE001 - any browser failure is a G5 failure, not a crash
            report.rule("G5", [f"the browser check could not run: {type(error).__name__}: {error}"[:300]])
    else:
        report.skipped["G5"] = "not run (--no-browser)"
    if check_limits:
        report.notes += check_bounds(cases, inbox, work, report)
    check_idempotence(project, inbox, logs, cases, outcome, report)
    check_inbox(inbox_before, snapshot(inbox), report)
    return report, cases


class SetupError(Exception):
    """The corpus or the project could not be set up for a run."""


def check_run(first: RunResult, site_build: RunResult, manifest: dict[str, Any], report: Report) -> None:
    """G11's exit status and G14's whole-run bounds."""
    if first.crashed:
        report.rule("G14", [f"ingest crashed or hung: {_tail(first.stderr)}"])
    if first.returncode == 0 and any(case.get("expect") == "reject" for case in manifest["cases"]):
        report.rule("G11", ["ingest exited 0 although files were refused"])
    for line in first.lines:
        raw = _RAW_CONTROL.search(line.rstrip("\r"))
        if raw:
            report.rule("G11", [f"ingest line shows U+{ord(raw.group()):04X} unescaped: {_one_line(line)[:100]}"])
    wall = first.wall_s + site_build.wall_s
    peak = max(first.peak_rss_mib, site_build.peak_rss_mib)
    if wall > WHOLE_RUN_LIMIT_S:
        report.rule("G14", [f"ingest + build took {wall:.0f} s (limit {WHOLE_RUN_LIMIT_S} s)"])
    if peak > WHOLE_RUN_LIMIT_MIB:
        report.rule("G14", [f"peak RSS {peak:.0f} MiB (limit {WHOLE_RUN_LIMIT_MIB} MiB)"])


def _check_work_root(work: Path, report: Report) -> None:
    # The run's TMPDIR must be left empty: temporary files are the run's own to remove.
    leftovers = sorted(path.name for path in (work / "tmp").iterdir())
    if leftovers:
        report.rule("G1", [f"temporary files left behind: {leftovers[:5]}"])


def make_owner(cases: list[Case], outcome: Outcome) -> Callable[[str], list[str]]:
    """Project-relative path -> ids of the cases whose briefing that file belongs to."""
    by_slug: dict[str, list[str]] = defaultdict(list)
    for case in cases:
        briefing = briefing_of(case, cases, outcome)
        if briefing is not None:
            by_slug[briefing.slug].append(case.id)

    def owner(relative: str) -> list[str]:
        stem = Path(relative).stem
        return by_slug.get(stem, []) if relative.startswith(("content/briefings/", "output/")) else []
    return owner


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="the bad-input corpus folder")
    parser.add_argument("--work", type=Path, help="an empty folder for the run (default: a new temp folder)")
    parser.add_argument("--keep", action="store_true", help="keep the work folder for inspection")
    parser.add_argument("--no-browser", action="store_true", help="skip the Chromium check (G5)")
    parser.add_argument("--no-bounds", action="store_true", help="skip the per-file time/memory runs")
    arguments = parser.parse_args(argv)
    if not (arguments.corpus / "manifest.json").is_file():
        print(f"no corpus at {arguments.corpus} (manifest.json missing)", file=sys.stderr)
        return 2
    work = arguments.work or Path(tempfile.mkdtemp(prefix="bad-input-"))
    work.mkdir(parents=True, exist_ok=True)
    if any(work.iterdir()):
        print(f"{work} is not empty", file=sys.stderr)
        return 2
    try:
        report, cases = run_check(arguments.corpus.resolve(), work.resolve(), not arguments.no_browser,
                                  not arguments.no_bounds)
        return 0 if print_report(report, cases) else 1
    except SetupError as error:
        print(f"SETUP {error}", file=sys.stderr)
        return 2
    finally:
        if arguments.keep:
            print(f"work folder kept: {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
