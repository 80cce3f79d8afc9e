"""Builds the tiny ONNX models the imagery tests use (needs PyTorch; the outputs are committed).

- `squares/`: a hand-written (not trained) centernet-obb-v1 detector of bright 20 x 20 px squares on a dark
  background at 1 m GSD. It lets tests check tiling, seams, resampling and georeferencing through the real
  runtime with exact expectations.
- `yolo-obb/`: an Ultralytics-OBB-layout model with a constant output (2 boxes), for the adapter.

    .venv/bin/python tests/imagery/make_fixtures.py
"""

from __future__ import annotations

import math
from pathlib import Path

import torch
from torch import nn
from torch.nn import functional as F  # noqa: N812

from basewatch.imagery.modelcard import write_card

HERE = Path(__file__).parent / "data"


class Squares(nn.Module):
    def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        g = x.mean(dim=1, keepdim=True) / 255.0
        cell = F.avg_pool2d(g, 4, 4)
        blob = F.avg_pool2d(cell, 5, 1, 2, count_include_pad=True)
        heat = torch.sigmoid(20.0 * (blob - 0.9))
        peaks = heat * (F.max_pool2d(heat, 3, 1, 1) == heat).to(heat.dtype)
        zero = torch.zeros_like(peaks)
        peaks = torch.cat([peaks, zero, zero, zero], dim=1)
        ones = torch.ones_like(cell)
        boxes = torch.cat([0.5 * ones, 0.5 * ones, math.log(5.0) * ones, math.log(5.0) * ones, ones, 0 * ones], 1)
        return peaks, boxes


class ConstYolo(nn.Module):
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        # 2 anchors, 2 classes: (cx, cy, w, h, s0, s1, angle)
        out = torch.tensor([[[32.0, 10.0], [32.0, 50.0], [20.0, 8.0], [6.0, 4.0], [0.9, 0.1], [0.05, 0.2],
                             [math.pi / 2, 0.0]]])
        return out + 0.0 * x.mean()


def props(name: str, layout: str, classes: list[str], shape: list[int], input_name: str = "image",
          **extra: object) -> dict:
    return {"mlm:name": name, "mlm:architecture": "test fixture", "mlm:tasks": ["object-detection"],
            "mlm:framework": "pytorch", "mlm:input": [{"name": input_name, "bands": ["red", "green", "blue"],
                                                       "input": {"shape": shape, "data_type": "float32"}}],
            "mlm:output": [], "basewatch:output_layout": layout, "basewatch:classes": classes,
            "basewatch:gsd_m": 1.0, "basewatch:gsd_range_m": [0.1, 3.0], "license": "Apache-2.0", **extra}


def main() -> None:
    d = HERE / "squares"
    d.mkdir(parents=True, exist_ok=True)
    torch.onnx.export(Squares(), (torch.zeros(1, 3, 128, 128),), str(d / "model.onnx"), input_names=["image"],
                      output_names=["peaks", "boxes"], opset_version=17, dynamo=False,
                      dynamic_axes={"image": {2: "h", 3: "w"}, "peaks": {2: "h4", 3: "w4"},
                                    "boxes": {2: "h4", 3: "w4"}})
    write_card(d, props("test-squares", "centernet-obb-v1", ["aircraft", "helicopter", "vehicle", "ship"],
                        [1, 3, -1, -1], **{"basewatch:box_mode": {"aircraft": "axis"},
                                           "basewatch:tile_px": 256, "basewatch:overlap_px": 64,
                                           "basewatch:single_pass_px": 256, "basewatch:score_threshold": 0.5}))
    d = HERE / "yolo-obb"
    d.mkdir(parents=True, exist_ok=True)
    torch.onnx.export(ConstYolo(), (torch.zeros(1, 3, 64, 64),), str(d / "model.onnx"), input_names=["images"],
                      output_names=["output0"], opset_version=17, dynamo=False)
    write_card(d, props("test-yolo-obb", "ultralytics-yolo-obb", ["plane", "ship"], [1, 3, 64, 64], "images",
                        **{"basewatch:class_map": {"plane": "aircraft", "ship": "ship"},
                           "basewatch:value_scale": 1 / 255, "basewatch:overlap_px": 0}))
    # same graph, card claiming the wrong layout
    d2 = HERE / "wrong-layout"
    d2.mkdir(parents=True, exist_ok=True)
    (d2 / "model.onnx").write_bytes((d / "model.onnx").read_bytes())
    write_card(d2, props("test-wrong", "centernet-obb-v1", ["aircraft"], [1, 3, -1, -1], "images"))


if __name__ == "__main__":
    main()
