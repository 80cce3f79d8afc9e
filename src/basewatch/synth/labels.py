"""Ground truth: one GeoJSON Feature (RFC 7946, WGS84) per rendered object, with its pixel-space oriented box."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np

from basewatch.synth.frame import SceneFrame
from basewatch.synth.layout import PlacedObject


def object_feature(obj: PlacedObject, frame: SceneFrame, index: int, image_name: str) -> dict[str, Any]:
    """The labelled footprint of one object: WGS84 polygon plus pixel box for training."""
    ring_local = np.asarray(obj.footprint().exterior.coords)  # counter-clockwise, closed
    ring = [list(map(lambda v: round(v, 7), frame.site.local_to_lonlat(x, y))) for x, y in ring_local]
    corners_px = frame.local_to_px(ring_local[:4])
    centre_px = frame.local_to_px(np.array([obj.pos]))[0]
    return {
        "type": "Feature",
        "id": f"{Path(image_name).stem}-{index:03d}",
        "geometry": {"type": "Polygon", "coordinates": [ring]},
        "properties": {
            "type": obj.eq.id, "name": obj.eq.name, "category": obj.eq.category, "state": obj.state,
            "zone": obj.zone, "heading_deg": round(obj.heading_deg % 360, 2), "length_m": obj.eq.length_m,
            "width_m": obj.eq.width_m, "image": image_name,
            "pixel_box": {
                "cx": round(float(centre_px[0]), 2), "cy": round(float(centre_px[1]), 2),
                "length_px": round(obj.eq.length_m / frame.gsd, 2), "width_px": round(obj.eq.width_m / frame.gsd, 2),
                "angle_deg": round(obj.heading_deg % 360, 2),
                "corners": [[round(float(c), 2), round(float(r), 2)] for c, r in corners_px],
            },
        },
    }


def write_labels(path: Path, features: list[dict[str, Any]], image_name: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    doc = {"type": "FeatureCollection", "name": Path(image_name).stem, "features": features}
    path.write_text(json.dumps(doc, indent=1), "utf-8")
