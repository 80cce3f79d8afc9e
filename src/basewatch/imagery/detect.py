"""Detection end to end: an image file in, oriented detections (pixel + map) and its coverage out.

    result = detect_image("khmeimim.tif")                   # GeoTIFF: GSD and map coordinates from the file
    result = detect_image("screenshot.png", gsd=0.6)        # screenshot: pixels and sizes only
    detections = detect_evidence(ws, "ev-1234abcd")         # archived image -> stored observations

The image is resampled to the model's GSD tile by tile (bounded memory for any size), each tile is run
through ONNX Runtime, detections are kept by the tile whose core holds their centre, and a rotated NMS
merges what remains across seams (see `tiling`).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np

from basewatch.errors import InputFileError, InvalidValueError
from basewatch.imagery.coverage import CLOUD_METHOD, CoverageMeasure, measure_coverage
from basewatch.imagery.nms import rotated_nms
from basewatch.imagery.raster import RasterImage, open_image
from basewatch.imagery.resample import resample_chw
from basewatch.imagery.runtime import Detector, load_detector
from basewatch.imagery.tiling import plan_tiles
from basewatch.model import Coverage, Detection, Evidence, Instant
from basewatch.store.coverage import coverage_observation
from basewatch.store.observations import detection_observation, detection_of, write_observations
from basewatch.workspace import Workspace

Progress = Callable[[int, int], None]
NMS_IOU = 0.4


@dataclass
class DetectionResult:
    """Everything one image yielded."""

    image: str
    width: int
    height: int
    gsd_m: float
    georeference: str | None
    model: str
    detections: list[Detection]
    coverage: CoverageMeasure
    collected_at: datetime | None
    tiles: int
    seconds: float

    def to_dict(self) -> dict[str, Any]:
        """The CLI contract: `{"detections": [...]}` plus what the image and the model were."""
        return {"detections": [d.to_dict() for d in self.detections], "image": self.image,
                "width": self.width, "height": self.height, "gsd_m": round(self.gsd_m, 4),
                "georeference": self.georeference, "model": self.model, "tiles": self.tiles,
                "seconds": round(self.seconds, 3), "coverage": self.coverage.to_dict()}

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for d in self.detections:
            out[d.cls] = out.get(d.cls, 0) + 1
        return out


def _check_gsd(img: RasterImage, det: Detector) -> None:
    lo, hi = det.card.gsd_range_m
    if not lo <= img.gsd_m <= hi:
        raise InputFileError(f"{img.path}: GSD {img.gsd_m:.3g} m/pixel is outside the range model "
                             f"{det.id} handles ({lo:g}-{hi:g} m); check --gsd or use another model")
    side = min(img.width, img.height) * img.gsd_m / det.card.gsd_m
    if side < det.card.pad_multiple:
        raise InputFileError(f"{img.path}: {img.width} x {img.height} px at {img.gsd_m:.3g} m is {side:.0f} px "
                             f"across at the model's {det.card.gsd_m:g} m, too small for one tile (at least "
                             f"{det.card.pad_multiple} px); give a larger image or check --gsd")


def _detect_raw(img: RasterImage, det: Detector, threshold: float,
                progress: Progress | None) -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:
    """Corners (N,4,2) in source pixels, scores, class indices, and the number of tiles run."""
    card = det.card
    f = card.gsd_m / img.gsd_m                      # source pixels per model pixel
    mw, mh = max(1, round(img.width / f)), max(1, round(img.height / f))
    if card.input_size:
        tiles = plan_tiles(mw, mh, tile=card.input_size, overlap=card.overlap_px, single_pass=card.input_size)
    else:
        tiles = plan_tiles(mw, mh, tile=card.tile_px, overlap=card.overlap_px, single_pass=card.single_pass_px)
    out_c, out_s, out_k = [], [], []
    for i, t in enumerate(tiles):
        sx0, sy0 = math.floor(t.x0 * f), math.floor(t.y0 * f)
        sx1, sy1 = min(img.width, math.ceil(t.x1 * f)), min(img.height, math.ceil(t.y1 * f))
        ow, oh = max(1, round((sx1 - sx0) / f)), max(1, round((sy1 - sy0) / f))
        chw = resample_chw(img.read_chw(sx0, sy0, sx1, sy1), ow, oh)
        if len(tiles) == 1 and (sx0, sy0, sx1, sy1) == (0, 0, img.width, img.height):
            img._full = chw  # the whole image at the model GSD: the coverage overview needs no second decode
        corners, scores, cls = det.run_tile(chw, threshold)
        if len(scores):
            corners[..., 0] = sx0 + corners[..., 0] * ((sx1 - sx0) / ow)
            corners[..., 1] = sy0 + corners[..., 1] * ((sy1 - sy0) / oh)
            centre = corners.mean(axis=1) / f
            keep = np.array([t.holds(x, y) for x, y in centre], dtype=bool)
            out_c.append(corners[keep])
            out_s.append(scores[keep])
            out_k.append(cls[keep])
        if progress is not None:
            progress(i + 1, len(tiles))
    if not out_c:
        return np.zeros((0, 4, 2)), np.zeros(0), np.zeros(0, np.int64), len(tiles)
    corners, scores, cls = np.concatenate(out_c), np.concatenate(out_s), np.concatenate(out_k)
    keep = rotated_nms(corners, scores, cls, NMS_IOU)
    return corners[keep], scores[keep], cls[keep], len(tiles)


def detection_from_corners(img: RasterImage, cls: str, score: float, corners: np.ndarray, *,
                           axis_only: bool = False) -> Detection:
    """A Detection from four pixel corners: map footprint, metre sizes and heading from the image's georef.
    `axis_only`: the class's nose cannot be told from its tail (no heading)."""
    c = np.asarray(corners, dtype=float)
    e0, e1 = c[1] - c[0], c[2] - c[1]
    l0, l1 = float(np.hypot(*e0)), float(np.hypot(*e1))
    long_vec = e0 if l0 >= l1 else e1
    lonlat = None
    heading = None
    if img.georef is not None:
        lon, lat = img.georef.to_lonlat(c[:, 0], c[:, 1])
        lonlat = tuple((float(a), float(b)) for a, b in zip(lon, lat, strict=True))
        if not axis_only:
            heading = img.georef.heading_deg(float(long_vec[0]), float(long_vec[1]), float(lat.mean()))
    elif not axis_only:
        heading = math.degrees(math.atan2(float(long_vec[0]), float(-long_vec[1]))) % 180.0
    return Detection(cls=cls, score=float(score),
                     polygon_px=tuple((float(x), float(y)) for x, y in c),  # type: ignore[arg-type]
                     polygon_lonlat=lonlat,  # type: ignore[arg-type]
                     length_m=max(l0, l1) * img.gsd_m, width_m=min(l0, l1) * img.gsd_m, heading_deg=heading)


