"""Polygon IoU and rotated non-maximum suppression for oriented boxes (4 corners each).

Why polygons: oriented footprints of ships and vehicles overlap at any angle, and detections from two
overlapping tiles must be merged by their true overlap, not by their axis-aligned envelopes.
"""

from __future__ import annotations

import numpy as np
import shapely
from shapely import STRtree


def polygons(corners: np.ndarray) -> np.ndarray:
    """(N, 4, 2) corner arrays -> array of shapely Polygons (made valid if a corner order is odd)."""
    corners = np.asarray(corners, dtype=np.float64).reshape(-1, 4, 2)
    if len(corners) == 0:
        return np.empty(0, dtype=object)
    rings = np.concatenate([corners, corners[:, :1]], axis=1)
    polys = shapely.polygons(rings)
    bad = ~shapely.is_valid(polys)
    if bad.any():
        polys[bad] = shapely.convex_hull(polys[bad])
    return polys


def iou_matrix(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """IoU of every polygon in `a` (N,4,2) with every polygon in `b` (M,4,2): an (N, M) array."""
    pa, pb = polygons(a), polygons(b)
    if len(pa) == 0 or len(pb) == 0:
        return np.zeros((len(pa), len(pb)))
    inter = shapely.area(shapely.intersection(pa[:, None], pb[None, :]))
    union = shapely.area(pa)[:, None] + shapely.area(pb)[None, :] - inter
    return np.where(union > 0, inter / np.maximum(union, 1e-12), 0.0)


def rotated_nms(corners: np.ndarray, scores: np.ndarray, classes: np.ndarray | None = None,
                iou_threshold: float = 0.4) -> np.ndarray:
    """Indices of the boxes kept, best score first; boxes of different classes never suppress each other."""
    corners = np.asarray(corners, dtype=np.float64).reshape(-1, 4, 2)
    scores = np.asarray(scores, dtype=np.float64)
    n = len(scores)
    if n == 0:
        return np.empty(0, dtype=np.int64)
    classes = np.zeros(n, dtype=np.int64) if classes is None else np.asarray(classes)
    polys = polygons(corners)
    areas = shapely.area(polys)
    tree = STRtree(polys)
    order = np.argsort(-scores, kind="stable")
    suppressed = np.zeros(n, dtype=bool)
    keep = []
    for i in order:
        if suppressed[i]:
            continue
        keep.append(i)
        cand = tree.query(polys[i])
        cand = cand[(cand != i) & ~suppressed[cand] & (classes[cand] == classes[i])]
        if len(cand) == 0:
            continue
        inter = shapely.area(shapely.intersection(polys[i], polys[cand]))
        union = areas[i] + areas[cand] - inter
        iou = np.where(union > 0, inter / np.maximum(union, 1e-12), 0.0)
        suppressed[cand[iou > iou_threshold]] = True
    return np.asarray(keep, dtype=np.int64)
