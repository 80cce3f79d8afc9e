"""The analyst's corrections as training labels: every reviewed image of a workspace, its objects in DOTA text
and GeoJSON (pixel polygons), and an image chip per object.

Only images the analyst reviewed are written, and within them:
- objects the analyst confirmed, retyped, redrew or added are labels (with the analyst's type);
- detections the analyst rejected are listed as `negatives` (hard background, never a label);
- detections nobody looked at are labels marked `ignore` (DOTA `difficult` 1): neither taught as objects nor
  as background, since nobody vouched for them.

The folder reads back with `basewatch.train.data.load_exported`, which `basewatch train detector --add` uses.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from basewatch import errors
from basewatch.folders import check_new_folder, staged_folder
from basewatch.imagery.review import ReviewedDetection, open_evidence_image, reviewed_detections, reviews
from basewatch.workspace import Workspace

CHIP_MARGIN = 0.25  # chip = the object's box plus this share of its size on each side


@dataclass(frozen=True)
class LabelExport:
    """What `export_labels` wrote."""

    folder: Path
    images: int
    objects: int
    ignored: int
    negatives: int
    chips: int

    def to_dict(self) -> dict[str, Any]:
        return {"folder": str(self.folder), "images": self.images, "objects": self.objects,
                "ignored": self.ignored, "negatives": self.negatives, "chips": self.chips}


def _dota_line(corners: Any, cls: str, difficult: bool) -> str:
    xy = " ".join(f"{float(v):.1f}" for p in corners for v in p)
    return f"{xy} {cls} {int(difficult)}"


def _chip(img: Any, corners: Any) -> np.ndarray | None:
    """The object's axis-aligned box plus a margin, read from the image (None when it is outside)."""
    p = np.asarray(corners, dtype=float)
    x0, y0 = p.min(axis=0)
    x1, y1 = p.max(axis=0)
    mx, my = (x1 - x0) * CHIP_MARGIN, (y1 - y0) * CHIP_MARGIN
    c0, r0 = max(0, int(x0 - mx)), max(0, int(y0 - my))
    c1, r1 = min(img.width, int(np.ceil(x1 + mx))), min(img.height, int(np.ceil(y1 + my)))
    if c1 - c0 < 2 or r1 - r0 < 2:
        return None
    return img.read_rgb(c0, r0, c1, r1)


def _type_of(r: ReviewedDetection, idents: dict[int, Any]) -> str | None:
    if r.type_id:
        return r.type_id
    ident = idents.get(r.observation_id)
    return ident.type_id if ident is not None and ident.type_id != "unknown" else None


def export_labels(ws: Workspace, out: Path | str, *, site: str | None = None) -> LabelExport:
    """Write the reviewed images of the workspace (or of one site) as a label folder, whole or not at all."""
    from PIL import Image

    out = Path(out)
    check_new_folder(out)
    found = reviews(ws, site=site, include_undone=False)
    evidence_ids = list(dict.fromkeys(r.evidence_id for r in found))
    if not evidence_ids:
        raise errors.InvalidValueError("no reviewed images" + (f" at {site}" if site else "") + "; review "
                                       "detections first with 'basewatch review' or the dashboard")
    totals = {"objects": 0, "ignored": 0, "negatives": 0, "chips": 0}
    with staged_folder(out) as tmp:
        for sub in ("images", "labels", "labelTxt", "chips"):
            (tmp / sub).mkdir(parents=True)
        for ev_id in evidence_ids:
            ev = ws.evidence(ev_id)
            mine = [r for r in found if r.evidence_id == ev_id]
            rows = ws.list_observations(evidence=ev_id, kind="detection")
            kept = reviewed_detections(ws, ev_id, rows=rows, found=mine)
            kept_ids = {r.observation_id for r in kept}
            idents = ws.identifications(evidence=ev_id)
            rejected = [o for o in rows if o.id not in kept_ids]
            src = ws.archive.path(ev.sha256)
            image_name = f"{ev_id}{src.suffix.lower() or '.tif'}"
            shutil.copyfile(src, tmp / "images" / image_name)
            features, dota = [], []
            img = open_evidence_image(ws, ev_id)
            try:
                gsd = float(img.gsd_m)
                for r in kept:
                    vouched = r.reviewed
                    type_id = _type_of(r, idents)
                    corners = [list(map(float, p)) for p in r.detection.polygon_px]
                    props = {"class": r.detection.cls, "type": type_id, "polygon_px": corners,
                             "detection": r.observation_id, "review": list(r.actions), "ignore": not vouched,
                             "length_m": r.detection.length_m, "width_m": r.detection.width_m}
                    features.append({"type": "Feature", "geometry": None, "properties": props})
                    dota.append(_dota_line(corners, r.detection.cls, not vouched))
                    totals["objects" if vouched else "ignored"] += 1
                    if vouched:
                        chip = _chip(img, corners)
                        if chip is not None:
                            Image.fromarray(chip).save(
                                tmp / "chips" / f"{ev_id}-{r.observation_id}-{type_id or r.detection.cls}.png")
                            totals["chips"] += 1
            finally:
                img.close()
            negatives = [{"detection": o.id, "polygon_px": (o.attributes or {}).get("polygon_px"),
                          "class": (o.attributes or {}).get("class")} for o in rejected]
            totals["negatives"] += len(negatives)
            doc = {"type": "FeatureCollection", "image": image_name, "evidence": ev_id, "site": ev.site_id,
                   "collected": ev.collected_at.isoformat() if ev.collected_at else None, "gsd_m": round(gsd, 4),
                   "analysts": sorted({r.analyst for r in mine}), "negatives": negatives, "features": features}
            (tmp / "labels" / f"{ev_id}.geojson").write_text(json.dumps(doc, indent=1), "utf-8")
            (tmp / "labelTxt" / f"{ev_id}.txt").write_text(
                f"gsd:{gsd:.4f}\n" + "".join(line + "\n" for line in dota), "utf-8")
        manifest = {"workspace": str(ws.root.resolve()), "site": site,
                    "exported": datetime.now(UTC).replace(microsecond=0).isoformat(), "images": len(evidence_ids),
                    "reviews": len(found), **totals}
        (tmp / "manifest.json").write_text(json.dumps(manifest, indent=1), "utf-8")
    return LabelExport(folder=out, images=len(evidence_ids), **totals)


__all__ = ["LabelExport", "export_labels"]
