"""Feeds as validators and feed readers see them: Atom against the RFC 4287 RELAX NG grammar (lxml), JSON Feed
against its 1.1 schema, stable entry ids, and `updated` that changes only for the briefing that was edited."""

from __future__ import annotations

import json
import os
import re
import shutil
import uuid
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import urlsplit

import feedparser
import jsonschema
import lxml.etree as ET
import lxml.html
import pytest
from briefings.write_briefing import fingerprint
from sitebuild import FIXTURE_CONTENT, SITEURL, build_site
from test_site_build import run_pelican_cli

SCHEMAS = Path(__file__).resolve().parent / "schemas"
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(scope="module")
def atom_schema() -> ET.RelaxNG:
    # The RFC's grammar (atom.rnc) in the XML syntax lxml reads: atom.rng says how it was converted.
    return ET.RelaxNG(ET.parse(str(SCHEMAS / "atom.rng")))


def atom_files(site: Path) -> list[Path]:
    return sorted((site / "feeds").rglob("*.atom.xml"))


RNG = "{http://relaxng.org/ns/structure/1.0}"
RNC_NAMESPACES = {"atom": "http://www.w3.org/2005/Atom", "xhtml": "http://www.w3.org/1999/xhtml",
                  "xml": "http://www.w3.org/XML/1998/namespace", "": ""}


def test_the_converted_grammar_names_what_the_rfc_grammar_names() -> None:
    # atom.rng is a one-off conversion of atom.rnc: an edit to one without the other shows here as a pattern,
    # element or attribute that only one of them names.
    compact = re.sub(r"#.*", "", (SCHEMAS / "atom.rnc").read_text(encoding="utf-8"))
    defined = set(re.findall(r"^([A-Za-z]\w*) =", compact, re.MULTILINE)) - {"start"}
    elements = {_qualified(name) for name in re.findall(r"\belement ([\w:]+)\b(?!:\*)", compact)}
    attributes = {_qualified(name) for name in re.findall(r"\battribute ([\w:]+)", compact)}
    grammar = ET.parse(str(SCHEMAS / "atom.rng"))
    assert {define.get("name") for define in grammar.iter(f"{RNG}define")} == defined
    assert {_rng_name(element) for element in grammar.iter(f"{RNG}element")} - {None} == elements
    assert {_rng_name(attribute) for attribute in grammar.iter(f"{RNG}attribute")} - {None} == attributes
    assert len(defined) > 40 and len(elements) > 20 and len(attributes) > 10


def _qualified(name: str) -> tuple[str, str]:
    """(namespace, local name) of a compact-syntax name: a prefixed element, or an attribute in no namespace."""
    prefix, _, local = name.rpartition(":")
    return RNC_NAMESPACES[prefix], local


def _rng_name(pattern: ET._Element) -> tuple[str, str] | None:
    """(namespace, local name) of an <element> or <attribute>; None for a name class (anyName, nsName).
    rnc2rng writes every name as a <name ns="..."> child."""
    name = pattern.find(f"{RNG}name")
    return None if name is None else (name.get("ns", ""), (name.text or "").strip())


def test_the_grammar_refuses_an_atom_feed_without_id_or_author(atom_schema: ET.RelaxNG) -> None:
    bad = ET.fromstring(b'<feed xmlns="http://www.w3.org/2005/Atom"><title>x</title>'
                        b"<updated>2025-01-01T00:00:00Z</updated></feed>")
    assert not atom_schema.validate(bad)


def test_every_atom_feed_is_valid_rfc_4287(site: Path, atom_schema: ET.RelaxNG) -> None:
    files = atom_files(site)
    assert len(files) == 5
    for path in files:
        assert atom_schema.validate(ET.parse(str(path))), f"{path.name}: {atom_schema.error_log}"


def test_every_json_feed_is_valid_json_feed_1_1(site: Path) -> None:
    schema = json.loads((SCHEMAS / "jsonfeed-1.1.schema.json").read_text(encoding="utf-8"))
    files = sorted((site / "feeds").rglob("*.json"))
    assert len(files) == 5
    for path in files:
        jsonschema.validate(json.loads(path.read_text(encoding="utf-8")), schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"version": "https://jsonfeed.org/version/1.1", "title": "x",
                             "items": [{"id": "1", "content_html": "<p>x</p>", "date_published": "2025-01-01"}]},
                            schema)


