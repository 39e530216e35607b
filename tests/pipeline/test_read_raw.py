"""Raw captures are decoded right and refused for clear reasons, from the bytes a curator drops in."""

from __future__ import annotations

import gzip
import os
from pathlib import Path

import pytest

from briefings.errors import RejectedInput
from briefings.read_raw import MAX_CAPTURE_BYTES, read_raw

UKRAINIAN = "Київська міська рада: Ґрунтовний аналіз, їхні звіти. Очікується рішення."
RUSSIAN = "Съезд подрядчиков обсудил отчёты о каждом этапе благоустройства дворов в городе."


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_windows_1251_with_declared_charset_decodes(tmp_path: Path) -> None:
    page = f'<html><head><meta charset="windows-1251"></head><body><p>{UKRAINIAN}</p></body></html>'
    raw = read_raw(write(tmp_path, "kyiv.html", page.encode("cp1251")))
    assert UKRAINIAN in raw.text


def test_windows_1251_without_declaration_is_detected(tmp_path: Path) -> None:
    page = f"<html><body><h1>Дворы благоустроят к лету</h1><p>{RUSSIAN}</p><p>{RUSSIAN}</p></body></html>"
    raw = read_raw(write(tmp_path, "courtyards.html", page.encode("cp1251")))
    assert RUSSIAN in raw.text


def test_koi8_r_declared_by_http_equiv_decodes(tmp_path: Path) -> None:
    page = (f'<html><head><meta http-equiv="Content-Type" content="text/html; charset=koi8-r"></head>'
            f"<body><p>{RUSSIAN}</p></body></html>")
    assert RUSSIAN in read_raw(write(tmp_path, "kazan.html", page.encode("koi8_r"))).text


def test_latin1_label_means_windows_1252(tmp_path: Path) -> None:
    page = '<html><head><meta charset="iso-8859-1"></head><body><p>Le co\u00fbt \u2019 \u20ac 5 \u2026</p></body></html>'
    raw = read_raw(write(tmp_path, "lyon.html", page.encode("cp1252")))
    assert "co\u00fbt \u2019 \u20ac 5 \u2026" in raw.text


def test_utf16_bom_wins_over_a_contradicting_meta(tmp_path: Path) -> None:
    page = f'<html><head><meta charset="utf-8"></head><body><p>{UKRAINIAN}</p></body></html>'
    raw = read_raw(write(tmp_path, "odesa.html", page.encode("utf-16")))
    assert UKRAINIAN in raw.text


def test_utf8_bom_does_not_leak_into_the_text(tmp_path: Path) -> None:
    raw = read_raw(write(tmp_path, "pact.txt", "\ufeffClimate pact signed\n\nText.".encode("utf-8")))
    assert raw.text.startswith("Climate pact signed")


def test_nul_and_control_bytes_are_removed(tmp_path: Path) -> None:
    raw = read_raw(write(tmp_path, "fire.html", b"<p>Depot\x00 fire\x07 out</p>"))
    assert raw.text == "<p>Depot fire out</p>"


@pytest.mark.parametrize("name, data, reason", [
    ("empty.html", b"", "empty"),
    ("blank.txt", b" \n\t\n", "empty"),
    ("photo.html", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, "binary"),
    ("saved.html", gzip.compress(b"<html><body><p>compressed page</p></body></html>"), "binary"),
])
def test_refusals_name_the_file_and_the_reason(tmp_path: Path, name: str, data: bytes, reason: str) -> None:
    with pytest.raises(RejectedInput, match=rf"^.*{name.replace('.', r'[.]')}: refused") as refusal:
        read_raw(write(tmp_path, name, data))
    assert refusal.value.reason == reason


def test_oversized_capture_is_refused_from_its_size_without_reading(tmp_path: Path) -> None:
    path = tmp_path / "dump.txt"
    with open(path, "wb") as sparse:
        sparse.truncate(MAX_CAPTURE_BYTES + 1)  # a sparse file: reading it whole would take the time
    os.chmod(path, 0o000 if os.geteuid() != 0 else 0o644)
    with pytest.raises(RejectedInput, match="too large") as refusal:
        read_raw(path)
    assert refusal.value.reason == "too-large"


def test_kind_comes_from_the_suffix(tmp_path: Path) -> None:
    assert read_raw(write(tmp_path, "a.HTM", b"<p>x</p>")).kind == "html"
    assert read_raw(write(tmp_path, "b.md", b"# x")).kind == "markdown"
    assert read_raw(write(tmp_path, "c.txt", b"x")).kind == "text"
