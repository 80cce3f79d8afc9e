"""Builders of small hand-made workspaces for the assessment: images with coverage, inventories, detections with states,
track events and claims, following the conventions of the imagery, tracks and text stages.

The December 2024 example is mirrored from the public chronology (../shared/reference/chronology-dec2024.md);
numbers are round and plausible, not measured.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from typing import Any

from shapely.geometry import MultiPolygon, box, mapping, shape
from sqlalchemy import insert

from basewatch.model import Source
from basewatch.store.catalog_tables import write_source
from basewatch.store.schema import claims, evidence, observations
from basewatch.workspace import Workspace


def _dt(text: str) -> datetime:
    if len(text) == 10:
        text += "T09:00:00"
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


class Builder:
    """Writes evidence, observations and claims straight into a workspace's tables (fast, no files)."""

    def __init__(self, ws: Workspace):
        self.ws = ws
        self.n = 0

    def evidence(self, source: str | None, *, kind: str = "image", collected: str | None = None,
                 published: str | None = None, site: str | None = None) -> str:
        self.n += 1
        digest = hashlib.sha256(f"{self.n}-{source}-{collected}-{published}".encode()).hexdigest()
        ev_id = f"ev-{digest[:12]}"
        with self.ws.engine.begin() as conn:
            conn.execute(insert(evidence).values(
                id=ev_id, sha256=digest, kind=kind, media_type="image/tiff" if kind == "image" else "text/plain",
                filename=f"{ev_id}.dat", size_bytes=1, source_id=source, site_id=site, url=None, licence=None,
                collected_at=_dt(collected) if collected else None, collected_precision="second" if collected else None,
                published_at=_dt(published) if published else None, published_precision="second" if published else None,
                ingested_at=datetime.now(UTC), metadata={}))
        return ev_id

    def _obs(self, site: str, day: str, kind: str, method: str, **values: Any) -> None:
        row = {"site_id": site, "kind": kind, "method": method, "observed_at": _dt(day), "observed_precision": "second",
               "count": 1, "note": "", "attributes": {}, "created_at": datetime.now(UTC)}
        row.update(values)
        with self.ws.engine.begin() as conn:
            conn.execute(insert(observations).values(**row))

    def image(self, site: str, day: str, *, source: str = "maxar", clouds: tuple[str, ...] = (),
              extend_to: tuple[str, ...] = ()) -> str:
        """An image of the site's AOI (optionally stretched over far zones) with cloud over some zones."""
        s = self.ws.catalog.sites[site]
        foot = shape(s.aoi)
        for zid in extend_to:
            foot = box(*foot.union(shape(s.zone(zid).geometry)).bounds)
        ev = self.evidence(source, collected=day, site=site)
        attrs: dict[str, Any] = {}
        if clouds:
            attrs["cloud_polygons_lonlat"] = mapping(MultiPolygon([shape(s.zone(z).geometry) for z in clouds]))
            attrs["cloud_fraction"] = 0.2
        self._obs(site, day, "coverage", "coverage", geometry=mapping(foot), evidence_id=ev, attributes=attrs)
        return ev

    def inventory(self, site: str, ev: str, day: str, zone: str, counts: dict[str, int]) -> None:
        """Per-zone counts (method "inventory"), one observation per type."""
        cat = self.ws.catalog.equipment
        for type_id, n in counts.items():
            self._obs(site, day, "count", "inventory", zone_id=zone, equipment_type_id=type_id, count=n,
                      confidence=0.9, evidence_id=ev,
                      attributes={"category": cat[type_id].category, "type": type_id, "expected": n,
                                  "low": max(0, n - 1), "high": n + 1})

    def detect(self, site: str, ev: str | None, day: str, zone: str, type_id: str, state: str, n: int = 1,
               confidence: float = 0.85, method: str = "detector:test") -> None:
        cls = "helicopter" if type_id.startswith(("ka-", "mi-")) else "vehicle" if "n6e" in type_id or \
            type_id.startswith(("s-400", "pantsir", "truck")) else "ship" if type_id.startswith(
                ("frigate", "kilo", "oiler")) else "aircraft"
        for _ in range(n):
            self._obs(site, day, "detection", method, zone_id=zone, equipment_type_id=type_id, state=state,
                      confidence=confidence, evidence_id=ev,
                      attributes={"class": cls, "type": {"id": type_id, "p": 0.9}, "states": {state: 0.9}})

    def track(self, site: str, day: str, event: str, category: str, ev: str | None = None) -> None:
        self._obs(site, day, "track_event", "track-analyser", evidence_id=ev,
                  attributes={"event": event, "category": category, "track_id": f"t{self.n}"})

    def claim(self, site: str, source: str, published: str, state: str, subject: str, quote: str, *,
              stance: str = "asserted", type_id: str | None = None, event: str | None = None,
              attribution: list[dict[str, str]] | None = None, speaker: str | None = None,
              event_key: str | None = None, ev: str | None = None) -> str:
        ev = ev or self.evidence(source, kind="text", published=published, site=site)
        with self.ws.engine.begin() as conn:
            conn.execute(insert(claims).values(
                evidence_id=ev, site_id=site, subject=subject, equipment_type_id=type_id, state=state, stance=stance,
                event_at=_dt(event) if event else None, event_precision="day" if event else None, speaker=speaker,
                attribution=attribution or [], quote=quote, confidence=0.9, method="test", event_key=event_key,
                attributes={}, created_at=datetime.now(UTC)))
        return ev

    def add_source(self, sid: str, grade: str, kind: str = "analyst") -> None:
        with self.ws.engine.begin() as conn:
            write_source(conn, Source(id=sid, name=sid, kind=kind, reliability=grade))
        self.ws._catalog = None


