"""The gazetteer stage: catalog aliases in any script, text variants, misspellings and look-alikes."""

from __future__ import annotations

from dataclasses import replace

import pytest

from basewatch.catalog import builtin_catalog
from basewatch.text import extract_claims
from basewatch.text.gazetteer import TextGazetteer, gazetteer_for


@pytest.fixture(scope="module")
def gaz() -> TextGazetteer:
    return gazetteer_for(builtin_catalog())


@pytest.mark.parametrize(("text", "site"), [
    ("at Khmeimim Air Base", "khmeimim"), ("at Hmeimim", "khmeimim"), ("over Hmeymim", "khmeimim"),
    ("\u0431\u0430\u0437\u0430 \u0425\u043c\u0435\u0439\u043c\u0438\u043c", "khmeimim"),
    ("\u0642\u0627\u0639\u062f\u0629 \u062d\u0645\u064a\u0645\u064a\u0645", "khmeimim"),
    ("the air base near Latakia", "khmeimim"), ("Bassel al-Assad airport", "khmeimim"),
    ("at Hmeimeem yesterday", "khmeimim"), ("Khmeymim", "khmeimim"),  # misspellings: fuzzy
    ("in Tartous", "tartus"), ("\u0422\u0430\u0440\u0442\u0443\u0441", "tartus"), ("the 720th MTSP", "tartus"),
])
def test_site_aliases_and_misspellings(gaz: TextGazetteer, text: str, site: str) -> None:
    assert [m.id for m in gaz.sites(text)] == [site]


@pytest.mark.parametrize("text", ["students in Tartu, Estonia", "the Tartus governorate", "Latakia city",
                                  "the Hama air base", "Tortosa in Spain", "Khmelnytskyi"])
def test_look_alike_places_are_not_sites(gaz: TextGazetteer, text: str) -> None:
    assert gaz.sites(text) == []


@pytest.mark.parametrize(("text", "type_id"), [
    ("two AN-124s", "an-124"), ("an Il-76MD", "il-76"), ("the Su-34", "su-34"), ("Su-34s", "su-34"),
    ("the 91N6E radar", "91n6e"), ("the Big Bird", "91n6e"), ("S-400 Triumf", "s-400-tel"), ("the S400", "s-400-tel"),
    ("a Condor", "an-124"), ("An 124", "an-124"), ("Ka-52 Alligator attack helicopter", "ka-52"),
    ("Gorshkov-class frigates", "frigate-22350"), ("the frigate Admiral Golovko", "frigate-22350"),
    ("an improved Kilo-class sub", "kilo-636"), ("\u0418\u043b-76", "il-76"), ("the Pantsir-S1", "pantsir-s1"),
])
def test_equipment_variants(gaz: TextGazetteer, text: str, type_id: str) -> None:
    assert type_id in [m.id for m in gaz.subjects(text)]


def test_common_words_are_not_nato_names(gaz: TextGazetteer) -> None:
    assert all(m.kind != "equipment" for m in gaz.subjects("a curl of smoke, a hip flask and a kilo of sugar"))


def test_user_added_site_and_type_work() -> None:
    cat = builtin_catalog()
    base = cat.sites["khmeimim"]
    site = replace(base, id="testbase", name="Testovo Air Base",
                   aliases=("Testovo", "\u0422\u0435\u0441\u0442\u043e\u0432\u043e"))
    eq = replace(cat.equipment["an-124"], id="zz-9", name="ZZ-9 Glider", aliases=("ZZ-9", "Glider"), nato_name="")
    custom = replace(cat, sites={**cat.sites, "testbase": site}, equipment={**cat.equipment, "zz-9": eq})
    claims = extract_claims("Two ZZ-9s landed at Testovo on Friday.", published="2024-12-14", catalog=custom)
    assert [(c.site, c.subject.type, c.state) for c in claims] == [("testbase", "zz-9", "ARRIVED")]
    assert extract_claims("Two ZZ-9s landed at Testovo on Friday.", published="2024-12-14") == []
