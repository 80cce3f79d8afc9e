"""Benchmark of change detection on the December example (Khmeimim and Tartus), end to end through a workspace.

Each rendered image is ingested as evidence; its coverage comes from the detector stage's own cloud heuristic
(`imagery.coverage.measure_coverage`); its detections are the renderer's labels with detector-like noise (1 px
per box edge, 2 % size error), minus objects the cloud mask hides -- so the figures measure identification,
states, inventory and change, not the detector. `analyze_evidence` then identifies and counts each image, and
`compare` runs on consecutive dates. Ground truth: the same matching applied to the exact labels (true types and
states) under the same coverage. Reported: arrivals/departures precision, recall and F1, and the number of
"departed" reports for objects that were under cloud or outside the newer footprint (must be 0).

    python bench/bench_change.py            # appends one JSON line to bench/results/change.jsonl
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import platform
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from record import save

ROOT = Path(__file__).resolve().parents[1]


def _store_image(ws, image: Path, site_id: str, seed: int) -> tuple[str, list]:
    """Ingest one render: coverage row from the cloud heuristic, detection rows from the visible labels."""
    from shapely.geometry import Polygon, shape

    from basewatch.eval.identification import detections_from_labels
    from basewatch.imagery.coverage import measure_coverage
    from basewatch.imagery.raster import open_image

    ev = ws.add_evidence(image, site=site_id).evidence
    with open_image(image) as img:
        cov = measure_coverage(img)
    clouds = shape(cov.cloud_lonlat) if cov.cloud_lonlat else None
    ws.observe(site=site_id, evidence=ev.id, kind="coverage", method="detector:labels",
               geometry=cov.footprint_lonlat,
               attributes={k: v for k, v in cov.to_dict().items() if k != "footprint_lonlat"})
    labels = image.parent / "labels" / f"{image.stem}.geojson"
    truth = detections_from_labels(labels)
    noisy = detections_from_labels(labels, noise_px=1.0, rel_noise=0.02, seed=seed)
    visible = []
    for t, o in zip(truth, noisy, strict=True):
        poly = Polygon(t.detection.polygon_lonlat)
        hidden = clouds is not None and poly.intersection(clouds).area >= 0.5 * poly.area
        if hidden:
            continue
        visible.append(t)
        d = o.detection.to_dict()
        ring = [list(p) for p in d["polygon_lonlat"]] + [list(d["polygon_lonlat"][0])]
        ws.observe(site=site_id, evidence=ev.id, kind="detection", method="detector:labels", confidence=0.95,
                   geometry={"type": "Polygon", "coordinates": [ring]},
                   attributes={"class": d["class"], "polygon_px": d["polygon_px"], "length_m": d["length_m"],
                               "width_m": d["width_m"], "heading_deg": d["heading_deg"]})
    return ev.id, truth


TRUE_STATES = {"nose_open", "rotor_removed", "deployed", "packed", "at_berth", "offshore"}


def truth_view(ws, site_id: str, day: dt.date, labelled: dict[str, list]):
    """The exact labels of a date as a DateView, with the same coverage as the pipeline's."""
    from basewatch.imagery.change import DateView, SeenObject, _local, date_view

    pipeline = date_view(ws, site_id, day)
    site = ws.catalog.sites[site_id]
    objs = []
    for ev_id in pipeline.evidence_ids:
        for o in labelled[ev_id]:
            ll = o.detection.polygon_lonlat
            c = (sum(p[0] for p in ll) / 4, sum(p[1] for p in ll) / 4)
            objs.append(SeenObject(detection=o.detection, observation_id=None, evidence_id=ev_id, type_id=o.type_id,
                                   category=o.category, p=1.0, zone=o.zone, xy=_local(c[0], c[1], site.lon, site.lat),
                                   states={o.state: 1.0} if o.state in TRUE_STATES else {}))
    from basewatch.imagery.change import _dedupe

    return DateView(day=day, objects=_dedupe(objs), seen=pipeline.seen, evidence_ids=pipeline.evidence_ids,
                    footprint=pipeline.footprint)


def _events(changes, kind: str) -> list:
    return [c for c in changes if c.kind == kind]


def _pos(c) -> tuple[float, float]:
    o = c.a if c.a is not None else c.b
    return o.xy


def f1_counts(pred: list, gt: list, errors: list | None = None) -> tuple[int, int, int]:
    """TP, FP, FN between predicted and true events of one kind (same class, within a third of the size)."""
    used: set[int] = set()
    tp = 0
    matched: set[int] = set()
    for k, p in enumerate(pred):
        best = None
        for i, g in enumerate(gt):
            if i in used or g.cls != p.cls:
                continue
            o = g.a if g.a is not None else g.b
            d = math.dist(_pos(p), _pos(g))
            if d <= max(8.0, 0.33 * o.size) and (best is None or d < best[0]):
                best = (d, i)
        if best is not None:
            used.add(best[1])
            matched.add(k)
            tp += 1
    if errors is not None:
        errors += [f"FP {p.kind} {p.type} {p.zone}" for k, p in enumerate(pred) if k not in matched]
        errors += [f"FN {g.kind} {g.type} {g.zone}" for i, g in enumerate(gt) if i not in used]
    return tp, len(pred) - tp, len(gt) - tp


