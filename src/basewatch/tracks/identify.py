"""Who a track is: country from the ICAO24 block or the MMSI prefix, registration and type from a user aircraft
database or watch-lists, AIS ship type, and the catalog type a ship's name or an aircraft's type code points to.

Identification is a hint with its reason attached (`id_basis`), never proof: transponders can be set to any
address and AIS names are typed in by crews.
"""

from __future__ import annotations

import bisect
import csv
import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from basewatch.catalog.gazetteer import normalize
from basewatch.errors import InputFileError

# Transport types the catalog lacks, so a C-17 is still a heavy transport (ICAO type designators).
EXTRA_TYPES = {
    "C17": "aircraft.transport.heavy", "C5M": "aircraft.transport.heavy", "A400": "aircraft.transport.heavy",
    "IL62": "aircraft.transport.passenger", "IL96": "aircraft.transport.passenger",
    "C130": "aircraft.transport.tactical", "C30J": "aircraft.transport.tactical",
    "C160": "aircraft.transport.tactical", "CN35": "aircraft.transport.tactical",
    "C295": "aircraft.transport.tactical", "A310": "aircraft.transport.passenger",
    "T204": "aircraft.transport.passenger", "T214": "aircraft.transport.passenger",
}
SHIP_TYPES = {35: "ship.military", 55: "ship.law_enforcement", 30: "ship.fishing", 31: "ship.towing",
              32: "ship.towing", 33: "ship.dredging", 50: "ship.pilot", 51: "ship.sar", 52: "ship.tug",
              53: "ship.port_tender", 58: "ship.medical"}
_AIRLINE_CALLSIGN = re.compile(r"^[A-Z]{3}\d[0-9A-Z]{0,3}$")
_REG_CALLSIGN = re.compile(r"^(R[AF])-?(\d{5})$")


def _data(name: str) -> list[dict[str, str]]:
    text = resources.files("basewatch.tracks").joinpath("data").joinpath(name).read_text("utf-8")
    return list(csv.DictReader(line for line in text.splitlines() if not line.startswith("#")))


@lru_cache(maxsize=1)
def _icao_blocks() -> tuple[list[int], list[tuple[int, int, str, str]]]:
    rows = [(int(r["start"], 16), int(r["end"], 16), r["iso2"], r["country"]) for r in _data("icao24_blocks.csv")]
    # Nested blocks (Hong Kong inside China): sort by start; lookup checks candidates from the right.
    rows.sort()
    return [r[0] for r in rows], rows


def icao24_country(icao24: str) -> tuple[str, str] | None:
    """(ISO code, country) of the State whose block holds the address, e.g. 0x100000-0x1FFFFF -> Russia."""
    try:
        value = int(icao24, 16)
    except ValueError:
        return None
    starts, rows = _icao_blocks()
    i = bisect.bisect_right(starts, value) - 1
    while i >= 0:
        s, e, iso, name = rows[i]
        if s <= value <= e:
            return iso, name
        if value - s > 0x100000:
            break
        i -= 1
    return None


@lru_cache(maxsize=1)
def _mids() -> dict[str, tuple[str, str]]:
    return {r["mid"]: (r["iso2"], r["country"]) for r in _data("mmsi_mid.csv")}


def mmsi_country(mmsi: str) -> tuple[str, str] | None:
    """Flag State from the Maritime Identification Digits (273 = Russia, 468 = Syria)."""
    m = str(mmsi).zfill(9)
    mid = m[:3]
    if m.startswith(("98", "99")):  # craft associated with a ship, aids to navigation
        mid = m[2:5]
    elif m.startswith("0"):  # group / coast station numbers
        mid = m[1:4] if not m.startswith("00") else m[2:5]
    return _mids().get(mid)


def ship_type_category(code: int | None) -> str:
    if code is None:
        return "ship.unknown"
    if code in SHIP_TYPES:
        return SHIP_TYPES[code]
    if 60 <= code <= 69:
        return "ship.passenger"
    if 70 <= code <= 79:
        return "ship.cargo"
    if 80 <= code <= 89:
        return "ship.tanker"
    return "ship.other"


