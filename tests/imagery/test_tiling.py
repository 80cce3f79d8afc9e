"""Tiling: cores partition the image, tiles overlap enough, and objects on seams are found once, whole."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from imagery_helpers import write_png

from basewatch.imagery.detect import detect_image
from basewatch.imagery.tiling import plan_tiles


@pytest.mark.parametrize(("w", "h"), [(1000, 700), (257, 256), (4000, 300)])
def test_cores_partition_the_image_and_tiles_overlap(w: int, h: int):
    tiles = plan_tiles(w, h, tile=256, overlap=64)
    rng = np.random.default_rng(0)
    for x, y in rng.uniform(0, [w, h], size=(500, 2)):
        assert sum(t.holds(x, y) for t in tiles) == 1
    for t in tiles:
        assert t.x1 - t.x0 <= 256 and t.y1 - t.y0 <= 256
        assert 0 <= t.x0 < t.x1 <= w and 0 <= t.y0 < t.y1 <= h
    xs = sorted({(t.x0, t.x1) for t in tiles})
    for (_, a1), (b0, _) in itertools.pairwise(xs):
        assert a1 - b0 >= 64  # neighbours overlap by at least the overlap
    # a core line lies at least overlap/2 inside each of the two tiles it separates
    for t in tiles:
        cx0, cy0, cx1, cy1 = t.core
        if np.isfinite(cx0):
            assert cx0 - t.x0 >= 32
        if np.isfinite(cx1):
            assert t.x1 - cx1 >= 32


def test_small_image_is_one_pass():
    tiles = plan_tiles(800, 600, tile=256, overlap=64, single_pass=1000)
    assert len(tiles) == 1 and tiles[0].holds(-5, 10_000)


def test_objects_cut_by_tile_edges_are_found_once_and_whole(tmp_path, squares_model):
    """700 x 600 at the model GSD -> a 4 x 3 grid of 256-px tiles; squares straddle every kind of seam."""
    w, h = 700, 600
    tiles = plan_tiles(w, h, tile=256, overlap=64)
    assert len(tiles) > 4
    edges = sorted({t.x1 for t in tiles if t.x1 < w})
    rows = sorted({t.y1 for t in tiles if t.y1 < h})
    corners = [(edges[0] - 10, 40), (edges[1] - 5, 300), (100, rows[0] - 12), (edges[0] - 30, rows[0] - 8),
               (edges[-1] + 2, rows[-1] - 19), (600, 560)]
    corners = [(x - x % 4, y - y % 4) for x, y in corners]  # the fixture model is exact on its 4-px grid
    img = write_png(tmp_path / "seams.png", corners, width=w, height=h)
    res = detect_image(img, gsd=1.0, model=squares_model)
    assert res.tiles == len(tiles)
    assert len(res.detections) == len(corners)
    for x, y in corners:  # each square exactly once, where it is (the fixture model is exact to a cell)
        near = [d for d in res.detections if abs(d.polygon_px[0][0] - x) <= 2.5 and abs(d.polygon_px[0][1] - y) <= 2.5]
        assert len(near) == 1, (x, y)
    for d in res.detections:
        assert d.length_m == pytest.approx(20.0, abs=0.01) and d.width_m == pytest.approx(20.0, abs=0.01)
