"""Synthetic flight and vessel tracks for the December 2024 example, in real formats.

- Khmeimim: OpenSky state-vector CSV (SI units, unix seconds, 10 s grid). A quiet baseline on Dec 1-6 (a few
  civil flights, an occasional transport) and an airlift on Dec 7-15 (Il-76 and An-124 in and out of OSLK several
  times a day). Russian aircraft use addresses in the Russian block 0x100000-0x1FFFFF, RA-/RF- registrations,
  callsigns that are either the registration or an RFF number. About a third of the military movements are flown
  with the transponder off and are NOT in the file (they are in the ground truth), because that is what happens:
  absence of a track is not evidence of absence. A few points are spoofed (GNSS interference is common in the
  eastern Mediterranean) and a few lines duplicated, as in real feeds.
- Tartus: NMEA 0183 `!AIVDM` with NMEA 4.0 tag blocks (`c:` unix time), encoded with pyais. Frigates Admiral
  Gorshkov and Admiral Golovko and the oiler Vyazma in port on Dec 1, leaving Dec 2-3, back by Dec 5-6, then
  holding 7-13 km W/NW of the port from Dec 9; the cargo ship Sparta IV loitering about 5 NM offshore, then
  about 15 NM; AIS gaps; civil traffic to the commercial port and along the coast; two corrupted sentences.

Everything is deterministic (fixed seeds) and small (about 1-3 MB).
"""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np

KHMEIMIM = (35.41167, 35.94500)
OSLK_ELEV_M = 157 * 0.3048
TARTUS = (34.91500, 35.87500)
M_PER_DEG = 110_946.0
DEC1 = datetime(2024, 12, 1, tzinfo=UTC)
OPENSKY_HEADER = ["time", "icao24", "lat", "lon", "velocity", "heading", "vertrate", "callsign", "onground",
                  "alert", "spi", "squawk", "baroaltitude", "geoaltitude", "lastposupdate", "lastcontact"]


def _ll(origin: tuple[float, float], x: float, y: float) -> tuple[float, float]:
    lat0, lon0 = origin
    return lat0 + y / M_PER_DEG, lon0 + x / (M_PER_DEG * math.cos(math.radians(lat0)))


def _ts(day: int, hour: float) -> float:
    return (DEC1 + timedelta(days=day - 1, hours=hour)).timestamp()


# -- flights ---------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Aircraft:
    icao24: str
    callsign: str
    typecode: str
    registration: str


def _ra(reg: str) -> str:
    """The address of an RA-nnnnn registration (Russian numeric block pattern 0x140000 + n)."""
    return f"{0x140000 + int(reg.split('-')[1]):06x}"


HEAVY = [
    Aircraft(_ra("RA-78830"), "RFF7081", "IL76", "RA-78830"),
    Aircraft(_ra("RA-78845"), "RFF7093", "IL76", "RA-78845"),
    Aircraft("15d2a7", "RF78790", "IL76", "RF-78790"),
    Aircraft("15d3c1", "RF76513", "IL76", "RF-76513"),
    Aircraft(_ra("RA-82039"), "RFF4311", "A124", "RA-82039"),
    Aircraft("15e0b4", "RF82035", "A124", "RF-82035"),
    Aircraft(_ra("RA-78817"), "RFF7066", "IL76", "RA-78817"),
]
TACTICAL = [Aircraft(_ra("RA-26085"), "RFF2605", "AN26", "RA-26085"),
            Aircraft(_ra("RA-72916"), "RFF7290", "AN72", "RA-72916")]
CIVIL = [Aircraft("778a21", "SYR501", "A320", "YK-AKA"), Aircraft("778a3c", "SYR503", "A320", "YK-AKB"),
         Aircraft("0101c9", "RBG211", "A320", "SU-BQM")]


def _runway(number: int) -> tuple[np.ndarray, np.ndarray]:
    """(threshold, unit direction of landing) of the west runway 17R/35L in local metres."""
    a = math.radians(176.6 if number == 17 else 356.6)
    d = np.array([math.sin(a), math.cos(a)])
    centre = np.array([-110.0, 0.0])
    return centre - d * 2797 / 2, d


