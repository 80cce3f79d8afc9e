"""Imagery: raster reading and georeferencing, tiling, the ONNX detector runtime and rotated NMS.

The entry points are `detect_image` (a file in, detections out) and `detect_evidence` (an archived image in,
observations stored); both live in `basewatch.imagery.detect` and are imported lazily here, so that light
users (training, label readers) do not load ONNX Runtime.
"""

from __future__ import annotations

from typing import Any

__all__ = ["DetectionResult", "detect_evidence", "detect_image", "detect_images"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from basewatch.imagery import detect

        return getattr(detect, name)
    raise AttributeError(name)
