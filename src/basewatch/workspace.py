"""The investigation workspace: a config file, a database and an evidence archive in one directory.

Every command, the Python API and (later) the web app start from `Workspace.open(dir)`.

    ws = Workspace.init("case")
    result = ws.add_evidence("khmeimim-2024-12-13.tif", source="maxar")
    ws.observe(site="Hmeimim", equipment="Condor", state="nose_open", time="2024-12-13", evidence=result.evidence.id)
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from shapely.geometry import shape
from sqlalchemy import Connection, Engine, delete, insert, select, update

from basewatch import errors
from basewatch.catalog import GRADES, Catalog
from basewatch.ingest import inspect_file
from basewatch.model import (
    Alert,
    Assessment,
    Claim,
    Coverage,
    EquipmentType,
    Evidence,
    Identification,
    Instant,
    Observation,
    Site,
    Source,
    TrackEvent,
    ZoneCount,
    parse_instant,
)
from basewatch.model.time import Precision
from basewatch.store import Archive, check_revision, make_engine, sha256_file, upgrade
from basewatch.store.alerts import read_alerts
from basewatch.store.assessments import read_assessments
from basewatch.store.catalog_tables import read_catalog, seed_builtin, write_equipment, write_site, write_source
from basewatch.store.claims import read_claims
from basewatch.store.coverage import read_coverage
from basewatch.store.db import open_engine
from basewatch.store.inventory import identifications, read_zone_counts
from basewatch.store.observations import imaged_evidence, read_observations, write_observations
from basewatch.store.schema import claims as claims_t
from basewatch.store.schema import evidence as evidence_t
from basewatch.store.schema import evidence_frames, observations
from basewatch.store.track_events import read_track_events

CONFIG_NAME = "basewatch.toml"
ANALYST_METHODS = ("manual", "analyst")  # observations a person made: never deleted as stale
DB_NAME = "basewatch.db"
ARCHIVE_NAME = "archive"

CONFIG_TEMPLATE = """\
# basewatch investigation workspace
[workspace]
name = "{name}"
created = "{created}"

[database]
# SQLAlchemy URL; relative SQLite paths are relative to this directory.
# For a shared server use e.g. "postgresql+psycopg://user@host/basewatch".
url = "sqlite:///{db}"

