"""Decoding the `centernet-obb-v1` output layout into oriented boxes in input-pixel coordinates.

Layout: `peaks` (C, h, w) holds class scores that are already 3x3 local maxima (zero elsewhere); `boxes`
(6, h, w) holds dx, dy, log a, log b, cos 2t, sin 2t per output cell, with cells `stride` input pixels wide.
Per class the card says how to read (a, b): `axis` -> a is the column extent and b the row extent of an
axis-aligned box (sources label these classes with upright boxes); `oriented` -> a is the long side, b the
short side, and t the angle of the long side from the column axis towards the row axis.
"""

from __future__ import annotations

import numpy as np


def box_corners(cx: np.ndarray, cy: np.ndarray, a: np.ndarray, b: np.ndarray, theta: np.ndarray) -> np.ndarray:
    """(N, 4, 2) corners of rectangles with centre (cx, cy), sides a (along theta) and b."""
    c, s = np.cos(theta), np.sin(theta)
    ux, uy = c * a / 2, s * a / 2
    vx, vy = -s * b / 2, c * b / 2
    xs = np.stack([cx - ux - vx, cx + ux - vx, cx + ux + vx, cx - ux + vx], axis=1)
    ys = np.stack([cy - uy - vy, cy + uy - vy, cy + uy + vy, cy - uy + vy], axis=1)
    return np.stack([xs, ys], axis=2)


def decode_centernet(peaks: np.ndarray, boxes: np.ndarray, *, stride: int, threshold: float,
                     axis_classes: np.ndarray, max_det: int = 5000) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Peaks above `threshold` -> (corners (N,4,2), scores (N,), class indices (N,)), input pixel coordinates."""
    cls, ys, xs = np.nonzero(peaks > threshold)
    scores = peaks[cls, ys, xs]
    if len(scores) > max_det:
        top = np.argsort(-scores)[:max_det]
        cls, ys, xs, scores = cls[top], ys[top], xs[top], scores[top]
    v = boxes[:, ys, xs].astype(np.float64)
    cx = (xs + v[0]) * stride
    cy = (ys + v[1]) * stride
    a = np.exp(np.clip(v[2], -3, 6)) * stride
    b = np.exp(np.clip(v[3], -3, 6)) * stride
    theta = 0.5 * np.arctan2(v[5], v[4])
    theta = np.where(axis_classes[cls], 0.0, theta)
    return box_corners(cx, cy, a, b, theta), scores.astype(np.float64), cls.astype(np.int64)
