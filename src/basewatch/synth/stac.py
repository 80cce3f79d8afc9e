"""A STAC catalog of a render: one image item per picture and one label item (label extension) per ground truth."""

from __future__ import annotations

import datetime as dt
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pystac
from pystac.extensions.eo import EOExtension
from pystac.extensions.projection import ProjectionExtension

with warnings.catch_warnings():  # pystac flags the label extension as "pilot"; it is still the STAC way to link labels
    warnings.simplefilter("ignore", DeprecationWarning)
    from pystac.extensions.label import LabelClasses, LabelExtension, LabelTask, LabelType


@dataclass(frozen=True)
class StacImage:
    """What the catalog needs to know about one rendered image."""

    id: str
    image_path: Path
    labels_path: Path
    preview_path: Path
    collected: dt.datetime
    geometry: dict[str, Any]
    bbox: list[float]
    gsd: float
    cloud_cover: float
    epsg: int
    shape: tuple[int, int]  # (rows, cols)
    transform: list[float]
    sun_azimuth: float
    sun_elevation: float
    off_nadir: float
    classes: list[str]


def write_catalog(stac_dir: Path, title: str, images: list[StacImage]) -> Path:
    """Write `stac_dir/catalog.json` (self-contained, relative links); returns its path."""
    catalog = pystac.Catalog(id=title, description=f"Synthetic imagery rendered by basewatch.synth: {title}",
                             title=title)
    for im in images:
        item = pystac.Item(id=im.id, geometry=im.geometry, bbox=im.bbox, datetime=im.collected,
                           properties={"gsd": im.gsd, "view:sun_azimuth": im.sun_azimuth,
                                       "view:sun_elevation": im.sun_elevation, "view:off_nadir": im.off_nadir,
                                       "constellation": "synthetic"})
        item.add_asset("image", pystac.Asset(href=str(im.image_path), media_type=pystac.MediaType.COG,
                                             roles=["data"], title="RGB"))
        item.add_asset("preview", pystac.Asset(href=str(im.preview_path), media_type=pystac.MediaType.PNG,
                                               roles=["overview"]))
        EOExtension.ext(item, add_if_missing=True).cloud_cover = round(im.cloud_cover * 100, 2)
        ProjectionExtension.ext(item, add_if_missing=True).apply(epsg=im.epsg, shape=list(im.shape),
                                                                 transform=im.transform)
        catalog.add_item(item)
        label = pystac.Item(id=f"{im.id}-labels", geometry=im.geometry, bbox=im.bbox, datetime=im.collected,
                            properties={})
        ext = LabelExtension.ext(label, add_if_missing=True)
        ext.apply(label_description=f"Ground truth of {im.id}: one oriented footprint per object",
                  label_type=LabelType.VECTOR, label_properties=["type"],
                  label_classes=[LabelClasses.create(classes=sorted(set(im.classes)) or ["none"], name="type")],
                  label_tasks=[LabelTask.DETECTION], label_methods=["automated"])
        ext.add_geojson_labels(str(im.labels_path), title="labels")
        ext.add_source(item, assets=["image"])
        catalog.add_item(label)
    catalog.normalize_hrefs(str(stac_dir))
    # assets point at files outside stac/: make their hrefs relative to each item's json
    for item in catalog.get_items(recursive=True):
        base = Path(item.get_self_href()).parent
        for asset in item.assets.values():
            asset.href = _relpath(Path(asset.href), base)
    catalog.save(catalog_type=pystac.CatalogType.SELF_CONTAINED)
    return stac_dir / "catalog.json"


def _relpath(target: Path, base: Path) -> str:
    import os

    return os.path.relpath(target.resolve(), base.resolve()).replace(os.sep, "/")
