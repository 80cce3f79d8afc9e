"""Identification: catalog types by size (any orientation and pose), the open set, and the pixel path."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from basewatch.catalog import builtin_catalog
from basewatch.imagery.identify import ReferenceType, identify, load_reference_table, rank_by_size
from basewatch.model import Detection

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
ALLPLANES = SHARED / "data" / "allplanes-example" / "AllPlanes.csv"


def box(length_m: float, width_m: float, gsd: float = 0.5, cls: str = "aircraft",
        heading: float | None = 0.0) -> Detection:
    """An axis-aligned detection (north-up, nose up) of the given size at `gsd`."""
    L, W = length_m / gsd, width_m / gsd
    c = (500.0, 500.0)
    pts = ((c[0] - W / 2, c[1] + L / 2), (c[0] + W / 2, c[1] + L / 2), (c[0] + W / 2, c[1] - L / 2),
           (c[0] - W / 2, c[1] - L / 2))
    return Detection(cls=cls, score=0.9, polygon_px=pts, length_m=length_m, width_m=width_m, heading_deg=heading)


@pytest.mark.parametrize("type_id", ["il-76", "an-124", "an-26", "su-25", "su-34", "tu-154", "a320", "mi-8",
                                     "ka-52", "frigate-22350", "kilo-636", "oiler", "91n6e", "truck"])
def test_catalog_type_is_identified_by_its_size(type_id: str) -> None:
    eq = builtin_catalog().equipment[type_id]
    cls = {"fixed_wing": "aircraft", "rotorcraft": "helicopter", "ship": "ship"}.get(eq.shape["form"], "vehicle")
    ident = identify(box(eq.length_m, eq.width_m, cls=cls))
    assert ident.type_id == type_id
    assert ident.category == eq.category
    assert ident.p > 0.3
    assert ident.as_type()["id"] == type_id and 0 < ident.as_type()["p"] <= 1


def test_orientation_does_not_matter_and_probabilities_sum_to_one() -> None:
    a = rank_by_size("aircraft", 68.96, 73.3, gsd=0.5)
    b = rank_by_size("aircraft", 73.3, 68.96, gsd=0.5)
    assert a.type_id == b.type_id == "an-124"
    total = sum(c.p for c in a.candidates) + (a.p if not a.known else 0)
    assert total <= 1.0 + 1e-9


def test_pose_variants_swept_su24_and_rotorless_ka52() -> None:
    assert rank_by_size("aircraft", 22.53, 10.37, gsd=0.5).type_id == "su-24"
    ident = rank_by_size("helicopter", 13.53, 6.2, gsd=0.5)
    assert ident.type_id == "ka-52"
    assert ident.candidates[0].pose == "rotor_removed"


@pytest.mark.parametrize("cls,L,W", [("aircraft", 90.0, 88.0), ("aircraft", 4.0, 3.0), ("ship", 300.0, 45.0),
                                     ("helicopter", 40.0, 40.0), ("vehicle", 40.0, 9.0)])
def test_nothing_fits_gives_unknown_not_a_forced_type(cls: str, L: float, W: float) -> None:
    ident = rank_by_size(cls, L, W, gsd=0.5)
    assert ident.type_id == "unknown"
    assert ident.label == f"unknown {cls}"
    assert ident.category == cls
    assert ident.as_type()["id"] == "unknown"


def test_reference_types_outside_the_catalog_join_the_open_set() -> None:
    # a C-130 (29.8 x 40.4 m) fits no catalog type but a reference type
    ref = [ReferenceType("C130", "C-130 Hercules", 29.8, 40.4), ReferenceType("T160", "Tu-160", 54.1, 55.7, 35.6)]
    ident = rank_by_size("aircraft", 29.8, 40.4, gsd=0.5, reference=ref)
    assert ident.type_id == "unknown" and ident.outside_fit == "C130"
    assert "C130" in ident.label
    # a reference row for a catalog type (same ICAO code) does not compete with it: a Tu-160 with its wings
    # swept back is the catalog's Tu-160
    swept = rank_by_size("aircraft", 54.1, 35.6, gsd=0.5, reference=ref)
    assert swept.type_id == "tu-160" and swept.candidates[0].pose == "wings_swept" and swept.outside_fit is None


def test_look_alikes_give_the_family_not_a_confident_wrong_type() -> None:
    """An Il-76-sized aircraft with no pixel evidence: the Il-76 leads (base rates) but the A-50 and Il-78 share
    its airframe, so the answer is the Candid family; the Tu-95, also of that size, stays a minority reading."""
    ident = rank_by_size("aircraft", 46.59, 50.5, gsd=0.5)
    assert ident.type_id == "il-76" and ident.p < 0.6
    assert ident.family == "candid" and ident.family_p >= 0.75 and ident.label.startswith("Candid family (")
    assert {"Il-76", "A-50", "Il-78"} <= set(ident.label.split("(")[1].rstrip(")").split("/"))
    assert ident.as_type()["family"]["id"] == "candid"
    fighter = rank_by_size("aircraft", 23.34, 14.7, gsd=0.5)  # a Su-34 is its own family-less type
    assert fighter.family is None


def test_without_a_scale_the_aspect_ratio_still_ranks() -> None:
    d = box(23.34, 14.7)
    d = Detection(cls=d.cls, score=d.score, polygon_px=d.polygon_px)  # no sizes: screenshot without GSD
    ident = identify(d)
    assert ident.candidates and ident.candidates[0].id in {"su-34", "su-24", "su-30", "su-35", "mig-29"}


def test_reference_table_reader(tmp_path: Path) -> None:
    p = tmp_path / "t.csv"
    with open(p, "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["ICAO", "name", "length", "wingspan", "wingspan_swept_folded"])
        w.writerow(["TU95", "Tu-95 Bear", "49.5", "51.1", ""])
        w.writerow(["BAD", "broken", "", "x", ""])
    rows = load_reference_table(p)
    assert [r.code for r in rows] == ["TU95"] and rows[0].span_swept_m is None


@pytest.mark.shared
@pytest.mark.skipif(not ALLPLANES.exists(), reason="../shared data absent")
def test_catalog_dimensions_agree_with_allplanes() -> None:
    """Every catalog aircraft with an ICAO code in AllPlanes.csv has length and span within 10 % of it."""
    ref = {r.code: r for r in load_reference_table(ALLPLANES)}
    checked = 0
    for eq in builtin_catalog().equipment.values():
        r = ref.get(eq.icao)
        if not eq.icao or r is None or not eq.category.startswith("aircraft"):
            continue
        checked += 1
        assert abs(eq.length_m / r.length_m - 1) <= 0.10, (eq.id, eq.length_m, r.length_m)
        assert abs(eq.width_m / r.span_m - 1) <= 0.10, (eq.id, eq.width_m, r.span_m)
    assert checked >= 8