def _flight_path(kind: str, rwy: int, bearing: float) -> list[tuple[float, float, float, float, int]]:
    """Waypoints (x, y, altitude AGL m, speed m/s, on ground) of an arrival or departure."""
    thr, d = _runway(rwy)
    apron = np.array([-470.0, -550.0])
    far = 160_000.0 * np.array([math.sin(math.radians(bearing)), math.cos(math.radians(bearing))])
    faf = thr - d * 18_000
    glide = math.tan(math.radians(3.0))
    if kind == "arrival":
        td = thr + d * 300
        stop = thr + d * 2000
        return [(*far, 9000.0, 220.0, 0), (*faf, 18_000 * glide + 300, 95.0, 0),
                (*(thr - d * 6000), 6000 * glide, 78.0, 0), (*td, 0.0, 70.0, 1), (*stop, 0.0, 12.0, 1),
                (*apron, 0.0, 6.0, 1)]
    rot = thr + d * 1700
    out = thr + d * 15_000
    return [(*apron, 0.0, 6.0, 1), (*thr, 0.0, 4.0, 1), (*rot, 0.0, 80.0, 1), (*(thr + d * 4000), 300.0, 90.0, 0),
            (*out, 2500.0, 140.0, 0), (*(out + (far - out) * 0.3), 8000.0, 210.0, 0), (*far, 9500.0, 230.0, 0)]


def _sample(way: list[tuple[float, float, float, float, int]], t0: float, rng: np.random.Generator,
            step: float = 10.0) -> list[tuple[float, float, float, float, float, float, float, int]]:
    """Points every `step` s along the waypoints: (t, x, y, alt, speed, heading, vertrate, onground)."""
    pts = np.array([w[:4] for w in way])
    seg_len = np.hypot(*np.diff(pts[:, :2], axis=0).T)
    seg_time = seg_len / np.maximum((pts[:-1, 3] + pts[1:, 3]) / 2, 1.0)
    times = np.concatenate(([0.0], np.cumsum(seg_time)))
    grid0 = math.ceil(t0 / step) * step
    out = []
    for t in np.arange(grid0, t0 + times[-1], step):
        s = t - t0
        i = int(np.searchsorted(times, s, side="right") - 1)
        i = min(i, len(way) - 2)
        f = (s - times[i]) / max(times[i + 1] - times[i], 1e-9)
        x, y, alt, v = pts[i] + (pts[i + 1] - pts[i]) * f
        dx, dy = pts[i + 1, :2] - pts[i, :2]
        hd = (math.degrees(math.atan2(dx, dy)) + 360) % 360
        vr = (pts[i + 1, 2] - pts[i, 2]) / max(seg_time[i], 1.0)
        out.append((float(t), x + rng.normal(0, 8), y + rng.normal(0, 8), float(alt), float(v), hd, vr,
                    int(way[i][4] and way[i + 1][4] or (way[i][4] and f < 0.5))))
    return out


def _air_schedule(rng: np.random.Generator) -> list[dict[str, Any]]:
    """Movements with their aircraft and whether the transponder was on."""
    moves: list[dict[str, Any]] = []
    for day in range(1, 16):
        rwy = 17 if rng.random() < 0.7 else 35
        surge = day >= 7
        n_heavy = int(rng.integers(3, 5)) if surge else (1 if day in (2, 5) else 0)
        hours = np.sort(rng.uniform(3, 17, n_heavy)) if n_heavy else []
        for k, h in enumerate(hours):
            ac = HEAVY[(day * 3 + k) % len(HEAVY)]
            on = rng.random() > (0.35 if surge else 0.2)
            bearing = float(rng.uniform(40, 100))
            moves.append({"day": day, "hour": float(h), "kind": "arrival", "ac": ac, "rwy": rwy, "on": on,
                          "bearing": bearing})
            moves.append({"day": day, "hour": float(h) + float(rng.uniform(2, 4.5)), "kind": "departure", "ac": ac,
                          "rwy": rwy, "on": on and rng.random() > 0.1, "bearing": bearing})
        if rng.random() < 0.6:  # tactical transport, many without transponder
            ac = TACTICAL[day % 2]
            h = float(rng.uniform(6, 14))
            on = rng.random() > 0.5
            moves.append({"day": day, "hour": h, "kind": "arrival", "ac": ac, "rwy": rwy, "on": on,
                          "bearing": float(rng.uniform(60, 120))})
            moves.append({"day": day, "hour": h + 1.5, "kind": "departure", "ac": ac, "rwy": rwy, "on": on,
                          "bearing": float(rng.uniform(60, 120))})
        for k in range(int(rng.integers(1, 3))):  # civil flights at Bassel al-Assad airport
            ac = CIVIL[(day + k) % len(CIVIL)]
            h = float(rng.uniform(7, 19))
            b = float(rng.uniform(90, 160))
            moves.append({"day": day, "hour": h, "kind": "arrival", "ac": ac, "rwy": rwy, "on": True, "bearing": b})
            moves.append({"day": day, "hour": h + 1.2, "kind": "departure", "ac": ac, "rwy": rwy, "on": True,
                          "bearing": b})
    return moves


