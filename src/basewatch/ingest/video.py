"""Video keyframes (PyAV): drone and news footage become frames that observations can cite by index and time."""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from basewatch.errors import InputFileError

MAX_KEYFRAMES = 500


@dataclass(frozen=True)
class Keyframe:
    """One decoded keyframe: its order in the video, its time and its PNG bytes."""

    index: int
    time_s: float
    png: bytes


def extract_keyframes(path: Path, *, min_gap_s: float = 1.0, limit: int = MAX_KEYFRAMES
                      ) -> tuple[list[Keyframe], dict[str, Any]]:
    """Decode the keyframes of the first video stream, at most one per `min_gap_s` seconds."""
    import av

    try:
        container = av.open(str(path))
    except (av.error.FFmpegError, ValueError, OSError) as exc:  # FFmpegError: the root of PyAV's errors
        raise InputFileError(f"{path}: not a readable video ({exc}); give an MP4, MOV, MKV or WebM file, "
                             "or pass the right --kind") from exc
    with container:
        if container.format.name == "image2" or container.format.name.endswith("_pipe"):
            raise InputFileError(f"{path}: not a readable video (it is a still image); pass --kind image")
        if not container.streams.video:
            raise InputFileError(f"{path}: has no video stream; pass the right --kind")
        stream = container.streams.video[0]
        stream.codec_context.skip_frame = "NONKEY"
        frames: list[Keyframe] = []
        last_t = -1e9
        try:
            for frame in container.decode(stream):
                t = float(frame.time) if frame.time is not None else 0.0
                if t - last_t < min_gap_s and frames:
                    continue
                buf = io.BytesIO()
                frame.to_image().save(buf, format="PNG")
                frames.append(Keyframe(index=len(frames), time_s=round(t, 3), png=buf.getvalue()))
                last_t = t
                if len(frames) >= limit:
                    break
        except (av.error.FFmpegError, ValueError) as exc:
            raise InputFileError(f"{path}: video is damaged ({exc}); re-export it") from exc
        if not frames:
            raise InputFileError(f"{path}: no frame could be decoded; re-export the video")
        duration = float(stream.duration * stream.time_base) if stream.duration else None
        meta = {"width": stream.codec_context.width, "height": stream.codec_context.height,
                "codec": stream.codec_context.name, "duration_s": duration,
                "fps": float(stream.average_rate) if stream.average_rate else None,
                "keyframes": len(frames)}
    return frames, meta
