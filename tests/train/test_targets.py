"""CenterNet targets decode back to the labels they were made from (no PyTorch needed)."""

from __future__ import annotations

import math

import numpy as np

from basewatch.eval.detection import PredBox, evaluate
from basewatch.eval.labels import GroundTruth
from basewatch.imagery.decode import box_corners, decode_centernet
from basewatch.model import DETECTION_CLASSES
from basewatch.train.data import AXIS_CLASSES, CropSampler, Scene, box_params, make_targets

AXIS = np.array([c in AXIS_CLASSES for c in DETECTION_CLASSES])


def _perfect(t: dict[str, np.ndarray]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    return decode_centernet(np.where(t["hm"] == 1, 1.0, 0.0), t["reg"], stride=4, threshold=0.5, axis_classes=AXIS)


def _ship(cx: float, cy: float, a: float, b: float, deg: float) -> GroundTruth:
    c = box_corners(np.array([cx]), np.array([cy]), np.array([a]), np.array([b]), np.array([math.radians(deg)]))[0]
    return GroundTruth("ship", tuple(map(tuple, c)))


def test_targets_roundtrip_upright_and_oriented():
    objs = [GroundTruth("aircraft", ((10, 10), (50, 10), (50, 40), (10, 40))), _ship(150, 100, 60, 12, 33),
            _ship(60, 150, 30, 8, 95)]
    t = make_targets([(DETECTION_CLASSES.index(g.cls), *box_params(g)) for g in objs], 256)
    corners, scores, cls = _perfect(t)
    m = evaluate({"x": [PredBox(DETECTION_CLASSES[k], 1.0, c) for c, k in zip(corners, cls, strict=True)]},
                 {"x": objs}, iou_thr=0.95)
    assert m.ap50 == 1.0 and len(scores) == 3


def test_augmented_crops_keep_labels_on_their_objects():
    """Flips and transposes move image and labels together: a bright object stays under its box."""
    img = np.zeros((400, 400, 3), np.uint8)
    img[100:130, 200:280] = 255  # an upright 80 x 30 aircraft-like blob
    g = GroundTruth("aircraft", ((200, 100), (280, 100), (280, 130), (200, 130)), oriented=False)
    s = CropSampler([Scene("t", img, 0.5, [g], "airbus")], [1.0], size=128, gsd_m=1.0, jitter=(1, 1), seed=1)
    for seed in range(12):
        s.rng = np.random.default_rng(seed)
        x, t = s.sample()
        corners, _, _ = _perfect(t)
        if len(corners) == 0:
            continue
        c = corners[0]
        x0, y0 = np.floor(c.min(axis=0)).astype(int)
        x1, y1 = np.ceil(c.max(axis=0)).astype(int)
        inside = x.mean(axis=0)[max(y0 + 2, 0):max(y1 - 2, 0), max(x0 + 2, 0):max(x1 - 2, 0)]
        if inside.size:
            assert inside.mean() > 150  # the blob (photometric changes aside) is under the box
        assert {round(np.ptp(c[:, 0])), round(np.ptp(c[:, 1]))} == {40, 15}


def test_upright_label_of_an_oriented_class_supervises_only_what_it_knows():
    """An NWPU-style upright box of a ship: elongated along x -> heading 0 and its sides; near-square (a diagonal
    ship) -> centre only, never the envelope as the ship's length."""
    from basewatch.train.data import CENTRE_ONLY, ORIENTED

    along_x = GroundTruth("ship", ((0, 0), (90, 0), (90, 20), (0, 20)), oriented=False)
    along_y = GroundTruth("ship", ((0, 0), (20, 0), (20, 90), (0, 90)), oriented=False)
    diagonal = GroundTruth("ship", ((0, 0), (70, 0), (70, 60), (0, 60)), oriented=False)
    assert box_params(along_x)[2:] == (90.0, 20.0, 0.0, ORIENTED)
    assert box_params(along_y)[2:4] == (90.0, 20.0) and abs(box_params(along_y)[4] - np.pi / 2) < 1e-9
    assert box_params(diagonal)[5] == CENTRE_ONLY
    t = make_targets([(DETECTION_CLASSES.index("ship"), *box_params(diagonal))], 128)
    assert t["wreg"].max() == 1.0 and t["wsize"].max() == 0.0 and t["wang"].max() == 0.0


def test_masked_objects_are_neither_objects_nor_background():
    """An object nobody vouched for (an unreviewed detection in an analyst's labels) gets no heatmap peak and
    no background loss around it; everything else is taught as before."""
    real = GroundTruth("aircraft", ((10, 10), (50, 10), (50, 40), (10, 40)))
    unsure = GroundTruth("aircraft", ((150, 150), (190, 150), (190, 180), (150, 180)))
    t = make_targets([(DETECTION_CLASSES.index("aircraft"), *box_params(real))], 256, [(-1, *box_params(unsure))])
    assert t["hm"].max() == 1.0 and len(_perfect(t)[1]) == 1
    assert t["hmask"][165 // 4, 170 // 4] == 0.0 and t["hmask"][25 // 4, 30 // 4] == 1.0
    assert t["hm"][:, 165 // 4, 170 // 4].max() == 0.0
    assert make_targets([], 64)["hmask"].min() == 1.0
