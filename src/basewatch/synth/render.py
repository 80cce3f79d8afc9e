"""Rendering a scenario: one georeferenced picture per date, with ground truth, previews, STAC and a manifest.

Output layout (all paths in the manifest are relative to the output folder)::

    <site>-<YYYY-MM-DD>[-<id>].tif      3-band uint8 COG in the site's UTM zone
    labels/<same stem>.geojson           ground truth (RFC 7946, WGS84), one Feature per object
    previews/<same stem>.png             ~1024 px preview
    texts/<text id>.txt                  the scenario's articles, posts and statements
    stac/catalog.json                    STAC catalog: image items + label-extension items
    manifest.json                        every output, for `basewatch ingest`

Randomness is split by purpose so a seed reproduces pixels exactly: the ground and clutter depend on
(seed, site) only, the layout and conditions of a date on (seed, date, id), and each object on its index.
"""

from __future__ import annotations

import datetime as dt
import json
import multiprocessing
import os
import shutil
import tempfile
import zlib
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image

from basewatch.catalog import builtin_catalog
from basewatch.errors import ScenarioError
from basewatch.synth.background import ground
from basewatch.synth.clutter import Box3D, draw_clutter, site_clutter
from basewatch.synth.conditions import apply_conditions
from basewatch.synth.draw import Light, draw_object
from basewatch.synth.frame import SceneFrame, SiteFrame, ZoneBox
from basewatch.synth.labels import object_feature, write_labels
from basewatch.synth.layout import PlacedObject, layout
from basewatch.synth.paint import scheme_for
from basewatch.synth.planform import build_planform
from basewatch.synth.raster_io import write_cog, write_preview
from basewatch.synth.scenario import DateSpec, Scenario, load_scenario
from basewatch.synth.stac import StacImage, write_catalog


@dataclass(frozen=True)
class Scene:
    """One rendered picture in memory (before it is written)."""

    rgb: np.ndarray
    frame: SceneFrame
    objects: list[PlacedObject]
    collected: dt.datetime
    off_nadir: float
    view_azimuth: float


@dataclass(frozen=True)
class RenderedImage:
    """One written picture."""

    path: Path
    labels: Path
    preview: Path
    date: dt.date
    collected: dt.datetime
    objects: int
    width: int
    height: int
    gsd: float
    epsg: int


@dataclass(frozen=True)
class RenderResult:
    """What `render` wrote."""

    out_dir: Path
    manifest_path: Path
    stac_catalog: Path
    images: list[RenderedImage]
    texts: list[Path]


def _date_rng(seed: int, spec: DateSpec, purpose: int) -> np.random.Generator:
    return np.random.default_rng([seed, spec.date.toordinal(), zlib.crc32(spec.suffix.encode()), purpose])


@lru_cache(maxsize=8)
def _site_frame(site_id: str) -> tuple[SiteFrame, dict[str, ZoneBox]]:
    sf = SiteFrame.of(builtin_catalog().sites[site_id])
    return sf, sf.zones()


_CLUTTER: dict[tuple, list[Box3D]] = {}


def _clutter_cached(key: tuple, frame: SceneFrame, site_kind: str, seed: int) -> list[Box3D]:
    if key not in _CLUTTER:
        if len(_CLUTTER) >= 4:
            _CLUTTER.pop(next(iter(_CLUTTER)))
        _CLUTTER[key] = site_clutter(frame, _site_frame(frame.site.site.id)[1], site_kind, seed)
    return _CLUTTER[key]


def scene_frame(scenario: Scenario, spec: DateSpec) -> SceneFrame:
    """The pixel grid of one date's picture."""
    sf, _ = _site_frame(scenario.site_id)
    return SceneFrame.for_box(sf, sf.footprint_box(spec.footprint), spec.acquisition.gsd_m)


