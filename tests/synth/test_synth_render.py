"""Rendering: labels match pixels, georeferencing, determinism, outputs (COG, labels, previews, STAC, manifest)."""

from __future__ import annotations

import hashlib
import json
import math
from pathlib import Path

import numpy as np
import pystac
import pytest
import rasterio
import shapely
from PIL import Image, ImageDraw
from pyproj import Transformer
from shapely.geometry import Polygon, shape
from synth_helpers import write_scenario

from basewatch.catalog import builtin_catalog
from basewatch.synth import render


def _pixels(path: Path) -> np.ndarray:
    with rasterio.open(path) as ds:
        return ds.read()


def _digest(path: Path) -> str:
    return hashlib.sha256(_pixels(path).tobytes()).hexdigest()


@pytest.fixture(scope="module")
def clean_pair(tmp_path_factory):
    """The same scene with and without equipment (noise, clouds, haze, blur and JPEG off)."""
    tmp = tmp_path_factory.mktemp("pair")
    full = render(write_scenario(tmp, "full"), tmp / "full")
    empty = render(write_scenario(tmp, "empty", equipment=""), tmp / "empty")
    return full, empty


def _label_masks(image: Path, labels: Path, grow_m: float) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """Each label footprint rasterised in the image's pixel grid, as drawn and grown by `grow_m`."""
    with rasterio.open(image) as ds:
        to_map = Transformer.from_crs(4326, ds.crs, always_xy=True)
        inv = ~ds.transform
        size = (ds.width, ds.height)
        gsd = ds.transform.a
    exact, grown = [], []
    for feat in json.loads(labels.read_text())["features"]:
        poly = shapely.transform(shape(feat["geometry"]),
                                lambda xy: np.column_stack(to_map.transform(xy[:, 0], xy[:, 1])))
        for geom, out in ((poly, exact), (poly.buffer(grow_m), grown)):
            px = [inv @ (x, y) for x, y in np.asarray(geom.exterior.coords)]
            m = Image.new("L", size, 0)
            ImageDraw.Draw(m).polygon(px, fill=1)
            out.append(np.asarray(m, dtype=bool))
        assert abs(feat["properties"]["pixel_box"]["length_px"] - feat["properties"]["length_m"] / gsd) < 1e-6
    return exact, grown


def test_labels_match_pixels(clean_pair) -> None:
    full, empty = clean_pair
    img, ref = full.images[0], empty.images[0]
    a, b = _pixels(img.path).astype(int), _pixels(ref.path).astype(int)
    changed = np.abs(a - b).max(axis=0) > 4
    # tallest part: T-tail of the Il-76 (~14 m); sun at 60 deg -> shadow ~8 m; plus ramps and anti-aliasing
    shadow_m = 15.0 / math.tan(math.radians(60)) + 5.0
    exact, grown = _label_masks(img.path, img.labels, shadow_m)
    assert len(exact) == img.objects == 12
    covered = np.zeros_like(changed)
    for m in grown:
        covered |= m
    stray = changed & ~covered
    assert stray.sum() == 0, f"{stray.sum()} changed pixels outside every label footprint"
    for i, m in enumerate(exact):
        assert changed[m].sum() >= 15, f"label {i} covers no rendered object"


def test_states_change_the_silhouette(tmp_path) -> None:
    def render_one(eq: str, name: str) -> np.ndarray:
        out = render(write_scenario(tmp_path, name, equipment=eq), tmp_path / name)
        return _pixels(out.images[0].path)

    heli = "      - {type: mi-8, zone: helicopter-apron, position_m: [0, 0], heading_deg: 0, state: %s}\n"
    with_rotor = render_one(heli % "parked", "rotor")
    without = render_one(heli % "rotor_removed", "norotor")
    empty = render_one("", "none")
    diff_rotor = (np.abs(with_rotor.astype(int) - empty).max(axis=0) > 4).sum()
    diff_none = (np.abs(without.astype(int) - empty).max(axis=0) > 4).sum()
    assert diff_none < 0.8 * diff_rotor  # blades gone: clearly smaller footprint in the image
    an = "      - {type: an-124, zone: transport-apron, position_m: [0, 0], heading_deg: 90, state: %s}\n"
    assert not np.array_equal(render_one(an % "parked", "closed"), render_one(an % "nose_open", "open"))


