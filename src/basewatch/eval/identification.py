"""Identification metrics: top-1 type and category accuracy, open-set behaviour, state accuracy, confusions.

Ground truth comes from the synthetic renderer's labels (`labels/<image>.geojson`): each feature has the
oriented footprint in pixels, the catalog type, category, state, zone and heading. `detections_from_labels`
turns them into `Detection`s (optionally with detector-like measurement noise) so the identification stage can
be measured apart from detector quality.
"""

from __future__ import annotations

import json
import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from basewatch.model import Detection


def class_of_category(category: str) -> str:
    """The detector class a catalog category falls in."""
    if category.startswith("aircraft.helicopter"):
        return "helicopter"
    if category.startswith("aircraft"):
        return "aircraft"
    if category.startswith("ship"):
        return "ship"
    return "vehicle"


@dataclass(frozen=True)
class LabelledObject:
    """One ground-truth object and the detection made from it."""

    detection: Detection
    type_id: str
    category: str
    state: str
    zone: str
    image: str
    label_id: str = ""


def detections_from_labels(path: Path | str, *, noise_px: float = 0.0, rel_noise: float = 0.0,
                           heading_known: bool = True, seed: int = 0) -> list[LabelledObject]:
    """Detections built from a renderer label file.

    `noise_px` (standard deviation of each box edge, pixels) and `rel_noise` (relative size error) imitate a
    detector's measurement; `heading_known=False` drops the heading as an axis-only detector would.
    """
    doc = json.loads(Path(path).read_text("utf-8"))
    rng = np.random.default_rng(seed)
    out: list[LabelledObject] = []
    for feat in doc.get("features", []):
        p = feat["properties"]
        box = p["pixel_box"]
        corners = np.asarray(box["corners"], dtype=float)
        gsd = float(p["length_m"]) / float(box["length_px"]) if box.get("length_px") else None
        L, W = float(p["length_m"]), float(p["width_m"])
        if noise_px or rel_noise:
            # grow/shrink along each axis: corners order is rear-left, rear-right, front-right, front-left
            centre = corners.mean(axis=0)
            ax_w = (corners[1] - corners[0]) / max(np.linalg.norm(corners[1] - corners[0]), 1e-9)
            ax_l = (corners[2] - corners[1]) / max(np.linalg.norm(corners[2] - corners[1]), 1e-9)
            dl = rng.normal(0, noise_px) * math.sqrt(2) + rng.normal(0, rel_noise) * L / (gsd or 1.0)
            dw = rng.normal(0, noise_px) * math.sqrt(2) + rng.normal(0, rel_noise) * W / (gsd or 1.0)
            shift = rng.normal(0, noise_px / 2, size=2)
            len_px = max(2.0, L / (gsd or 1.0) + dl)
            wid_px = max(2.0, W / (gsd or 1.0) + dw)
            c = centre + shift
            corners = np.array([c - ax_l * len_px / 2 - ax_w * wid_px / 2, c - ax_l * len_px / 2 + ax_w * wid_px / 2,
                                c + ax_l * len_px / 2 + ax_w * wid_px / 2, c + ax_l * len_px / 2 - ax_w * wid_px / 2])
            L, W = len_px * (gsd or 1.0), wid_px * (gsd or 1.0)
        ring = feat["geometry"]["coordinates"][0][:4]
        det = Detection(cls=class_of_category(p["category"]), score=1.0,
                        polygon_px=tuple((float(x), float(y)) for x, y in corners),  # type: ignore[arg-type]
                        polygon_lonlat=tuple((float(x), float(y)) for x, y in ring),  # type: ignore[arg-type]
                        length_m=L, width_m=W, heading_deg=float(p["heading_deg"]) if heading_known else None)
        out.append(LabelledObject(detection=det, type_id=p["type"], category=p["category"], state=p["state"],
                                  zone=p.get("zone", ""), image=p.get("image", ""), label_id=str(feat.get("id", ""))))
    return out


@dataclass
class IdentificationMetrics:
    """Counts behind the accuracy figures."""

    n: int = 0
    top1: int = 0
    category: int = 0
    unknown: int = 0
    per_type: dict[str, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0]))
    confusions: Counter = field(default_factory=Counter)

    def add(self, truth_type: str, truth_category: str, pred_type: str, pred_category: str) -> None:
        self.n += 1
        ok = pred_type == truth_type
        self.top1 += ok
        self.category += pred_category == truth_category
        self.unknown += pred_type == "unknown"
        self.per_type[truth_type][0] += ok
        self.per_type[truth_type][1] += 1
        if not ok:
            self.confusions[(truth_type, pred_type)] += 1

    def summary(self) -> dict[str, Any]:
        return {
            "objects": self.n,
            "top1": round(self.top1 / self.n, 4) if self.n else None,
            "category": round(self.category / self.n, 4) if self.n else None,
            "unknown_rate": round(self.unknown / self.n, 4) if self.n else None,
            "per_type": {k: round(v[0] / v[1], 3) for k, v in sorted(self.per_type.items())},
            "confusions": {f"{a}->{b}": c for (a, b), c in self.confusions.most_common(15)},
        }


__all__ = ["IdentificationMetrics", "LabelledObject", "class_of_category", "detections_from_labels"]
