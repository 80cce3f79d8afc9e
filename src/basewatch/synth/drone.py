"""A synthetic drone-video clip: a low pass over a rendered scene, encoded as MP4 with PyAV.

Stands in for the news and social-media footage analysts cite frame by frame (the Dec 12 video of the
packed 91N6E at Khmeimim, for example).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np


def pan_video(image: np.ndarray, out: Path, *, start_xy: tuple[int, int], end_xy: tuple[int, int],
              window: int = 256, size: int = 320, seconds: float = 4.0, fps: int = 10, gop: int = 10) -> Path:
    """Encode a pan from `start_xy` to `end_xy` (pixel centres of an HxWx3 uint8 image) as an MP4."""
    import av
    from PIL import Image

    h, w = image.shape[:2]
    n = max(2, int(seconds * fps))
    with av.open(str(out), mode="w") as container:
        stream = container.add_stream("mpeg4", rate=fps)
        stream.width = stream.height = size
        stream.pix_fmt = "yuv420p"
        stream.codec_context.gop_size = gop
        for i in range(n):
            t = i / (n - 1)
            cx = int(start_xy[0] + t * (end_xy[0] - start_xy[0]))
            cy = int(start_xy[1] + t * (end_xy[1] - start_xy[1]))
            x0 = int(np.clip(cx - window // 2, 0, max(0, w - window)))
            y0 = int(np.clip(cy - window // 2, 0, max(0, h - window)))
            crop = Image.fromarray(image[y0:y0 + window, x0:x0 + window]).resize((size, size))
            frame = av.VideoFrame.from_image(crop)
            for packet in stream.encode(frame):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
    return out
