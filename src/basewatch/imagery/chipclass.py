"""A small learned chip classifier that adds pixel evidence to the size rule, in plain numpy.

Features describe an object in its own frame, independent of heading: the footprint (plus a margin; vehicles
get room sideways for a raised antenna and its shadow) is cut into a fixed grid of cells and each cell holds how
far it differs from the surrounding ground (colour distance, brightness and an olive/grey chroma offset, in units
of the ground's own variation), plus the measured log length and width. A small network (one hidden ReLU
layer) per detector class turns them into type probabilities; two-class heads of the same shape give state
scores (rotor removed, nose open, air-defence element deployed). Predictions are averaged over the four mirror
images of the grid, so a detector that knows the axis but not the nose gives the same answer.

The weights live in `imagery/data/chipclass.npz` and are trained on synthetic renders (see
`bench/bench_identify.py --train`); they are an aid, not the rule: `identify` multiplies their likelihood into
the size rule with a weight below one, and without the file identification falls back to size alone.
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from basewatch.imagery.chips import Chip

GRIDS: dict[str, tuple[int, int]] = {"aircraft": (16, 16), "helicopter": (14, 14), "vehicle": (20, 10),
                                     "ship": (28, 8)}
# how far the grid reaches beyond the footprint (along, across): vehicles get room for a raised antenna or
# erect canisters that stick out sideways, and for their shadows
SPAN: dict[str, tuple[float, float]] = {"aircraft": (1.1, 1.1), "helicopter": (1.1, 1.1), "vehicle": (1.25, 3.0),
                                        "ship": (1.1, 1.8)}
SUB = 3  # samples per cell side
STATE_HEADS: dict[str, tuple[str, ...]] = {"rotor_removed": ("helicopter",), "nose_open": ("aircraft",),
                                           "deployed": ("vehicle",)}
MODEL_FILE = "chipclass.npz"


def _sample(chip: Chip, arr: np.ndarray, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Bilinear samples of a chip-aligned array at body coordinates (metres)."""
    step_x = chip.xs[1] - chip.xs[0] if len(chip.xs) > 1 else 1.0
    step_y = chip.ys[1] - chip.ys[0] if len(chip.ys) > 1 else 1.0
    fx = np.clip((x - chip.xs[0]) / step_x, 0, len(chip.xs) - 1.001)
    fy = np.clip((y - chip.ys[0]) / step_y, 0, len(chip.ys) - 1.001)
    x0, y0 = np.floor(fx).astype(int), np.floor(fy).astype(int)
    ax, ay = fx - x0, fy - y0
    x1 = np.minimum(x0 + 1, len(chip.xs) - 1)
    y1 = np.minimum(y0 + 1, len(chip.ys) - 1)
    if arr.ndim == 3:
        ax, ay = ax[..., None], ay[..., None]
    return (arr[y0, x0] * (1 - ax) * (1 - ay) + arr[y0, x1] * ax * (1 - ay)
            + arr[y1, x0] * (1 - ax) * ay + arr[y1, x1] * ax * ay)


def feature_grids(chip: Chip, cls: str) -> np.ndarray:
    """(channels, ny, nx) cell grid of an object: contrast, brightness offset and chroma offset."""
    nx, ny = GRIDS.get(cls, (16, 16))
    fx, fy = SPAN.get(cls, (1.1, 1.1))
    L, W = chip.frame.length_m * fx, chip.frame.width_m * fy
    cx = (np.arange(nx * SUB) + 0.5) / (nx * SUB) * L - L / 2
    cy = (np.arange(ny * SUB) + 0.5) / (ny * SUB) * W - W / 2
    X, Y = np.meshgrid(cx, cy)
    rgb = _sample(chip, chip.rgb, X, Y)
    s = chip.bg_sigma
    bg = chip.bg_median
    contrast = np.sqrt(((rgb - bg) ** 2).sum(axis=2)) / s
    lum = (rgb.mean(axis=2) - bg.mean()) / s
    chroma = ((rgb[..., 1] - (rgb[..., 0] + rgb[..., 2]) / 2) - (bg[1] - (bg[0] + bg[2]) / 2)) / s
    stack = np.stack([np.clip(contrast, 0, 10), np.clip(lum, -10, 10), np.clip(chroma, -10, 10)])
    return stack.reshape(3, ny, SUB, nx, SUB).mean(axis=(2, 4)).astype(np.float32)


