"""Detection metrics: AP50 (all-point interpolated, VOC style), precision/recall at a threshold and
per-image count error. Boxes are compared by polygon IoU, so oriented and upright labels both work.

Ignored ground truth (truncated or difficult objects) is neither a hit nor a miss: a detection that matches
one is dropped from the ranking, and it is not counted in the per-image count either.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from basewatch.eval.labels import GroundTruth
from basewatch.imagery.nms import iou_matrix


@dataclass(frozen=True)
class PredBox:
    cls: str
    score: float
    corners: np.ndarray  # (4, 2) pixel (col, row)


@dataclass
class ImageEval:
    image: str
    gt: int
    detected: int
    true_positives: int

    @property
    def count_error(self) -> float:
        return abs(self.detected - self.gt) / self.gt if self.gt else float(self.detected > 0)


@dataclass
class DetectionMetrics:
    classes: dict[str, dict[str, float]]
    ap50: float
    precision: float
    recall: float
    threshold: float
    count_error_median: float
    count_error_mean: float
    images: list[ImageEval] = field(default_factory=list)
    reliability: list[dict[str, float]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        d = {k: v for k, v in asdict(self).items() if k != "images"}
        d["images"] = [{**asdict(i), "count_error": round(i.count_error, 4)} for i in self.images]
        return d


def _ap(tp: np.ndarray, scores: np.ndarray, n_gt: int) -> float:
    if n_gt == 0:
        return float("nan")
    if len(scores) == 0:
        return 0.0
    order = np.argsort(-scores, kind="stable")
    tp = tp[order].astype(np.float64)
    ctp, cfp = np.cumsum(tp), np.cumsum(1 - tp)
    rec = ctp / n_gt
    prec = ctp / np.maximum(ctp + cfp, 1e-12)
    mrec = np.concatenate([[0.0], rec, [1.0]])
    mpre = np.concatenate([[0.0], prec, [0.0]])
    mpre = np.maximum.accumulate(mpre[::-1])[::-1]
    idx = np.nonzero(mrec[1:] != mrec[:-1])[0]
    return float(np.sum((mrec[idx + 1] - mrec[idx]) * mpre[idx + 1]))


def _match(preds: Sequence[PredBox], gts: Sequence[GroundTruth], iou_thr: float) -> tuple[np.ndarray, np.ndarray]:
    """Greedy by score: per prediction 1 (hit), 0 (false alarm) or -1 (matched an ignored object).

    Against upright labels (Airbus, NWPU, COCO) an oriented prediction is scored by its upright envelope: the
    label says nothing about heading, so a correct diagonal box must not count as a miss."""
    result = np.zeros(len(preds), dtype=np.int64)
    gt_hit = np.zeros(len(gts), dtype=bool)
    if not preds:
        return result, gt_hit
    if not gts:
        return result, gt_hit
    corners = np.stack([p.corners for p in preds])
    if not any(g.oriented for g in gts):  # upright labels: compare the predictions' upright envelopes
        lo, hi = corners.min(axis=1), corners.max(axis=1)
        corners = np.stack([lo, np.stack([hi[:, 0], lo[:, 1]], 1), hi, np.stack([lo[:, 0], hi[:, 1]], 1)], 1)
    iou = iou_matrix(corners, np.stack([g.array() for g in gts]))
    ignore = np.array([g.ignore for g in gts])
    for i in np.argsort([-p.score for p in preds], kind="stable"):
        cand = np.where(iou[i] >= iou_thr)[0]
        free = [j for j in cand[np.argsort(-iou[i, cand])] if not gt_hit[j] and not ignore[j]]
        if free:
            gt_hit[free[0]] = True
            result[i] = 1
        elif len(cand) and ignore[cand].any():
            result[i] = -1
    return result, gt_hit


def evaluate(predictions: dict[str, list[PredBox]], truth: dict[str, list[GroundTruth]], *,
             threshold: float = 0.5, iou_thr: float = 0.5, classes: Iterable[str] | None = None) -> DetectionMetrics:
    """Evaluate predictions against ground truth, image by image; images missing a prediction count as empty."""
    wanted = set(classes) if classes is not None else {g.cls for gs in truth.values() for g in gs}
    per_cls: dict[str, dict[str, list]] = {c: {"tp": [], "scores": [], "n_gt": [0]} for c in wanted}
    images: list[ImageEval] = []
    tp_thr = det_thr = gt_total = 0
    for image, gts in sorted(truth.items()):
        preds = [p for p in predictions.get(image, []) if p.cls in wanted]
        gts = [g for g in gts if g.cls in wanted]
        n_gt_img = det_img = tp_img = 0
        for c in wanted:
            pc = [p for p in preds if p.cls == c]
            gc = [g for g in gts if g.cls == c]
            res, _ = _match(pc, gc, iou_thr)
            keep = res >= 0
            per_cls[c]["tp"].append(res[keep])
            per_cls[c]["scores"].append(np.array([p.score for p in pc])[keep] if pc else np.zeros(0))
            n_gt = sum(not g.ignore for g in gc)
            per_cls[c]["n_gt"][0] += n_gt
            above = np.array([p.score >= threshold for p in pc], dtype=bool) if pc else np.zeros(0, bool)
            n_gt_img += n_gt
            det_img += int((above & keep).sum())
            tp_img += int((above & (res == 1)).sum())
        images.append(ImageEval(image, n_gt_img, det_img, tp_img))
        tp_thr += tp_img
        det_thr += det_img
        gt_total += n_gt_img
    cls_out: dict[str, dict[str, float]] = {}
    all_tp = np.concatenate([t for d in per_cls.values() for t in d["tp"]] or [np.zeros(0)])
    all_sc = np.concatenate([t for d in per_cls.values() for t in d["scores"]] or [np.zeros(0)])
    for c, d in sorted(per_cls.items()):
        tp = np.concatenate(d["tp"]) if d["tp"] else np.zeros(0)
        sc = np.concatenate(d["scores"]) if d["scores"] else np.zeros(0)
        cls_out[c] = {"ap50": _ap(tp, sc, d["n_gt"][0]), "gt": d["n_gt"][0], "detections": int(len(sc))}
    aps = [v["ap50"] for v in cls_out.values() if not np.isnan(v["ap50"])]
    errs = [i.count_error for i in images if i.gt > 0]
    return DetectionMetrics(
        classes=cls_out, ap50=float(np.mean(aps)) if aps else float("nan"),
        precision=tp_thr / det_thr if det_thr else 0.0, recall=tp_thr / gt_total if gt_total else 0.0,
        threshold=threshold, count_error_median=statistics.median(errs) if errs else float("nan"),
        count_error_mean=statistics.fmean(errs) if errs else float("nan"), images=images,
        reliability=reliability(all_tp, all_sc))


def calibration_knots(curve: list[dict[str, float]], keep_order: float = 0.02) -> dict[str, list[float]]:
    """Raw-score knots -> share of true detections, from a `reliability` curve; strictly increasing.

    The running maximum of the shares has flat stretches, which would tie detections of different raw scores
    and so lose their ranking (AP drops); blending in `keep_order` of the raw score keeps every order."""
    raw, share = [0.0], [0.0]
    for b in curve:
        if b["mean_score"] > raw[-1]:
            raw.append(b["mean_score"])
            share.append(max(share[-1], b["true_share"]))
    raw.append(1.0)
    share.append(1.0)
    cal = [(1 - keep_order) * s + keep_order * r for r, s in zip(raw, share, strict=True)]
    return {"raw": [round(r, 4) for r in raw], "calibrated": [round(c, 4) for c in cal]}


def reliability(tp: np.ndarray, scores: np.ndarray, edges: Sequence[float] = (0.05, 0.2, 0.3, 0.4, 0.5, 0.6,
                                                                                0.7, 0.8, 0.9, 1.0001)
                ) -> list[dict[str, float]]:
    """The calibration curve: per score bin, how many detections and what share of them are true.

    A calibrated detector's share matches the bin's mean score, so that the inventory's expected counts (sums of
    scores) equal the visible counts."""
    out = []
    for lo, hi in zip(edges[:-1], edges[1:], strict=True):
        m = (scores >= lo) & (scores < hi)
        if m.any():
            out.append({"lo": lo, "hi": min(hi, 1.0), "n": int(m.sum()),
                        "mean_score": round(float(scores[m].mean()), 3), "true_share": round(float(tp[m].mean()), 3)})
    return out




@dataclass
class FolderEval:
    metrics: DetectionMetrics
    model: str
    images: int
    missing_images: list[str]
    seconds_per_image: float

    def to_dict(self) -> dict[str, Any]:
        return {"model": self.model, "n_images": self.images, "missing_images": self.missing_images,
                "seconds_per_image": round(self.seconds_per_image, 3), **self.metrics.to_dict()}


def evaluate_folder(images: Any, labels: Any, *, model: Any = None, gsd: float | None = None,
                    threshold: float | None = None, split: str | None = None, classes: Iterable[str] | None = None,
                    names: Iterable[str] | None = None, progress: Any = None) -> FolderEval:
    """Run the detector over the labelled images in a folder and score it.

    `split` ("train"/"val") restricts an Airbus label set to basewatch's fixed split; the GSD of each image
    comes from `gsd`, else from the labels (Airbus 0.5 m, DOTA's `gsd:` line), else from the image itself.
    `names`: score only these images (a held-out split such as NWPU VHR-10's `image_set/test.txt`).
    """
    import time
    from pathlib import Path

    from basewatch.errors import InputFileError
    from basewatch.eval.labels import IMAGE_SUFFIXES, airbus_split, image_key, read_labels
    from basewatch.imagery.detect import detect_image
    from basewatch.imagery.runtime import load_detector

    folder = Path(images)
    if not folder.is_dir():
        raise InputFileError(f"{folder}: not a folder of images; give --images DIR")
    ls = read_labels(labels)
    truth = {image_key(k): v for k, v in ls.objects.items()}
    gsds = {image_key(k): v for k, v in ls.gsd_m.items()}
    if split is not None:
        if split not in ("train", "val"):
            raise InputFileError(f"--split {split!r}: use train or val")
        tr, va = airbus_split(sorted(ls.objects))
        keep = {image_key(k) for k in (tr if split == "train" else va)}
        truth = {k: v for k, v in truth.items() if k in keep}
    if names is not None:
        keep = {image_key(n) for n in names}
        truth = {k: v for k, v in truth.items() if k in keep}
    files = {image_key(p.name): p for p in sorted(folder.iterdir()) if p.suffix.lower() in IMAGE_SUFFIXES}
    det = load_detector(model)
    thr = det.card.score_threshold if threshold is None else threshold
    low = min(det.score_floor(), thr)
    preds: dict[str, list[PredBox]] = {}
    present = {k: v for k, v in truth.items() if k in files}
    if not present:
        raise InputFileError(f"{folder}: none of its images has labels in {labels}; check both paths")
    t0 = time.perf_counter()
    for i, key in enumerate(sorted(present)):
        res = detect_image(files[key], gsd=gsd if gsd is not None else gsds.get(key), model=det, threshold=low)
        preds[key] = [PredBox(d.cls, d.score, np.asarray(d.polygon_px)) for d in res.detections]
        if progress is not None:
            progress(i + 1, len(present), key)
    elapsed = (time.perf_counter() - t0) / len(present)
    metrics = evaluate(preds, present, threshold=thr, classes=classes)
    return FolderEval(metrics, det.id, len(present), sorted(set(truth) - set(files)), elapsed)
