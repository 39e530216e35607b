"""Entities from the gazetteer: aliases, spelling variants, surnames resolved after the full name."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefings.documents import Entity
from briefings.entities import Gazetteer, GazetteerError, find_entities, load_gazetteer, resolve_mentions

from tagging_documents import fixture_document, make_document


def names(doc, gazetteer: Gazetteer) -> list[str]:  # type: ignore[no-untyped-def]
    return [entity.name for entity in find_entities(doc, gazetteer)]


@pytest.mark.parametrize("spelling", ["Zelensky", "Zelenskyy", "Zelenskiy", "Volodymyr Zelensky",
                                      "Volodymyr Zelenskyy", "ZELENSKY"])
def test_spelling_variants_become_one_canonical_person(spelling: str, gazetteer: Gazetteer) -> None:
    doc = make_document("Kyiv briefing", [f"{spelling} met his commanders in Kyiv on Monday."])
    assert find_entities(doc, gazetteer) == (Entity("Kyiv", "place"), Entity("Volodymyr Zelensky", "person"))


def test_possessive_still_names_the_person(gazetteer: Gazetteer) -> None:
    doc = make_document("Putin's offer", ["The Kremlin repeated Putin’s conditions."])
    assert names(doc, gazetteer) == ["Kremlin", "Vladimir Putin"]


def test_a_surname_resolves_once_the_full_name_has_appeared(gazetteer: Gazetteer) -> None:
    doc = make_document("Visit to Kyiv", ["Boris Johnson arrived in Kyiv on Saturday.",
                                          "Johnson promised more armoured vehicles."])
    assert "Boris Johnson" in names(doc, gazetteer)


def test_a_bare_surname_alone_is_not_resolved(gazetteer: Gazetteer) -> None:
    doc = make_document("Senate vote", ["Senator Ron Johnson said he would vote against the aid bill."])
    assert "Boris Johnson" not in names(doc, gazetteer)


def test_a_surname_without_any_full_name_is_not_resolved(gazetteer: Gazetteer) -> None:
    assert "Liz Truss" not in names(make_document("Truss in Poland", ["She spoke in Warsaw."]), gazetteer)
    assert "Liz Truss" in names(make_document("Truss in Poland", ["Liz Truss spoke in Warsaw."]), gazetteer)


def test_shared_surnames_go_to_the_latest_full_name(tmp_path: Path) -> None:
    path = tmp_path / "entities.toml"
    path.write_text("""
[[people]]
name = "Boris Johnson"
surname = "Johnson"

[[people]]
name = "Mike Johnson"
surname = "Johnson"
""", encoding="utf-8")
    gazetteer = load_gazetteer(path)
    doc = make_document("Aid", ["Boris Johnson urged Congress to act.", "Mike Johnson replied on Tuesday.",
                                "Johnson said the House would vote next week."])
    text = "\n".join([doc.title, *doc.paragraphs])
    bare = [m for m in resolve_mentions(text, gazetteer) if not m.full]
    assert [m.entry.name for m in bare] == ["Mike Johnson"]


def test_an_article_names_people_organisations_places_and_weapons(gazetteer: Gazetteer) -> None:
    kinds = {entity.kind for entity in find_entities(fixture_document("kyiv-grid-strike"), gazetteer)}
    assert kinds == {"person", "organisation", "place", "weapon"}
    assert "Patriot" in names(fixture_document("kyiv-grid-strike"), gazetteer)


def test_case_sensitive_names_do_not_match_ordinary_words(gazetteer: Gazetteer) -> None:
    doc = make_document("A swift patriot", ["A swift response from a patriot in the eu-style debate."])
    assert names(doc, gazetteer) == []


def test_an_alias_claimed_twice_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "entities.toml"
    path.write_text('[[people]]\nname = "A"\naliases = ["Same"]\n[[places]]\nname = "B"\naliases = ["same"]\n',
                    encoding="utf-8")
    with pytest.raises(GazetteerError, match=r"entities\.toml: .*alias 'same' belongs to both 'A' and 'B'"):
        load_gazetteer(path)


def test_bad_entries_are_named_by_section_and_index(tmp_path: Path) -> None:
    path = tmp_path / "entities.toml"
    path.write_text('[[places]]\nname = "Kyiv"\nsurname = "Kyiv"\n[[weapons]]\naliases = ["x"]\n[[ships]]\nname = "y"\n',
                    encoding="utf-8")
    with pytest.raises(GazetteerError) as caught:
        load_gazetteer(path)
    message = str(caught.value)
    assert "places[0].surname: only people have surnames" in message
    assert "weapons[0].name: required" in message
    assert "ships: unknown section" in message
