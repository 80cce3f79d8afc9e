"""Benchmark of the assessment on the December example, through the real stages (no detector model needed).

Each scenario is rendered; every image is stored with its coverage (the detector stage's cloud heuristic) and
detections taken from the renderer's labels with detector-like noise (see bench_change.py), then identified and
counted by `analyze_evidence`; the scenario's texts go through the claim pipeline (`ingest_text`). The assessment
then runs as of several dates, and the result is checked against issue 5's "must hold" list:
Khmeimim Dec 10 -> status quo leads; Dec 15 -> withdrawal or drawdown at "likely" or stronger; Tartus -> holding
offshore reported, "exercise" flagged, less certain than Khmeimim, air defence in place counts against withdrawal.

    python bench/bench_assess.py            # appends one JSON line to bench/results/assess.jsonl
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import platform
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATES = {"khmeimim-dec2024": ("2024-12-10", "2024-12-13", "2024-12-15"),
         "tartus-dec2024": ("2024-12-10", "2024-12-13", "2024-12-15")}


def build(name: str, work: Path, ws) -> dict:
    sys.path.insert(0, str(ROOT / "bench"))
    from bench_change import _store_image

    from basewatch.imagery.inventory import analyze_evidence
    from basewatch.synth import load_scenario, render
    from basewatch.text.store import ingest_text

    sc = load_scenario(name)
    t0 = time.time()
    res = render(name, work / name)
    t_render = time.time() - t0
    t0 = time.time()
    ids = [_store_image(ws, im.path, sc.site_id, seed=i)[0] for i, im in enumerate(res.images)]
    for ev_id in ids:
        analyze_evidence(ws, ev_id)
    manifest = json.loads((work / name / "manifest.json").read_text("utf-8"))
    n_texts = 0
    for item in manifest["items"]:
        if item["kind"] in ("image", "video"):
            continue
        ingest_text(ws, work / name / item["path"], kind=item["kind"], source=item.get("source"),
                    published=item.get("published"), url=item.get("url"), site=item.get("site"))
        n_texts += 1
    return {"site": sc.site_id, "images": len(ids), "texts": n_texts,
            "seconds": {"render": round(t_render, 1), "store_analyze_ingest": round(time.time() - t0, 1)}}


def summary(a) -> dict:
    d = a.to_dict()
    return {"as_of": d["as_of"], "leading": d["leading"]["id"], "likelihood": d["leading"]["likelihood"],
            "p": d["leading"]["score"], "confidence": d["confidence"],
            "indicators": {i["id"]: i["value"] for i in d["indicators"]},
            "contradicted_states": sorted({c["claim"]["state"] for c in d["contradictions"]
                                           if c["against"]["kind"] == "observation"}),
            "judgements": d["judgements"]}


def checks(out: dict) -> dict:
    from basewatch.assess.estimative import at_least

    k10, k15 = out["khmeimim"]["2024-12-10"], out["khmeimim"]["2024-12-15"]
    t10, t13 = out["tartus"]["2024-12-10"], out["tartus"]["2024-12-13"]
    return {
        "khmeimim_dec10_status_quo_leads": k10["leading"] == "status-quo",
        "khmeimim_dec15_withdrawal_or_drawdown_likely": k15["leading"] in ("withdrawal", "drawdown")
        and at_least(k15["likelihood"], "likely"),
        "khmeimim_dec15_cites_packing_loading_dismantling_fewer_jets": all(
            k15["indicators"].get(i) is True for i in ("air-defence-packed", "transports-loading",
                                                      "helicopters-dismantled", "combat-aircraft-below-baseline")),
        "khmeimim_no_decision_contradicted": "NO_DECISION" in k15["contradicted_states"],
        "tartus_holding_offshore": all(t["indicators"].get("vessels-holding-offshore") is True
                                       or t["indicators"].get("reported-holding-offshore") is True for t in (t10, t13)),
        "tartus_exercise_flagged": all("EXERCISE" in t["contradicted_states"] for t in (t10, t13)),
        "tartus_less_certain": all(t["p"] < k15["p"] for t in (t10, t13)),
        "tartus_air_defence_in_place": all(t["indicators"].get("air-defence-in-place") is True for t in (t10, t13)),
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--no-record", action="store_true")
    args = ap.parse_args()
    sys.path.insert(0, str(ROOT / "src"))
    from basewatch.assess import assess_site
    from basewatch.workspace import Workspace

    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        ws = Workspace.init(work / "ws")
        builds = {name: build(name, work, ws) for name in DATES}
        out: dict[str, dict] = {}
        t0 = time.time()
        n = 0
        for name, dates in DATES.items():
            site = builds[name]["site"]
            out[site] = {d: summary(assess_site(ws, site, d)) for d in dates}
            n += len(dates)
        per = (time.time() - t0) / n
        ws.close()
    result = {"bench": "assess", "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
              "machine": f"{platform.node()} {platform.machine()}".strip(),
              "inputs": "renderer labels + noise -> analyze_evidence; scenario texts -> ingest_text; no tracks",
              "builds": builds, "seconds_per_assessment": round(per, 3), "checks": checks(out),
              "assessments": {s: {d: {k: v for k, v in r.items() if k != "judgements"} for d, r in v.items()}
                              for s, v in out.items()},
              "judgements": {s: {d: r["judgements"] for d, r in v.items()} for s, v in out.items()}}
    print(json.dumps(result, indent=2, ensure_ascii=False))
    if not args.no_record:
        with (ROOT / "bench" / "results" / "assess.jsonl").open("a", encoding="utf-8") as f:
            f.write(json.dumps(result, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
