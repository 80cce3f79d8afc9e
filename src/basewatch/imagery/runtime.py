"""The detector runtime: an ONNX Runtime session driven by a model card, one tile at a time.

Two output layouts are understood (see `modelcard`): basewatch's own `centernet-obb-v1`, and
`ultralytics-yolo-obb` for models exported with `yolo export format=onnx` from a YOLO OBB model
(output `(1, 4 + classes + 1, anchors)`: cx, cy, w, h, class scores, angle in radians).
The graph is checked against the card when the model is loaded, so a wrong layout fails at once, clearly.
"""

from __future__ import annotations

import functools
import os
from importlib import resources
from pathlib import Path

import numpy as np

from basewatch.imagery.decode import box_corners, decode_centernet
from basewatch.imagery.modelcard import ModelCard, ModelError, read_card

DEFAULT_MODEL = "detector"


def default_model_dir() -> Path:
    """The model shipped in the package (`basewatch/models/detector`; its card names the version)."""
    return Path(str(resources.files("basewatch") / "models" / DEFAULT_MODEL))


class Detector:
    """An ONNX detector and its card. `run_tile` takes an RGB tile at the card's GSD."""

    def __init__(self, card: ModelCard, *, threads: int | None = None):
        import onnxruntime as ort

        self.card = card
        opts = ort.SessionOptions()
        opts.log_severity_level = 3
        n = threads if threads is not None else int(os.environ.get("BASEWATCH_THREADS", "0"))
        opts.intra_op_num_threads = n
        opts.inter_op_num_threads = 1
        opts.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
        try:
            self.session = ort.InferenceSession(str(card.onnx_path), opts, providers=["CPUExecutionProvider"])
        except Exception as exc:  # onnxruntime raises its own exception types
            raise ModelError(f"{card.onnx_path}: ONNX Runtime cannot load this model ({exc}); check the file") \
                from exc
        self._check_layout()
        self.class_names = list(card.classes)
        self.axis = np.array([card.box_mode.get(c, "oriented") == "axis" for c in card.classes])

    @property
    def id(self) -> str:
        return self.card.id

    def _check_layout(self) -> None:
        card = self.card
        ins = self.session.get_inputs()
        if card.input_name not in [i.name for i in ins]:
            raise ModelError(f"{card.onnx_path}: the card names input {card.input_name!r} but the model's inputs "
                             f"are {[i.name for i in ins]}; fix the card")
        outs = {o.name: o.shape for o in self.session.get_outputs()}
        n = len(card.classes)
        if card.layout == "centernet-obb-v1":
            ok = ("peaks" in outs and "boxes" in outs and len(outs["peaks"]) == 4 and len(outs["boxes"]) == 4
                  and outs["peaks"][1] in (n, None) and outs["boxes"][1] in (6,))
            want = f"'peaks' (N, {n}, H/{card.stride}, W/{card.stride}) and 'boxes' (N, 6, H/{card.stride}, " \
                   f"W/{card.stride})"
        else:
            shp = next(iter(outs.values()))
            ok = len(outs) >= 1 and len(shp) == 3 and (not isinstance(shp[1], int) or shp[1] == 4 + n + 1)
            want = f"one output (1, {4 + n + 1}, anchors) = cx, cy, w, h, {n} class scores, angle"
        if not ok:
            raise ModelError(f"{card.onnx_path}: outputs {outs} do not match the card's layout {card.layout!r} "
                             f"(expected {want}); fix the card or export the model again")

    def score_floor(self, raw: float = 0.05) -> float:
        """The lowest (calibrated) score worth asking for: what a raw `raw` becomes, for the most lenient class.
        Evaluation uses it to keep the whole precision-recall curve when calibration squeezes low scores."""
        cal = self.card.score_calibration
        return min([raw] + [float(np.interp(raw, r, c)) for r, c in cal.values()])

    def run_tile(self, chw: np.ndarray, threshold: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Detect in one (3, h, w) uint8 tile: corners (N, 4, 2) in tile pixels, (calibrated) scores, class indices.

        `threshold` applies to the calibrated scores, the ones the card's threshold and every reader see."""
        cal = self.card.score_calibration
        raw_thr = min([threshold] + [float(np.interp(threshold, c, r)) for r, c in cal.values()])
        run = self._run_centernet if self.card.layout == "centernet-obb-v1" else self._run_yolo
        corners, scores, classes = run(chw, raw_thr)
        if not cal or not len(scores):
            return corners, scores, classes
        scores = scores.astype(np.float32, copy=True)
        names = np.asarray(self.class_names)[classes]
        for name, (r, c) in cal.items():
            hit = names == name
            scores[hit] = np.interp(scores[hit], r, c)
        keep = scores >= threshold
        return corners[keep], scores[keep], classes[keep]

    def _run_centernet(self, chw: np.ndarray, threshold: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        h, w = chw.shape[1:]
        m = self.card.pad_multiple
        ph, pw = -h % m, -w % m
        x = np.zeros((1, 3, h + ph, w + pw), np.float32)
        x[0, :, :h, :w] = chw
        if self.card.value_scale != 1.0:
            x *= self.card.value_scale
        peaks, boxes = self.session.run(["peaks", "boxes"], {self.card.input_name: x})
        st = self.card.stride
        hs, ws = -(-h // st), -(-w // st)
        corners, scores, cls = decode_centernet(peaks[0, :, :hs, :ws], boxes[0, :, :hs, :ws], stride=st,
                                                threshold=threshold, axis_classes=self.axis)
        return corners, scores, cls

    def _run_yolo(self, chw: np.ndarray, threshold: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        h, w = chw.shape[1:]
        s = self.card.input_size or max(h, w)
        x = np.full((1, 3, s, s), 114, np.float32)
        x[0, :, : min(h, s), : min(w, s)] = chw[:, :s, :s]
        x *= self.card.value_scale
        out = self.session.run(None, {self.card.input_name: x})[0][0]  # (4 + nc + 1, anchors)
        n = len(self.card.classes)
        scores_all = out[4:4 + n]
        cls = scores_all.argmax(axis=0)
        scores = scores_all[cls, np.arange(out.shape[1])]
        keep = scores > threshold
        cx, cy, bw, bh, ang = out[0, keep], out[1, keep], out[2, keep], out[3, keep], out[4 + n, keep]
        corners = box_corners(cx.astype(np.float64), cy.astype(np.float64), bw.astype(np.float64),
                              bh.astype(np.float64), ang.astype(np.float64))
        return corners, scores[keep].astype(np.float64), cls[keep].astype(np.int64)


@functools.lru_cache(maxsize=4)
def _load_cached(path: str, threads: int | None) -> Detector:
    return Detector(read_card(path), threads=threads)


def load_detector(model: Detector | Path | str | None = None, *, threads: int | None = None) -> Detector:
    """A Detector from an instance, a model folder, or None for the packaged default (cached per folder)."""
    if isinstance(model, Detector):
        return model
    path = Path(model) if model is not None else default_model_dir()
    if model is None and not (path / "model.json").is_file():
        raise ModelError(f"{path}: the packaged default detector is missing; reinstall basewatch or pass --model")
    return _load_cached(str(path.resolve()), threads)