# --- Khmeimim --------------------------------------------------------------------------------------------------
KH_BASE = {
    "main-apron": {"su-34": 6, "su-24": 4, "su-35": 4},
    "transport-apron": {"il-76": 1},
    "helicopter-apron": {"ka-52": 3, "mi-8": 4},
    "ad-north": {"91n6e": 1, "92n6e": 1, "s-400-tel": 4},
    "ad-west": {"pantsir-s1": 2},
    "staging-area": {"truck": 5},
}
KH_STATES = {"91n6e": "deployed", "92n6e": "deployed", "s-400-tel": "deployed", "pantsir-s1": "deployed",
             "ka-52": "parked", "il-76": "parked", "an-124": "parked"}


def kh_image(b: Builder, day: str, inv: dict[str, dict[str, int]], states: dict[tuple[str, str], str] | None = None,
             clouds: tuple[str, ...] = ()) -> str:
    """An image of Khmeimim: its inventory per zone and detections with states for the stateful types."""
    ev = b.image("khmeimim", day, clouds=clouds)
    for zone, counts in inv.items():
        if zone in clouds:
            b.inventory("khmeimim", ev, day, zone, {t: 0 for t in counts})  # the detector saw nothing there
            continue
        b.inventory("khmeimim", ev, day, zone, counts)
        for t, n in counts.items():
            state = (states or {}).get((zone, t)) or KH_STATES.get(t)
            if state and n:
                b.detect("khmeimim", ev, day, zone, t, state, n)
    return ev


