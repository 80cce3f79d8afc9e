"""Resampling an RGB chip to the detector's GSD, the same way in training and at inference.

Why one function: a detector is sensitive to the blur its training images had; PIL's antialiased bilinear
reduction is used for both, so a 0.5 m scene read at 1.0 m looks to the model exactly as in training.
"""

from __future__ import annotations

import numpy as np
from PIL import Image


def resample_rgb(arr: np.ndarray, width: int, height: int) -> np.ndarray:
    """(H, W, 3) uint8 -> (height, width, 3) uint8 (antialiased bilinear; identity when the size matches)."""
    if arr.shape[1] == width and arr.shape[0] == height:
        return arr
    img = Image.fromarray(np.ascontiguousarray(arr))
    return np.asarray(img.resize((int(width), int(height)), Image.Resampling.BILINEAR))


def resample_chw(arr: np.ndarray, width: int, height: int) -> np.ndarray:
    """(bands, H, W) uint8 -> (bands, height, width) uint8, band by band; equal to `resample_rgb` per band.

    Detection works band-first (the network's layout), which saves two full-image transposes per tile."""
    if arr.shape[2] == width and arr.shape[1] == height:
        return arr
    out = np.empty((arr.shape[0], int(height), int(width)), np.uint8)
    for i, band in enumerate(arr):
        img = Image.fromarray(np.ascontiguousarray(band), mode="L")
        out[i] = np.asarray(img.resize((int(width), int(height)), Image.Resampling.BILINEAR))
    return out
