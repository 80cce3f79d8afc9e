"""A dashboard tile of a huge GeoTIFF without overviews is cut from a decimated read, not the full image."""

import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest
import rasterio
from rasterio.transform import from_origin

SIZE = 30_000


@pytest.fixture(scope="module")
def huge_tif(tmp_path_factory) -> Path:
    """30000 x 30000 RGB, tiled, deflate, sparse (unwritten blocks take no disk) and without overviews."""
    path = tmp_path_factory.mktemp("huge") / "huge.tif"
    with rasterio.open(path, "w", driver="GTiff", width=SIZE, height=SIZE, count=3, dtype="uint8",
                       crs="EPSG:32637", transform=from_origin(500_000, 4_000_000, 0.5, 0.5), tiled=True,
                       blockxsize=512, blockysize=512, compress="deflate", sparse_ok=True) as ds:
        ds.write(np.full((3, 512, 512), 200, "uint8"), window=rasterio.windows.Window(0, 0, 512, 512))
    assert path.stat().st_size < 5_000_000
    return path


@pytest.mark.slow
def test_zoomed_out_tile_of_a_30000px_image_stays_under_500_mb(huge_tif):
    script = textwrap.dedent(f"""
        import io, math
        from pathlib import Path
        from PIL import Image
        from basewatch.web.tiles import raster_info, render_tile
        path = Path({str(huge_tif)!r})
        left, bottom, right, top = raster_info(path).bounds_3857
        z = 11  # the whole 15 km image in a few tiles
        n = 2 ** z
        x = int(((left + right) / 2 + 20037508.342789244) / (40075016.68557849 / n))
        y = int((20037508.342789244 - (bottom + top) / 2) / (40075016.68557849 / n))
        tile = Image.open(io.BytesIO(render_tile(path, z, x, y)))
        assert tile.size == (256, 256)
        for line in open("/proc/self/status"):
            if line.startswith("VmHWM"):
                print(int(line.split()[1]) // 1024)
    """)
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    peak_mb = int(out.stdout.split()[-1])
    assert peak_mb < 500, f"tile peak RSS {peak_mb} MB"  # 279 MB measured; 6.9 GB when read at full resolution