def build_khmeimim(b: Builder) -> dict[str, str]:
    evs = {}
    for day in ("2024-12-01", "2024-12-05", "2024-12-10"):
        inv = {z: dict(c) for z, c in KH_BASE.items()}
        if day == "2024-12-10":
            inv["transport-apron"] = {"il-76": 2}
        evs[day] = kh_image(b, day, inv)
    # Dec 12: drone video (Syria TV), analyst's manual observations from its frames.
    drone = b.evidence("syria-tv", kind="video", collected="2024-12-12T10:00:00", published="2024-12-12T17:45:00")
    evs["drone"] = drone
    b.detect("khmeimim", drone, "2024-12-12T10:00:00", "transport-apron", "91n6e", "packed", method="manual",
             confidence=0.8)
    b.detect("khmeimim", drone, "2024-12-12T10:00:00", "main-apron", "su-34", "parked", n=2, method="manual")
    # Dec 13: An-124s loading, Ka-52 without rotors, S-400 elements gone from their position, fewer jets.
    inv13 = {"main-apron": {"su-34": 5, "su-24": 3, "su-35": 2}, "transport-apron": {"an-124": 2, "il-76": 1},
             "helicopter-apron": {"ka-52": 3, "mi-8": 3}, "ad-north": {"92n6e": 1, "s-400-tel": 2},
             "ad-west": {"pantsir-s1": 2}, "staging-area": {"truck": 30}}
    evs["2024-12-13"] = kh_image(b, "2024-12-13", inv13, {("transport-apron", "an-124"): "nose_open"})
    b.detect("khmeimim", evs["2024-12-13"], "2024-12-13", "helicopter-apron", "ka-52", "rotor_removed")
    # Dec 15: the combat fleet down to 6, transports still loading, vehicles staged.
    inv15 = {"main-apron": {"su-34": 3, "su-24": 2, "su-35": 1},
             "transport-apron": {"an-124": 1, "il-76": 1, "an-26": 2, "an-72": 1},
             "helicopter-apron": {"ka-52": 1, "mi-8": 2}, "ad-north": {"s-400-tel": 1},
             "ad-west": {"pantsir-s1": 2}, "staging-area": {"truck": 60}}
    evs["2024-12-15"] = kh_image(b, "2024-12-15", inv15, {("transport-apron", "an-124"): "nose_open",
                                                         ("helicopter-apron", "ka-52"): "rotor_removed"})
    b.track("khmeimim", "2024-12-08", "airlift_surge", "aircraft.transport.heavy")
    b.track("khmeimim", "2024-12-13", "airlift_surge", "aircraft.transport.heavy")

    anon = [{"name": "Reuters", "kind": "media"}, {"name": "sources familiar with the movements", "kind": "anonymous"}]
    b.claim("khmeimim", "reuters", "2024-12-08T16:40:00", "ARRIVED", "transport aircraft",
            "Russian military transport aircraft began arriving at the Hmeimim air base", attribution=anon,
            event="2024-12-07", type_id="il-76")
    b.claim("khmeimim", "reuters", "2024-12-08T16:40:00", "WITHDRAWING", "personnel",
            "The flights are intended to take personnel out of Syria", stance="reported", attribution=anon,
            event="2024-12-08")
    b.claim("khmeimim", "tass", "2024-12-08T21:15:00", "OPERATING_NORMALLY", "base",
            "both continued to operate", stance="claimed",
            attribution=[{"name": "TASS", "kind": "media"}, {"name": "a source in the Kremlin", "kind": "anonymous"}])
    b.claim("khmeimim", "kremlin", "2024-12-09T11:30:00", "NO_DECISION", "base",
            "it was premature to talk about it", speaker="Kremlin spokesman", event_key="kremlin-no-decision",
            attribution=[{"name": "Kremlin", "kind": "official"}])
    b.claim("khmeimim", "syria-tv", "2024-12-12T17:45:00", "PACKED", "S-400 radar",
            "a large radar vehicle ... parked on the apron rather than at its usual position", stance="hedged",
            type_id="91n6e", event="2024-12-12", ev=drone)
    b.claim("khmeimim", "osint-analyst", "2024-12-13T08:20:00", "WITHDRAWING", "S-400",
            "Russia is definitely pulling the S-400 out of Hmeymim", attribution=[{"name": "@levant_orbat",
                                                                                   "kind": "analyst"}])
    b.claim("khmeimim", "bbc", "2024-12-13T19:10:00", "LOADING", "An-124",
            "two An-124 heavy transport aircraft ... with their nose visors raised", stance="hedged",
            type_id="an-124", event="2024-12-13")
    b.claim("khmeimim", "bbc", "2024-12-13T19:10:00", "DISMANTLING", "Ka-52",
            "A Ka-52 Alligator attack helicopter appears to have had its rotor blades removed", stance="hedged",
            type_id="ka-52", event="2024-12-13")
    b.claim("khmeimim", "bbc", "2024-12-13T19:10:00", "AGREEMENT", "base",
            "Some reports suggest Moscow has reached an understanding with the new authorities", stance="reported")
    b.claim("khmeimim", "kremlin", "2024-12-14T10:00:00", "NO_DECISION", "base",
            "no final decisions have been made", speaker="Kremlin spokesman", event_key="kremlin-no-decision-2",
            attribution=[{"name": "Kremlin", "kind": "official"}])
    b.claim("khmeimim", "reuters", "2024-12-14T19:20:00", "NOT_WITHDRAWING", "forces",
            "They are pulling back, but not out", stance="reported",
            attribution=[{"name": "Reuters", "kind": "media"}, {"name": "a Russian source", "kind": "anonymous"}])
    b.claim("khmeimim", "ap", "2024-12-15T13:05:00", "WITHDRAWING", "forces", "a withdrawal is underway",
            stance="reported", attribution=[{"name": "AP", "kind": "media"}, {"name": "analysts", "kind": "analyst"}])
    return evs