def absolute_urls_only(fragment: str) -> list[str]:
    """Every href/src in an HTML fragment that is not an absolute http(s) URL."""
    root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    return [value for element in root.iter() for name in ("href", "src")
            if (value := element.get(name)) is not None and urlsplit(value).scheme not in ("http", "https")]


def test_atom_feeds_have_authors_self_links_zoned_dates_and_full_absolute_content(site: Path) -> None:
    ids = set()
    for path in atom_files(site):
        root = ET.parse(str(path)).getroot()
        ids.add(root.findtext(f"{ATOM}id"))
        assert root.findtext(f"{ATOM}author/{ATOM}name").strip()
        self_links = [link.get("href") for link in root.findall(f"{ATOM}link") if link.get("rel") == "self"]
        assert self_links == [f"{SITEURL}/{path.relative_to(site).as_posix()}"]
        for entry in root.findall(f"{ATOM}entry"):
            for name in ("published", "updated"):
                stamp = entry.findtext(f"{ATOM}{name}")
                assert datetime.fromisoformat(stamp).utcoffset() is not None, stamp
            assert entry.findtext(f"{ATOM}author/{ATOM}name").strip()
            assert entry.findtext(f"{ATOM}summary").strip()
            content = entry.find(f"{ATOM}content")
            assert content.get("type") == "html" and len(content.text) > 200
            assert absolute_urls_only(content.text) == []
    assert len(ids) == 5, "each feed has its own feed-level id"


def test_relative_links_in_a_body_become_absolute_in_the_feed(tmp_path: Path) -> None:
    content = copy_content(tmp_path)
    path = content / "briefings" / "oil-price-cap-enforcement.md"
    path.write_text(path.read_text(encoding="utf-8") + "\nSee [the topic](../topics/sanctions.html).\n",
                    encoding="utf-8")
    site = build_site(content, tmp_path / "out")
    feed = json.loads((site / "feeds" / "all.json").read_text(encoding="utf-8"))
    body = next(item["content_html"] for item in feed["items"] if item["url"].endswith("oil-price-cap-enforcement.html"))
    assert f'href="{SITEURL}/topics/sanctions.html"' in body
    assert absolute_urls_only(body) == []


def copy_content(tmp_path: Path) -> Path:
    content = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, content)
    return content


def entries_by_id(site: Path, name: str = "all.atom.xml") -> dict[str, feedparser.FeedParserDict]:
    feed = feedparser.parse((site / "feeds" / name).read_bytes())
    assert feed.bozo == 0
    return {entry.id: entry for entry in feed.entries}


def test_ids_survive_a_new_siteurl_a_renamed_slug_and_a_new_title(site: Path, tmp_path: Path) -> None:
    content = copy_content(tmp_path)
    old = content / "briefings" / "patriot-batteries-reach-kyiv.md"
    text = old.read_text(encoding="utf-8").replace("Title: Germany sends", "Title: Berlin sends")
    (content / "briefings" / "berlin-patriots.md").write_text(text, encoding="utf-8")
    old.unlink()
    other = build_site(content, tmp_path / "out", siteurl="https://mirror.example.net/archive")
    for name in ("all.atom.xml", "topics/diplomacy.atom.xml", "topics/air-defense.atom.xml"):
        before, after = entries_by_id(site, name), entries_by_id(other, name)
        assert after.keys() == before.keys(), name
    moved = entries_by_id(other)["urn:uuid:6f1c2b9e-8d4a-4f7b-9c3e-1a2b3c4d5e6f"]
    assert moved.link == "https://mirror.example.net/archive/briefings/berlin-patriots.html"
    assert moved.title.startswith("Berlin sends")
    feed_ids = {feedparser.parse((s / "feeds" / "all.atom.xml").read_bytes()).feed.id for s in (site, other)}
    assert len(feed_ids) == 1
    json_ids = [{item["id"] for item in json.loads((s / "feeds" / "all.json").read_text())["items"]}
                for s in (site, other)]
    assert json_ids[0] == json_ids[1] == set(entries_by_id(site))