def _vector(grids: np.ndarray, length_m: float, width_m: float) -> np.ndarray:
    sizes = np.array([math.log(max(length_m, 0.5)), math.log(max(width_m, 0.5)),
                      math.log(max(length_m, 0.5) / max(width_m, 0.5))], dtype=np.float32)
    return np.concatenate([grids.ravel(), sizes])


def features(chip: Chip, cls: str) -> np.ndarray:
    """(4, F) feature vectors of the four mirror images of an object's grid."""
    g = feature_grids(chip, cls)
    L, W = chip.frame.length_m, chip.frame.width_m
    flips = [g, g[:, :, ::-1], g[:, ::-1, :], g[:, ::-1, ::-1]]
    return np.stack([_vector(f, L, W) for f in flips])


# ----------------------------------------------------------------------------------------------- the model


@dataclass
class SoftmaxHead:
    """Standardised softmax classifier with one hidden ReLU layer (or none: then it is linear)."""

    labels: list[str]
    mean: np.ndarray
    std: np.ndarray
    weights: np.ndarray  # (H, K) or (F, K) without a hidden layer
    bias: np.ndarray  # (K,)
    hidden_w: np.ndarray | None = None  # (F, H)
    hidden_b: np.ndarray | None = None  # (H,)

    def proba(self, x: np.ndarray) -> np.ndarray:
        h = (x - self.mean) / self.std
        if self.hidden_w is not None:
            h = np.maximum(h @ self.hidden_w + self.hidden_b, 0.0)
        z = h @ self.weights + self.bias
        z -= z.max(axis=-1, keepdims=True)
        e = np.exp(z)
        return e / e.sum(axis=-1, keepdims=True)


def fit_head(x: np.ndarray, y: list[str], *, hidden: int = 96, l2: float = 1e-3, steps: int = 500,
             lr: float = 0.01, seed: int = 0) -> SoftmaxHead:
    """Softmax classifier (one hidden layer) by full-batch Adam, class-balanced; `x` is (N, F), `y` N labels."""
    labels = sorted(set(y))
    idx = {lab: i for i, lab in enumerate(labels)}
    t = np.zeros((len(y), len(labels)), np.float32)
    t[np.arange(len(y)), [idx[v] for v in y]] = 1
    mean = x.mean(axis=0)
    std = x.std(axis=0) + 1e-3
    xs = ((x - mean) / std).astype(np.float32)
    rng = np.random.default_rng(seed)
    f, k = x.shape[1], len(labels)
    w1 = (rng.normal(0, 1, (f, hidden)) * np.sqrt(2 / f)).astype(np.float32)
    b1 = np.zeros(hidden, np.float32)
    w2 = (rng.normal(0, 1, (hidden, k)) * np.sqrt(1 / hidden)).astype(np.float32)
    b2 = np.zeros(k, np.float32)
    params = [w1, b1, w2, b2]
    moments = [(np.zeros_like(q), np.zeros_like(q)) for q in params]
    counts = t.sum(axis=0)
    sw = (t @ (len(y) / (k * np.maximum(counts, 1)))).astype(np.float32)
    for step in range(1, steps + 1):
        a = xs @ w1 + b1
        h = np.maximum(a, 0.0)
        z = h @ w2 + b2
        z -= z.max(axis=1, keepdims=True)
        p = np.exp(z)
        p /= p.sum(axis=1, keepdims=True)
        g = (p - t) * sw[:, None] / len(y)
        gw2 = h.T @ g + l2 * w2
        gb2 = g.sum(axis=0)
        gh = (g @ w2.T) * (a > 0)
        gw1 = xs.T @ gh + l2 * w1
        gb1 = gh.sum(axis=0)
        for q, grad, (m, v) in zip(params, (gw1, gb1, gw2, gb2), moments, strict=True):
            m *= 0.9
            m += 0.1 * grad
            v *= 0.999
            v += 0.001 * grad * grad
            q -= lr * (m / (1 - 0.9**step)) / (np.sqrt(v / (1 - 0.999**step)) + 1e-8)
    return SoftmaxHead(labels=labels, mean=mean.astype(np.float32), std=std.astype(np.float32), weights=w2, bias=b2,
                       hidden_w=w1, hidden_b=b1)