def _to_detections(img: RasterImage, det: Detector, corners: np.ndarray, scores: np.ndarray,
                   cls: np.ndarray) -> list[Detection]:
    out = []
    for c, s, k in zip(corners, scores, cls, strict=True):
        name = det.card.classes[int(k)]
        if not name:
            continue
        out.append(detection_from_corners(img, name, float(s), c, axis_only=bool(det.axis[int(k)])))
    out.sort(key=lambda d: -d.score)
    return out


def detect_image(path: Path | str, *, gsd: float | None = None, model: Detector | Path | str | None = None,
                 progress: Progress | None = None, threshold: float | None = None,
                 center: tuple[float, float] | None = None, crs: str | None = None,
                 threads: int | None = None) -> DetectionResult:
    """Detect aircraft, helicopters, vehicles and ships in one image (see the module docstring)."""
    det = load_detector(model, threads=threads)
    thr = det.card.score_threshold if threshold is None else float(threshold)
    if not 0 < thr < 1:
        raise InvalidValueError(f"--threshold {thr}: give a score between 0 and 1")
    t0 = time.perf_counter()
    with open_image(path, gsd=gsd, center=center, crs=crs) as img:
        _check_gsd(img, det)
        corners, scores, cls, n_tiles = _detect_raw(img, det, thr, progress)
        detections = _to_detections(img, det, corners, scores, cls)
        cov = measure_coverage(img)
        return DetectionResult(
            image=str(path), width=img.width, height=img.height, gsd_m=img.gsd_m,
            georeference=img.georef.source if img.georef else None, model=det.id, detections=detections,
            coverage=cov, collected_at=img.collected_at, tiles=n_tiles, seconds=time.perf_counter() - t0)