def test_georeferencing_puts_the_site_centre_in_place(tmp_path) -> None:
    site = builtin_catalog().sites["khmeimim"]
    out = render(write_scenario(tmp_path, "centre", footprint="{center_m: [0, 0], size_m: [400, 300]}", equipment=""),
                 tmp_path / "c")
    with rasterio.open(out.images[0].path) as ds:
        assert ds.crs.to_epsg() == 32636  # 35.945 E is in UTM zone 36N
        assert ds.transform.a == pytest.approx(1.0) and ds.transform.e == pytest.approx(-1.0)
        x, y = Transformer.from_crs(4326, ds.crs, always_xy=True).transform(site.lon, site.lat)
        row, col = ds.index(x, y)
        assert abs(row - 150) <= 1 and abs(col - 200) <= 1
        assert ds.tags()["TIFFTAG_DATETIME"] == "2024:12:13 08:20:00"
        assert ds.profile["tiled"] and ds.count == 3 and ds.dtypes[0] == "uint8"


def test_cog_has_overviews(tmp_path) -> None:
    out = render(write_scenario(tmp_path, "ov", footprint="{center_m: [0, 0], size_m: [1200, 1200]}", equipment=""),
                 tmp_path / "ov")
    with rasterio.open(out.images[0].path) as ds:
        assert ds.overviews(1), "COG without overviews"
        assert ds.block_shapes[0] == (512, 512)


def test_same_seed_same_pixels_other_seed_differs(tmp_path) -> None:
    acq = "acquisition: {gsd_m: 1.0, cloud_cover: 0.3, noise: 4, jpeg_quality: 80}\n"
    path = write_scenario(tmp_path, "det", acq=acq, footprint="{center_m: [-470, -550], size_m: [400, 500]}")
    one = render(path, tmp_path / "a").images[0].path
    two = render(path, tmp_path / "b").images[0].path
    three = render(path, tmp_path / "c", seed=8).images[0].path
    assert _digest(one) == _digest(two)
    assert _digest(one) != _digest(three)


def test_outputs_manifest_stac_and_texts(tmp_path) -> None:
    texts = tmp_path / "s.texts.yaml"
    texts.write_text("texts:\n  - id: t1\n    kind: post\n    source: osint-analyst\n    author: '@someone'\n"
                     "    published: 2024-12-13T10:00:00Z\n    url: https://example.org/p\n    body: |\n"
                     "      Two An-124 at Hmeimim, noses up.\n", "utf-8")
    path = write_scenario(tmp_path, "s", extra="texts: s.texts.yaml\n",
                            footprint="{center_m: [-470, -550], size_m: [400, 500]}")
    out = render(path, tmp_path / "out")
    manifest = json.loads(out.manifest_path.read_text())
    assert manifest["scenario"] == "s" and manifest["site"] == "khmeimim" and manifest["seed"] == 7
    kinds = {i["kind"] for i in manifest["items"]}
    assert kinds == {"image", "post"}
    for item in manifest["items"]:
        assert (out.out_dir / item["path"]).is_file()
        if item["kind"] == "image":
            assert item["source"] == "synthetic" and item["collected"] == "2024-12-13T08:20:00Z"
            assert (out.out_dir / item["labels"]).is_file()
        else:
            assert item["author"] == "@someone" and item["published"].startswith("2024-12-13T10:00")
    assert "noses up" in (out.out_dir / "texts" / "t1.txt").read_text()
    preview = Image.open(out.images[0].preview)
    assert max(preview.size) <= 1100
    labels = json.loads(out.images[0].labels.read_text())
    assert labels["type"] == "FeatureCollection"
    for f in labels["features"]:
        ring = f["geometry"]["coordinates"][0]
        assert ring[0] == ring[-1] and Polygon(ring).exterior.is_ccw  # RFC 7946 winding
        assert {"type", "category", "state", "zone", "heading_deg", "length_m", "width_m", "pixel_box"} <= set(
            f["properties"])
    cat = pystac.Catalog.from_file(str(out.stac_catalog))
    items = list(cat.get_items(recursive=True))
    images = [i for i in items if "image" in i.assets]
    label_items = [i for i in items if i.id.endswith("-labels")]
    assert len(images) == len(label_items) == 1
    it = images[0]
    assert it.datetime is not None and it.properties["gsd"] == 1.0
    assert it.properties["proj:code"] == "EPSG:32636" or it.properties.get("proj:epsg") == 32636
    assert "eo:cloud_cover" in it.properties
    assert Path(it.assets["image"].get_absolute_href()).is_file()
    lab = label_items[0]
    assert Path(lab.assets["labels"].get_absolute_href()).is_file()
    assert any(link.rel == "source" for link in lab.links)


