"""Raster reading: georeferencing (pixel -> lon/lat through the file's transform), GSD, resampling, bad input."""

from __future__ import annotations

import numpy as np
import pytest
import rasterio
from imagery_helpers import write_png, write_squares_tif
from pyproj import Transformer
from rasterio.crs import CRS
from rasterio.transform import from_origin

from basewatch.errors import InputFileError
from basewatch.imagery.detect import detect_image
from basewatch.imagery.raster import GeoreferenceError, RasterImage


def test_detections_are_georeferenced_through_the_raster_transform(tmp_path, squares_model):
    path, transform = write_squares_tif(tmp_path / "a.tif", [(40, 60), (200, 100)])
    res = detect_image(path, model=squares_model)
    assert res.georeference == "geotransform" and res.gsd_m == pytest.approx(1.0)
    assert len(res.detections) == 2
    with rasterio.open(path) as ds:
        to_ll = Transformer.from_crs(ds.crs.to_wkt(), "EPSG:4326", always_xy=True)
    for d in res.detections:
        for (col, row), (lon, lat) in zip(d.polygon_px, d.polygon_lonlat, strict=True):
            x, y = transform * (col, row)
            elon, elat = to_ll.transform(x, y)
            assert lon == pytest.approx(elon, abs=1e-9) and lat == pytest.approx(elat, abs=1e-9)
        # Khmeimim is at 35.945 E, 35.412 N: the footprint must land there
        assert abs(d.polygon_lonlat[0][0] - 35.945) < 0.01 and abs(d.polygon_lonlat[0][1] - 35.412) < 0.01
        assert d.length_m == pytest.approx(20, abs=0.01)
    fp = res.coverage.footprint_lonlat
    assert fp["type"] == "Polygon" and len(fp["coordinates"][0]) == 33


def test_geographic_crs_gives_metres_gsd(tmp_path):
    path = tmp_path / "geo.tif"
    with rasterio.open(path, "w", driver="GTiff", width=100, height=100, count=3, dtype="uint8", crs="EPSG:4326",
                       transform=from_origin(35.9, 35.45, 1e-5, 1e-5)) as ds:
        ds.write(np.zeros((3, 100, 100), np.uint8))
    with RasterImage(path) as img:
        # 1e-5 degree: 1.113 m north-south, 0.906 m east-west at 35.4 N -> geometric mean ~1.004 m
        assert img.gsd_m == pytest.approx(np.sqrt(1.1132 * 1.1132 * np.cos(np.radians(35.4498))), rel=1e-3)


def test_gsd_resampling_keeps_pixel_and_metric_sizes(tmp_path, squares_model):
    """At 0.5 m a 20 m square is 40 px: the runtime reads it at 1 m and maps the box back to source pixels."""
    png = write_png(tmp_path / "fine.png", [(80, 40), (304, 200)], width=480, height=320, side=40)
    res = detect_image(png, gsd=0.5, model=squares_model)
    assert res.georeference is None and len(res.detections) == 2
    for d in res.detections:
        assert d.polygon_lonlat is None
        xs = [p[0] for p in d.polygon_px]
        assert max(xs) - min(xs) == pytest.approx(40, abs=0.5)
        assert d.length_m == pytest.approx(20, abs=0.3)


def test_centre_point_georeferences_a_screenshot(tmp_path, squares_model):
    png = write_png(tmp_path / "shot.png", [(88, 68)], width=196, height=156)
    res = detect_image(png, gsd=1.0, center=(35.945, 35.41167), model=squares_model)
    assert res.georeference == "center"
    (lon, lat), = [np.mean(d.polygon_lonlat, axis=0) for d in res.detections]
    # square centre (98, 78) px is the image centre: the given point
    assert lon == pytest.approx(35.945, abs=2e-6) and lat == pytest.approx(35.41167, abs=2e-6)


def test_world_file_with_crs(tmp_path, squares_model):
    png = write_png(tmp_path / "w.png", [(40, 40)])
    (tmp_path / "w.pgw").write_text("1.0\n0\n0\n-1.0\n500000.5\n3900000.5\n")
    res = detect_image(png, crs="EPSG:32636", model=squares_model)
    assert res.georeference == "geotransform" and res.gsd_m == pytest.approx(1.0)
    assert res.detections[0].polygon_lonlat is not None


def test_no_georeference_and_no_gsd_is_one_clear_error(tmp_path, squares_model):
    png = write_png(tmp_path / "plain.png", [(40, 40)])
    with pytest.raises(GeoreferenceError, match="no georeferencing.*--gsd"):
        detect_image(png, model=squares_model)


def test_corrupt_and_truncated_rasters(tmp_path, squares_model):
    bad = tmp_path / "bad.tif"
    bad.write_bytes(b"II*\x00" + b"\x17" * 500)
    with pytest.raises(InputFileError, match="not a readable image"):
        detect_image(bad, gsd=1.0, model=squares_model)
    good, _ = write_squares_tif(tmp_path / "good.tif", [(40, 40)], width=400, height=400)
    data = good.read_bytes()
    cut = tmp_path / "cut.tif"
    cut.write_bytes(data[: len(data) // 3])
    with pytest.raises(InputFileError, match="corrupt or truncated|not a readable image"):
        detect_image(cut, model=squares_model)
    with pytest.raises(InputFileError, match="no such image"):
        detect_image(tmp_path / "missing.tif", gsd=1.0, model=squares_model)


def test_untransformable_crs_is_refused(tmp_path, squares_model):
    local = CRS.from_wkt('LOCAL_CS["site grid",LOCAL_DATUM["local",0],UNIT["metre",1],'
                         'AXIS["X",EAST],AXIS["Y",NORTH]]')
    path, _ = write_squares_tif(tmp_path / "local.tif", [(40, 40)], crs=local)
    with pytest.raises(GeoreferenceError, match="cannot be transformed to WGS84"):
        detect_image(path, model=squares_model)


def test_sixteen_bit_single_band_is_stretched(tmp_path, squares_model):
    path = tmp_path / "pan16.tif"
    img = np.full((1, 160, 200), 400, np.uint16)
    img[0, 40:60, 40:60] = 3000
    with rasterio.open(path, "w", driver="GTiff", width=200, height=160, count=1, dtype="uint16") as ds:
        ds.write(img)
    res = detect_image(path, gsd=1.0, model=squares_model)
    assert len(res.detections) == 1


def test_inference_resampling_equals_training_resampling():
    """The runtime resamples band-first; training resamples RGB images: both must give the same pixels."""
    from basewatch.imagery.resample import resample_chw, resample_rgb

    rgb = np.random.default_rng(1).integers(0, 255, (301, 257, 3), dtype=np.uint8)
    a = resample_rgb(rgb, 129, 150)
    b = resample_chw(np.ascontiguousarray(rgb.transpose(2, 0, 1)), 129, 150)
    assert np.array_equal(a, b.transpose(1, 2, 0))
