"""Training data: labelled scenes from ../shared/data (and synthetic renders), the fixed Airbus split, and
random augmented crops with CenterNet targets.

Reproducibility: the validation split is a pure function of the file names (sha1 order), and every random
choice comes from one seeded numpy Generator.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from PIL import Image

from basewatch.eval.labels import (
    GroundTruth,
    airbus_split,
    read_airbus_csv,
    read_dota_txt,
    read_geojson,
    read_mar20_xml,
    read_nwpu_txt,
)
from basewatch.imagery.resample import resample_rgb
from basewatch.model import DETECTION_CLASSES

AXIS_CLASSES = ("aircraft", "helicopter")  # labelled with upright boxes: the head predicts upright extents
STRIDE = 4


@dataclass
class Scene:
    name: str
    image: np.ndarray  # (H, W, 3) uint8
    gsd_m: float
    objects: list[GroundTruth]
    source: str
    masked: list[GroundTruth] = field(default_factory=list)  # neither object nor background: no heatmap loss


def _rgb(path: Path) -> np.ndarray:
    with Image.open(path) as im:
        return np.asarray(im.convert("RGB"))


def load_airbus(root: Path, part: str = "train", limit: int | None = None) -> list[Scene]:
    labels = read_airbus_csv(root / "annotations.csv")
    train, val = airbus_split(sorted(labels.objects))
    names = train if part == "train" else val
    if limit is not None:
        names = names[:limit]
    return [Scene(n, _rgb(root / "train" / n), 0.5, labels.objects[n], "airbus") for n in names]


def load_dota(root: Path) -> list[Scene]:
    labels = read_dota_txt(root / "labelTxt")
    out = []
    for stem, objs in sorted(labels.objects.items()):
        img = root / "images" / f"{stem}.png"
        if img.is_file() and objs:
            out.append(Scene(stem, _rgb(img), labels.gsd_m.get(stem, 0.3), objs, "dota"))
    return out


def load_mar20(root: Path) -> list[Scene]:
    labels = read_mar20_xml(root / "annotations" / "obb")
    out = []
    for stem, objs in sorted(labels.objects.items()):
        img = root / "images" / f"{stem}.jpg"
        if img.is_file() and objs:
            out.append(Scene(stem, _rgb(img), labels.gsd_m.get(stem, 0.25), objs, "mar20"))
    return out


def nwpu_ids(root: Path, part: str) -> list[str]:
    """The image ids of the distributed NWPU VHR-10 split (`image_set/train.txt` or `test.txt`)."""
    return (root / "image_set" / f"{part}.txt").read_text("utf-8").split()


def load_nwpu(root: Path, part: str = "train") -> list[Scene]:
    """NWPU VHR-10 images of one split, including those with none of our classes (negatives: storage tanks,
    courts, harbours without ships); the GSD of each is estimated from its labelled objects."""
    labels = read_nwpu_txt(root / "ground_truth")
    out = []
    for stem in nwpu_ids(root, part):
        img = root / "positive_image_set" / f"{stem}.jpg"
        if img.is_file():
            out.append(Scene(stem, _rgb(img), labels.gsd_m[stem],
                             labels.objects.get(stem, []), "nwpu"))
    return out


def load_rendered(folder: Path) -> list[Scene]:
    """Synthetic renders: `<name>.tif` images with `labels/<name>.geojson` (pixel polygons) and a GSD."""
    import rasterio

    out = []
    labels = read_geojson(folder / "labels") if (folder / "labels").is_dir() else None
    if labels is None:
        return out
    for tif in sorted(folder.glob("*.tif")):
        objs = labels.objects.get(tif.stem)
        if not objs:
            continue
        with rasterio.open(tif) as ds:
            arr = np.moveaxis(ds.read(indexes=[1, 2, 3] if ds.count >= 3 else [1, 1, 1]), 0, -1)
            gsd = abs(ds.transform.a) if ds.crs is not None and ds.crs.is_projected else 0.5
        out.append(Scene(tif.stem, np.ascontiguousarray(arr.astype(np.uint8)), gsd, objs, "synth"))
    return out


def load_exported(folder: Path) -> list[Scene]:
    """An analyst's label folder (`basewatch export labels`): reviewed objects are labels, objects nobody
    reviewed are masked (neither taught as objects nor as background), rejected detections stay background."""
    from basewatch.errors import InputFileError

    out = []
    for f in sorted((folder / "labels").glob("*.geojson")):
        try:
            doc = json.loads(f.read_text("utf-8"))
            image = folder / "images" / str(doc["image"])
            gsd = float(doc["gsd_m"])
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise InputFileError(f"{f}: not a label file of 'basewatch export labels' ({exc})") from exc
        objs, masked = [], []
        for feat in doc.get("features") or []:
            p = feat.get("properties") or {}
            g = GroundTruth(str(p["class"]), tuple((float(x), float(y)) for x, y in p["polygon_px"][:4]))
            (masked if p.get("ignore") else objs).append(g)
        out.append(Scene(f.stem, _rgb(image), gsd, objs, "analyst", masked))
    return out


# How a label supervises the box head: full oriented box, upright extents (no heading), or centre only.
ORIENTED, UPRIGHT, CENTRE_ONLY = 0, 1, 2
# An upright label of an oriented class (NWPU ships, VOC vehicles) is the object's own box only when the
# object lies along an image axis; an envelope this elongated says it does (within ~15 degrees).
AXIS_ALIGNED_ASPECT = 2.0


def box_params(g: GroundTruth) -> tuple[float, float, float, float, float, int]:
    """(cx, cy, a, b, theta, mode) of a label: upright extents for axis classes, long/short sides and heading
    otherwise; an upright label of an oriented class supervises its centre only unless it is clearly
    elongated along an image axis (a diagonal ship's envelope is neither its length nor its heading)."""
    p = g.array()
    cx, cy = p[:, 0].mean(), p[:, 1].mean()
    w, h = float(np.ptp(p[:, 0])), float(np.ptp(p[:, 1]))
    if g.cls in AXIS_CLASSES:
        return cx, cy, w, h, 0.0, UPRIGHT
    if not g.oriented:
        if max(w, h) >= AXIS_ALIGNED_ASPECT * max(min(w, h), 1e-6):
            return (cx, cy, w, h, 0.0, ORIENTED) if w >= h else (cx, cy, h, w, math.pi / 2, ORIENTED)
        return cx, cy, w, h, 0.0, CENTRE_ONLY
    e0, e1 = p[1] - p[0], p[2] - p[1]
    l0, l1 = float(np.hypot(*e0)), float(np.hypot(*e1))
    long, a, b = (e0, l0, l1) if l0 >= l1 else (e1, l1, l0)
    return cx, cy, a, b, math.atan2(long[1], long[0]), ORIENTED


def _gauss(hm: np.ndarray, cx: int, cy: int, sx: float, sy: float, theta: float) -> None:
    h, w = hm.shape
    r = int(math.ceil(3 * max(sx, sy)))
    x0, x1, y0, y1 = max(0, cx - r), min(w, cx + r + 1), max(0, cy - r), min(h, cy + r + 1)
    if x0 >= x1 or y0 >= y1:
        return
    yy, xx = np.mgrid[y0:y1, x0:x1]
    dx, dy = xx - cx, yy - cy
    c, s = math.cos(theta), math.sin(theta)
    u, v = c * dx + s * dy, -s * dx + c * dy
    g = np.exp(-(u * u) / (2 * sx * sx) - (v * v) / (2 * sy * sy))
    np.maximum(hm[y0:y1, x0:x1], g, out=hm[y0:y1, x0:x1])


def make_targets(objs: list[tuple[int, float, float, float, float, float, int]], size: int,
                 masked: Sequence[tuple[int, float, float, float, float, float, int]] = ()) -> dict[str, np.ndarray]:
    """CenterNet targets for one crop of `size` px: heatmap, box regression, and the weights of its offset,
    size and heading parts (see `box_params` for the modes); `hmask` is 0 over masked objects (no heatmap
    loss there) and 1 elsewhere."""
    n = size // STRIDE
    hmask = np.ones((n, n), np.float32)
    yy, xx = np.mgrid[0:n, 0:n]
    for _, cx, cy, a, b, _, _ in masked:
        r = max(a, b) / STRIDE / 2 + 1
        hmask[(xx - cx / STRIDE) ** 2 + (yy - cy / STRIDE) ** 2 <= r * r] = 0.0
    hm = np.zeros((len(DETECTION_CLASSES), n, n), np.float32)
    reg = np.zeros((6, n, n), np.float32)
    wreg = np.zeros((n, n), np.float32)
    wang = np.zeros((n, n), np.float32)
    wsize = np.zeros((n, n), np.float32)
    for ci, cx, cy, a, b, th, mode in sorted(objs, key=lambda o: -o[3] * o[4]):
        fx, fy = cx / STRIDE, cy / STRIDE
        ix, iy = int(math.floor(fx)), int(math.floor(fy))
        if not (0 <= ix < n and 0 <= iy < n):
            continue
        ac, bc = max(a / STRIDE, 0.5), max(b / STRIDE, 0.5)
        _gauss(hm[ci], ix, iy, max(0.54 * ac / 6, 0.6), max(0.54 * bc / 6, 0.6), th)
        for jx, jy, wt in ((ix, iy, 1.0), (ix - 1, iy, 0.5), (ix + 1, iy, 0.5), (ix, iy - 1, 0.5), (ix, iy + 1, 0.5)):
            if 0 <= jx < n and 0 <= jy < n and (wt == 1.0 or wreg[jy, jx] < 1.0):
                reg[:, jy, jx] = (fx - jx, fy - jy, math.log(ac), math.log(bc), math.cos(2 * th), math.sin(2 * th))
                wreg[jy, jx] = wt
                wsize[jy, jx] = 0.0 if mode == CENTRE_ONLY else wt
                wang[jy, jx] = wt if mode == ORIENTED else 0.0
    return {"hm": hm, "reg": reg, "wreg": wreg, "wsize": wsize, "wang": wang, "hmask": hmask}


class CropSampler:
    """Random training crops at the model GSD (with scale jitter), augmented, with targets."""

    def __init__(self, scenes: list[Scene], weights: list[float], *, size: int = 384, gsd_m: float = 1.0,
                 jitter: tuple[float, float] = (0.8, 1.25), seed: int = 0):
        self.scenes, self.size, self.gsd, self.jitter = scenes, size, gsd_m, jitter
        w = np.asarray(weights, dtype=np.float64)
        self.p = w / w.sum()
        self.rng = np.random.default_rng(seed)
        self.params = [[(DETECTION_CLASSES.index(g.cls), *box_params(g)) for g in s.objects] for s in scenes]
        self.masked = [[(-1, *box_params(g)) for g in s.masked] for s in scenes]  # class -1: a masked object

    def sample(self) -> tuple[np.ndarray, dict[str, np.ndarray]]:
        rng = self.rng
        k = int(rng.choice(len(self.scenes), p=self.p))
        sc, objs = self.scenes[k], self.params[k]
        gsd = self.gsd * math.exp(rng.uniform(math.log(self.jitter[0]), math.log(self.jitter[1])))
        f = gsd / sc.gsd_m  # source px per crop px
        src = int(round(self.size * f))
        H, W = sc.image.shape[:2]
        if objs and rng.random() < 0.6:
            o = objs[int(rng.integers(len(objs)))]
            cx, cy = o[1] + rng.uniform(-0.4, 0.4) * src, o[2] + rng.uniform(-0.4, 0.4) * src
        else:
            cx, cy = rng.uniform(0, W), rng.uniform(0, H)
        x0, y0 = int(round(cx - src / 2)), int(round(cy - src / 2))
        s = self.size
        chip = np.zeros((s, s, 3), np.uint8)  # resample only the part inside the image: a fine-GSD scene
        sx0, sy0, sx1, sy1 = max(0, x0), max(0, y0), min(W, x0 + src), min(H, y0 + src)  # is a small part
        dx0, dy0 = int(round((sx0 - x0) / f)), int(round((sy0 - y0) / f))
        dx1, dy1 = min(s, int(round((sx1 - x0) / f))), min(s, int(round((sy1 - y0) / f)))
        if dx1 > dx0 and dy1 > dy0:
            chip[dy0:dy1, dx0:dx1] = resample_rgb(sc.image[sy0:sy1, sx0:sx1], dx1 - dx0, dy1 - dy0)
        items = []
        for ci, ocx, ocy, a, b, th, mode in objs + self.masked[k]:
            x, y = (ocx - x0) / f, (ocy - y0) / f
            if -a / f / 2 < x < s + a / f / 2 and -b / f / 2 < y < s + b / f / 2:
                items.append([ci, x, y, a / f, b / f, th, mode])
        # flips and 90-degree turns (pixel centres: x -> s - x)
        if rng.random() < 0.5:
            chip = chip[:, ::-1]
            for it in items:
                it[1], it[5] = s - it[1], math.pi - it[5]
        if rng.random() < 0.5:
            chip = chip[::-1]
            for it in items:
                it[2], it[5] = s - it[2], -it[5]
        if rng.random() < 0.5:  # transpose: swaps the axes, so upright extents swap too
            chip = chip.transpose(1, 0, 2)
            for it in items:
                it[1], it[2] = it[2], it[1]
                if it[6] != ORIENTED:
                    it[3], it[4] = it[4], it[3]
                else:
                    it[5] = math.pi / 2 - it[5]
        img = chip.astype(np.float32)
        # photometric: brightness/contrast/saturation/gamma, haze, noise
        gain, bias = rng.uniform(0.7, 1.3), rng.uniform(-25, 25)
        grey = img.mean(axis=2, keepdims=True)
        img = grey + (img - grey) * rng.uniform(0.5, 1.4)
        img = img * gain + bias
        if rng.random() < 0.2:
            img = img * (1 - (t := rng.uniform(0.1, 0.4))) + 230 * t
        if rng.random() < 0.3:
            img = img + rng.normal(0, rng.uniform(2, 8), img.shape)
        img = np.clip(img, 0, 255)
        inside = [(int(c), x, y, a, b, th, ax) for c, x, y, a, b, th, ax in items if 0 <= x < s and 0 <= y < s]
        return (np.ascontiguousarray(img.transpose(2, 0, 1), dtype=np.float32),
                make_targets([i for i in inside if i[0] >= 0], s, [i for i in inside if i[0] < 0]))

    def batch(self, n: int) -> tuple[np.ndarray, dict[str, np.ndarray]]:
        xs, ts = zip(*(self.sample() for _ in range(n)), strict=True)
        return np.stack(xs), {k: np.stack([t[k] for t in ts]) for k in ts[0]}
