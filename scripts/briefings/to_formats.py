"""CleanedDocument -> the `briefings extract` formats; briefing or capture -> a document to tag."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from briefings.documents import CleanedDocument, RawArticle
from briefings.errors import ExtractionError
from briefings.extract import clean
from briefings.read_raw import read_raw
from briefings.write_briefing import read_existing, render_body, write_output


def as_text(document: CleanedDocument) -> str:
    """The body as plain text: no title, one paragraph (block) per line."""
    return "".join(f"{text}\n" for text in document.paragraphs)


def as_markdown(document: CleanedDocument) -> str:
    return render_body(document.blocks)


def as_json(document: CleanedDocument) -> str:
    record = {
        "source": str(document.source), "sha256": document.sha256, "title": document.title,
        "published": document.published.isoformat(), "date_source": document.date_source,
        "url": document.url, "site_name": document.site_name, "section": document.section,
        "author": document.author, "language": document.language,
        "blocks": [{"kind": block.kind, "text": block.text, "level": block.level} for block in document.blocks],
        "text": as_text(document),
    }
    return json.dumps(record, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


FORMATS: dict[str, tuple[str, Callable[[CleanedDocument], str]]] = {
    "text": (".txt", as_text), "markdown": (".md", as_markdown), "json": (".json", as_json)}


def write_extracted(path: Path, out_dir: Path, format_name: str) -> Path:
    """Clean one capture and write its body in the given format to out_dir/<stem><ext>; returns that path."""
    suffix, render = FORMATS[format_name]
    target = out_dir / f"{path.stem}{suffix}"
    write_output(target, render(clean(read_raw(path))))
    return target


def document_for_tagging(path: Path) -> CleanedDocument:
    """A briefing file read back as a document, or a raw capture cleaned; raises PipelineError."""
    raw = read_raw(path)
    if raw.kind == "markdown" and is_briefing(raw.text):
        existing = read_existing(path)
        title = existing.metadata.get("Title", "")
        if not title:
            raise ExtractionError(path, "briefing has no Title")
        raw = RawArticle(source=path, kind="markdown", text=f"# {title}\n\n{existing.body}", sha256=raw.sha256,
                         encoding=raw.encoding, captured=raw.captured)
    return clean(raw)


def is_briefing(text: str) -> bool:
    header = text.partition("\n\n")[0]
    keys = {line.partition(":")[0] for line in header.splitlines()}
    return {"Title", "Uid", "Raw_Sha256"} <= keys