def departed_while_unseen(pred: list, view_b) -> int:
    """Predicted departures of objects the newer images did not see clear (cloud or outside the footprint)."""
    from shapely.geometry import Polygon

    bad = 0
    for c in _events(pred, "departed"):
        poly = Polygon(c.a.detection.polygon_lonlat)
        if view_b.seen is None or poly.intersection(view_b.seen).area < 0.5 * poly.area:
            bad += 1
    return bad


def run_scenario(name: str, work: Path) -> dict:
    from basewatch.imagery.change import compare, match
    from basewatch.imagery.inventory import analyze_evidence
    from basewatch.synth import load_scenario, render
    from basewatch.workspace import Workspace

    sc = load_scenario(name)
    res = render(name, work / name)
    ws = Workspace.init(work / f"ws-{name}")
    labelled: dict[str, list] = {}
    t0 = time.time()
    for i, im in enumerate(res.images):
        ev_id, truth = _store_image(ws, im.path, sc.site_id, seed=i)
        labelled[ev_id] = truth
    t_store = time.time() - t0
    t0 = time.time()
    for ev_id in labelled:
        analyze_evidence(ws, ev_id)
    t_analyze = time.time() - t0
    days = sorted({im.date for im in res.images})
    pairs = []
    totals = Counter()
    unseen_departed = 0
    for a, b in zip(days, days[1:], strict=False):
        pred = compare(ws, sc.site_id, a, b)
        gt = match(truth_view(ws, sc.site_id, a, labelled), truth_view(ws, sc.site_id, b, labelled))
        row = {"a": a.isoformat(), "b": b.isoformat(), "pred": dict(Counter(c.kind for c in pred)),
               "truth": dict(Counter(c.kind for c in gt))}
        errs: list[str] = []
        for kind in ("arrived", "departed"):
            tp, fp, fn = f1_counts(_events(pred, kind), _events(gt, kind), errs)
            totals[f"{kind}_tp"] += tp
            totals[f"{kind}_fp"] += fp
            totals[f"{kind}_fn"] += fn
        tp, fp, fn = f1_counts(_events(pred, "state_changed"), _events(gt, "state_changed"))
        totals["state_changed_tp"] += tp
        totals["state_changed_fp"] += fp
        totals["state_changed_fn"] += fn
        from basewatch.imagery.change import date_view

        bad = departed_while_unseen(pred, date_view(ws, sc.site_id, b))
        unseen_departed += bad
        row["departed_while_unseen"] = bad
        row["not_observed"] = sum(1 for c in pred if c.kind == "not_observed")
        row["errors"] = errs
        row["state_changes"] = [f"{c.type} {c.zone}: {c.note} ({c.a.type_id} {c.a.states} -> {c.b.type_id} "
                                f"{c.b.states})" for c in pred if c.kind == "state_changed"]
        pairs.append(row)
    ws.close()

    def prf(prefix: str) -> dict:
        tp, fp, fn = totals[f"{prefix}_tp"], totals[f"{prefix}_fp"], totals[f"{prefix}_fn"]
        p = tp / (tp + fp) if tp + fp else 1.0
        r = tp / (tp + fn) if tp + fn else 1.0
        return {"tp": tp, "fp": fp, "fn": fn, "precision": round(p, 4), "recall": round(r, 4),
                "f1": round(2 * p * r / (p + r), 4) if p + r else 0.0}

    both = {k: totals[f"arrived_{k}"] + totals[f"departed_{k}"] for k in ("tp", "fp", "fn")}
    p = both["tp"] / max(1, both["tp"] + both["fp"])
    r = both["tp"] / max(1, both["tp"] + both["fn"])
    return {"images": len(res.images), "pairs": pairs, "arrived": prf("arrived"), "departed": prf("departed"),
            "state_changed": prf("state_changed"),
            "arrivals_departures_f1": round(2 * p * r / (p + r), 4) if p + r else 0.0,
            "departed_while_unseen": unseen_departed,
            "seconds": {"store": round(t_store, 1), "analyze": round(t_analyze, 1)}}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--no-record", action="store_true")
    args = ap.parse_args()
    sys.path.insert(0, str(ROOT / "src"))
    t0 = time.time()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        result = {"bench": "change", "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                  "machine": f"{platform.node()} {platform.machine()} {platform.processor() or ''}".strip(),
                  "detections": "renderer labels + 1 px/2 % box noise, cloud-hidden objects removed",
                  "khmeimim-dec2024": run_scenario("khmeimim-dec2024", work),
                  "tartus-dec2024": run_scenario("tartus-dec2024", work)}
    result["seconds"] = round(time.time() - t0, 1)
    from basewatch.imagery.chipclass import model_info

    result["chip_model"] = model_info()
    save("change", result, write=not args.no_record, indent=1)


if __name__ == "__main__":
    main()
