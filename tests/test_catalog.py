import re

import pytest
from shapely.geometry import Point, shape

from basewatch.catalog import builtin_catalog, normalize
from helpers import SHARED

CAT = builtin_catalog()


@pytest.mark.parametrize("name", ["Khmeimim", "Hmeimim", "HMEYMIM", "Хмеймим", "حميميم", "OSLK",
                                  "Russian air base near Latakia", "Humajmim", "Bassel al-Assad airport"])
def test_site_aliases_resolve_to_khmeimim(name):
    assert CAT.site_names.resolve(name) == "khmeimim"


@pytest.mark.parametrize("name", ["Tartus", "Tartous", "Tartús", "Тартус", "طرطوس", "720th MTSP"])
def test_site_aliases_resolve_to_tartus(name):
    assert CAT.site_names.resolve(name) == "tartus"


@pytest.mark.parametrize(("name", "eq"), [
    ("AN-124", "an-124"), ("An 124", "an-124"), ("Condor", "an-124"), ("Руслан", "an-124"), ("A124", "an-124"),
    ("Ka-52", "ka-52"), ("Ка-52", "ka-52"), ("Alligator", "ka-52"), ("Big Bird", "91n6e"), ("91Н6Е", "91n6e"),
    ("Admiral Golovko", "frigate-22350"), ("Novorossiysk", "kilo-636"), ("Il-76MD", "il-76"), ("Fullback", "su-34"),
])
def test_equipment_aliases(name, eq):
    assert CAT.equipment_names.resolve(name) == eq


def test_unknown_names_resolve_to_nothing_but_get_suggestions():
    assert CAT.equipment_names.resolve("Su-99") is None
    assert "su-34" in CAT.equipment_names.suggest("Su-34x")
    assert CAT.site_names.resolve("Latakia") is None


def test_normalize_ignores_case_accents_and_separators():
    assert normalize("Tartús") == normalize("TARTUS") == "tartus"
    assert normalize("An-124") == normalize("an 124") == normalize("AN124")


def test_site_zones_lie_inside_their_aoi_except_offshore():
    for site in CAT.sites.values():
        aoi = shape(site.aoi)
        assert aoi.contains(Point(site.lon, site.lat))
        for zone in site.zones:
            inside = aoi.contains(shape(zone.geometry))
            assert inside != (zone.kind == "offshore"), (site.id, zone.id)


def test_sources_have_admiralty_grades():
    assert {s.reliability for s in CAT.sources.values()} <= set("ABCDEF")
    assert CAT.source_names.resolve("Maxar") == "maxar"


@pytest.mark.shared
def test_every_equipment_row_of_the_reference_is_in_the_catalog():
    ref = SHARED / "reference" / "equipment.md"
    if not ref.is_file():
        pytest.skip("../shared absent")
    rows = [line for line in ref.read_text().splitlines() if line.startswith("| ") and "---" not in line]
    names = [r.split("|")[1].strip() for r in rows]
    names = [n for n in names if n not in ("type (NATO name)", "element", "class / ship")]
    missing = []
    for n in names:
        candidates = [n, n.split("(")[0], *re.findall(r"\(([^)]+)\)", n), *n.split("/"), *re.split(r"[\s/,()\"]+", n)]
        if not any(CAT.equipment_names.resolve(c.strip()) for c in candidates if c.strip()):
            missing.append(n)
    assert not missing, missing


@pytest.mark.shared
def test_reference_aliases_all_resolve():
    ref = SHARED / "reference" / "sites.md"
    if not ref.is_file():
        pytest.skip("../shared absent")
    text = re.sub(r"\n\s{2,}", " ", ref.read_text())
    for site_id, label in (("khmeimim", "- Khmeimim:"), ("tartus", "- Tartus:")):
        line = next(ln for ln in text.splitlines() if ln.startswith(label))
        body = re.sub(r"\(.*?\)", "", line.split(":", 1)[1].split("Careful")[0])
        for name in re.split(r"[,;]", body):
            name = name.strip().strip('".').strip()
            if name:
                assert CAT.site_names.resolve(name) == site_id, name