@dataclass
class ChipModel:
    """Type heads per detector class and state heads, with where they came from."""

    types: dict[str, SoftmaxHead]
    states: dict[str, SoftmaxHead]
    meta: dict[str, Any]

    def type_proba(self, chip: Chip, cls: str) -> dict[str, float]:
        head = self.types.get(cls)
        if head is None:
            return {}
        p = head.proba(features(chip, cls)).mean(axis=0)
        return dict(zip(head.labels, map(float, p), strict=True))

    def state_score(self, chip: Chip, cls: str, state: str) -> float | None:
        head = self.states.get(state)
        if head is None or cls not in STATE_HEADS.get(state, ()):
            return None
        p = head.proba(features(chip, cls)).mean(axis=0)
        return float(p[head.labels.index("1")]) if "1" in head.labels else None

    def save(self, path: Path) -> None:
        arrays: dict[str, Any] = {"meta": np.frombuffer(repr(self.meta).encode(), dtype=np.uint8)}
        for group, heads in (("type", self.types), ("state", self.states)):
            for name, h in heads.items():
                key = f"{group}__{name}"
                arrays[f"{key}__labels"] = np.array(h.labels)
                arrays[f"{key}__mean"], arrays[f"{key}__std"] = h.mean, h.std
                arrays[f"{key}__weights"], arrays[f"{key}__bias"] = h.weights.astype(np.float16), h.bias
                if h.hidden_w is not None:
                    arrays[f"{key}__hw"], arrays[f"{key}__hb"] = h.hidden_w.astype(np.float16), h.hidden_b
        buf = io.BytesIO()
        np.savez_compressed(buf, **arrays)
        path.write_bytes(buf.getvalue())

    @classmethod
    def load(cls, data: bytes) -> ChipModel:
        import ast

        z = np.load(io.BytesIO(data), allow_pickle=False)
        types: dict[str, SoftmaxHead] = {}
        states: dict[str, SoftmaxHead] = {}
        for key in z.files:
            if not key.endswith("__labels"):
                continue
            group, name, _ = key.split("__")
            base = f"{group}__{name}"
            hw = z[f"{base}__hw"].astype(np.float32) if f"{base}__hw" in z.files else None
            hb = z[f"{base}__hb"] if f"{base}__hb" in z.files else None
            head = SoftmaxHead(labels=[str(v) for v in z[key]], mean=z[f"{base}__mean"], std=z[f"{base}__std"],
                               weights=z[f"{base}__weights"].astype(np.float32), bias=z[f"{base}__bias"],
                               hidden_w=hw, hidden_b=hb)
            (types if group == "type" else states)[name] = head
        meta = ast.literal_eval(bytes(z["meta"]).decode()) if "meta" in z.files else {}
        return cls(types=types, states=states, meta=meta)


@cache
def default_model() -> ChipModel | None:
    """The packaged model, or None when it is absent (identification then uses size alone)."""
    try:
        data = resources.files("basewatch.imagery").joinpath("data", MODEL_FILE).read_bytes()
    except (FileNotFoundError, OSError, ModuleNotFoundError):
        return None
    return ChipModel.load(data)


def model_path() -> Path:
    return Path(str(resources.files("basewatch.imagery").joinpath("data", MODEL_FILE)))


__all__ = ["ChipModel", "GRIDS", "STATE_HEADS", "SoftmaxHead", "default_model", "feature_grids", "features",
           "fit_head", "model_path"]


def model_info() -> dict[str, object]:
    """What the packaged chip model is (its training metadata and size), for benchmark records."""
    m = default_model()
    return {**(m.meta if m else {}), "bytes": model_path().stat().st_size if m else 0}
