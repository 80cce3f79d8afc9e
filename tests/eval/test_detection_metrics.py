"""AP50, precision/recall and count error on hand-made cases with known answers."""

from __future__ import annotations

import numpy as np
import pytest

from basewatch.eval.detection import PredBox, evaluate
from basewatch.eval.labels import GroundTruth


def box(x: float, y: float, s: float = 10) -> tuple[tuple[float, float], ...]:
    return ((x, y), (x + s, y), (x + s, y + s), (x, y + s))


def pred(x: float, y: float, score: float, cls: str = "aircraft") -> PredBox:
    return PredBox(cls, score, np.asarray(box(x, y)))


def test_perfect_detector_scores_one():
    gt = {"a": [GroundTruth("aircraft", box(0, 0)), GroundTruth("aircraft", box(50, 0))]}
    m = evaluate({"a": [pred(0, 0, 0.9), pred(50, 0, 0.8)]}, gt)
    assert m.ap50 == 1.0 and m.precision == 1.0 and m.recall == 1.0 and m.count_error_median == 0


def test_ranked_false_alarm_and_miss():
    gt = {"a": [GroundTruth("aircraft", box(0, 0)), GroundTruth("aircraft", box(50, 0))]}
    # ranks: TP (0.9), FP (0.8), and the second object is missed
    m = evaluate({"a": [pred(0, 0, 0.9), pred(100, 100, 0.8), pred(52, 4, 0.3)]}, gt, threshold=0.5)
    # pred at (52, 4) has IoU 48/152 < 0.5 -> also false; AP = 0.5 (recall 0.5 at precision 1)
    assert m.ap50 == pytest.approx(0.5)
    assert m.precision == pytest.approx(0.5) and m.recall == pytest.approx(0.5)
    assert m.images[0].count_error == 0.0  # 2 above threshold for 2 objects, although one is wrong


def test_ignored_objects_are_neither_hits_nor_misses():
    gt = {"a": [GroundTruth("aircraft", box(0, 0)), GroundTruth("aircraft", box(50, 0), ignore=True)]}
    m = evaluate({"a": [pred(0, 0, 0.9), pred(50, 0, 0.95)]}, gt)
    assert m.ap50 == 1.0 and m.images[0].gt == 1 and m.images[0].detected == 1


def test_duplicates_count_as_false_alarms_and_count_error():
    gt = {"a": [GroundTruth("aircraft", box(0, 0))], "b": [GroundTruth("aircraft", box(0, 0))] * 4}
    m = evaluate({"a": [pred(0, 0, 0.9), pred(0, 1, 0.8)], "b": []}, gt)
    assert m.images[0].count_error == 1.0 and m.images[1].count_error == 1.0
    assert m.classes["aircraft"]["gt"] == 5


def test_classes_are_scored_separately():
    gt = {"a": [GroundTruth("aircraft", box(0, 0)), GroundTruth("ship", box(50, 0))]}
    m = evaluate({"a": [pred(0, 0, 0.9), pred(50, 0, 0.9, "aircraft")]}, gt)
    assert m.classes["aircraft"]["ap50"] == 1.0 and m.classes["ship"]["ap50"] == 0.0
    assert m.ap50 == 0.5
