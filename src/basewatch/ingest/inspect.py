"""Checking that a file is what the user says it is, and reading what it tells about itself.

Nothing here writes: an ingest inspects everything first, so a bad file leaves no trace in the workspace.
"""

from __future__ import annotations

import mimetypes
import os
import warnings
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from basewatch.errors import InputFileError
from basewatch.ingest.video import Keyframe, extract_keyframes

EVIDENCE_KINDS = ("image", "video", "article", "post", "statement", "track", "document")
TEXT_KINDS = ("article", "post", "statement")

_SUFFIX_KIND = {
    **dict.fromkeys((".tif", ".tiff", ".jp2", ".png", ".jpg", ".jpeg", ".ntf", ".nitf", ".vrt"), "image"),
    **dict.fromkeys((".mp4", ".mov", ".mkv", ".avi", ".webm", ".ts", ".m4v"), "video"),
    **dict.fromkeys((".txt", ".md", ".html", ".htm"), "article"),
    **dict.fromkeys((".nmea", ".ais", ".sbs", ".gz"), "track"),  # gzip: readsb, traffic and NMEA archives
    ".pdf": "document",
}


@dataclass
class Inspected:
    """What an ingest learnt about a file before storing it."""

    path: Path
    kind: str
    media_type: str
    size_bytes: int
    metadata: dict[str, Any] = field(default_factory=dict)
    collected_at: datetime | None = None
    footprint: dict[str, Any] | None = None
    keyframes: list[Keyframe] = field(default_factory=list)


def _check_readable(path: Path) -> int:
    if not path.exists():
        raise InputFileError(f"{path}: no such file; check the path")
    if path.is_dir():
        raise InputFileError(f"{path}: is a directory; give a file")
    if not os.access(path, os.R_OK):
        raise InputFileError(f"{path}: cannot be read (permission denied); fix its permissions")
    size = path.stat().st_size
    if size == 0:
        raise InputFileError(f"{path}: file is empty; give the complete file")
    return size


def guess_kind(path: Path) -> str:
    kind = _SUFFIX_KIND.get(path.suffix.lower())
    if kind is None:
        raise InputFileError(
            f"{path}: cannot tell what kind of evidence a '{path.suffix or 'no extension'}' file is; "
            f"pass --kind ({', '.join(EVIDENCE_KINDS)})"
        )
    return kind


def _inspect_image(path: Path) -> tuple[dict[str, Any], datetime | None, dict[str, Any] | None]:
    import rasterio
    from rasterio.errors import NotGeoreferencedWarning, RasterioIOError
    from rasterio.warp import transform_geom
    from shapely.geometry import box, mapping

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", NotGeoreferencedWarning)
            with rasterio.open(path) as ds:
                meta: dict[str, Any] = {"width": ds.width, "height": ds.height, "bands": ds.count,
                                        "dtype": ds.dtypes[0], "driver": ds.driver}
                tags = ds.tags()
                footprint = None
                if ds.crs is not None:
                    meta["crs"] = ds.crs.to_string()
                    meta["gsd_m"] = abs(ds.transform.a) if ds.crs.is_projected else None
                    footprint = transform_geom(ds.crs, "EPSG:4326", mapping(box(*ds.bounds)))
                collected = None
                if "TIFFTAG_DATETIME" in tags:
                    try:
                        collected = datetime.strptime(tags["TIFFTAG_DATETIME"], "%Y:%m:%d %H:%M:%S")
                    except ValueError:
                        collected = None
                meta["tags"] = {k: v for k, v in tags.items() if len(v) < 200}
    except RasterioIOError as exc:
        raise InputFileError(f"{path}: not a readable image ({exc}); give a GeoTIFF, JPEG2000, PNG or JPEG, "
                             "or pass the right --kind") from exc
    return meta, collected, footprint


def _inspect_text(path: Path, kind: str) -> dict[str, Any]:
    raw = path.read_bytes()
    if kind == "track" and raw[:2] == b"\x1f\x8b":
        return {"compressed": "gzip"}  # track loaders read gzip themselves
    if b"\x00" in raw[:4096]:
        raise InputFileError(f"{path}: looks binary, not a {kind} text; pass the right --kind")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputFileError(f"{path}: is not UTF-8 text ({exc.reason} at byte {exc.start}); "
                             "convert it to UTF-8 or pass the right --kind") from exc
    if not text.strip():
        raise InputFileError(f"{path}: contains only white space; give the complete text")
    return {"chars": len(text), "lines": text.count("\n") + 1}


def inspect_file(path: Path | str, kind: str | None = None) -> Inspected:
    """Check a file against its (given or guessed) evidence kind and read its metadata."""
    path = Path(path)
    size = _check_readable(path)
    if kind is not None and kind not in EVIDENCE_KINDS:
        raise InputFileError(f"--kind {kind!r} is not an evidence kind; use one of {', '.join(EVIDENCE_KINDS)}")
    kind = kind or guess_kind(path)
    media_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    out = Inspected(path=path, kind=kind, media_type=media_type, size_bytes=size)
    if kind == "image":
        out.metadata, out.collected_at, out.footprint = _inspect_image(path)
    elif kind == "video":
        out.keyframes, out.metadata = extract_keyframes(path)
    elif kind in (*TEXT_KINDS, "track"):
        out.metadata = _inspect_text(path, kind)
        if media_type == "application/octet-stream":
            out.media_type = "text/plain"
    elif kind == "document":
        if not path.read_bytes()[:5] == b"%PDF-":
            raise InputFileError(f"{path}: is not a PDF document; pass the right --kind")
    return out
