"""Ground-truth readers: Airbus aircraft CSV, DOTA txt, MAR20 and Pascal-VOC XML, NWPU VHR-10 txt, COCO JSON
and GeoJSON label files.

Every reader returns `{image file name: [GroundTruth, ...]}` in pixel coordinates (column, row) of that image,
with the class mapped onto `basewatch.model.DETECTION_CLASSES`. Objects the source marks as truncated or
difficult are kept with `ignore=True`: evaluation neither rewards nor punishes finding them.
"""

from __future__ import annotations

import ast
import csv
import json
import re
import statistics
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from basewatch.errors import InputFileError

DOTA_CLASSES = {"plane": "aircraft", "helicopter": "helicopter", "ship": "ship",
                "large-vehicle": "vehicle", "small-vehicle": "vehicle"}
# MAR20 A-codes are all fixed-wing military aircraft; lengths (m) of a few to estimate a chip's GSD.
MAR20_LENGTH_M = {"A1": 21.9, "A19": 23.3, "A20": 22.7, "A5": 15.0, "A13": 19.4, "A16": 17.1, "A15": 18.9,
                  "A2": 29.8, "A3": 53.0, "A14": 41.5}
# NWPU VHR-10 class ids (1 airplane, 2 ship, 10 vehicle; the other seven are not equipment)
NWPU_CLASSES = {1: "aircraft", 2: "ship", 10: "vehicle"}
# Typical lengths (m) for estimating the GSD of an image whose source does not state it, from its labels:
# NWPU mixes 0.5-2 m Google Earth crops with 0.08 m Vaihingen tiles.
TYPICAL_LENGTH_M = {"aircraft": 38.0, "vehicle": 4.6, "ship": 60.0, "helicopter": 17.0}
NWPU_DEFAULT_GSD_M = 1.0  # an NWPU Google Earth crop with none of our classes to estimate it from (0.5-2 m)
# Pascal-VOC class names of the military-vehicle sets (MVRSD: small/large military, armoured, civilian,
# construction); every one is a ground vehicle to the detector.
VOC_CLASSES = {"smv": "vehicle", "lmv": "vehicle", "afv": "vehicle", "cv": "vehicle", "mcv": "vehicle",
               "vehicle": "vehicle", "car": "vehicle", "truck": "vehicle", "airplane": "aircraft",
               "aircraft": "aircraft", "plane": "aircraft", "ship": "ship", "boat": "ship",
               "helicopter": "helicopter"}


@dataclass(frozen=True)
class GroundTruth:
    """One labelled object: class, 4-corner pixel polygon (col, row), and whether evaluation ignores it."""

    cls: str
    polygon: tuple[tuple[float, float], ...]
    ignore: bool = False
    oriented: bool = True

    def array(self) -> np.ndarray:
        return np.asarray(self.polygon, dtype=np.float64)


@dataclass
class LabelSet:
    """Labels for a set of images, and per-image GSD where the source states or implies it."""

    objects: dict[str, list[GroundTruth]]
    gsd_m: dict[str, float]
    fmt: str


def _box(x0: float, y0: float, x1: float, y1: float) -> tuple[tuple[float, float], ...]:
    return ((x0, y0), (x1, y0), (x1, y1), (x0, y1))


