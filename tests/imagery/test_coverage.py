"""Coverage: no-data share and the cloud mask."""

from __future__ import annotations

import numpy as np
import pytest
import rasterio
from imagery_helpers import write_squares_tif

from basewatch.imagery.coverage import measure_coverage
from basewatch.imagery.raster import RasterImage


def test_cloud_half_and_nodata_quarter(tmp_path):
    path, _ = write_squares_tif(tmp_path / "c.tif", [], width=256, height=256)
    rng = np.random.default_rng(0)
    with rasterio.open(path, "r+") as ds:
        img = rng.integers(40, 120, (3, 256, 256), dtype=np.uint8)
        img[:, :, 128:] = 235  # a flat white-grey bank: cloud
        ds.write(img)
        mask = np.full((256, 256), 255, np.uint8)
        mask[:64, :128] = 0  # a quarter of the left half is no-data
        ds.write_mask(mask)
    with RasterImage(path) as im:
        cov = measure_coverage(im)
    assert cov.nodata_fraction == pytest.approx(0.125, abs=0.01)
    assert cov.cloud_fraction == pytest.approx(128 * 256 / (256 * 256 * 0.875), abs=0.03)
    assert cov.cloud_px and cov.cloud_lonlat["type"] == "MultiPolygon"
    xs = [p[0] for ring in cov.cloud_px for p in ring]
    assert min(xs) == pytest.approx(128, abs=1)


def test_clear_image_has_no_cloud(tmp_path):
    path, _ = write_squares_tif(tmp_path / "c.tif", [(40, 40)], width=256, height=256)
    with RasterImage(path) as im:
        cov = measure_coverage(im)
    assert cov.cloud_fraction == 0 and cov.cloud_px == [] and cov.nodata_fraction == 0