def test_date_selection_and_unknown_date(tmp_path) -> None:
    from basewatch.errors import ScenarioError

    path = write_scenario(tmp_path, "d", equipment="", footprint="{center_m: [0, 0], size_m: [200, 200]}")
    with pytest.raises(ScenarioError, match="no image on 2024-12-01"):
        render(path, tmp_path / "x", dates=["2024-12-01"])
    assert not (tmp_path / "x").exists()  # nothing half-written
    out = render(path, tmp_path / "y", dates=["2024-12-13"])
    assert len(out.images) == 1


def test_tartus_sea_is_west_and_ships_sit_in_water(tmp_path) -> None:
    from basewatch.synth import load_scenario

    sc = load_scenario("tartus-dec2024")
    from dataclasses import replace

    from basewatch.synth.scenario import Footprint

    spec = next(d for d in sc.dates if d.date.isoformat() == "2024-12-01")
    spec = replace(spec, footprint=Footprint(kind="box", center_m=(-100, 100), size_m=(700, 500)),
                   acquisition=replace(spec.acquisition, gsd_m=1.0))
    sc = replace(sc, dates=(spec,), texts=())
    out = render(sc, tmp_path / "t")
    rgb = _pixels(out.images[0].path).astype(int)
    west, east = rgb[:, :, :100], rgb[:, :, -60:]
    assert west[2].mean() > west[0].mean() + 15  # blue sea on the west edge
    assert abs(east[2].mean() - east[0].mean()) < 25  # grey/brown land on the east edge
    feats = json.loads(out.images[0].labels.read_text())["features"]
    ships = [f for f in feats if f["properties"]["category"].startswith("ship")]
    assert len(ships) == 4 and all(f["properties"]["state"] == "at_berth" for f in ships)


def test_parallel_render_gives_the_same_pixels(tmp_path) -> None:
    acq = "acquisition: {gsd_m: 1.0, noise: 3, cloud_cover: 0.2}\n"
    path = write_scenario(tmp_path, "par", acq=acq, footprint="{center_m: [-470, -550], size_m: [300, 300]}")
    text = path.read_text().replace("dates:\n", "dates:\n  - date: 2024-12-15\n    equipment: []\n")
    path.write_text(text)
    serial = render(path, tmp_path / "s", workers=1)
    parallel = render(path, tmp_path / "p", workers=2)
    assert len(serial.images) == 2
    for a, b in zip(serial.images, parallel.images, strict=True):
        assert _digest(a.path) == _digest(b.path)


def test_cutouts_are_pasted_when_a_type_folder_exists(tmp_path) -> None:
    chips = tmp_path / "chips" / "il-76" / "no-background"
    chips.mkdir(parents=True)
    chip = Image.new("RGBA", (40, 46), (0, 0, 0, 0))
    ImageDraw.Draw(chip).rectangle((16, 0, 24, 45), fill=(250, 0, 250, 255))  # magenta: easy to find
    chip.save(chips / "a.png")
    eq = "      - {type: il-76, zone: transport-apron, position_m: [0, 0], heading_deg: 0}\n"
    out = render(write_scenario(tmp_path, "cut", equipment=eq), tmp_path / "o", cutouts_dir=tmp_path / "chips")
    rgb = _pixels(out.images[0].path).astype(int)
    magenta = (rgb[0] > 200) & (rgb[1] < 60) & (rgb[2] > 200)
    assert magenta.sum() > 100
