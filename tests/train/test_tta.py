"""Mirror test-time augmentation maps boxes back correctly: with it, the detector is exactly mirror-equivariant."""

from __future__ import annotations

import numpy as np
import pytest

torch = pytest.importorskip("torch")


@pytest.mark.parametrize(("flips", "dims"), [(2, [3]), (4, [2]), (4, [2, 3])])
def test_mirrored_image_gives_mirrored_boxes(flips, dims):
    from basewatch.imagery.decode import decode_centernet
    from basewatch.train.net import ExportWrapper, TinyCenterNet

    torch.manual_seed(0)
    net = TinyCenterNet().eval()
    with torch.no_grad():  # make the random net's heatmap peaky enough to have distinct maxima
        net.hm[-1].bias.fill_(0.0)
    w = ExportWrapper(net, flips=flips).eval()
    x = torch.rand(1, 3, 64, 96) * 255
    axis = np.array([False] * 4)  # decode every class as oriented, to check the angle too
    with torch.no_grad():
        p1, b1 = w(x)
        p2, b2 = w(torch.flip(x, dims=dims))
    c1, s1, _ = decode_centernet(p1[0].numpy(), b1[0].numpy(), stride=4, threshold=0.0, axis_classes=axis)
    c2, s2, _ = decode_centernet(p2[0].numpy(), b2[0].numpy(), stride=4, threshold=0.0, axis_classes=axis)
    if 3 in dims:
        c2[..., 0] = 96 - c2[..., 0]
    if 2 in dims:
        c2[..., 1] = 64 - c2[..., 1]
    assert len(s1) == len(s2) > 5

    def key(c: np.ndarray) -> list:
        return sorted(tuple(np.round(np.sort(q, axis=0).ravel(), 2)) for q in c)

    assert np.allclose(np.array(key(c1)), np.array(key(c2)), atol=0.05)
