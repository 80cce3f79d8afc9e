"""Polygon IoU and rotated NMS."""

from __future__ import annotations

import math

import numpy as np
import pytest

from basewatch.imagery.decode import box_corners
from basewatch.imagery.nms import iou_matrix, rotated_nms


def rect(cx: float, cy: float, a: float, b: float, deg: float = 0.0) -> np.ndarray:
    return box_corners(np.array([cx]), np.array([cy]), np.array([a]), np.array([b]),
                       np.array([math.radians(deg)]))[0]


def test_iou_of_rotated_square_with_itself_is_the_octagon_ratio():
    sq, rot = rect(0, 0, 10, 10), rect(0, 0, 10, 10, 45)
    octagon = 2 * (math.sqrt(2) - 1) * 100  # area of the overlap of a square and itself turned 45 degrees
    expected = octagon / (200 - octagon)
    assert math.isclose(iou_matrix(sq[None], rot[None])[0, 0], expected, rel_tol=1e-6)
    assert math.isclose(iou_matrix(sq[None], sq[None])[0, 0], 1.0)


def test_thin_crossed_boxes_barely_overlap_although_their_envelopes_coincide():
    a, b = rect(0, 0, 40, 4, 45), rect(0, 0, 40, 4, -45)
    assert iou_matrix(a[None], b[None])[0, 0] == pytest.approx(16 / (160 + 160 - 16))


def test_nms_keeps_best_of_overlapping_and_both_of_crossed():
    boxes = np.stack([rect(0, 0, 40, 10, 30), rect(1, 0, 40, 10, 31), rect(0, 0, 40, 4, 120), rect(200, 0, 20, 20)])
    keep = rotated_nms(boxes, np.array([0.6, 0.9, 0.8, 0.5]), iou_threshold=0.4)
    assert sorted(keep.tolist()) == [1, 2, 3]
    assert keep[0] == 1  # best first


def test_nms_never_suppresses_across_classes():
    boxes = np.stack([rect(0, 0, 20, 20), rect(0, 0, 20, 20)])
    assert len(rotated_nms(boxes, np.array([0.9, 0.8]), np.array([0, 1]))) == 2
    assert len(rotated_nms(boxes, np.array([0.9, 0.8]), np.array([0, 0]))) == 1


def test_nms_of_nothing():
    assert len(rotated_nms(np.zeros((0, 4, 2)), np.zeros(0))) == 0
