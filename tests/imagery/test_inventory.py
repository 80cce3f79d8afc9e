"""Inventory: per-zone counts by type with an interval, stored idempotently and linked to the image evidence."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import func, select

from basewatch.eval.identification import detections_from_labels
from basewatch.imagery.inventory import (
    analyze_evidence,
    count_interval,
    inventory_for_evidence,
    poisson_binomial,
)
from basewatch.store.schema import observations
from basewatch.workspace import Workspace

SCENE = """\
name: inv-test
site: khmeimim
seed: 11
acquisition: {gsd_m: 0.5, off_nadir_deg: 5, cloud_cover: 0.0, haze: 0.05}
footprint: {center_m: [-600, -425], size_m: [600, 790]}
dates:
  - date: 2024-12-13
    equipment:
      - {type: an-124, count: 2, zone: transport-apron, state: nose_open}
      - {type: il-76, count: 1, zone: transport-apron, state: parked}
      - {type: mi-8, count: 3, zone: helicopter-apron, state: parked}
"""


@pytest.fixture(scope="module")
def scene(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from basewatch.synth import render

    d = tmp_path_factory.mktemp("inv")
    (d / "inv.yaml").write_text(SCENE, "utf-8")
    return render(d / "inv.yaml", d / "out").images[0].path


def load(ws: Workspace, image: Path, score: float = 0.9) -> str:
    """Ingest the image and store detector-style observations made from its labels, plus its coverage."""
    ev = ws.add_evidence(image, site="khmeimim").evidence
    for o in detections_from_labels(image.parent / "labels" / f"{image.stem}.geojson"):
        d = o.detection.to_dict()
        ring = [list(p) for p in d["polygon_lonlat"]] + [list(d["polygon_lonlat"][0])]
        ws.observe(site="khmeimim", evidence=ev.id, kind="detection", method="detector:labels", confidence=score,
                   geometry={"type": "Polygon", "coordinates": [ring]},
                   attributes={k: d[k] for k in ("polygon_px", "length_m", "width_m", "heading_deg")}
                   | {"class": d["class"]})
    ws.observe(site="khmeimim", evidence=ev.id, kind="coverage", method="detector:labels",
               geometry=ev.metadata["footprint"])
    return ev.id


def n_rows(ws: Workspace, **where: str) -> int:
    q = select(func.count()).select_from(observations)
    for k, v in where.items():
        q = q.where(getattr(observations.c, k) == v)
    with ws.engine.connect() as conn:
        return conn.execute(q).scalar_one()


def test_poisson_binomial_interval() -> None:
    dist = poisson_binomial([0.5, 0.5])
    assert dist == pytest.approx([0.25, 0.5, 0.25])
    assert count_interval([0.9] * 10) == (7, 10)  # P(K <= 6) = 0.013, P(K <= 7) = 0.070
    assert count_interval([]) == (0, 0)
    assert count_interval([1.0, 1.0, 1.0]) == (3, 3)


def test_inventory_counts_types_per_zone_with_states_and_interval(ws: Workspace, scene: Path) -> None:
    ev = load(ws, scene)
    rows = inventory_for_evidence(ws, ev)
    got = {(z.zone_id, z.type_id): z for z in rows if z.count}
    an124 = got[("transport-apron", "an-124")]
    assert an124.count == 2 and an124.id is not None and ws.zone_counts(evidence=ev) == rows
    assert an124.evidence_id == ev and an124.equipment_type_id == "an-124"
    assert an124.category == "aircraft.transport.heavy"
    assert an124.low <= an124.expected <= an124.high and an124.low <= an124.count <= an124.high
    assert 1.0 < an124.expected <= 2.0  # score 0.9 x type probability
    assert an124.states.get("nose_open") == 2
    assert got[("helicopter-apron", "mi-8")].count == 3
    assert got[("transport-apron", "il-76")].count == 1
    assert an124.zone_coverage == pytest.approx(1.0, abs=0.05)
    stored = [o for o in ws.list_observations(evidence=ev) if o.id == an124.id][0]
    assert stored.kind == "count" and stored.method == "inventory"
    # each detection's type and states, without touching the detector's rows
    notes = ws.identifications(evidence=ev)
    assert len(notes) == 6 and {n.type_id for n in notes.values()} == {"an-124", "il-76", "mi-8"}


def test_rerun_replaces_without_duplicates(ws: Workspace, scene: Path) -> None:
    ev = load(ws, scene)
    first = inventory_for_evidence(ws, ev)
    detections_before = n_rows(ws, kind="detection")
    second = inventory_for_evidence(ws, ev)
    assert len(first) == len(second) == n_rows(ws, kind="count", method="inventory")
    assert n_rows(ws, kind="detection") == detections_before
    assert [(z.zone_id, z.type_id, z.count) for z in first] == [(z.zone_id, z.type_id, z.count) for z in second]


def test_covered_empty_zone_is_a_zero_row(ws: Workspace, scene: Path) -> None:
    ev = load(ws, scene)
    res = analyze_evidence(ws, ev)
    zero = [o for o in res.inventory if o.count == 0]
    # the footprint covers zones where nothing stands: they are "seen empty", not missing, and say how much
    # of the zone was seen; a zone the image missed has no row
    assert zero and all(z.zone_coverage >= 0.05 for z in zero)
    assert {z.zone_id for z in zero} >= {zid for zid, frac in res.coverage.items()
                                         if frac >= 0.5 and zid not in {o.zone for o in res.objects}}
    assert not any(o.zone_id == zid for o in res.inventory for zid, frac in res.coverage.items() if frac < 0.05)
    assert all(o.zone_id not in ("transport-apron", "helicopter-apron") for o in zero)


def test_cli_analyze_json(ws: Workspace, scene: Path, runner) -> None:
    from basewatch.cli.main import app

    ev = load(ws, scene)
    res = runner.invoke(app, ["analyze", ev, "--json", "-w", str(ws.root)])
    assert res.exit_code == 0, res.output
    doc = json.loads(res.stdout)
    objs = doc["results"][0]["objects"]
    assert len(objs) == 6
    assert all(set(o["type"]) >= {"id", "p"} and isinstance(o["states"], dict) for o in objs)
    res = runner.invoke(app, ["analyze", "--site", "khmeimim", "-w", str(ws.root)])
    assert res.exit_code == 0 and "an-124" in res.stdout
    bad = runner.invoke(app, ["analyze", "-w", str(ws.root)])
    assert bad.exit_code == 1
