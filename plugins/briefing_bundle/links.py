"""The offline check: every page of the output works from disk with nothing but the bundle. No Pelican imports.

A page passes when every href/src/action it holds
- points to a file inside the output folder (relative, never starting or ending with "/", never escaping the
  folder, never the bundle itself, which the bundle cannot contain), or to a fragment of the page; or
- is an absolute http(s) link on an <a> marked rel="external noopener" (links to the original articles and to
  the web copy of the archive): followed only when the reader clicks, never loaded by the page.
Scripts, stylesheets, images, fonts and frames must be local. Stylesheets' url(...) and @import must resolve too.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

import lxml.html
from lxml import etree

LINK_ATTRIBUTES = ("href", "src", "action", "poster", "data")
_CSS_URL = re.compile(r"""url\(\s*(['"]?)(.*?)\1\s*\)|@import\s+(['"])(.*?)\3""", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Violation:
    page: str      # relative to the output folder
    problem: str

    def __str__(self) -> str:
        return f"{self.page}: {self.problem}"


def offline_violations(output_dir: Path, bundle_name: str, unchanged: frozenset[str] = frozenset(),
                       files: set[str] | None = None) -> list[Violation]:
    """Every broken or external link of the output's HTML pages and stylesheets, sorted by page; the pages named
    in `unchanged` are not read (the caller knows they passed before and their targets are all still there).
    `files`: the output's files relative to it, when the caller has listed them already."""
    if files is None:
        files = {path.relative_to(output_dir).as_posix() for path in output_dir.rglob("*") if path.is_file()}
    files = files - {bundle_name}
    found: list[Violation] = []
    judged: dict[tuple[str, ...], str] = {}
    for name in sorted(files - unchanged):
        if name.endswith(".html"):
            text = (output_dir / name).read_text(encoding="utf-8")
            found.extend(Violation(name, problem) for problem in page_problems(name, text, files, judged))
        elif name.endswith(".css"):
            text = (output_dir / name).read_text(encoding="utf-8")
            found.extend(Violation(name, problem) for problem in stylesheet_problems(name, text, files))
    return found


def page_problems(name: str, text: str, files: set[str], judged: dict[tuple[str, ...], str] | None = None
                  ) -> Iterator[str]:
    """Problems of one HTML page (named relative to the output folder) among the output's files. `judged`
    remembers each distinct link's verdict per folder across the pages of one check (same `files`)."""
    judged = {} if judged is None else judged
    if not text.strip():
        yield "empty page"
        return
    root = lxml.html.document_fromstring(text)
    folder = str(PurePosixPath(name).parent)
    # Only the link attributes, found by lxml in C (walking every element in Python was most of the check's
    # time), in document order. The same link recurs on every page of a folder (navigation, stylesheet), so each
    # distinct link is judged once per folder.
    for value in _LINK_VALUES(root):
        element = value.getparent()
        attribute = value.attrname
        if attribute == "srcset":
            yield f"<{element.tag} srcset>: not checked, so not allowed"
            continue
        key = (folder, element.tag, element.get("rel", ""), value.strip())
        problem = judged.get(key)
        if problem is None:
            problem = judged[key] = _link_problem(f"{folder}/page.html", *key[1:], files)
        if problem:
            yield f"<{element.tag} {attribute}=\"{value}\">: {problem}"


_LINK_VALUES = etree.XPath("|".join(f"//@{name}" for name in (*LINK_ATTRIBUTES, "srcset")))


def stylesheet_problems(name: str, text: str, files: set[str]) -> Iterator[str]:
    """Problems of one stylesheet's url(...) and @import references."""
    for match in _CSS_URL.finditer(text):
        value = (match.group(2) or match.group(4) or "").strip()
        if value.startswith("data:"):
            continue  # inline data loads nothing
        problem = _local_problem(name, value, files)
        if problem:
            yield f"url({value}): {problem}"


def _link_problem(page: str, tag: str, rel: str, value: str, files: set[str]) -> str:
    parts = urlsplit(value)
    if parts.scheme:
        if parts.scheme in ("http", "https") and tag == "a":
            words = rel.lower().split()
            return "" if "external" in words and "noopener" in words else 'external link without rel="external noopener"'
        return f"external or {parts.scheme}: resource is not allowed offline"
    if value.startswith("#") or (tag == "a" and value == ""):
        return ""
    return _local_problem(page, value, files)


def _local_problem(page: str, value: str, files: set[str]) -> str:
    """Why a relative reference from page does not reach a file of the bundle ("" when it does)."""
    parts = urlsplit(value)
    if parts.scheme or parts.netloc:
        return "external resource is not allowed offline"
    if value.startswith("/"):
        return "starts with / (from disk that is the root of the drive)"
    path = unquote(parts.path)
    if not path:
        return "" if parts.fragment or parts.query else "empty link"
    if path.endswith("/"):
        return "ends with / (from disk a folder does not open its index.html)"
    target = _resolve(PurePosixPath(page).parent, path)
    if target is None:
        return "leaves the bundle"
    if target not in files:
        return f"{target} is not in the bundle"
    return ""


def _resolve(folder: PurePosixPath, path: str) -> str | None:
    """folder/path with . and .. applied; None when it climbs out of the output folder."""
    parts: list[str] = list(folder.parts) if str(folder) != "." else []
    for piece in path.split("/"):
        if piece in ("", "."):
            continue
        if piece == "..":
            if not parts:
                return None
            parts.pop()
        else:
            parts.append(piece)
    return "/".join(parts)