def render_scene(scenario: Scenario, spec: DateSpec, *, seed: int | None = None, draw_equipment: bool = True,
                 cutouts_dir: Path | None = None, jpeg: bool = True) -> Scene:
    """Render one date in memory. `draw_equipment=False` gives the same picture without the equipment.

    `jpeg=False` skips the JPEG round trip (the GeoTIFF writer applies it as tile compression instead).
    """
    seed = scenario.seed if seed is None else seed
    sf, zones = _site_frame(scenario.site_id)
    site = sf.site
    frame = scene_frame(scenario, spec)
    acq = spec.acquisition
    cond_rng = _date_rng(seed, spec, 1)
    off_nadir = float(cond_rng.uniform(0, acq.off_nadir_deg))
    view_az = float(cond_rng.uniform(0, 360))
    light = Light.of(acq.sun_azimuth_deg, acq.sun_elevation_deg, off_nadir, view_az, acq.haze)
    img = np.array(ground(frame, zones, site.kind, seed, acq.blur_px))
    key = (site.id, frame.x0, frame.y0, frame.width, frame.height, frame.gsd, seed)
    img = np.array(draw_clutter(img, frame, _clutter_cached(key, frame, site.kind, seed), light))
    objects = layout(spec.equipment, zones, _date_rng(seed, spec, 2), scenario.path.name if scenario.path
                     else scenario.name)
    x0, y0, x1, y1 = frame.local_box()
    objects = [o for o in objects if x0 <= o.pos[0] <= x1 and y0 <= o.pos[1] <= y1]
    if draw_equipment:
        for i, obj in enumerate(objects):
            orng = np.random.default_rng([seed, spec.date.toordinal(), zlib.crc32(spec.suffix.encode()), 3, i])
            chip = _cutout(cutouts_dir, obj.eq.id, orng) if cutouts_dir else None
            if chip is not None:
                _paste_cutout(img, frame, obj, chip, light)
                continue
            parts = build_planform(obj.eq, obj.state, orng)
            tones = scheme_for(obj.eq.category, orng)
            form = str(obj.eq.shape.get("form", "vehicle"))
            ss = 3 if max(obj.eq.length_m, obj.eq.width_m) / frame.gsd < 120 else 2
            draw_object(img, frame, obj.pos, obj.heading_deg, parts, tones, light, orng,
                        solid=form in ("vehicle", "ship"), ss=ss,
                        camo_scale=max(2.0, 0.25 * obj.eq.length_m))
    rgb = apply_conditions(img, frame, acq, light, cond_rng, off_nadir, jpeg=jpeg)
    hh, mm = (acq.time_utc.split(":") + ["0"])[:2]
    collected = dt.datetime.combine(spec.date, dt.time(int(hh), int(mm)), tzinfo=dt.UTC)
    return Scene(rgb=rgb, frame=frame, objects=objects, collected=collected, off_nadir=off_nadir,
                 view_azimuth=view_az)


# ------------------------------------------------------------------------------------------ cut-outs


def _cutout(cutouts_dir: Path, type_id: str, rng: np.random.Generator) -> tuple[Image.Image, float | None] | None:
    """A real RGBA cut-out of this type, if the folder has one, with its real width in metres when a
    `size-labels/<stem>.txt` sits beside it. For local training only: never commit such files."""
    for folder in (cutouts_dir / type_id / "no-background", cutouts_dir / type_id):
        if folder.is_dir():
            files = sorted(folder.glob("*.png"))
            if files:
                f = files[int(rng.integers(len(files)))]
                width_m = None
                size_file = folder.parent / "size-labels" / f"{f.stem}.txt"
                if size_file.is_file():
                    try:
                        width_m = float(size_file.read_text().split()[0])
                    except (ValueError, IndexError):
                        width_m = None
                return Image.open(f).convert("RGBA"), width_m
    return None