# --- Tartus ------------------------------------------------------------------------------------------------------
TA_FLEET = {"naval-piers": {"frigate-11356m": 2, "kilo-636": 1}, "naval-quay": {"frigate-22350": 1, "oiler": 1}}
TA_AD = {"ad-position": {"s-400-tel": 2, "pantsir-s1": 2}}


def build_tartus(b: Builder) -> dict[str, str]:
    evs = {}
    for day, fleet_in in (("2024-12-01", True), ("2024-12-03", False), ("2024-12-05", True), ("2024-12-09", False),
                          ("2024-12-10", False), ("2024-12-13", False)):
        offshore = day in ("2024-12-09", "2024-12-10")
        ev = b.image("tartus", day, source="planet" if day == "2024-12-09" else "maxar",
                     extend_to=("offshore-holding",) if offshore else ())
        evs[day] = ev
        for zone, counts in TA_FLEET.items():
            b.inventory("tartus", ev, day, zone, {t: (n if fleet_in else 0) for t, n in counts.items()})
            if fleet_in:
                for t, n in counts.items():
                    b.detect("tartus", ev, day, zone, t, "at_berth", n)
        b.inventory("tartus", ev, day, "ad-position", TA_AD["ad-position"])
        for t, n in TA_AD["ad-position"].items():
            b.detect("tartus", ev, day, "ad-position", t, "deployed", n)
        b.inventory("tartus", ev, day, "facility-yard", {"truck": 3})
        if offshore:
            b.inventory("tartus", ev, day, "offshore-holding", {"frigate-22350": 1, "frigate-11356m": 1, "oiler": 1})
            for t in ("frigate-22350", "frigate-11356m", "oiler"):
                b.detect("tartus", ev, day, "offshore-holding", t, "offshore")
    b.claim("tartus", "bbc", "2024-12-02T12:30:00", "PRESENT", "Russian navy ships",
            "Russian navy ships moored at the quay of the naval facility", event="2024-12-01")
    b.claim("tartus", "ru-mod", "2024-12-03T09:00:00", "EXERCISE", "Navy ships",
            "Ships of the Russian Navy have begun an exercise in the eastern Mediterranean",
            attribution=[{"name": "Russian MoD", "kind": "official"}], event="2024-12-03")
    b.claim("tartus", "osint-analyst", "2024-12-04T07:50:00", "RELOCATED", "fleet",
            "looks more like getting the fleet out of harm's way", stance="hedged",
            attribution=[{"name": "@harbour_pixels", "kind": "analyst"}], event="2024-12-03")
    b.claim("tartus", "osint-analyst", "2024-12-09T18:00:00", "HOLDING_OFFSHORE", "frigates",
            "two frigates and an oiler about 13 km NW of the port", attribution=[{"name": "@harbour_pixels",
                                                                               "kind": "analyst"}],
            event="2024-12-09")
    b.claim("tartus", "bbc", "2024-12-13T18:00:00", "UNCHANGED", "Tartus facility",
            "Tartus largely unchanged since Tuesday; air-defence systems still in place", stance="asserted",
            event="2024-12-13")
    return evs


def steady_khmeimim(b: Builder, days: tuple[str, ...], *, clouds_on: dict[str, tuple[str, ...]] | None = None) -> None:
    for day in days:
        kh_image(b, day, {z: dict(c) for z, c in KH_BASE.items()}, clouds=(clouds_on or {}).get(day, ()))