def write_khmeimim_adsb(path: Path, seed: int = 2024_12_07) -> dict[str, Any]:
    rng = np.random.default_rng(seed)
    moves = _air_schedule(rng)
    rows: list[list[Any]] = []
    for mv in moves:
        if not mv["on"]:
            continue
        t0 = _ts(mv["day"], mv["hour"])
        way = _flight_path(mv["kind"], mv["rwy"], mv["bearing"])
        if mv["kind"] == "arrival":  # start far out so that touchdown happens near the scheduled hour
            t0 -= 1500
        ac: Aircraft = mv["ac"]
        squawk = f"{int(rng.integers(1000, 7000)):04d}"
        for t, x, y, alt, v, hd, vr, gnd in _sample(way, t0, rng):
            lat, lon = _ll(KHMEIMIM, x, y)
            baro = alt + OSLK_ELEV_M
            rows.append([int(t), ac.icao24, f"{lat:.5f}", f"{lon:.5f}", f"{v:.2f}", f"{hd:.1f}", f"{vr:.2f}",
                         f"{ac.callsign:<8}", "true" if gnd else "false", "false", "false", squawk,
                         f"{baro:.2f}" if not gnd else "", f"{baro + 60:.2f}" if not gnd else "",
                         f"{t - 0.4:.1f}", f"{t - 0.2:.1f}"])
    # GNSS spoofing: a few points of one flight jump to Beirut airport; a few lines duplicated.
    spoof_lat, spoof_lon = 33.8209, 35.4884
    for i in range(300, 306):
        rows[i][2], rows[i][3] = f"{spoof_lat:.5f}", f"{spoof_lon:.5f}"
    for i in (1000, 1001, 5000):
        rows.append(list(rows[i]))
    rows.sort(key=lambda r: (r[0], r[1]))
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(OPENSKY_HEADER)
        w.writerows(rows)
    heavy = [m for m in moves if m["ac"].typecode in ("IL76", "A124")]
    per_day: dict[str, dict[str, int]] = {}
    for m in heavy:
        d = f"2024-12-{m['day']:02d}"
        rec = per_day.setdefault(d, {"flown": 0, "transmitted": 0})
        rec["flown"] += 1
        rec["transmitted"] += int(m["on"])
    return {"points": len(rows), "movements_flown": len(moves), "movements_transmitted": sum(m["on"] for m in moves),
            "heavy_movements_per_day": per_day, "spoofed_points": 6, "duplicated_lines": 3}


# -- vessels ---------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Vessel:
    mmsi: int
    name: str
    callsign: str
    ship_type: int
    length: int
    beam: int
    imo: int = 0


GORSHKOV = Vessel(273458210, "ADMIRAL GORSHKOV", "RGKV", 35, 135, 16)
GOLOVKO = Vessel(273458320, "ADMIRAL GOLOVKO", "RGLV", 35, 135, 16)
VYAZMA = Vessel(273453670, "VYAZMA", "UBVZ", 35, 130, 20)
SPARTA = Vessel(273352100, "SPARTA IV", "UBSP4", 70, 120, 17, 9743986)
CIVIL_SHIPS = [Vessel(636019825, "NORDIC STAR", "D5XY2", 70, 180, 28, 9612345),
               Vessel(341221000, "AL AMIR", "V4AB3", 70, 110, 18, 9234567),
               Vessel(357610000, "MED TRADER", "3FXZ9", 80, 145, 23, 9455667),
               Vessel(468102000, "TARTOUS 3", "YKTA", 52, 30, 10)]
PIER = np.array([-120.0, 60.0])


def _voyage(legs: list[tuple[float, tuple[float, float], float]], step_s: float, rng: np.random.Generator,
            drift_m: float = 0.0) -> list[tuple[float, float, float, float, float]]:
    """Points (t, x, y, sog kn, cog) along legs [(time, (x, y), _)], positions between legs interpolated."""
    out = []
    for (ta, pa, _), (tb, pb, _) in zip(legs[:-1], legs[1:], strict=True):
        pa_, pb_ = np.array(pa), np.array(pb)
        dist = float(np.hypot(*(pb_ - pa_)))
        sog = dist / max(tb - ta, 1.0) / 0.514444
        cog = (math.degrees(math.atan2(*(pb_ - pa_))) + 360) % 360 if dist > 1 else float(rng.uniform(0, 360))
        step = step_s if dist > 1 else step_s * 2
        for t in np.arange(ta, tb, step):
            f = (t - ta) / max(tb - ta, 1.0)
            p = pa_ + (pb_ - pa_) * f
            if dist <= 1 and drift_m and float(np.hypot(*(p - PIER))) > 2000:  # holding offshore drifts
                p = p + rng.normal(0, drift_m, 2)
                sog_p = abs(float(rng.normal(0.6, 0.3)))
            elif dist <= 1:
                sog_p = 0.0
            else:
                sog_p = sog
            out.append((float(t), float(p[0]), float(p[1]), round(sog_p, 1), cog))
    return out