def detect_images(paths: Iterable[Path | str], *, gsd: float | None = None,
                  model: Detector | Path | str | None = None,
                  progress: Callable[[int, int, str], None] | None = None, **kw: Any) -> list[DetectionResult]:
    """Detect in many images with one loaded model; `progress(done, total, image)` after each image."""
    paths = list(paths)
    det = load_detector(model, threads=kw.pop("threads", None))
    out = []
    for i, p in enumerate(paths):
        out.append(detect_image(p, gsd=gsd, model=det, **kw))
        if progress is not None:
            progress(i + 1, len(paths), str(p))
    return out


# -- workspace ----------------------------------------------------------------------------------------------
def evidence_georef(ev: Evidence) -> tuple[float | None, tuple[float, float] | None]:
    """(GSD, centre lon/lat) an analyst gave an image without georeferencing (`evidence update`), if any."""
    given = ev.metadata.get("georef") or {}
    center = (float(given["center"][0]), float(given["center"][1])) if given.get("center") else None
    gsd = float(given["gsd_m"]) if given.get("gsd_m") else None
    if gsd is None and ev.metadata.get("gsd_m") and not ev.metadata.get("crs"):
        gsd = float(ev.metadata["gsd_m"])
    return gsd, center


def _method(det: Detector) -> str:
    return f"detector:{det.id}"[:32]


def detect_evidence(ws: Workspace, evidence_id: str, *, model: Detector | Path | str | None = None,
                    gsd: float | None = None, center: tuple[float, float] | None = None, crs: str | None = None,
                    threshold: float | None = None, rerun: bool = False) -> list[Detection]:
    """Detect in an archived image and store one `detection` observation per object plus one `coverage`
    observation, all in one transaction. If this model already ran on this evidence the stored detections are
    returned unless `rerun` (or a georeferencing option) asks for a new run, which replaces them.
    Georeferencing not given here comes from the evidence (see `Workspace.update_evidence`)."""
    ev = ws.evidence(evidence_id)
    if ev.kind != "image":
        raise InvalidValueError(f"{ev.id} is a {ev.kind}, not an image; detection needs image evidence")
    det = load_detector(model)
    method = _method(det)
    stored = [o for o in ws.list_observations(evidence=ev.id) if o.method == method]
    if stored and not (rerun or gsd is not None or center is not None or crs is not None):
        return [d for o in stored if o.kind == "detection" and (d := detection_of(o)) is not None]
    if ev.site_id is None:
        raise InvalidValueError(f"{ev.id} is not linked to a site and its footprint overlaps none; re-add it "
                                "with --site so detections can be recorded")
    site = ws.site(ev.site_id)
    given_gsd, given_center = evidence_georef(ev)
    gsd = gsd if gsd is not None else given_gsd
    center = center if center is not None else given_center
    path = ws.archive.path(ev.sha256)
    result = detect_image(path, gsd=gsd, model=det, threshold=threshold, center=center, crs=crs)
    when = ev.collected_at
    if when is None and result.collected_at is not None:
        when = Instant(result.collected_at)
    if when is None:
        raise InvalidValueError(f"{ev.id} has no collection time; re-add it with --collected YYYY-MM-DD")
    cov = result.coverage
    records = [coverage_observation(Coverage(
        evidence_id=ev.id, site_id=site.id, observed_at=when, footprint=cov.footprint_lonlat, method=method,
        cloud=cov.cloud_lonlat, cloud_fraction=cov.cloud_fraction, nodata_fraction=cov.nodata_fraction,
        cloud_method=CLOUD_METHOD,
        details={"cloud_polygons_px": cov.cloud_px, "gsd_m": round(result.gsd_m, 4), "model": det.id,
                 "width": result.width, "height": result.height, "detections": len(result.detections),
                 "counts": result.counts()}))]
    records += [detection_observation(d, site_id=site.id, evidence_id=ev.id, method=method, observed_at=when,
                                      model=det.id) for d in result.detections]
    with ws.transaction() as conn:
        write_observations(conn, ev.id, method, records)
    return result.detections