def _paste_cutout(img: np.ndarray, frame: SceneFrame, obj: PlacedObject, found: tuple[Image.Image, float | None],
                  light: Light) -> None:
    """Paste a cut-out at the object's place, scaled to real size and turned by the heading (chips are assumed
    nose-up; chips of unknown orientation keep the label footprint only approximately)."""
    chip, width_m = found
    if width_m:
        scale = width_m / frame.gsd / max(chip.width, 1)
        bbox = chip.getbbox() or (0, 0, chip.width, chip.height)
        chip = chip.crop(bbox)
    else:
        bbox = chip.getbbox() or (0, 0, chip.width, chip.height)
        chip = chip.crop(bbox)
        scale = obj.eq.length_m / frame.gsd / max(chip.height, 1)
    w = max(2, round(chip.width * scale))
    h = max(2, round(chip.height * scale))
    chip = chip.resize((w, h), Image.LANCZOS).rotate(-obj.heading_deg, resample=Image.BICUBIC, expand=True)
    arr = np.asarray(chip, dtype=np.float32)
    a = arr[..., 3:4] / 255.0
    cx, cy = frame.local_to_px(np.array([obj.pos]))[0]
    sh = light.shadow * 2.5 / frame.gsd
    for (dx, dy), is_shadow in (((sh[0], -sh[1]), True), ((0.0, 0.0), False)):
        c0 = int(round(cx + dx - chip.width / 2))
        r0 = int(round(cy + dy - chip.height / 2))
        H, W = img.shape[:2]
        rs, cs = max(r0, 0), max(c0, 0)
        re, ce = min(r0 + chip.height, H), min(c0 + chip.width, W)
        if rs >= re or cs >= ce:
            continue
        sub_a = a[rs - r0:re - r0, cs - c0:ce - c0]
        crop = img[rs:re, cs:ce].astype(np.float32)
        if is_shadow:
            crop *= 1 - light.shadow_strength * sub_a
        else:
            crop = crop * (1 - sub_a) + arr[rs - r0:re - r0, cs - c0:ce - c0, :3] * sub_a
        img[rs:re, cs:ce] = np.clip(crop, 0, 255).astype(np.uint8)


# ------------------------------------------------------------------------------------------ writing


def _stem(scenario: Scenario, spec: DateSpec) -> str:
    return f"{scenario.site_id}-{spec.stem_suffix}"


def _render_one(scenario: Scenario, spec: DateSpec, out: Path, seed: int,
                cutouts_dir: Path | None) -> tuple[RenderedImage, StacImage]:
    scene = render_scene(scenario, spec, seed=seed, cutouts_dir=cutouts_dir)
    frame = scene.frame
    stem = _stem(scenario, spec)
    image_path = out / f"{stem}.tif"
    labels_path = out / "labels" / f"{stem}.geojson"
    preview_path = out / "previews" / f"{stem}.png"
    acq = spec.acquisition
    site = frame.site.site
    write_cog(image_path, scene.rgb, frame, scene.collected, {
        "BASEWATCH_SITE": site.id, "BASEWATCH_SCENARIO": scenario.name, "BASEWATCH_SEED": str(seed),
        "GSD_M": f"{frame.gsd}", "SUN_AZIMUTH_DEG": f"{acq.sun_azimuth_deg}",
        "SUN_ELEVATION_DEG": f"{acq.sun_elevation_deg}", "OFF_NADIR_DEG": f"{scene.off_nadir:.2f}",
        "CLOUD_COVER": f"{acq.cloud_cover}", "HAZE": f"{acq.haze}", "SYNTHETIC": "true"})
    features = [object_feature(o, frame, i, image_path.name) for i, o in enumerate(scene.objects)]
    write_labels(labels_path, features, image_path.name)
    write_preview(preview_path, scene.rgb)
    x0, y0, x1, y1 = frame.local_box()
    ring = [frame.site.local_to_lonlat(x, y) for x, y in ((x0, y0), (x1, y0), (x1, y1), (x0, y1), (x0, y0))]
    lons, lats = [p[0] for p in ring], [p[1] for p in ring]
    geometry = {"type": "Polygon", "coordinates": [[[round(lo, 7), round(la, 7)] for lo, la in ring]]}
    stac_image = StacImage(
        id=stem, image_path=image_path, labels_path=labels_path, preview_path=preview_path,
        collected=scene.collected, geometry=geometry, bbox=[min(lons), min(lats), max(lons), max(lats)],
        gsd=frame.gsd, cloud_cover=acq.cloud_cover, epsg=frame.site.epsg, shape=(frame.height, frame.width),
        transform=list(frame.transform)[:6], sun_azimuth=acq.sun_azimuth_deg, sun_elevation=acq.sun_elevation_deg,
        off_nadir=round(scene.off_nadir, 2), classes=[o.eq.id for o in scene.objects])
    rendered = RenderedImage(path=image_path, labels=labels_path, preview=preview_path, date=spec.date,
                             collected=scene.collected, objects=len(scene.objects), width=frame.width,
                             height=frame.height, gsd=frame.gsd, epsg=frame.site.epsg)
    return rendered, stac_image


