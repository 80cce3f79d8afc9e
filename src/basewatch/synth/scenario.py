"""Scenario files: what to render, where and when, validated with errors that name the file and line.

A scenario is a YAML document (full reference in `synth/FORMAT.md`)::

    site: khmeimim                 # catalog site id or alias
    seed: 2024                     # ground, clutter and layout randomness (same seed -> same pixels)
    name: khmeimim-dec2024         # optional, default: file stem
    texts: khmeimim-dec2024.texts.yaml   # optional sibling file of articles/posts/statements
    acquisition:                   # defaults for every date
      gsd_m: 0.8                   # 0.3 .. 1.0 metres per pixel
      sun_azimuth_deg: 160         # compass degrees towards the sun
      sun_elevation_deg: 35        # 5 .. 90
      off_nadir_deg: 8             # maximum off-nadir jitter (tall parts lean, image softens)
      cloud_cover: 0.0             # 0 .. 1
      haze: 0.1                    # 0 .. 1
      noise: 3.0                   # sensor noise sigma in digital numbers
      jpeg_quality: 88             # 10 .. 100, 0 = no JPEG round trip
      blur_px: 0.6                 # optics blur, 0 = none
      time_utc: "08:20"            # acquisition time of day
    footprint: aoi                 # default: aoi | <zone id> | {zone: id, size_m: [w, h]}
                                   #          | {center_m: [e, n], size_m: [w, h]}
    dates:
      - date: 2024-12-13
        id: offshore               # optional file-name suffix (needed for two images on one date)
        acquisition: {cloud_cover: 0.2}
        footprint: offshore-holding
        equipment:
          - {type: su-34, count: 6, zone: main-apron, state: parked}
          - {type: an-124, zone: transport-apron, state: nose_open, position_m: [0, 60], heading_deg: 87}

Each equipment item has a `type` (catalog id or alias), a `zone` (of the site), and either a `count` (laid out
automatically in the zone) or an explicit `position_m` [east, north] in metres from the zone centre with an
optional `heading_deg`. `state` comes from the catalog vocabulary and must suit the type's form.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path
from typing import Any

from basewatch.catalog import builtin_catalog
from basewatch.errors import ScenarioError
from basewatch.ingest.inspect import TEXT_KINDS
from basewatch.synth.yamlmarks import MDict, MList, load_marked

ACQ_RANGES: dict[str, tuple[float, float]] = {
    "gsd_m": (0.3, 1.0),
    "sun_azimuth_deg": (0.0, 360.0),
    "sun_elevation_deg": (5.0, 90.0),
    "off_nadir_deg": (0.0, 45.0),
    "cloud_cover": (0.0, 1.0),
    "haze": (0.0, 1.0),
    "noise": (0.0, 50.0),
    "jpeg_quality": (0.0, 100.0),
    "blur_px": (0.0, 3.0),
}

# Which states make sense for which planform form (the renderer draws each of them differently).
FORM_STATES: dict[str, set[str]] = {
    "fixed_wing": {"present", "parked", "nose_open", "ramp_open", "loading", "moving", "dismantled", "arrived"},
    "rotorcraft": {"present", "parked", "rotor_removed", "dismantled", "moving", "arrived"},
    "vehicle": {"present", "parked", "packed", "deployed", "moving", "loading", "arrived"},
    "ship": {"present", "at_berth", "offshore", "moving", "arrived"},
}


@dataclass(frozen=True)
class Acquisition:
    """Imaging conditions of one picture."""

    gsd_m: float = 0.8
    sun_azimuth_deg: float = 155.0
    sun_elevation_deg: float = 35.0
    off_nadir_deg: float = 8.0
    cloud_cover: float = 0.0
    haze: float = 0.1
    noise: float = 3.0
    jpeg_quality: int = 88
    blur_px: float = 0.6
    time_utc: str = "08:20"


@dataclass(frozen=True)
class Footprint:
    """What ground an image covers: the site AOI, a zone (optionally resized), or an explicit box."""

    kind: str = "aoi"  # aoi | zone | box
    zone: str | None = None
    center_m: tuple[float, float] = (0.0, 0.0)
    size_m: tuple[float, float] | None = None


@dataclass(frozen=True)
class EquipmentSpec:
    """One equipment line of a date: a type in a zone, either counted or placed."""

    type_id: str
    zone: str
    state: str
    count: int = 1
    position_m: tuple[float, float] | None = None
    heading_deg: float | None = None
    line: int = 0


@dataclass(frozen=True)
class DateSpec:
    """One image: its date, conditions, footprint and the equipment in view."""

    date: dt.date
    acquisition: Acquisition
    footprint: Footprint
    equipment: tuple[EquipmentSpec, ...] = ()
    suffix: str = ""
    line: int = 0

    @property
    def stem_suffix(self) -> str:
        return f"{self.date.isoformat()}-{self.suffix}" if self.suffix else self.date.isoformat()


@dataclass(frozen=True)
class TextItem:
    """An article, post or statement shipped with a scenario (copied into the render output)."""

    id: str
    kind: str
    source: str
    author: str
    published: str
    body: str
    url: str = ""
    title: str = ""


@dataclass(frozen=True)
class Scenario:
    """A validated scenario."""

    name: str
    site_id: str
    seed: int
    acquisition: Acquisition
    footprint: Footprint
    dates: tuple[DateSpec, ...]
    texts: tuple[TextItem, ...] = ()
    description: str = ""
    path: Path | None = field(default=None, compare=False)


# ---------------------------------------------------------------------------------------------- helpers


class _Ctx:
    """Error formatting for one file."""

    def __init__(self, name: str):
        self.name = name

    def fail(self, line: int, problem: str, fix: str) -> ScenarioError:
        return ScenarioError(f"{self.name} line {line}: {problem}; fix: {fix}")

    def mapping(self, value: Any, line: int, what: str) -> MDict:
        if not isinstance(value, MDict):
            raise self.fail(line, f"{what} must be a mapping, got {type(value).__name__}",
                            f"write {what} as key: value")
        return value

    def seq(self, value: Any, line: int, what: str) -> MList:
        if not isinstance(value, MList):
            raise self.fail(line, f"{what} must be a list, got {type(value).__name__}", f"write {what} as a '- ' list")
        return value

    def keys(self, m: MDict, allowed: set[str], what: str, required: tuple[str, ...] = ()) -> None:
        for key in m:
            if key not in allowed:
                raise self.fail(m.line_of(key), f"unknown key {key!r} in {what}",
                                f"use one of {', '.join(sorted(allowed))}")
        for key in required:
            if key not in m:
                raise self.fail(m.line, f"{what} lacks the required key {key!r}", f"add {key}: ...")

    def number(self, m: MDict, key: str, lo: float, hi: float) -> float:
        value = m[key]
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self.fail(m.line_of(key), f"{key} must be a number, got {value!r}", f"write a number in [{lo}, {hi}]")
        if not lo <= float(value) <= hi:
            raise self.fail(m.line_of(key), f"{key} {value} is out of range", f"use a value in [{lo}, {hi}]")
        return float(value)

    def pair(self, m: MDict, key: str) -> tuple[float, float]:
        value = m[key]
        if (not isinstance(value, list) or len(value) != 2
                or not all(isinstance(v, int | float) and not isinstance(v, bool) for v in value)):
            raise self.fail(m.line_of(key), f"{key} must be two numbers [east, north], got {value!r}",
                            f"write {key}: [100, -50]")
        return (float(value[0]), float(value[1]))


def _parse_acquisition(ctx: _Ctx, raw: Any, line: int, base: Acquisition) -> Acquisition:
    m = ctx.mapping(raw, line, "acquisition")
    ctx.keys(m, set(ACQ_RANGES) | {"time_utc"}, "acquisition")
    changes: dict[str, Any] = {}
    for key, (lo, hi) in ACQ_RANGES.items():
        if key in m:
            value = ctx.number(m, key, lo, hi)
            if key == "jpeg_quality":
                if value != 0 and value < 10:
                    raise ctx.fail(m.line_of(key), f"jpeg_quality {value} is too low", "use 0 (off) or 10..100")
                changes[key] = int(value)
            else:
                changes[key] = value
    if "time_utc" in m:
        text = str(m["time_utc"])
        try:
            dt.time.fromisoformat(text if len(text) > 2 else f"{text}:00")
        except ValueError as exc:
            raise ctx.fail(m.line_of("time_utc"), f"time_utc {text!r} is not HH:MM", 'write time_utc: "08:20"') from exc
        changes["time_utc"] = text
    return replace(base, **changes)


def _parse_footprint(ctx: _Ctx, raw: Any, line: int, zones: dict[str, str]) -> Footprint:
    if isinstance(raw, str):
        if raw == "aoi":
            return Footprint()
        if raw not in zones:
            raise ctx.fail(line, f"unknown footprint zone {raw!r}", f"use aoi or one of {', '.join(zones)}")
        return Footprint(kind="zone", zone=raw)
    m = ctx.mapping(raw, line, "footprint")
    ctx.keys(m, {"zone", "center_m", "size_m"}, "footprint")
    size = ctx.pair(m, "size_m") if "size_m" in m else None
    if size is not None and not (50 <= size[0] <= 20000 and 50 <= size[1] <= 20000):
        raise ctx.fail(m.line_of("size_m"), f"footprint size {size} m is out of range", "use 50..20000 m per side")
    if "zone" in m:
        if m["zone"] not in zones:
            raise ctx.fail(m.line_of("zone"), f"unknown footprint zone {m['zone']!r}",
                           f"use one of {', '.join(zones)}")
        return Footprint(kind="zone", zone=str(m["zone"]), size_m=size)
    if "center_m" not in m or size is None:
        raise ctx.fail(m.line, "an explicit footprint needs center_m and size_m (or a zone)",
                       "write footprint: {center_m: [0, 0], size_m: [2000, 2000]}")
    return Footprint(kind="box", center_m=ctx.pair(m, "center_m"), size_m=size)


def _default_state(form: str, body: str, zone_kind: str) -> str:
    if form == "ship":
        return "offshore" if zone_kind == "offshore" else "at_berth"
    if form == "vehicle" and ("launcher" in body or "radar" in body):
        return "deployed" if zone_kind == "air_defense" else "packed"
    return "parked"


def _parse_equipment(ctx: _Ctx, raw: Any, line: int, zones: dict[str, str]) -> EquipmentSpec:
    cat = builtin_catalog()
    m = ctx.mapping(raw, line, "an equipment item")
    ctx.keys(m, {"type", "count", "zone", "state", "position_m", "heading_deg"}, "an equipment item",
             required=("type", "zone"))
    name = str(m["type"])
    type_id = cat.equipment_names.resolve(name)
    if type_id is None:
        near = cat.equipment_names.suggest(name)
        hint = f"did you mean {', '.join(near)}? " if near else ""
        raise ctx.fail(m.line_of("type"), f"unknown equipment type {name!r}",
                       f"{hint}use a catalog id such as su-34, il-76, an-124, ka-52, frigate-22350")
    zone = str(m["zone"])
    if zone not in zones:
        raise ctx.fail(m.line_of("zone"), f"unknown zone {zone!r}", f"use one of {', '.join(zones)}")
    eq = cat.equipment[type_id]
    form = str(eq.shape.get("form", "vehicle"))
    if "state" in m:
        state = str(m["state"])
        if state not in cat.states:
            raise ctx.fail(m.line_of("state"), f"unknown state {state!r}",
                           f"use one of {', '.join(cat.states)}")
        if state not in FORM_STATES.get(form, set(cat.states)):
            raise ctx.fail(m.line_of("state"), f"state {state!r} does not apply to {type_id} ({form})",
                           f"use one of {', '.join(sorted(FORM_STATES[form]))}")
        imaged = {st for e in cat.equipment.values() for st in e.image_states}
        if state in imaged and state not in eq.image_states:  # a nose visor only where the type has one
            allowed = ", ".join(eq.image_states) or "none"
            raise ctx.fail(m.line_of("state"), f"{type_id} cannot show {state!r} (its catalog image states: "
                           f"{allowed})", "use one of its image states, or parked")
    else:
        state = _default_state(form, str(eq.shape.get("body", "")), zones[zone])
    count = 1
    if "count" in m:
        c = m["count"]
        if isinstance(c, bool) or not isinstance(c, int):
            raise ctx.fail(m.line_of("count"), f"count must be a whole number, got {c!r}", "write count: 2")
        if c < 0:
            raise ctx.fail(m.line_of("count"), f"count {c} is negative", "use 0 or more")
        if c > 500:
            raise ctx.fail(m.line_of("count"), f"count {c} is too large", "use at most 500 per item")
        count = c
    position = ctx.pair(m, "position_m") if "position_m" in m else None
    if position is not None and count != 1:
        raise ctx.fail(m.line_of("position_m"), "position_m places one object but count is not 1",
                       "drop count, or drop position_m to lay the objects out automatically")
    heading = ctx.number(m, "heading_deg", -360.0, 360.0) % 360.0 if "heading_deg" in m else None
    return EquipmentSpec(type_id=type_id, zone=zone, state=state, count=count, position_m=position,
                         heading_deg=heading, line=m.line)


def _parse_date(ctx: _Ctx, raw: Any, line: int) -> dt.date:
    if isinstance(raw, dt.datetime):
        return raw.date()
    if isinstance(raw, dt.date):
        return raw
    try:
        return dt.date.fromisoformat(str(raw))
    except ValueError as exc:
        raise ctx.fail(line, f"malformed date {raw!r}", "write an ISO date such as 2024-12-13") from exc


def _parse_texts(path: Path, line: int, ctx: _Ctx) -> tuple[TextItem, ...]:
    if not path.is_file():
        raise ctx.fail(line, f"texts file {path.name!r} not found next to the scenario",
                       "create it or remove the texts key")
    tctx = _Ctx(path.name)
    doc = tctx.mapping(load_marked(path.read_text("utf-8"), path.name), 1, "the texts file")
    tctx.keys(doc, {"texts"}, "the texts file", required=("texts",))
    items = tctx.seq(doc["texts"], doc.line_of("texts"), "texts")
    out: list[TextItem] = []
    seen: set[str] = set()
    for raw, item_line in zip(items, items.item_lines, strict=True):
        t = tctx.mapping(raw, item_line, "a text")
        tctx.keys(t, {"id", "kind", "source", "author", "published", "url", "title", "body"}, "a text",
                  required=("id", "kind", "source", "published", "body"))
        tid = str(t["id"])
        if tid in seen or not tid or "/" in tid:
            raise tctx.fail(t.line_of("id"), f"text id {tid!r} is empty, repeated or contains '/'", "use unique ids")
        seen.add(tid)
        if t["kind"] not in TEXT_KINDS:
            raise tctx.fail(t.line_of("kind"), f"unknown text kind {t['kind']!r}",
                            f"use one of {', '.join(TEXT_KINDS)}")
        published = t["published"]
        if isinstance(published, dt.datetime):
            published_iso = published.isoformat().replace("+00:00", "Z")
        elif isinstance(published, dt.date):
            published_iso = published.isoformat()
        else:
            try:
                dt.datetime.fromisoformat(str(published))
            except ValueError as exc:
                raise tctx.fail(t.line_of("published"), f"malformed published time {published!r}",
                                "write an ISO date or datetime") from exc
            published_iso = str(published)
        out.append(TextItem(id=tid, kind=str(t["kind"]), source=str(t["source"]), author=str(t.get("author", "")),
                            published=published_iso, body=str(t["body"]), url=str(t.get("url", "") or ""),
                            title=str(t.get("title", "") or "")))
    return tuple(out)


def parse_scenario(text: str, name: str = "<scenario>", path: Path | None = None) -> Scenario:
    """Validate scenario YAML text; `name` is how errors call the file."""
    ctx = _Ctx(name)
    doc = ctx.mapping(load_marked(text, name), 1, "the scenario")
    ctx.keys(doc, {"name", "site", "seed", "description", "texts", "acquisition", "footprint", "dates"},
             "the scenario", required=("site", "dates"))
    cat = builtin_catalog()
    site_id = cat.site_names.resolve(str(doc["site"]))
    if site_id is None:
        raise ctx.fail(doc.line_of("site"), f"unknown site {doc['site']!r}", f"use one of {', '.join(cat.sites)}")
    zones = {z.id: z.kind for z in cat.sites[site_id].zones}
    seed = doc.get("seed", 0)
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise ctx.fail(doc.line_of("seed"), f"seed must be a non-negative whole number, got {seed!r}", "write seed: 1")
    acq = Acquisition()
    if "acquisition" in doc:
        acq = _parse_acquisition(ctx, doc["acquisition"], doc.line_of("acquisition"), acq)
    footprint = Footprint()
    if "footprint" in doc:
        footprint = _parse_footprint(ctx, doc["footprint"], doc.line_of("footprint"), zones)
    dates_raw = ctx.seq(doc["dates"], doc.line_of("dates"), "dates")
    if not dates_raw:
        raise ctx.fail(doc.line_of("dates"), "dates is empty", "add at least one date")
    dates: list[DateSpec] = []
    stems: dict[str, int] = {}
    for raw, item_line in zip(dates_raw, dates_raw.item_lines, strict=True):
        d = ctx.mapping(raw, item_line, "a date entry")
        ctx.keys(d, {"date", "id", "acquisition", "footprint", "equipment"}, "a date entry", required=("date",))
        day = _parse_date(ctx, d["date"], d.line_of("date"))
        d_acq = _parse_acquisition(ctx, d["acquisition"], d.line_of("acquisition"), acq) if "acquisition" in d else acq
        d_fp = _parse_footprint(ctx, d["footprint"], d.line_of("footprint"), zones) if "footprint" in d else footprint
        suffix = str(d.get("id", "") or "")
        if suffix and not suffix.replace("-", "").replace("_", "").isalnum():
            raise ctx.fail(d.line_of("id"), f"id {suffix!r} is not a simple name", "use letters, digits and '-'")
        equipment: list[EquipmentSpec] = []
        if "equipment" in d and d["equipment"] is not None:
            items = ctx.seq(d["equipment"], d.line_of("equipment"), "equipment")
            for eq_raw, eq_line in zip(items, items.item_lines, strict=True):
                equipment.append(_parse_equipment(ctx, eq_raw, eq_line, zones))
        spec = DateSpec(date=day, acquisition=d_acq, footprint=d_fp, equipment=tuple(equipment), suffix=suffix,
                        line=d.line)
        if spec.stem_suffix in stems:
            raise ctx.fail(d.line, f"a second image for {spec.stem_suffix} (first at line {stems[spec.stem_suffix]})",
                           "give one of them an id such as id: offshore")
        stems[spec.stem_suffix] = d.line
        dates.append(spec)
    texts: tuple[TextItem, ...] = ()
    if "texts" in doc:
        base = path.parent if path is not None else Path.cwd()
        texts = _parse_texts(base / str(doc["texts"]), doc.line_of("texts"), ctx)
    scenario_name = str(doc.get("name") or (path.stem if path else "scenario"))
    return Scenario(name=scenario_name, site_id=site_id, seed=int(seed), acquisition=acq, footprint=footprint,
                    dates=tuple(dates), texts=texts, description=str(doc.get("description", "") or ""), path=path)


# ---------------------------------------------------------------------------------------------- built-ins


def _scenario_dir() -> Path:
    return Path(str(resources.files("basewatch.synth").joinpath("scenarios")))


def builtin_scenarios() -> list[str]:
    """Names of the scenarios shipped with basewatch."""
    return sorted(p.stem for p in _scenario_dir().glob("*.yaml") if not p.name.endswith(".texts.yaml"))


def scenario_path(name: str) -> Path:
    """The file of a built-in scenario."""
    path = _scenario_dir() / f"{name}.yaml"
    if name.endswith(".texts") or not path.is_file():
        raise ScenarioError(f"{name}: no built-in scenario of that name; fix: use one of "
                            f"{', '.join(builtin_scenarios())} or give a path to a .yaml file")
    return path


def load_scenario(name_or_path: str | Path) -> Scenario:
    """A built-in scenario by name, or a scenario file by path."""
    path = Path(name_or_path)
    if not path.suffix and isinstance(name_or_path, str) and not path.exists():
        path = scenario_path(name_or_path)
    if not path.is_file():
        raise ScenarioError(f"{path}: scenario file not found; fix: give an existing .yaml file or one of "
                            f"{', '.join(builtin_scenarios())}")
    try:
        text = path.read_text("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ScenarioError(f"{path}: cannot read the scenario ({exc}); fix: give a UTF-8 YAML file") from exc
    return parse_scenario(text, path.name, path)
