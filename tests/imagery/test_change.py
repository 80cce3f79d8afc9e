"""Coverage-aware change: arrived, departed, moved, state changes -- and never 'departed' for what was not seen."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import rasterio
from affine import Affine

from basewatch.catalog import builtin_catalog
from basewatch.catalog.geometry import local_rect_geojson, to_utm, utm_crs
from basewatch.imagery.change import compare, summarize
from basewatch.imagery.inventory import analyze_evidence
from basewatch.workspace import Workspace

SITE = builtin_catalog().sites["khmeimim"]
APRON = (-470.0, -550.0)  # transport apron centre, metres east/north of the site centre


def tiny_tiff(path: Path, day: str, seed: int) -> Path:
    crs = utm_crs(SITE.lat, SITE.lon)
    x, y = to_utm(SITE.lat, SITE.lon, crs.to_epsg())
    data = np.random.default_rng(seed).integers(90, 160, (3, 32, 32), dtype=np.uint8)
    with rasterio.open(path, "w", driver="GTiff", width=32, height=32, count=3, dtype="uint8", crs=crs,
                       transform=Affine(2.0, 0.0, x - 32, 0.0, -2.0, y + 32)) as ds:
        ds.write(data)
        ds.update_tags(TIFFTAG_DATETIME=f"{day.replace('-', ':')} 08:30:00")
    return path


def rect(east: float, north: float, w: float, h: float) -> dict:
    return local_rect_geojson(SITE.lat, SITE.lon, (east, north), (w, h))


def add_date(ws: Workspace, tmp: Path, day: str, objects: list[tuple], *, footprint: dict,
             clouds: dict | None = None, seed: int = 0) -> str:
    """An image evidence of `day` with detector-style observations: one per object plus one coverage row."""
    ev = ws.add_evidence(tiny_tiff(tmp / f"{day}.tif", day, seed), site="khmeimim").evidence
    for cls, (e, n), (L, W), heading in objects:
        ws.observe(site="khmeimim", evidence=ev.id, kind="detection", method="detector:test", confidence=0.95,
                   geometry=rect(e, n, W, L),
                   attributes={"class": cls, "polygon_px": [[0, 0], [W, 0], [W, L], [0, L]], "length_m": L,
                               "width_m": W, "heading_deg": heading})
    attrs = {"cloud_polygons_lonlat": clouds} if clouds else {}
    ws.observe(site="khmeimim", evidence=ev.id, kind="coverage", method="detector:test", geometry=footprint,
               attributes=attrs)
    return ev.id


AN124 = ("aircraft", (APRON[0], APRON[1] + 100), (68.96, 73.3), 90.0)
IL76 = ("aircraft", (APRON[0], APRON[1] - 100), (46.59, 50.5), 90.0)
SU25_CLOUD = ("aircraft", (APRON[0] + 100, APRON[1]), (15.43, 14.36), 0.0)
SU25_OUTSIDE = ("aircraft", (APRON[0] + 2000, APRON[1]), (15.43, 14.36), 0.0)
MI8 = ("helicopter", (APRON[0] - 100, APRON[1]), (18.3, 21.29), 0.0)


@pytest.fixture
def two_dates(ws: Workspace, tmp_path: Path) -> Workspace:
    big = rect(0, 0, 6000, 6000)
    apron_only = rect(APRON[0], APRON[1], 800, 800)  # the newer image misses SU25_OUTSIDE
    cloud = rect(APRON[0] + 100, APRON[1], 60, 60)  # a cloud right over SU25_CLOUD on the newer date
    add_date(ws, tmp_path, "2024-12-10", [AN124, IL76, SU25_CLOUD, SU25_OUTSIDE], footprint=big, seed=1)
    moved_il76 = ("aircraft", (IL76[1][0] + 60, IL76[1][1]), IL76[2], 90.0)
    add_date(ws, tmp_path, "2024-12-13", [AN124, moved_il76, MI8], footprint=apron_only,
             clouds={"type": "MultiPolygon", "coordinates": [cloud["coordinates"]]}, seed=2)
    return ws


def by_kind(changes) -> dict[str, list]:
    out: dict[str, list] = {}
    for c in changes:
        out.setdefault(c.kind, []).append(c)
    return out


def test_cloud_and_footprint_give_not_observed_never_departed(two_dates: Workspace) -> None:
    changes = compare(two_dates, "Hmeimim", "2024-12-10", "2024-12-13")
    k = by_kind(changes)
    assert "departed" not in k  # everything missing was under cloud or outside the newer footprint
    notes = sorted(c.note for c in k["not_observed"])
    assert len(k["not_observed"]) == 2
    assert any("cloud" in n for n in notes) and any("footprint" in n for n in notes)
    assert all(c.type == "su-25" for c in k["not_observed"])


def test_arrivals_moves_and_unchanged(two_dates: Workspace) -> None:
    k = by_kind(compare(two_dates, "khmeimim", "2024-12-13", "2024-12-10"))  # order does not matter
    assert [c.type for c in k["unchanged"]] == ["an-124"]
    assert [c.type for c in k["moved"]] == ["il-76"] and 50 < k["moved"][0].distance_m < 70
    assert [(c.cls, c.type, c.zone) for c in k["arrived"]] == [("helicopter", "mi-8", "transport-apron")]


def test_a_place_seen_clear_is_departed(ws: Workspace, tmp_path: Path) -> None:
    big = rect(0, 0, 6000, 6000)
    add_date(ws, tmp_path, "2024-12-10", [AN124, IL76], footprint=big, seed=1)
    add_date(ws, tmp_path, "2024-12-13", [AN124], footprint=big, seed=2)
    k = by_kind(compare(ws, "khmeimim", "2024-12-10", "2024-12-13"))
    assert [c.type for c in k["departed"]] == ["il-76"]
    assert summarize(compare(ws, "khmeimim", "2024-12-10", "2024-12-13"))["departed"] == 1


def test_state_change_is_reported(ws: Workspace, tmp_path: Path) -> None:
    from sqlalchemy import update

    from basewatch.store.schema import observations

    big = rect(0, 0, 6000, 6000)
    a = add_date(ws, tmp_path, "2024-12-10", [AN124], footprint=big, seed=1)
    b = add_date(ws, tmp_path, "2024-12-13", [AN124], footprint=big, seed=2)
    analyze_evidence(ws, a)
    analyze_evidence(ws, b)
    # the inventory's record of the newer visor state (as the state scorer would write it)
    with ws.transaction() as conn:
        rows = conn.execute(observations.select().where((observations.c.evidence_id == b)
                                                        & (observations.c.method == "inventory"))).all()
        for r in rows:
            attrs = dict(r.attributes)
            attrs["members"] = [{**m, "states": {"nose_open": 0.9}} for m in attrs["members"]]
            conn.execute(update(observations).where(observations.c.id == r.id).values(attributes=attrs))
        rows = conn.execute(observations.select().where((observations.c.evidence_id == a)
                                                        & (observations.c.method == "inventory"))).all()
        for r in rows:
            attrs = dict(r.attributes)
            attrs["members"] = [{**m, "states": {"nose_open": 0.1}} for m in attrs["members"]]
            conn.execute(update(observations).where(observations.c.id == r.id).values(attributes=attrs))
    k = by_kind(compare(ws, "khmeimim", "2024-12-10", "2024-12-13"))
    assert [c.type for c in k["state_changed"]] == ["an-124"]
    assert k["state_changed"][0].to_dict()["state_b"] == "nose_open"


def test_cli_compare_json_contract(two_dates: Workspace, runner) -> None:
    from basewatch.cli.main import app

    res = runner.invoke(app, ["compare", "khmeimim", "2024-12-10", "2024-12-13", "--json", "-w",
                              str(two_dates.root)])
    assert res.exit_code == 0, res.output
    doc = json.loads(res.stdout)
    kinds = {c["kind"] for c in doc["changes"]}
    assert kinds <= {"arrived", "departed", "moved", "state_changed", "unchanged", "not_observed"}
    for c in doc["changes"]:
        assert {"kind", "class", "type", "zone"} <= set(c)
    bad = runner.invoke(app, ["compare", "khmeimim", "2024-12-10", "2024-12-11", "-w", str(two_dates.root)])
    assert bad.exit_code == 1 and "no analysed image" in bad.output
