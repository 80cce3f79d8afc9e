"""Reading a track file of any supported format: detect it from the content, load, check units, clean."""

from __future__ import annotations

import gzip
from pathlib import Path

from basewatch.errors import InputFileError
from basewatch.tracks import adsb, ais
from basewatch.tracks.clean import clean
from basewatch.tracks.points import LoadReport, TrackSet

FORMATS = ("opensky-csv", "traffic-json", "readsb", "nmea", "marinecadastre-csv", "dma-csv")


def detect_format(raw: bytes) -> str:
    """The track format of (decompressed) file content, from its first bytes."""
    head = raw[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head[:1] in (b"[", b"{"):
        return "readsb" if b'"trace"' in raw[:200000] and b'"icao"' in head else "traffic-json"
    first = head.split(b"\n", 1)[0].decode("utf-8", "replace").strip()
    low = first.lower()
    if b"VDM," in head or b"VDO," in head or head.startswith((b"\\", b"!", b"$PGHP")):
        return "nmea"
    if "icao24" in low and "lat" in low and "time" in low:
        return "opensky-csv"
    if "basedatetime" in low and "mmsi" in low:
        return "marinecadastre-csv"
    if "# timestamp" in low and "mmsi" in low:
        return "dma-csv"
    if head.startswith(b"#"):
        return "nmea"  # NMEA logs often start with comment lines
    raise ValueError("not a known track format (OpenSky CSV, traffic JSON, readsb trace, NMEA AIS, "
                     "MarineCadastre CSV, DMA CSV)")


def read_bytes(path: Path) -> bytes:
    raw = path.read_bytes()
    if raw[:2] == b"\x1f\x8b":
        try:
            raw = gzip.decompress(raw)
        except (OSError, EOFError) as exc:
            raise InputFileError(f"{path}: a broken gzip file ({exc}); give the complete file") from exc
    return raw


def load_tracks(raw: bytes, *, name: str = "track file", fmt: str | None = None) -> tuple[TrackSet, LoadReport]:
    """Parse, unit-check and clean track data; raises InputFileError when the file as a whole is unusable."""
    try:
        fmt = fmt or detect_format(raw)
    except ValueError as exc:
        raise InputFileError(f"{name}: {exc}; give one of these or pass the format explicitly") from exc
    if fmt not in FORMATS:
        raise InputFileError(f"{name}: unknown track format {fmt!r}; use one of {', '.join(FORMATS)}")
    domain = "sea" if fmt in ("nmea", "marinecadastre-csv", "dma-csv") else "air"
    report = LoadReport(format=fmt, domain=domain)
    try:
        if fmt == "nmea":
            ts = ais.load_nmea(raw, report)
        elif fmt in ("traffic-json", "readsb"):
            ts = adsb.load_adsb_json(raw, report)
        else:
            text = raw.decode("utf-8", "replace")
            loader = {"opensky-csv": adsb.load_opensky_csv, "marinecadastre-csv": ais.load_marinecadastre_csv,
                      "dma-csv": ais.load_dma_csv}[fmt]
            ts = loader(text, report)
    except ValueError as exc:  # includes JSONDecodeError
        raise InputFileError(f"{name}: cannot be read as {fmt} ({exc}); check the file") from exc
    if domain == "air":
        adsb.check_air_units(ts, report)
    ts = clean(ts, report)
    return ts, report


def load_track_file(path: Path | str, fmt: str | None = None) -> tuple[TrackSet, LoadReport]:
    """Load a track file (optionally gzipped) from disk."""
    path = Path(path)
    if not path.is_file():
        raise InputFileError(f"{path}: no such file; check the path")
    return load_tracks(read_bytes(path), name=str(path), fmt=fmt)