def _vessel_plans() -> list[tuple[Vessel, list[list[tuple[float, tuple[float, float], float]]], float]]:
    """Per vessel: voyages (list of legs; between voyages the AIS is off) and drift when holding."""
    pier = tuple(PIER)
    w20 = (-20_000.0, 2_000.0)
    w60 = (-60_000.0, 5_000.0)
    hold_a = (-9_000.0, 4_500.0)  # ~10 km WNW
    hold_b = (-7_000.0, 6_500.0)  # ~9.5 km NW
    hold_c = (-9_500.0, 9_000.0)  # ~13 km NW
    p = _ts
    return [
        (GORSHKOV, [
            [(p(1, 0), pier, 0), (p(2, 8), pier, 0), (p(2, 8.5), (-1500.0, 800.0), 0), (p(2, 11), w60, 0)],
            [(p(5, 9), w60, 0), (p(5, 13.5), (-1500.0, 800.0), 0), (p(5, 14), pier, 0), (p(9, 4), pier, 0),
             (p(9, 4.6), hold_a, 0), (p(11, 20), hold_a, 0)],
            [(p(12, 2), hold_a, 0), (p(16, 0), hold_a, 0)],  # six hours dark on the night of Dec 11
        ], 150.0),
        (GOLOVKO, [
            [(p(1, 0), pier, 0), (p(3, 6), pier, 0), (p(3, 6.5), (-1500.0, 800.0), 0), (p(3, 8), w20, 0)],
            [(p(6, 7), (-15_000.0, 3_000.0), 0), (p(6, 8.5), (-1500.0, 800.0), 0), (p(6, 9), pier, 0),
             (p(9, 5), pier, 0), (p(9, 5.6), hold_b, 0), (p(16, 0), hold_b, 0)],
        ], 150.0),
        (VYAZMA, [
            [(p(1, 0), pier, 0), (p(3, 10), pier, 0), (p(3, 10.5), (-1500.0, 800.0), 0), (p(3, 14), w60, 0)],
            [(p(5, 6), w60, 0), (p(5, 10.5), (-1500.0, 800.0), 0), (p(5, 11), pier, 0), (p(9, 6), pier, 0),
             (p(9, 6.8), hold_c, 0), (p(16, 0), hold_c, 0)],
        ], 200.0),
        (SPARTA, [
            [(p(10, 5), (-45_000.0, -12_000.0), 0), (p(10, 8), (-8_500.0, -2_500.0), 0),
             (p(13, 12), (-8_500.0, -2_500.0), 0), (p(13, 13.5), (-28_000.0, -6_000.0), 0),
             (p(16, 0), (-28_000.0, -6_000.0), 0)],
        ], 250.0),
        (CIVIL_SHIPS[0], [
            [(p(3, 23), (-50_000.0, -20_000.0), 0), (p(4, 2), (-5_000.0, -2_500.0), 0),
             (p(4, 3), (-50.0, -900.0), 0), (p(6, 10), (-50.0, -900.0), 0),
             (p(6, 14), (-50_000.0, -25_000.0), 0)],
        ], 150.0),
        (CIVIL_SHIPS[1], [
            [(p(8, 4), (-40_000.0, 30_000.0), 0), (p(8, 8), (-100.0, -1000.0), 0), (p(10, 8), (-100.0, -1000.0), 0),
             (p(10, 12), (-40_000.0, 30_000.0), 0)],
        ], 150.0),
        (CIVIL_SHIPS[2], [  # a tanker passing along the coast, 30 km out
            [(p(4, 0), (-30_000.0, -60_000.0), 0), (p(4, 9), (-30_000.0, 60_000.0), 0)],
            [(p(12, 0), (-31_000.0, 60_000.0), 0), (p(12, 9), (-31_000.0, -60_000.0), 0)],
        ], 150.0),
        (CIVIL_SHIPS[3], [  # a harbour tug of the commercial port
            [(p(1, 0), (-200.0, -1100.0), 0), (p(16, 0), (-200.0, -1100.0), 0)],
        ], 80.0),
    ]


