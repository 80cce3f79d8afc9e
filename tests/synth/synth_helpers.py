"""Small, fast scenarios written by the tests (coarse gsd, small footprints).

A helper module, not a conftest.py: other test folders import their own `conftest` by name, and a second
`conftest` module here would shadow theirs.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

CLEAN_ACQ = """\
acquisition:
  gsd_m: 1.0
  sun_azimuth_deg: 150
  sun_elevation_deg: 60
  off_nadir_deg: 0
  cloud_cover: 0
  haze: 0
  noise: 0
  jpeg_quality: 0
  blur_px: 0
"""

EQUIPMENT = """\
      - {type: an-124, count: 1, zone: transport-apron, state: nose_open}
      - {type: Il-76, count: 1, zone: transport-apron}
      - {type: su-34, count: 3, zone: transport-apron}
      - {type: 91n6e, zone: transport-apron, state: packed, position_m: [-110, 150], heading_deg: 87}
      - {type: ka-52, count: 1, zone: helicopter-apron, state: rotor_removed}
      - {type: mi-8, count: 2, zone: helicopter-apron}
      - {type: truck, count: 3, zone: helicopter-apron}
"""


def write_scenario(tmp: Path, name: str, *, equipment: str = EQUIPMENT, acq: str = CLEAN_ACQ, seed: int = 7,
                   footprint: str = "{center_m: [-620, -400], size_m: [700, 650]}", extra: str = "") -> Path:
    body = (f"site: khmeimim\nseed: {seed}\n{acq}footprint: {footprint}\n{extra}"
            f"dates:\n  - date: 2024-12-13\n    equipment:\n{equipment if equipment else '      []'}\n")
    path = tmp / f"{name}.yaml"
    path.write_text(textwrap.dedent(body), "utf-8")
    return path