[archive]
path = "{archive}"
"""


@dataclass(frozen=True)
class IngestResult:
    """What `add_evidence` did: the evidence row and whether it is new."""

    evidence: Evidence
    created: bool


@dataclass(frozen=True)
class EvidenceUpdate:
    """What `update_evidence` did: the corrected evidence and how many derived records it made stale (deleted)."""

    evidence: Evidence
    removed_derived: int


def _now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def _instant(value: str | datetime | Instant | None, what: str) -> Instant | None:
    if value is None or value == "":
        return None
    if isinstance(value, Instant):
        return value
    return parse_instant(value, what=what)


def _evidence_from_row(row: Any) -> Evidence:
    def inst(at: datetime | None, precision: str | None) -> Instant | None:
        return Instant(at, Precision(precision or "second")) if at is not None else None

    return Evidence(
        id=row.id, sha256=row.sha256, kind=row.kind, media_type=row.media_type, filename=row.filename,
        size_bytes=row.size_bytes, ingested_at=Instant(row.ingested_at), source_id=row.source_id,
        site_id=row.site_id, url=row.url, licence=row.licence,
        collected_at=inst(row.collected_at, row.collected_precision),
        published_at=inst(row.published_at, row.published_precision), metadata=row.metadata or {},
    )


class Workspace:
    """An open investigation workspace."""

    def __init__(self, root: Path, config: dict[str, Any], engine: Engine):
        self.root = root
        self.config = config
        self.engine = engine
        self.archive = Archive(root / config.get("archive", {}).get("path", ARCHIVE_NAME))
        self._catalog: Catalog | None = None

    # -- life cycle ---------------------------------------------------------------------------------------
    @classmethod
    def init(cls, path: Path | str, *, name: str | None = None) -> Workspace:
        """Create a workspace: config, migrated database seeded with the built-in catalog, empty archive."""
        root = Path(path)
        if (root / CONFIG_NAME).exists():
            raise errors.WorkspaceExistsError(f"{root}: a workspace already exists here; open it or choose "
                                              "another directory")
        if root.exists() and not root.is_dir():
            raise errors.WorkspaceError(f"{root}: exists and is not a directory; choose another path")
        created_dir = not root.exists()
        root.mkdir(parents=True, exist_ok=True)
        config_text = CONFIG_TEMPLATE.format(name=name or root.resolve().name, created=_now().isoformat(),
                                             db=DB_NAME, archive=ARCHIVE_NAME)
        try:
            (root / ARCHIVE_NAME).mkdir(exist_ok=True)
            engine = make_engine(f"sqlite:///{root / DB_NAME}")
            upgrade(engine, str(root / DB_NAME))
            with engine.begin() as conn:
                seed_builtin(conn)
            (root / CONFIG_NAME).write_text(config_text, encoding="utf-8")
        except BaseException:
            # Nothing half-written: a failed init leaves no workspace behind.
            for p in (root / DB_NAME, root / f"{DB_NAME}-wal", root / f"{DB_NAME}-shm"):
                p.unlink(missing_ok=True)
            if created_dir:
                import shutil

                shutil.rmtree(root, ignore_errors=True)
            raise
        return cls(root, tomllib.loads(config_text), engine)

    @classmethod
    def open(cls, path: Path | str = ".") -> Workspace:
        """Open an existing workspace, refusing one written by a newer basewatch."""
        root = Path(path)
        cfg_path = root / CONFIG_NAME
        if not cfg_path.is_file():
            raise errors.WorkspaceNotFoundError(
                f"{root}: no basewatch workspace here (no {CONFIG_NAME}); run 'basewatch init {root}' or pass "
                "--workspace DIR (or set BASEWATCH_WORKSPACE)")
        try:
            config = tomllib.loads(cfg_path.read_text("utf-8"))
        except tomllib.TOMLDecodeError as exc:
            raise errors.WorkspaceError(f"{cfg_path}: invalid TOML ({exc}); fix the file") from exc
        url = config.get("database", {}).get("url", f"sqlite:///{DB_NAME}")
        if url.startswith("sqlite:///") and not url.startswith("sqlite:////"):
            url = f"sqlite:///{root / url.removeprefix('sqlite:///')}"
        engine = open_engine(url, root)
        rev = check_revision(engine, str(root / DB_NAME))
        if rev is None:
            raise errors.WorkspaceError(f"{root}: the database is empty or missing; re-create the workspace "
                                        "with 'basewatch init'")
        upgrade(engine, str(root / DB_NAME))
        ws = cls(root, config, engine)
        ws.archive.remove_stale()
        return ws

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        """One transaction; the catalog cache is dropped afterwards in case it changed."""
        with self.engine.begin() as conn:
            yield conn
        self._catalog = None

    # -- catalog ------------------------------------------------------------------------------------------
    @property
    def catalog(self) -> Catalog:
        if self._catalog is None:
            with self.engine.connect() as conn:
                self._catalog = read_catalog(conn)
        return self._catalog

    def site(self, name: str) -> Site:
        """The site a name or alias stands for."""
        cat = self.catalog
        site_id = cat.site_names.resolve(name)
        if site_id is None:
            raise errors.UnknownSiteError(name, "List sites with 'basewatch sites list' or add one with "
                                          "'basewatch sites add'.", cat.site_names.suggest(name))
        return cat.sites[site_id]

    def equipment(self, name: str) -> EquipmentType:
        cat = self.catalog
        eq_id = cat.equipment_names.resolve(name)
        if eq_id is None:
            raise errors.UnknownEquipmentError(name, "List types with 'basewatch catalog list'.",
                                               cat.equipment_names.suggest(name))
        return cat.equipment[eq_id]

    def source(self, name: str) -> Source:
        cat = self.catalog
        src_id = cat.source_names.resolve(name)
        if src_id is None:
            raise errors.UnknownSourceError(name, "List sources with 'basewatch catalog list --sources' or add "
                                            "one with 'basewatch catalog import'.", cat.source_names.suggest(name))
        return cat.sources[src_id]

    def add_site(self, site: Site, *, replace: bool = False) -> Site:
        if site.id in self.catalog.sites and not replace:
            raise errors.WorkspaceError(f"site {site.id!r} already exists; pass --replace to override it")
        with self.transaction() as conn:
            write_site(conn, site)
        return self.catalog.sites[site.id]

    def import_catalog(self, path: Path | str) -> dict[str, int]:
        """Add or override equipment types, sites and sources from a YAML file in the built-in format."""
        from basewatch.catalog.user import read_user_catalog

        eq, sites, srcs = read_user_catalog(Path(path))
        with self.transaction() as conn:
            for e in eq:
                write_equipment(conn, e)
            for s in sites:
                write_site(conn, s)
            for src in srcs:
                write_source(conn, src)
        return {"equipment": len(eq), "sites": len(sites), "sources": len(srcs)}

    # -- evidence -----------------------------------------------------------------------------------------
    def add_evidence(self, path: Path | str, *, kind: str | None = None, source: str | None = None,
                     collected: str | datetime | Instant | None = None,
                     published: str | datetime | Instant | None = None, url: str | None = None,
                     site: str | None = None, licence: str | None = None,
                     metadata: dict[str, Any] | None = None) -> IngestResult:
        """Archive a file as evidence, in one transaction. Re-adding the same bytes changes nothing."""
        info = inspect_file(path, kind)
        src = self.source(source) if source else None
        site_obj = self.site(site) if site else None
        collected_i = _instant(collected, "--collected")
        published_i = _instant(published, "--published")
        if collected_i is None and info.collected_at is not None:
            collected_i = Instant(info.collected_at)
        if site_obj is None and info.footprint is not None:
            site_obj = self._site_under(info.footprint)

        digest = sha256_file(info.path)
        with self.engine.connect() as conn:
            row = conn.execute(select(evidence_t).where(evidence_t.c.sha256 == digest)).first()
        if row is not None:
            return IngestResult(_evidence_from_row(row), created=False)

        meta = dict(info.metadata)
        if info.footprint is not None:
            meta["footprint"] = info.footprint
        meta.update(metadata or {})
        ev_id = f"ev-{digest[:12]}"
        new_blobs: list[str] = []
        try:
            _, created = self.archive.put_file(info.path, digest)
            if created:
                new_blobs.append(digest)
            frame_rows = []
            for kf in info.keyframes:
                frame_sha, created = self.archive.put_bytes(kf.png)
                if created:
                    new_blobs.append(frame_sha)
                frame_rows.append({"evidence_id": ev_id, "frame_index": kf.index, "time_s": kf.time_s,
                                   "sha256": frame_sha, "keyframe": True})
            with self.engine.begin() as conn:
                conn.execute(insert(evidence_t).values(
                    id=ev_id, sha256=digest, kind=info.kind, media_type=info.media_type,
                    filename=info.path.name, size_bytes=info.size_bytes,
                    source_id=src.id if src else None, site_id=site_obj.id if site_obj else None,
                    url=url, licence=licence,
                    collected_at=collected_i.at if collected_i else None,
                    collected_precision=collected_i.precision.value if collected_i else None,
                    published_at=published_i.at if published_i else None,
                    published_precision=published_i.precision.value if published_i else None,
                    ingested_at=_now(), metadata=meta))
                if frame_rows:
                    conn.execute(insert(evidence_frames), frame_rows)
                row = conn.execute(select(evidence_t).where(evidence_t.c.id == ev_id)).one()
        except BaseException:
            for blob in new_blobs:
                self.archive.remove(blob)
            raise
        return IngestResult(_evidence_from_row(row), created=True)

    def _site_under(self, footprint: dict[str, Any]) -> Site | None:
        """The site whose area of interest the image footprint overlaps most."""
        geom = shape(footprint)
        best, best_area = None, 0.0
        for s in self.catalog.sites.values():
            area = geom.intersection(shape(s.aoi)).area
            if area > best_area:
                best, best_area = s, area
        return best

    def evidence(self, evidence_id: str) -> Evidence:
        """One evidence item by id (`ev-...`), or by a unique prefix of its id or sha256."""
        key = evidence_id.strip().lower()
        with self.engine.connect() as conn:
            rows = conn.execute(select(evidence_t).where(
                (evidence_t.c.id == key) | (evidence_t.c.id.startswith(key if key.startswith("ev-") else
                                                                         f"ev-{key}"))
                | evidence_t.c.sha256.startswith(key.removeprefix("ev-"))).limit(3)).all()
        if len(rows) != 1:
            why = "it matches several items; give more characters" if rows else \
                "list evidence with 'basewatch evidence list'"
            raise errors.UnknownEvidenceError(evidence_id, why[0].upper() + why[1:] + ".")
        return _evidence_from_row(rows[0])

    def update_evidence(self, evidence_id: str, *, site: str | None = None, gsd: float | None = None,
                        center: tuple[float, float] | None = None, collected: str | datetime | Instant | None = None,
                        source: str | None = None) -> EvidenceUpdate:
        """Correct an evidence item's provenance or georeferencing (a screenshot's GSD and centre, as lon, lat).

        The records derived from its pixels by machine (coverage, detections, inventory counts) are deleted in the
        same transaction, since they were measured with the old georeferencing: re-run detect and analyze. The
        analyst's own observations stay."""
        from basewatch.imagery.raster import open_image

        ev = self.evidence(evidence_id)
        site_obj = self.site(site) if site else None
        src = self.source(source) if source else None
        collected_i = _instant(collected, "--collected")
        meta = dict(ev.metadata)
        if gsd is not None or center is not None:
            if ev.kind != "image":
                raise errors.InvalidValueError(f"{ev.id} is a {ev.kind}; --gsd and --center apply to images")
            georef = {**meta.get("georef", {}), **({"gsd_m": gsd} if gsd is not None else {}),
                      **({"center": list(center)} if center is not None else {})}
            with open_image(self.archive.path(ev.sha256), gsd=georef.get("gsd_m"),
                            center=tuple(georef["center"]) if georef.get("center") else None) as img:
                footprint = img.footprint_lonlat()
            meta["georef"] = georef
            if footprint is not None:
                meta["footprint"] = footprint
                if site_obj is None and ev.site_id is None:
                    site_obj = self._site_under(footprint)
        values: dict[str, Any] = {"metadata": meta}
        if site_obj is not None:
            values["site_id"] = site_obj.id
        if src is not None:
            values["source_id"] = src.id
        if collected_i is not None:
            values["collected_at"], values["collected_precision"] = collected_i.at, collected_i.precision.value
        with self.transaction() as conn:
            stale = conn.execute(delete(observations).where(
                (observations.c.evidence_id == ev.id) & observations.c.method.notin_(ANALYST_METHODS))).rowcount
            conn.execute(update(evidence_t).where(evidence_t.c.id == ev.id).values(**values))
        return EvidenceUpdate(self.evidence(ev.id), removed_derived=int(stale or 0))

    def remove_evidence(self, evidence_id: str) -> int:
        """Delete an evidence item with everything derived from it (claims, observations, keyframes, the posts
        embedded in it); its archive objects go too unless another item uses them. Returns the items removed."""
        ev = self.evidence(evidence_id)
        with self.engine.connect() as conn:
            children = [r.id for r in conn.execute(select(evidence_t.c.id, evidence_t.c.metadata))
                        if (r.metadata or {}).get("embedded_in") == ev.id]
        ids = [ev.id, *children]
        with self.transaction() as conn:
            blobs = {r.sha256 for r in conn.execute(select(evidence_t.c.sha256).where(evidence_t.c.id.in_(ids)))}
            blobs |= {r.sha256 for r in conn.execute(select(evidence_frames.c.sha256).where(
                evidence_frames.c.evidence_id.in_(ids)))}
            conn.execute(delete(claims_t).where(claims_t.c.evidence_id.in_(ids)))
            conn.execute(delete(observations).where(observations.c.evidence_id.in_(ids)))
            conn.execute(delete(evidence_frames).where(evidence_frames.c.evidence_id.in_(ids)))
            conn.execute(delete(evidence_t).where(evidence_t.c.id.in_(ids)))
            used = {r.sha256 for r in conn.execute(select(evidence_t.c.sha256).where(evidence_t.c.sha256.in_(blobs)))}
            used |= {r.sha256 for r in conn.execute(select(evidence_frames.c.sha256).where(
                evidence_frames.c.sha256.in_(blobs)))}
        for blob in blobs - used:
            self.archive.remove(blob)
        return len(ids)

    def list_evidence(self, *, kind: str | None = None, site: str | None = None) -> list[Evidence]:
        q = select(evidence_t).order_by(evidence_t.c.collected_at, evidence_t.c.published_at, evidence_t.c.id)
        if kind:
            q = q.where(evidence_t.c.kind == kind)
        if site:
            q = q.where(evidence_t.c.site_id == self.site(site).id)
        with self.engine.connect() as conn:
            return [_evidence_from_row(r) for r in conn.execute(q)]

    def frames(self, evidence_id: str) -> list[dict[str, Any]]:
        """The stored keyframes of a video: index, time and archive path."""
        ev = self.evidence(evidence_id)
        with self.engine.connect() as conn:
            rows = conn.execute(select(evidence_frames).where(evidence_frames.c.evidence_id == ev.id)
                                .order_by(evidence_frames.c.frame_index)).all()
        return [{"index": r.frame_index, "time_s": r.time_s, "sha256": r.sha256,
                 "path": str(self.archive.path(r.sha256))} for r in rows]

    # -- observations -------------------------------------------------------------------------------------
    def observe(self, *, site: str, time: str | datetime | Instant | None = None, equipment: str | None = None,
                state: str | None = None, count: int = 1, zone: str | None = None, evidence: str | None = None,
                frame: int | None = None, at_s: float | None = None, confidence: float | None = None,
                kind: str = "detection", method: str = "manual", note: str = "",
                geometry: dict[str, Any] | None = None, attributes: dict[str, Any] | None = None) -> Observation:
        """Record an observation (by default an analyst's manual one) after checking every reference."""
        site_obj = self.site(site)
        zone_id = site_obj.zone(zone).id if zone else None
        eq = self.equipment(equipment) if equipment else None
        if state is not None and state not in self.catalog.states:
            raise errors.InvalidValueError(f"state {state!r} is not in the vocabulary; use one of "
                                           f"{', '.join(self.catalog.states)}")
        if count < 0:
            raise errors.InvalidValueError(f"count {count} is negative; give 0 or more")
        if confidence is not None and not 0 <= confidence <= 1:
            raise errors.InvalidValueError(f"confidence {confidence} is outside 0..1")
        if kind not in ("detection", "count", "coverage", "track_event"):
            raise errors.InvalidValueError(f"observation kind {kind!r}; use detection, count, coverage or "
                                           "track_event")
        ev = self.evidence(evidence) if evidence else None
        frame_index, frame_time = None, None
        if frame is not None or at_s is not None:
            if ev is None or ev.kind != "video":
                raise errors.InvalidValueError("--frame and --at cite a video frame; give --evidence with a "
                                               "video's id")
            frames = self.frames(ev.id)
            if frame is not None:
                match = [f for f in frames if f["index"] == frame]
                if not match:
                    raise errors.InvalidValueError(f"{ev.id} has no keyframe {frame}; it has 0..{len(frames) - 1}")
                frame_index, frame_time = frame, match[0]["time_s"]
            else:
                nearest = min(frames, key=lambda f: abs(f["time_s"] - float(at_s)))  # type: ignore[arg-type]
                frame_index, frame_time = nearest["index"], float(at_s)  # type: ignore[arg-type]
        when = _instant(time, "--time")
        if when is None:
            if ev is not None and ev.collected_at is not None:
                when = ev.collected_at
            else:
                raise errors.InvalidValueError("no --time given and the evidence has no collection time; "
                                               "pass --time YYYY-MM-DD")
        obs = Observation(id=0, site_id=site_obj.id, kind=kind, method=method, observed_at=when,
                          equipment_type_id=eq.id if eq else None, zone_id=zone_id, state=state, count=count,
                          confidence=confidence, evidence_id=ev.id if ev else None, frame_index=frame_index,
                          frame_time_s=frame_time, geometry=geometry, note=note, attributes=attributes or {})
        with self.engine.begin() as conn:
            return write_observations(conn, obs.evidence_id, method, [obs], replace=False)[0]

    def list_observations(self, *, site: str | None = None, equipment: str | None = None,
                          evidence: str | None = None, kind: str | None = None) -> list[Observation]:
        """Observations in time order, filtered by site, equipment type, evidence and kind."""
        with self.engine.connect() as conn:
            return read_observations(conn, site_id=self.site(site).id if site else None,
                                     equipment_type_id=self.equipment(equipment).id if equipment else None,
                                     evidence_id=self.evidence(evidence).id if evidence else None, kind=kind)

    def imaged_evidence(self, *, site: str | None = None) -> list[tuple[str, Instant]]:
        """(evidence id, time) of the images with detector or coverage observations, oldest first."""
        with self.engine.connect() as conn:
            return imaged_evidence(conn, site_id=self.site(site).id if site else None)

    # -- the records of the stages: one reader each ---------------------------------------------------------
    def claims(self, *, site: str | None = None, evidence: str | None = None) -> list[Claim]:
        """Stored claims in event-time order, of one site and/or one evidence item."""
        with self.engine.connect() as conn:
            return read_claims(conn, site_id=self.site(site).id if site else None,
                               evidence_id=self.evidence(evidence).id if evidence else None)

    def coverage(self, *, evidence: str | None = None, site: str | None = None) -> list[Coverage]:
        """What the images saw: footprints, cloud and no-data."""
        with self.engine.connect() as conn:
            return read_coverage(conn, evidence_id=self.evidence(evidence).id if evidence else None,
                                 site_id=self.site(site).id if site else None)

    def zone_counts(self, *, evidence: str | None = None, site: str | None = None) -> list[ZoneCount]:
        """The inventory's per-zone counts."""
        with self.engine.connect() as conn:
            return read_zone_counts(conn, evidence_id=self.evidence(evidence).id if evidence else None,
                                    site_id=self.site(site).id if site else None)

    def identifications(self, *, evidence: str | None = None, site: str | None = None) -> dict[int, Identification]:
        """Detection observation id -> what the inventory identified it as."""
        return identifications(self.zone_counts(evidence=evidence, site=site))

    def track_events(self, *, site: str | None = None, evidence: str | None = None, start: datetime | None = None,
                     end: datetime | None = None) -> list[TrackEvent]:
        """Track events in time order; `end` is exclusive."""
        with self.engine.connect() as conn:
            return read_track_events(conn, site_id=self.site(site).id if site else None,
                                     evidence_id=self.evidence(evidence).id if evidence else None,
                                     start=start, end=end)

    def assessments(self, *, site: str | None = None) -> list[Assessment]:
        """Stored assessments, by site then as-of date (oldest first)."""
        with self.engine.connect() as conn:
            return read_assessments(conn, site_id=self.site(site).id if site else None)

    def alerts(self, *, site: str | None = None, newest_first: bool = False) -> list[Alert]:
        """Recorded alerts with their delivery logs, oldest first unless `newest_first`."""
        with self.engine.connect() as conn:
            return read_alerts(conn, site_id=self.site(site).id if site else None, newest_first=newest_first)


__all__ = ["GRADES", "EvidenceUpdate", "IngestResult", "Workspace"]