def read_airbus_csv(path: Path) -> LabelSet:
    """Airbus sample `annotations.csv` (id,image_id,geometry,class); boxes are axis-aligned."""
    out: dict[str, list[GroundTruth]] = {}
    try:
        with open(path, newline="", encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                pts = ast.literal_eval(row["geometry"])
                xs, ys = [p[0] for p in pts], [p[1] for p in pts]
                out.setdefault(row["image_id"], []).append(GroundTruth(
                    "aircraft", _box(min(xs), min(ys), max(xs), max(ys)),
                    ignore=row["class"] != "Airplane", oriented=False))
    except (KeyError, ValueError, SyntaxError) as exc:
        raise InputFileError(f"{path}: not an Airbus annotations CSV ({exc}); expected columns "
                             "id,image_id,geometry,class") from exc
    return LabelSet(out, {k: 0.5 for k in out}, "airbus-csv")


def read_dota_txt(path: Path) -> LabelSet:
    """A DOTA labelTxt file or a folder of them (`x1 y1 ... x4 y4 category difficult`)."""
    files = sorted(path.glob("*.txt")) if path.is_dir() else [path]
    out: dict[str, list[GroundTruth]] = {}
    gsd: dict[str, float] = {}
    for f in files:
        objs: list[GroundTruth] = []
        for line in f.read_text("utf-8", errors="replace").splitlines():
            parts = line.split()
            if line.startswith("gsd:"):
                try:
                    gsd[f.stem] = float(line.split(":", 1)[1])
                except ValueError:
                    pass
                continue
            if len(parts) < 9 or ":" in parts[0]:
                continue
            cls = DOTA_CLASSES.get(parts[8])
            if cls is None:
                continue
            c = [float(v) for v in parts[:8]]
            objs.append(GroundTruth(cls, tuple(zip(c[0::2], c[1::2], strict=True)),
                                    ignore=len(parts) > 9 and parts[9] == "1"))
        out[f.stem] = objs
    if not out:
        raise InputFileError(f"{path}: no DOTA label files (*.txt) found")
    return LabelSet(out, gsd, "dota")


def read_mar20_xml(path: Path) -> LabelSet:
    """MAR20 oriented-box XML (one file per image, or a folder); GSD estimated from known type lengths."""
    files = sorted(path.glob("*.xml")) if path.is_dir() else [path]
    out: dict[str, list[GroundTruth]] = {}
    gsd: dict[str, float] = {}
    for f in files:
        try:
            root = ET.parse(f).getroot()
        except ET.ParseError as exc:
            raise InputFileError(f"{f}: not valid XML ({exc})") from exc
        objs, ratios = [], []
        for obj in root.iter("object"):
            rb = obj.find("robndbox")
            bb = obj.find("bndbox")
            if rb is not None:
                keys = ("left_top", "right_top", "right_bottom", "left_bottom")
                poly = tuple((float(rb.findtext(f"x_{k}", "0")), float(rb.findtext(f"y_{k}", "0"))) for k in keys)
            elif bb is not None:
                poly = _box(*(float(bb.findtext(k, "0")) for k in ("xmin", "ymin", "xmax", "ymax")))
            else:
                continue
            objs.append(GroundTruth("aircraft", poly, ignore=obj.findtext("difficult", "0") == "1"))
            name = (obj.findtext("name") or "").strip()
            if name in MAR20_LENGTH_M:
                p = np.asarray(poly)
                side = max(np.linalg.norm(p[1] - p[0]), np.linalg.norm(p[2] - p[1]))
                ratios.append(MAR20_LENGTH_M[name] / max(side, 1.0))
        stem = (root.findtext("filename") or f.stem).rsplit(".", 1)[0]
        out[stem] = objs
        if ratios:
            gsd[stem] = statistics.median(ratios)
    return LabelSet(out, gsd, "mar20")


def _px_polygon(props: dict[str, Any], geom: dict[str, Any] | None) -> list[list[float]] | None:
    for key in ("polygon_px", "pixel_polygon", "footprint_px", "obb_px"):
        if props.get(key):
            return props[key]
    pb = props.get("pixel_box")
    if isinstance(pb, dict) and pb.get("corners"):
        return pb["corners"]
    for key in ("bbox_px", "box_px"):
        if props.get(key):
            x0, y0, x1, y1 = props[key][:4]
            return [list(p) for p in _box(x0, y0, x1, y1)]
    if geom and geom.get("type") == "Polygon" and props.get("pixel_coordinates", False):
        return geom["coordinates"][0][:4]
    return None


def _geojson_class(props: dict[str, Any]) -> str | None:
    from basewatch.model import DETECTION_CLASSES

    for key in ("class", "category", "kind"):
        val = str(props.get(key) or "").lower()
        head = val.split(".", 1)[0]
        if "helicopter" in val:
            return "helicopter"
        for cand in (val, head):
            if cand in DETECTION_CLASSES:
                return cand
            if cand in DOTA_CLASSES:
                return DOTA_CLASSES[cand]
        if head in ("air-defense", "ground", "vehicle", "missile", "artillery"):
            return "vehicle"
        if head in ("ship", "naval", "boat", "submarine"):
            return "ship"
        if head == "aircraft":
            return "aircraft"
    return None


def read_geojson(path: Path) -> LabelSet:
    """GeoJSON FeatureCollection(s) whose features carry a class and a pixel polygon or box.

    Accepted property names: `class`/`category`, and `polygon_px` (4 corners), `pixel_box.corners` (the
    synthetic renderer's labels) or `bbox_px` (x0, y0, x1, y1);
    the image is `properties.image` or the label file's stem.
    """
    files = sorted(path.glob("*.geojson")) + sorted(path.glob("*.json")) if path.is_dir() else [path]
    out: dict[str, list[GroundTruth]] = {}
    for f in files:
        try:
            data = json.loads(f.read_text("utf-8"))
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise InputFileError(f"{f}: not valid JSON ({exc})") from exc
        feats = data.get("features", []) if isinstance(data, dict) else []
        default_image = data.get("image") if isinstance(data, dict) else None
        for feat in feats:
            props = feat.get("properties") or {}
            cls = _geojson_class(props)
            poly = _px_polygon(props, feat.get("geometry"))
            if cls is None or poly is None:
                continue
            image = str(props.get("image") or default_image or f.stem)
            image = Path(image).stem
            out.setdefault(image, []).append(GroundTruth(
                cls, tuple((float(p[0]), float(p[1])) for p in poly[:4]), ignore=bool(props.get("ignore")),
                oriented=True))
        if not feats and isinstance(data, dict) and data.get("type") != "FeatureCollection":
            raise InputFileError(f"{f}: not a GeoJSON FeatureCollection")
    return LabelSet(out, {}, "geojson")


def _gsd_from_sizes(objs: list[GroundTruth]) -> float | None:
    """Median of typical length / labelled long side over the labelled objects (None without any)."""
    ratios = []
    for g in objs:
        p = g.array()
        side = max(float(np.ptp(p[:, 0])), float(np.ptp(p[:, 1]))) if not g.oriented else \
            max(float(np.linalg.norm(p[1] - p[0])), float(np.linalg.norm(p[2] - p[1])))
        if g.cls in TYPICAL_LENGTH_M and side >= 4:
            ratios.append(TYPICAL_LENGTH_M[g.cls] / side)
    return statistics.median(ratios) if ratios else None


def read_nwpu_txt(path: Path) -> LabelSet:
    """NWPU VHR-10 `ground_truth/NNN.txt` (`(x1,y1),(x2,y2),class id` per line; upright boxes).

    The dataset states no per-image GSD; it is estimated from the labelled objects' sizes (a stand-in for the
    GSD an analyst would give for a screenshot)."""
    files = sorted(path.glob("*.txt")) if path.is_dir() else [path]
    out: dict[str, list[GroundTruth]] = {}
    gsd: dict[str, float] = {}
    for f in files:
        objs = []
        for n, line in enumerate(f.read_text("utf-8", errors="replace").splitlines(), 1):
            if not line.strip():
                continue
            try:
                (x0, y0), (x1, y1), c = ast.literal_eval(f"({line.strip()})")
            except (ValueError, SyntaxError, TypeError) as exc:
                raise InputFileError(f"{f}:{n}: not an NWPU VHR-10 box line '(x1,y1),(x2,y2),c'") from exc
            if int(c) in NWPU_CLASSES:
                objs.append(GroundTruth(NWPU_CLASSES[int(c)], _box(x0, y0, x1, y1), oriented=False))
        out[f.stem] = objs
        gsd[f.stem] = _gsd_from_sizes(objs) or NWPU_DEFAULT_GSD_M
    if not out:
        raise InputFileError(f"{path}: no NWPU VHR-10 ground-truth files (*.txt) found")
    return LabelSet(out, gsd, "nwpu")


def read_voc_xml(path: Path, gsd_m: float | None = None) -> LabelSet:
    """Pascal-VOC XML (upright `bndbox`), class names mapped through `VOC_CLASSES`; others are skipped."""
    files = sorted(path.glob("*.xml")) if path.is_dir() else [path]
    out: dict[str, list[GroundTruth]] = {}
    for f in files:
        try:
            root = ET.parse(f).getroot()
        except ET.ParseError as exc:
            raise InputFileError(f"{f}: not valid XML ({exc})") from exc
        objs = []
        for obj in root.iter("object"):
            cls = VOC_CLASSES.get((obj.findtext("name") or "").strip().lower())
            bb = obj.find("bndbox")
            if cls is None or bb is None:
                continue
            objs.append(GroundTruth(cls, _box(*(float(bb.findtext(k, "0")) for k in ("xmin", "ymin", "xmax", "ymax"))),
                                    ignore=obj.findtext("difficult", "0") == "1", oriented=False))
        out[(root.findtext("filename") or f.stem).rsplit(".", 1)[0]] = objs
    return LabelSet(out, {k: gsd_m for k in out} if gsd_m else {}, "voc")


def read_coco_json(path: Path, gsd_m: float | None = None) -> LabelSet:
    """COCO detection JSON (`bbox` = x, y, w, h); every annotation of a one-class aircraft set is `aircraft`,
    otherwise category names are mapped through `VOC_CLASSES`."""
    try:
        doc = json.loads(path.read_text("utf-8"))
        cats = {c["id"]: str(c["name"]).lower() for c in doc["categories"]}
        images = {im["id"]: Path(im["file_name"]).stem for im in doc["images"]}
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise InputFileError(f"{path}: not a COCO detection JSON ({exc})") from exc
    used = {a.get("category_id") for a in doc.get("annotations", [])}
    one_class = len(used) == 1
    out: dict[str, list[GroundTruth]] = {name: [] for name in images.values()}
    for a in doc.get("annotations", []):
        cls = "aircraft" if one_class else VOC_CLASSES.get(cats.get(a.get("category_id"), ""))
        if cls is None or a.get("image_id") not in images:
            continue
        x, y, w, h = (float(v) for v in a["bbox"])
        out[images[a["image_id"]]].append(GroundTruth(cls, _box(x, y, x + w, y + h),
                                                      ignore=bool(a.get("iscrowd")), oriented=False))
    return LabelSet(out, {k: gsd_m for k in out} if gsd_m else {}, "coco")


def _is_coco(path: Path) -> bool:
    """COCO files are one JSON object with top-level "images" and "annotations"; GeoJSON has "features"."""
    import json

    try:
        top = json.loads(path.read_text("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputFileError(f"{path}: not valid JSON ({exc}); give a COCO or GeoJSON label file") from exc
    return isinstance(top, dict) and "images" in top and "annotations" in top


def read_labels(path: Path | str) -> LabelSet:
    """Read any supported label file or folder, guessing the format from its name and content."""
    path = Path(path)
    if not path.exists():
        raise InputFileError(f"{path}: no such label file or folder; check the path")
    probe = path
    if path.is_dir():
        kids = sorted(p for p in path.iterdir() if p.suffix.lower() in (".txt", ".xml", ".geojson", ".json",
                                                                          ".csv"))
        if not kids:
            raise InputFileError(f"{path}: no label files (.csv, .txt, .xml, .geojson) in this folder")
        probe = kids[0]
    suffix = probe.suffix.lower()
    head = probe.read_text("utf-8", errors="replace")[:4096]
    if suffix == ".csv":
        return read_airbus_csv(path)
    if suffix == ".txt":
        return read_nwpu_txt(path) if head.lstrip().startswith("(") else read_dota_txt(path)
    if suffix == ".xml":
        mar20 = "robndbox" in head or re.search(r"<name>\s*A\d+\s*</name>", head)
        return read_mar20_xml(path) if mar20 else read_voc_xml(path)
    if suffix == ".json" and _is_coco(probe):
        return read_coco_json(probe)
    if suffix in (".geojson", ".json"):
        return read_geojson(path)
    raise InputFileError(f"{path}: unknown label format '{suffix}'; give an Airbus CSV, DOTA or NWPU txt, "
                         "MAR20 or Pascal-VOC XML, COCO JSON or GeoJSON file")


def airbus_split(names: list[str], n_val: int = 20) -> tuple[list[str], list[str]]:
    """(train, validation) of the Airbus sample: validation is the first `n_val` names in sha1(name) order."""
    import hashlib

    ordered = sorted(names, key=lambda n: hashlib.sha1(n.encode()).hexdigest())
    return sorted(ordered[n_val:]), sorted(ordered[:n_val])


IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".tif", ".tiff", ".jp2")
LABEL_SUFFIXES = (".txt", ".xml", ".json", ".geojson")


def image_key(name: str) -> str:
    """How label keys and image files are matched: by name without an image or label suffix, case-insensitive.

    Only known suffixes go: Roboflow exports name images `GBG_059_jpg.rf.<hash>.jpg`, whose stem has dots."""
    p = Path(name)
    return (p.stem if p.suffix.lower() in IMAGE_SUFFIXES + LABEL_SUFFIXES else p.name).lower()
