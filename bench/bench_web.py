"""Dashboard and API latency under load: 20 concurrent clients on loopback, and map tiles.

Starts `basewatch serve` in its own process on 127.0.0.1 over a workspace (the demo's when it exists, else the
small populated workspace of the tests), then drives it with `wrk` (Debian package; a fixed duration per phase)
or, without it, with httpx from this process (a bounded number of requests per phase and a time cap), 20
connections at a time. Phases: pages and API as the dashboard asks for them (answers cached until the workspace
changes), the same with a query that defeats the cache (every answer computed), and map tiles (first render one
at a time, first render under 20 clients, cached). Appends one JSON line per phase to bench/results/web.jsonl
with the date, the machine and its load average. Targets (issue 6): pages and API p95 < 200 ms at 20
concurrent clients; a tile < 100 ms.

    python bench/bench_web.py [--workspace DIR] [--seconds 8] [--requests 2000] [--concurrency 20] [--no-wrk]
"""

from __future__ import annotations

import argparse
import asyncio
import atexit
import json
import math
import os
import platform
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results" / "web.jsonl"


def machine() -> dict[str, object]:
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {"host": platform.node(), "cpus": os.cpu_count(), "cpu": model, "python": platform.python_version(),
            "system": platform.platform(), "loadavg_1m": round(os.getloadavg()[0], 2)}


WRK_LUA = """
paths = {%s}
bust = %s
counter = 0
request = function()
  counter = counter + 1
  local p = paths[(counter %% #paths) + 1]
  if bust then
    local sep = string.find(p, "?", 1, true) and "&" or "?"
    p = p .. sep .. "nocache=" .. counter .. "-" .. math.random(1, 1000000000)
  end
  return wrk.format("GET", p)
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT %%d %%d %%.3f %%.3f %%.3f %%.3f %%.3f\\n", summary.requests,
    e.status + e.connect + e.read + e.write + e.timeout, latency:percentile(50) / 1000,
    latency:percentile(95) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
    summary.requests / (summary.duration / 1e6)))
end
"""