def _select_dates(scenario: Scenario, dates: list[str | dt.date] | None) -> list[DateSpec]:
    if not dates:
        return list(scenario.dates)
    wanted: set[dt.date] = set()
    for d in dates:
        try:
            wanted.add(d if isinstance(d, dt.date) else dt.date.fromisoformat(str(d)))
        except ValueError as exc:
            raise ScenarioError(f"{scenario.name}: malformed date {d!r}; fix: use YYYY-MM-DD") from exc
    have = {s.date for s in scenario.dates}
    missing = sorted(wanted - have)
    if missing:
        raise ScenarioError(f"{scenario.name}: no image on {', '.join(map(str, missing))}; fix: use one of "
                            f"{', '.join(sorted({str(d) for d in have}))}")
    return [s for s in scenario.dates if s.date in wanted]


def render(scenario: Scenario | str | Path, out_dir: str | Path, *, seed: int | None = None,
           cutouts_dir: str | Path | None = None, dates: list[str | dt.date] | None = None,
           workers: int = 1) -> RenderResult:
    """Render every (or the selected) date of a scenario into `out_dir`; returns what was written.

    Files appear in `out_dir` only when everything rendered (work happens in a temporary sibling folder).
    `workers` > 1 renders dates in parallel processes; the pixels do not depend on it.
    """
    sc = scenario if isinstance(scenario, Scenario) else load_scenario(scenario)
    seed = sc.seed if seed is None else int(seed)
    out = Path(out_dir)
    cut = Path(cutouts_dir) if cutouts_dir else None
    specs = _select_dates(sc, dates)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    try:
        if workers > 1 and len(specs) > 1:
            ctx = multiprocessing.get_context("fork") if os.name == "posix" else None
            with ProcessPoolExecutor(max_workers=min(workers, len(specs)), mp_context=ctx) as pool:
                futures = [pool.submit(_render_one, sc, s, tmp, seed, cut) for s in specs]
                results = [f.result() for f in futures]
        else:
            results = [_render_one(sc, s, tmp, seed, cut) for s in specs]
        images = [r[0] for r in results]
        write_catalog(tmp / "stac", sc.name, [r[1] for r in results])
        texts: list[Path] = []
        items: list[dict[str, Any]] = []
        site = builtin_catalog().sites[sc.site_id]
        for im in images:
            items.append({"path": im.path.name, "kind": "image", "source": "synthetic",
                          "collected": im.collected.isoformat().replace("+00:00", "Z"),
                          "labels": f"labels/{im.labels.name}", "preview": f"previews/{im.preview.name}",
                          "title": f"Synthetic image of {site.name}, {im.collected.date().isoformat()}",
                          "site": sc.site_id, "gsd_m": im.gsd, "epsg": im.epsg, "objects": im.objects})
        (tmp / "texts").mkdir(exist_ok=True)
        for t in sc.texts:
            p = tmp / "texts" / f"{t.id}.txt"
            p.write_text((f"{t.title}\n\n" if t.title else "") + t.body.rstrip() + "\n", "utf-8")
            texts.append(p)
            items.append({"path": f"texts/{p.name}", "kind": t.kind, "source": t.source, "author": t.author,
                          "published": t.published, "url": t.url or None, "title": t.title or None, "id": t.id})
        manifest = {"scenario": sc.name, "site": sc.site_id, "seed": seed,
                    "stac": "stac/catalog.json", "items": items}
        (tmp / "manifest.json").write_text(json.dumps(manifest, indent=2, ensure_ascii=False), "utf-8")
        out.mkdir(parents=True, exist_ok=True)
        for entry in sorted(tmp.iterdir()):
            dest = out / entry.name
            if dest.is_dir() and not dest.is_symlink():
                shutil.rmtree(dest)
            elif dest.exists():
                dest.unlink()
            shutil.move(str(entry), str(dest))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    def moved(p: Path) -> Path:
        return out / p.relative_to(tmp)

    final = [RenderedImage(path=moved(i.path), labels=moved(i.labels), preview=moved(i.preview), date=i.date,
                           collected=i.collected, objects=i.objects, width=i.width, height=i.height, gsd=i.gsd,
                           epsg=i.epsg) for i in images]
    return RenderResult(out_dir=out, manifest_path=out / "manifest.json", stac_catalog=out / "stac" / "catalog.json",
                        images=final, texts=[moved(t) for t in texts])