def _tagged(sentence: str, t: float, station: str = "r2735401") -> str:
    body = f"s:{station},c:{int(t)}"
    cs = 0
    for ch in body:
        cs ^= ord(ch)
    return f"\\{body}*{cs:02X}\\{sentence}"


def write_tartus_nmea(path: Path, seed: int = 2024_12_09) -> dict[str, Any]:
    from pyais import encode_dict

    rng = np.random.default_rng(seed)
    lines: list[tuple[float, int, str]] = []
    seq = 0
    for vessel, voyages, drift in _vessel_plans():
        for voyage in voyages:
            t_start = voyage[0][0]
            for t, x, y, sog, cog in _voyage(voyage, 360.0, rng, drift_m=drift):
                lat, lon = _ll(TARTUS, x, y)
                moored = sog < 0.3 and float(np.hypot(x - PIER[0], y - PIER[1])) < 500
                msg = {"type": 1, "mmsi": vessel.mmsi, "status": 5 if moored else 0, "speed": min(sog, 102.2),
                       "lon": round(lon, 5), "lat": round(lat, 5), "course": round(cog, 1), "heading": int(cog),
                       "second": int(t) % 60}
                for s in encode_dict(msg, talker_id="AI", sentence_type="VDM", radio_channel="AB"[int(t) % 2]):
                    lines.append((t, vessel.mmsi, _tagged(s, t)))
                if (t - t_start) % (6 * 3600) < 360:
                    static = {"type": 5, "mmsi": vessel.mmsi, "imo": vessel.imo, "callsign": vessel.callsign,
                              "shipname": vessel.name, "ship_type": vessel.ship_type,
                              "to_bow": vessel.length // 2, "to_stern": vessel.length - vessel.length // 2,
                              "to_port": vessel.beam // 2, "to_starboard": vessel.beam - vessel.beam // 2,
                              "destination": "TARTUS" if vessel.mmsi != SPARTA.mmsi else "FOR ORDERS",
                              "draught": 5.5}
                    parts = encode_dict(static, talker_id="AI", sentence_type="VDM", radio_channel="A",
                                        seq_id=seq % 10)
                    seq += 1
                    for s in parts:
                        lines.append((t + 1, vessel.mmsi, _tagged(s, t + 1)))
    lines.sort(key=lambda r: (r[0], r[1]))
    text = [s for *_, s in lines]
    # Feed corruption, as in real logs: a truncated sentence and one with a wrong checksum.
    text[500] = text[500][: len(text[500]) // 2]
    bad = text[900]
    text[900] = bad[:-2] + ("00" if bad[-2:] != "00" else "11")
    path.write_text("\n".join(text) + "\n", encoding="ascii")
    return {"sentences": len(text), "vessels": len(_vessel_plans()), "corrupted_lines": [501, 901],
            "not_transmitting": "submarine Novorossiysk and other warships with AIS off are not in the file"}


def write_example_tracks(out_dir: Path | str, scenario_name: str = "dec2024") -> list[dict[str, Any]]:
    """Write the example's track files; returns manifest items to ingest as evidence of kind `track`.

    `scenario_name` containing 'khmeimim' gives the ADS-B file, 'tartus' the AIS file, anything else both.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    name = scenario_name.lower()
    items: list[dict[str, Any]] = []
    caveat = ("Synthetic. Many military aircraft and warships do not transmit: missing tracks are not evidence "
              "of missing activity.")
    if "tartus" not in name:
        path = out / "khmeimim-dec2024-opensky.csv"
        truth = write_khmeimim_adsb(path)
        items.append({"path": str(path), "kind": "track", "source": "synthetic", "site": "khmeimim",
                      "collected": "2024-12-15", "format": "opensky-csv",
                      "period": ["2024-12-01", "2024-12-15"], "description": "ADS-B state vectors around OSLK",
                      "ground_truth": truth, "caveat": caveat})
    if "khmeimim" not in name:
        path = out / "tartus-dec2024-ais.nmea"
        truth = write_tartus_nmea(path)
        items.append({"path": str(path), "kind": "track", "source": "synthetic", "site": "tartus",
                      "collected": "2024-12-15", "format": "nmea", "period": ["2024-12-01", "2024-12-15"],
                      "description": "AIS (NMEA 0183 with tag blocks) around Tartus", "ground_truth": truth,
                      "caveat": caveat})
    return items
