"""The metric frame of a rendered scene: site-local metres, UTM, and the pixel grid, with explicit transforms.

Three coordinate systems meet here and only here:
- *local*: metres east/north of the site centre (how the catalog and scenarios describe places);
- *map*: UTM easting/northing of the site's zone (what the GeoTIFF stores);
- *pixel*: (col, row) of the image, via the north-up affine `SceneFrame.transform`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import shapely
from affine import Affine
from pyproj import Transformer
from shapely.geometry import Polygon, shape

from basewatch.catalog.geometry import to_utm, to_wgs84, utm_crs
from basewatch.model import Site
from basewatch.synth.scenario import Footprint


@dataclass(frozen=True)
class ZoneBox:
    """A catalog zone as an oriented rectangle in site-local metres."""

    id: str
    kind: str
    center: tuple[float, float]
    size: tuple[float, float]  # (width along the zone's x axis, height along its y axis)
    rotation_deg: float  # compass rotation of the zone's y axis from north
    polygon: Polygon  # local metres

    def axes(self) -> tuple[np.ndarray, np.ndarray]:
        """Unit vectors (east, north components) of the zone's own x and y axes."""
        a = math.radians(self.rotation_deg)
        return np.array([math.cos(a), -math.sin(a)]), np.array([math.sin(a), math.cos(a)])

    def to_local(self, u: float, v: float) -> tuple[float, float]:
        """Zone coordinates (u along x axis, v along y axis, from the centre) -> local metres."""
        ax, ay = self.axes()
        p = np.array(self.center) + u * ax + v * ay
        return float(p[0]), float(p[1])


@dataclass(frozen=True)
class SiteFrame:
    """A site's local metric frame anchored at its catalog centre."""

    site: Site
    epsg: int
    origin: tuple[float, float]  # UTM of the site centre

    @classmethod
    def of(cls, site: Site) -> SiteFrame:
        epsg = int(utm_crs(site.lat, site.lon).to_epsg())
        return cls(site=site, epsg=epsg, origin=to_utm(site.lat, site.lon, epsg))

    def local_to_map(self, x: float, y: float) -> tuple[float, float]:
        return self.origin[0] + x, self.origin[1] + y

    def local_polygon(self, geojson: dict) -> Polygon:
        """A WGS84 GeoJSON polygon -> site-local metres."""
        ox, oy = self.origin
        fwd = Transformer.from_crs(4326, self.epsg, always_xy=True)

        def to_local(lonlat: np.ndarray) -> np.ndarray:
            x, y = fwd.transform(lonlat[:, 0], lonlat[:, 1])
            return np.column_stack([np.asarray(x) - ox, np.asarray(y) - oy])

        return shapely.transform(shape(geojson), to_local)

    def local_to_lonlat(self, x: float, y: float) -> tuple[float, float]:
        return to_wgs84(self.origin[0] + x, self.origin[1] + y, self.epsg)

    def zones(self) -> dict[str, ZoneBox]:
        out: dict[str, ZoneBox] = {}
        for z in self.site.zones:
            poly = self.local_polygon(z.geometry)
            pts = np.asarray(poly.exterior.coords)[:4]
            ex, ey = pts[1] - pts[0], pts[3] - pts[0]  # rect_m order: SW, SE, NE, NW before rotation
            rot = math.degrees(math.atan2(ey[0], ey[1]))
            c = pts.mean(axis=0)
            out[z.id] = ZoneBox(id=z.id, kind=z.kind, center=(float(c[0]), float(c[1])),
                                size=(float(np.hypot(*ex)), float(np.hypot(*ey))), rotation_deg=rot, polygon=poly)
        return out

    def aoi_box(self) -> tuple[float, float, float, float]:
        """(xmin, ymin, xmax, ymax) of the AOI in local metres."""
        return tuple(float(v) for v in self.local_polygon(self.site.aoi).bounds)  # type: ignore[return-value]

    def footprint_box(self, fp: Footprint) -> tuple[float, float, float, float]:
        """Local-metre bounds an image with this footprint covers."""
        if fp.kind == "aoi":
            box = self.aoi_box()
            if fp.size_m is None:
                return box
            cx, cy = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
        elif fp.kind == "zone":
            z = self.zones()[str(fp.zone)]
            if fp.size_m is None:
                return tuple(float(v) for v in z.polygon.bounds)  # type: ignore[return-value]
            cx, cy = z.center
        else:
            cx, cy = fp.center_m
        w, h = fp.size_m  # type: ignore[misc]
        return (cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2)


@dataclass(frozen=True)
class SceneFrame:
    """The pixel grid of one image over a site: size, gsd and the north-up affine to UTM."""

    site: SiteFrame
    x0: float  # local metres of the west edge
    y0: float  # local metres of the north edge
    width: int
    height: int
    gsd: float

    @classmethod
    def for_box(cls, site: SiteFrame, box: tuple[float, float, float, float], gsd: float) -> SceneFrame:
        # snap the corner to whole pixels of the site's grid so every date's ground lines up exactly
        x0 = math.floor(box[0] / gsd) * gsd
        y1 = math.ceil(box[3] / gsd) * gsd
        width = max(1, int(round((box[2] - box[0]) / gsd)))
        height = max(1, int(round((box[3] - box[1]) / gsd)))
        return cls(site=site, x0=x0, y0=y1, width=width, height=height, gsd=gsd)

    @property
    def transform(self) -> Affine:
        """Pixel (col, row) -> UTM map coordinates of the pixel corner."""
        ox, oy = self.site.origin
        return Affine(self.gsd, 0.0, ox + self.x0, 0.0, -self.gsd, oy + self.y0)

    def local_to_px(self, pts: np.ndarray) -> np.ndarray:
        """Local metres (N, 2) -> pixel coordinates (col, row) as floats (pixel centres at .5)."""
        pts = np.asarray(pts, dtype=float)
        return np.stack([(pts[..., 0] - self.x0) / self.gsd, (self.y0 - pts[..., 1]) / self.gsd], axis=-1)

    def px_to_local(self, px: np.ndarray) -> np.ndarray:
        px = np.asarray(px, dtype=float)
        return np.stack([self.x0 + px[..., 0] * self.gsd, self.y0 - px[..., 1] * self.gsd], axis=-1)

    def local_box(self) -> tuple[float, float, float, float]:
        return (self.x0, self.y0 - self.height * self.gsd, self.x0 + self.width * self.gsd, self.y0)
