"""Track ingest throughput: points per minute on one core (parse + unit checks + cleaning + events).

    .venv/bin/python bench/bench_tracks.py [--points 1000000] [--out bench/results/tracks.jsonl]

Target (issue 7): at least 1,000,000 track points per minute per core on ingest. Inputs are generated here
(OpenSky CSV, NMEA) plus the real traffic JSON sample when ../shared is present. Single process, so the
figure is per core.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from basewatch.catalog import builtin_catalog
from basewatch.tracks.events import air_events, sea_events
from basewatch.tracks.identify import Identifier
from basewatch.tracks.load import load_track_file
from basewatch.tracks.places import airfield_from_site, port_from_site

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data" / "tracks"
HEADER = ("time,icao24,lat,lon,velocity,heading,vertrate,callsign,onground,alert,spi,squawk,baroaltitude,"
          "geoaltitude,lastposupdate,lastcontact\n")


def write_opensky(path: Path, n_points: int, seed: int = 1) -> None:
    """n_points of random flights over the eastern Mediterranean, 10 s apart, some near Khmeimim."""
    rng = np.random.default_rng(seed)
    per = 1000
    n_tracks = n_points // per
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(HEADER)
        for k in range(n_tracks):
            icao = f"{0x100000 + k:06x}"
            lat0, lon0 = 35.41 + rng.normal(0, 0.5), 35.94 + rng.normal(0, 0.5)
            hd = rng.uniform(0, 2 * np.pi)
            steps = np.arange(per)
            lat = lat0 + np.cos(hd) * 0.02 * steps / 10
            lon = lon0 + np.sin(hd) * 0.02 * steps / 10
            alt = np.abs(9000 - 30 * steps) + 50
            t = 1733011200 + 10 * steps + k * 7
            lines = [f"{t[i]},{icao},{lat[i]:.5f},{lon[i]:.5f},220.5,{np.degrees(hd):.1f},-5.0,RFF{k % 9999:04d},"
                     f"false,false,false,1000,{alt[i]:.1f},{alt[i] + 50:.1f},{t[i]}.5,{t[i]}.8\n" for i in range(per)]
            fh.writelines(lines)


def write_nmea(path: Path, n_lines: int) -> int:
    """The example's Tartus AIS file repeated up to n_lines (the copies are dropped as duplicates, after being
    parsed and decoded like any other sentence)."""
    from basewatch.synth.tracks import write_tartus_nmea

    src = path.with_suffix(".src")
    write_tartus_nmea(src)
    lines = src.read_text().splitlines()
    out = (lines * (n_lines // len(lines) + 1))[:n_lines]
    path.write_text("\n".join(out) + "\n")
    return len(out)


def measure(name: str, path: Path, events) -> dict:
    t0, c0 = time.perf_counter(), time.process_time()
    ts, report = load_track_file(path)
    t1 = time.perf_counter()
    n_events = len(events(ts))
    t2, c2 = time.perf_counter(), time.process_time()
    points = report.lines  # every input point is parsed, checked and cleaned
    return {
        "bench": "tracks.ingest", "input": name, "format": report.format, "points_in": points,
        "points_kept": report.points, "load_s": round(t1 - t0, 3), "events_s": round(t2 - t1, 3),
        "cpu_s": round(c2 - c0, 3), "events": n_events,
        "points_per_min_per_core": int(points / max(c2 - c0, 1e-9) * 60),
        "points_per_min_wall": int(points / max(t2 - t0, 1e-9) * 60),
        "file_mb": round(path.stat().st_size / 1e6, 1),
    }


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--points", type=int, default=1_000_000)
    ap.add_argument("--out", default=str(ROOT / "bench" / "results" / "tracks.jsonl"))
    args = ap.parse_args()
    cat = builtin_catalog()
    ident = Identifier(catalog=cat)
    oslk = [airfield_from_site(cat.sites["khmeimim"])]
    tartus = port_from_site(cat.sites["tartus"])
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        p = Path(tmp) / "opensky.csv"
        write_opensky(p, args.points)
        results.append(measure("generated OpenSky CSV", p, lambda ts: air_events(ts, oslk, ident)))
        q = Path(tmp) / "tartus.nmea"
        write_nmea(q, args.points // 4)
        results.append(measure("example NMEA repeated", q, lambda ts: sea_events(ts, tartus, ident)))
    quick = SHARED / "adsb" / "collections" / "quickstart.json.gz"
    if quick.is_file():
        from basewatch.tracks.places import airport_from_icao

        paris = [airport_from_icao(c) for c in ("LFPG", "LFPO", "LFPB")]
        results.append(measure("traffic quickstart.json.gz (real)", quick, lambda ts: air_events(ts, paris, ident)))
    meta = {"date": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"), "python": sys.version.split()[0],
            "machine": platform.machine(), "cpus": os.cpu_count(), "target_points_per_min_per_core": 1_000_000}
    with open(args.out, "a", encoding="utf-8") as fh:
        for r in results:
            r.update(meta)
            r["meets_target"] = r["points_per_min_per_core"] >= 1_000_000
            r["note"] = ("per core = points / CPU seconds of this single process; wall differs when other "
                         "processes share the machine")
            fh.write(json.dumps(r) + "\n")
            print(json.dumps(r))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