def wrk_load(base: str, paths: list[str], seconds: float, concurrency: int, bust: bool) -> dict[str, object]:
    """One wrk run over `paths` in turn (each request with a fresh query when `bust`)."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as f:
        f.write(WRK_LUA % (", ".join(json.dumps(p) for p in paths), "true" if bust else "false"))
    try:
        out = subprocess.run(["wrk", "-t2", f"-c{concurrency}", f"-d{int(seconds)}s", "--timeout", "10s", "-s", f.name,
                              base], capture_output=True, text=True, timeout=seconds + 60, check=True).stdout
    finally:
        os.unlink(f.name)
    n, errors, p50, p95, p99, mx, rps = next(line for line in out.splitlines() if line.startswith("RESULT")).split()[1:]
    return {"tool": "wrk", "requests": int(n), "errors": int(errors), "rps": round(float(rps), 1),
            "p50_ms": round(float(p50), 1), "p95_ms": round(float(p95), 1), "p99_ms": round(float(p99), 1),
            "max_ms": round(float(mx), 1)}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def workspace(arg: str | None) -> tuple[Path, str]:
    if arg:
        return Path(arg), f"given: {Path(arg).name}"
    demo = ROOT / "basewatch-demo"
    if (demo / "basewatch.toml").is_file():
        return demo, "demo"
    sys.path.insert(0, str(ROOT / "tests"))
    from populated import build

    tmp = Path(tempfile.mkdtemp(prefix="bench-web-"))
    atexit.register(shutil.rmtree, tmp, ignore_errors=True)
    build(tmp).close()
    return tmp / "ws", "test sample (tests/populated.py)"


def pct(values: list[float], p: float) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, max(0, math.ceil(p / 100 * len(s)) - 1))]


async def load(base: str, paths: list[str], total: int, concurrency: int, cap_s: float) -> dict[str, object]:
    """`total` GETs cycling over `paths`, `concurrency` at a time; stops early at `cap_s` seconds."""
    lat: list[float] = []
    errors = 0
    counter = iter(range(total))
    deadline = time.perf_counter() + cap_s
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=30) as client:
        async def worker() -> None:
            nonlocal errors
            for i in counter:
                if time.perf_counter() > deadline:
                    return
                t0 = time.perf_counter()
                r = await client.get(paths[i % len(paths)])
                lat.append((time.perf_counter() - t0) * 1000)
                if r.status_code >= 400:
                    errors += 1

        t0 = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        wall = time.perf_counter() - t0
    return {"tool": "httpx", "requests": len(lat), "errors": errors, "rps": round(len(lat) / wall, 1),
            "p50_ms": round(pct(lat, 50), 1), "p95_ms": round(pct(lat, 95), 1), "p99_ms": round(pct(lat, 99), 1),
            "max_ms": round(max(lat), 1)}


def tile_paths(images: list[dict], zooms: range, per_image: int) -> list[str]:
    """Distinct tiles (never cached before) around each image's centre."""
    out = []
    for im in images:
        (s, w), (n, e) = im["bounds"]
        lat, lon = (s + n) / 2, (w + e) / 2
        for z in zooms:
            k = 2**z
            cx = int((lon + 180) / 360 * k)
            cy = int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * k)
            side = max(1, int(math.sqrt(per_image)))
            out += [f"/tiles/{im['id']}/{z}/{cx + dx}/{cy + dy}.png" for dx in range(-(side // 2), side - side // 2)
                    for dy in range(-(side // 2), side - side // 2)]
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--workspace")
    ap.add_argument("--requests", type=int, default=2000)
    ap.add_argument("--concurrency", type=int, default=20)
    ap.add_argument("--cap-s", type=float, default=60.0)
    ap.add_argument("--seconds", type=float, default=8.0, help="duration of each wrk phase")
    ap.add_argument("--workers", type=int, default=1, help="server processes (basewatch serve --workers)")
    ap.add_argument("--no-wrk", action="store_true", help="use the httpx loop even when wrk is installed")
    ap.add_argument("--no-record", action="store_true")
    args = ap.parse_args()
    ws, kind = workspace(args.workspace)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [str(Path(sys.executable).with_name("basewatch")), "serve", "--workspace", str(ws), "--port", str(port),
         "--workers", str(args.workers)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        for _ in range(200):
            try:
                if httpx.get(base + "/api/sites", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.1)
        else:
            raise SystemExit(f"server did not start: {server.stderr.read().decode() if server.stderr else ''}")
        sites = httpx.get(base + "/api/sites").json()["sites"]
        site = next((s["id"] for s in sites if s["image_dates"]), sites[0]["id"])
        detail = httpx.get(f"{base}/api/sites/{site}").json()
        texts = httpx.get(f"{base}/api/evidence?site={site}&kind=article").json()["evidence"]
        pages = ["/", f"/sites/{site}", f"/sites/{site}/change"] + ([f"/evidence/{texts[0]['id']}"] if texts else [])
        api = ["/api/sites", f"/api/sites/{site}", f"/api/sites/{site}/timeline", f"/api/claims?site={site}",
               f"/api/observations?site={site}&kind=detection", f"/api/assessments?site={site}", "/openapi.json"]
        for p in pages + api:  # warm up (and fail loudly on a broken route)
            r = httpx.get(base + p, timeout=30)
            r.raise_for_status()
        stamp = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        common = {"date": stamp, "machine": machine(), "workspace": kind, "concurrency": args.concurrency,
                  "bench": "web", "server_workers": args.workers}
        rows = []
        use_wrk = shutil.which("wrk") is not None and not args.no_wrk
        for name, paths, bust in (("pages", pages, False), ("api", api, False), ("mixed", pages + api, False),
                                  ("pages-uncached", pages, True), ("api-uncached", api, True)):
            if use_wrk:
                res = wrk_load(base, paths, args.seconds, args.concurrency, bust)
            else:
                busted = [f"{p}{'&' if '?' in p else '?'}nocache={i}" for i in range(args.requests // len(paths) + 1)
                          for p in paths] if bust else paths
                res = asyncio.run(load(base, busted, args.requests, args.concurrency, args.cap_s))
            rows.append({**common, "machine": machine(), "phase": name, "paths": paths, **res,
                         "target_p95_ms": 200, "ok": res["p95_ms"] < 200 and res["errors"] == 0})
        images = detail["images"][-2:]
        zooms = range(max(0, images[-1]["native_zoom"] - 4), images[-1]["native_zoom"] + 1) if images else range(0)
        cold = tile_paths(images, zooms, 9)
        lat = []
        with httpx.Client(base_url=base, timeout=30) as c:
            for p in cold:  # one at a time, never seen before: the render cost itself
                t0 = time.perf_counter()
                c.get(p).raise_for_status()
                lat.append((time.perf_counter() - t0) * 1000)
        if lat:
            rows.append({**common, "phase": "tiles-cold-sequential", "concurrency": 1, "requests": len(lat),
                         "errors": 0, "p50_ms": round(pct(lat, 50), 1), "p95_ms": round(pct(lat, 95), 1),
                         "max_ms": round(max(lat), 1), "zooms": [zooms.start, zooms.stop - 1],
                         "target_ms": 100, "ok": pct(lat, 95) < 100})
            fresh = tile_paths(images, range(zooms.stop, zooms.stop + 2), 16)  # rendered under load
            res = asyncio.run(load(base, fresh, len(fresh), args.concurrency, args.cap_s))
            rows.append({**common, "phase": "tiles-cold-concurrent", **res, "target_ms": 100,
                         "ok": res["p95_ms"] < 100 and res["errors"] == 0})
            res = wrk_load(base, cold, args.seconds, args.concurrency, False) if use_wrk else \
                asyncio.run(load(base, cold, args.requests, args.concurrency, args.cap_s))
            rows.append({**common, "phase": "tiles-cached-concurrent", **res, "target_ms": 100,
                         "ok": res["p95_ms"] < 100 and res["errors"] == 0})
    finally:
        server.terminate()
        server.wait(10)
    for r in rows:
        print(json.dumps({k: v for k, v in r.items() if k not in ("machine", "paths", "date", "bench", "workspace")}
                         | {"load": r["machine"]["loadavg_1m"]}))
    if not args.no_record:
        RESULTS.parent.mkdir(parents=True, exist_ok=True)
        with RESULTS.open("a", encoding="utf-8") as f:
            for r in rows:
                f.write(json.dumps(r) + "\n")


if __name__ == "__main__":
    main()