def updated_dates(site: Path) -> dict[str, str]:
    return {entry_id: entry.updated for entry_id, entry in entries_by_id(site).items()}


def test_a_modified_header_changes_only_that_entrys_updated(site: Path, tmp_path: Path) -> None:
    content = copy_content(tmp_path)
    path = content / "briefings" / "oil-price-cap-enforcement.md"
    path.write_text(path.read_text(encoding="utf-8").replace("Uid:", "Modified: 2025-08-01T12:00:00+00:00\nUid:"),
                    encoding="utf-8")
    edited = build_site(content, tmp_path / "out")
    before, after = updated_dates(site), updated_dates(edited)
    changed = {entry_id for entry_id in before if before[entry_id] != after[entry_id]}
    assert changed == {"urn:uuid:0d3f5a7c-9e1b-4d2f-8a6c-4e8b0d2f6a1c"}
    assert after["urn:uuid:0d3f5a7c-9e1b-4d2f-8a6c-4e8b0d2f6a1c"] == "2025-08-01T12:00:00+00:00"
    entry = entries_by_id(edited)["urn:uuid:0d3f5a7c-9e1b-4d2f-8a6c-4e8b0d2f6a1c"]
    assert entry.published == "2025-06-30T14:00:00+00:00", "published stays"
    page = (edited / "briefings" / "oil-price-cap-enforcement.html").read_text(encoding="utf-8")
    assert '<time datetime="2025-08-01T12:00:00+00:00"' in page and '"dateModified": "2025-08-01T12:00:00+00:00"' in page


def sign(text: str) -> str:
    """The briefing text with a Fingerprint line, as the ingest step writes it."""
    header, body = text.split("\n\n", 1)
    return f"{header}\nFingerprint: {fingerprint(text)}\n\n{body}"


def test_a_hand_edit_after_ingest_dates_the_entry_by_the_files_time(tmp_path: Path) -> None:
    content = copy_content(tmp_path)
    for path in (content / "briefings").glob("*.md"):
        path.write_text(sign(path.read_text(encoding="utf-8")), encoding="utf-8")
    signed = build_site(content, tmp_path / "signed")
    path = content / "briefings" / "patriot-batteries-reach-kyiv.md"
    path.write_text(path.read_text(encoding="utf-8").replace("two more", "two further"), encoding="utf-8")
    edit_time = datetime(2025, 9, 1, 8, 0, tzinfo=timezone.utc).timestamp()
    os.utime(path, (edit_time, edit_time))
    edited = build_site(content, tmp_path / "edited")
    before, after = updated_dates(signed), updated_dates(edited)
    assert {entry_id for entry_id in before if before[entry_id] != after[entry_id]} == {
        "urn:uuid:6f1c2b9e-8d4a-4f7b-9c3e-1a2b3c4d5e6f"}
    assert after["urn:uuid:6f1c2b9e-8d4a-4f7b-9c3e-1a2b3c4d5e6f"] == "2025-09-01T08:00:00+00:00"


def test_a_modified_date_before_the_publication_date_fails_the_build(tmp_path: Path) -> None:
    content = copy_content(tmp_path)
    path = content / "briefings" / "oil-price-cap-enforcement.md"
    path.write_text(path.read_text(encoding="utf-8").replace("Uid:", "Modified: 2020-01-01T00:00:00+00:00\nUid:"),
                    encoding="utf-8")
    result = run_pelican_cli(content, tmp_path / "out")
    assert result.returncode != 0
    assert "oil-price-cap-enforcement.md" in result.stdout + result.stderr
    assert "Modified: earlier than Date" in result.stdout + result.stderr


def test_feed_ids_are_uuid_urns(site: Path) -> None:
    for entry_id in entries_by_id(site):
        assert uuid.UUID(entry_id.removeprefix("urn:uuid:")).version == 4
