"""Overlapping tiles with non-overlapping cores: how objects cut by tile edges are found once, whole.

Tiles are planned in model pixels (the image at the model's GSD). Neighbouring tiles overlap by `overlap`
pixels, so any object smaller than the overlap lies whole inside at least one tile. Each tile also has a
*core*: the tile minus half the overlap on every side that has a neighbour. Cores partition the image, so a
detection is kept only by the tile whose core holds its centre; a rotated NMS then removes what is left of
duplicates (e.g. an object exactly on a core line seen by both tiles).
"""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class Tile:
    x0: int
    y0: int
    x1: int
    y1: int
    core: tuple[float, float, float, float]  # cx0, cy0, cx1, cy1 (same units as x/y)

    def holds(self, x: float, y: float) -> bool:
        cx0, cy0, cx1, cy1 = self.core
        return cx0 <= x < cx1 and cy0 <= y < cy1


def _starts(length: int, tile: int, overlap: int, align: int) -> list[int]:
    """Tile origins: multiples of `align` (so every tile sees the network's cell grid the same way), steps
    small enough that neighbours overlap by at least `overlap`, the last tile reaching the edge."""
    if length <= tile:
        return [0]
    step = max(align, (tile - overlap) // align * align)
    starts = [0]
    while starts[-1] + tile < length:
        starts.append(starts[-1] + step)
    return starts


def plan_tiles(width: int, height: int, *, tile: int, overlap: int, single_pass: int | None = None,
               align: int = 32) -> list[Tile]:
    """Tiles covering a width x height image; one tile when the image fits in `single_pass` both ways."""
    if single_pass is not None and width <= single_pass and height <= single_pass:
        return [Tile(0, 0, width, height, (-math.inf, -math.inf, math.inf, math.inf))]
    xs, ys = _starts(width, tile, overlap, align), _starts(height, tile, overlap, align)

    def cores(starts: list[int], length: int) -> list[tuple[float, float]]:
        out = []
        for i, s in enumerate(starts):
            e = min(s + tile, length)
            lo = -math.inf if i == 0 else (s + min(starts[i - 1] + tile, length)) / 2
            hi = math.inf if i == len(starts) - 1 else (starts[i + 1] + e) / 2
            out.append((lo, hi))
        return out

    cx, cy = cores(xs, width), cores(ys, height)
    return [Tile(x, y, min(x + tile, width), min(y + tile, height), (cx[i][0], cy[j][0], cx[i][1], cy[j][1]))
            for j, y in enumerate(ys) for i, x in enumerate(xs)]