def registration_from_icao24(icao24: str) -> str | None:
    """Russian numeric registrations follow their address: RA-nnnnn sits at 0x140000 + nnnnn (an allocation
    pattern observed by the ADS-B community, a hint rather than a rule)."""
    try:
        value = int(icao24, 16)
    except ValueError:
        return None
    if 0x140000 <= value < 0x140000 + 100000:
        return f"RA-{value - 0x140000:05d}"
    return None


def registration_from_callsign(callsign: str) -> str | None:
    """Russian state aircraft often fly under their registration: "RA78830" -> "RA-78830"."""
    m = _REG_CALLSIGN.match(callsign.strip().upper())
    return f"{m.group(1)}-{m.group(2)}" if m else None


@dataclass
class Identifier:
    """Identification rules: built-in tables plus an optional aircraft database and watch-list of the user."""

    catalog: Any = None  # basewatch.catalog.Catalog, for type codes and ship names
    aircraft_db: dict[str, dict[str, str]] = field(default_factory=dict)
    watch: list[dict[str, str]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.watch = _data("watchlist.csv") + list(self.watch)
        self._regex = [(re.compile(w["pattern"]), w) for w in self.watch if w["kind"] == "registration_regex"]
        self._prefix = sorted(((w["pattern"].upper(), w) for w in self.watch if w["kind"] == "callsign_prefix"),
                              key=lambda p: -len(p[0]))
        self._names = {normalize(w["pattern"]): w for w in self.watch if w["kind"] in ("name", "imo", "mmsi",
                                                                                        "icao24")}
        self._by_icao: dict[str, Any] = {}
        if self.catalog is not None:
            for eq in self.catalog.equipment.values():
                if eq.icao:
                    self._by_icao.setdefault(eq.icao.upper(), eq)

    # -- user files -------------------------------------------------------------------------------------
    @staticmethod
    def read_aircraft_db(path: Path) -> dict[str, dict[str, str]]:
        """An aircraft database CSV (OpenSky `aircraftDatabase.csv` shape): icao24, registration, typecode..."""
        try:
            with open(path, newline="", encoding="utf-8") as fh:
                reader = csv.DictReader(fh)
                fields = {f.strip().strip("'").lower(): f for f in reader.fieldnames or []}
                if "icao24" not in fields:
                    raise InputFileError(f"{path}: an aircraft database needs an 'icao24' column")
                out = {}
                for row in reader:
                    rec = {k: (row.get(orig) or "").strip().strip("'") for k, orig in fields.items()}
                    if rec["icao24"]:
                        out[rec["icao24"].lower()] = rec
                return out
        except (OSError, UnicodeDecodeError, csv.Error) as exc:
            raise InputFileError(f"{path}: cannot read the aircraft database ({exc})") from exc

    @staticmethod
    def read_watchlist(path: Path) -> list[dict[str, str]]:
        """A watch-list CSV with the built-in columns: kind,pattern,typecode,operator,military,country,note."""
        try:
            text = path.read_text("utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise InputFileError(f"{path}: cannot read the watch-list ({exc})") from exc
        rows = list(csv.DictReader(line for line in text.splitlines() if not line.startswith("#")))
        for n, r in enumerate(rows, start=2):
            if not r.get("kind") or not r.get("pattern"):
                raise InputFileError(f"{path}: row {n} needs 'kind' and 'pattern'")
            for k in ("typecode", "operator", "military", "country", "note"):
                r[k] = r.get(k) or ""
        return rows

    # -- aircraft -----------------------------------------------------------------------------------------
    def aircraft(self, icao24: str, callsign: str = "", info: dict[str, Any] | None = None) -> dict[str, Any]:
        info = info or {}
        out: dict[str, Any] = {"icao24": icao24, "callsign": callsign or None}
        basis: list[str] = []
        ctry = icao24_country(icao24)
        if ctry:
            out["country"], out["country_name"] = ctry
            basis.append("icao24 block")
        reg, typecode, operator, military = info.get("registration"), info.get("typecode"), info.get("operator"), None
        db = self.aircraft_db.get(icao24)
        if db:
            reg = db.get("registration") or reg
            typecode = db.get("typecode") or typecode
            operator = db.get("operator") or db.get("owner") or operator
            basis.append("aircraft database")
        if not reg and callsign:
            reg = registration_from_callsign(callsign)
            if reg:
                basis.append("callsign is a registration")
        if not reg:
            reg = registration_from_icao24(icao24)
            if reg:
                basis.append("Russian numeric address block")
        direct = self._names.get(normalize(icao24))
        if direct:
            typecode = direct["typecode"] or typecode
            operator = direct["operator"] or operator
            military = direct["military"] == "yes" or None
            basis.append("watch-list icao24")
        if reg:
            for rx, w in self._regex:
                if rx.match(reg.upper()):
                    if w["typecode"] and not typecode:
                        typecode = w["typecode"]
                    if w["military"] == "yes":
                        military = True
                    operator = operator or w["operator"] or None
                    basis.append(f"registration pattern {w['pattern']}")
        cs = (callsign or "").upper()
        for prefix, w in self._prefix:
            if cs.startswith(prefix) and (len(cs) == len(prefix) or not cs[len(prefix)].isalpha()):
                operator = operator or w["operator"]
                if w["military"] == "yes":
                    military = True
                basis.append(f"callsign prefix {prefix}")
                break
        if reg and reg.upper().startswith("RF-"):
            military = True
        out.update({"registration": reg, "typecode": (typecode or "").upper() or None, "operator": operator or None,
                    "military": military})
        eq = self._by_icao.get(out["typecode"] or "")
        if eq is not None:
            out["equipment"], out["category"] = eq.id, eq.category
        elif out["typecode"] in EXTRA_TYPES:
            out["equipment"], out["category"] = None, EXTRA_TYPES[out["typecode"]]
        else:
            out["equipment"] = None
            if military:
                out["category"] = "aircraft.military"
            elif cs and _AIRLINE_CALLSIGN.match(cs):
                out["category"] = "aircraft.civil"
            else:
                out["category"] = "aircraft.unknown"
        out["id_basis"] = basis
        return out

    # -- vessels ------------------------------------------------------------------------------------------
    def vessel(self, mmsi: str, info: dict[str, Any] | None = None) -> dict[str, Any]:
        info = info or {}
        out: dict[str, Any] = {"mmsi": mmsi, "name": info.get("name"), "callsign": info.get("callsign"),
                               "imo": info.get("imo"), "ship_type": info.get("ship_type"),
                               "length_m": info.get("length_m")}
        basis: list[str] = []
        ctry = mmsi_country(mmsi)
        if ctry:
            out["country"], out["country_name"] = ctry
            basis.append("MMSI prefix")
        out["category"] = ship_type_category(info.get("ship_type"))
        out["military"] = True if info.get("ship_type") == 35 else None
        if info.get("ship_type") is not None:
            basis.append(f"AIS ship type {info['ship_type']}")
        eq = None
        for key in (str(mmsi), str(info.get("imo") or ""), info.get("name") or ""):
            w = self._names.get(normalize(key)) if key else None
            if w:
                basis.append(f"watch-list {w['kind']} {w['pattern']}")
                if w["military"] == "yes":
                    out["military"] = True
                if w["typecode"] and self.catalog is not None:
                    eq = self.catalog.equipment.get(w["typecode"])
                break
        if eq is None and info.get("name") and self.catalog is not None:
            eq_id = self.catalog.equipment_names.resolve(info["name"])
            if eq_id and self.catalog.equipment[eq_id].category.startswith("ship."):
                eq = self.catalog.equipment[eq_id]
                basis.append("name in catalog")
        out["equipment"] = eq.id if eq else None
        if eq is not None:
            out["category"] = eq.category
            if eq.category in ("ship.frigate", "ship.submarine", "ship.landing", "ship.auxiliary"):
                out["military"] = True
        length = info.get("length_m")
        if length and self.catalog is not None:
            if eq is not None:
                ratio = float(length) / eq.length_m
                out["length_check"] = "consistent" if 0.85 <= ratio <= 1.15 else "inconsistent"
            elif out["military"]:
                out["class_candidates"] = sorted(
                    e.id for e in self.catalog.equipment.values()
                    if e.category.startswith("ship.") and abs(float(length) / e.length_m - 1) <= 0.1)
        out["id_basis"] = basis
        return out
