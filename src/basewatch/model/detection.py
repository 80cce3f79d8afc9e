"""What a detector finds in one image: an oriented footprint, a class and a score.

Pixel coordinates are (column, row) in the source image; map coordinates are WGS84 (lon, lat). They are
held side by side, never mixed: `polygon_lonlat` is None when the image has no georeferencing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

DETECTION_CLASSES = ("aircraft", "helicopter", "vehicle", "ship")

Point = tuple[float, float]


@dataclass(frozen=True)
class Detection:
    """One object found in an image."""

    cls: str
    score: float
    polygon_px: tuple[Point, Point, Point, Point]
    polygon_lonlat: tuple[Point, Point, Point, Point] | None = None
    length_m: float | None = None
    width_m: float | None = None
    heading_deg: float | None = None
    type: dict[str, Any] | None = None
    states: dict[str, float] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """The CLI/JSON contract: `class`, `score`, `polygon_px`, `polygon_lonlat`, `length_m`, `width_m`, ..."""
        return {
            "class": self.cls,
            "score": round(float(self.score), 4),
            "polygon_px": [[round(x, 2), round(y, 2)] for x, y in self.polygon_px],
            "polygon_lonlat": None if self.polygon_lonlat is None
            else [[round(x, 7), round(y, 7)] for x, y in self.polygon_lonlat],
            "length_m": None if self.length_m is None else round(self.length_m, 2),
            "width_m": None if self.width_m is None else round(self.width_m, 2),
            "heading_deg": None if self.heading_deg is None else round(self.heading_deg, 1),
            "type": self.type,
            "states": dict(self.states),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Detection:
        lonlat = data.get("polygon_lonlat")
        return cls(
            cls=data["class"], score=float(data["score"]),
            polygon_px=tuple(tuple(p) for p in data["polygon_px"]),  # type: ignore[arg-type]
            polygon_lonlat=None if lonlat is None else tuple(tuple(p) for p in lonlat),  # type: ignore[arg-type]
            length_m=data.get("length_m"), width_m=data.get("width_m"), heading_deg=data.get("heading_deg"),
            type=data.get("type"), states=dict(data.get("states") or {}),
        )

    @property
    def __geo_interface__(self) -> dict[str, Any] | None:
        if self.polygon_lonlat is None:
            return None
        ring = [list(p) for p in self.polygon_lonlat] + [list(self.polygon_lonlat[0])]
        props = {k: v for k, v in self.to_dict().items() if k not in ("polygon_px", "polygon_lonlat")}
        return {"type": "Feature", "geometry": {"type": "Polygon", "coordinates": [ring]}, "properties": props}
