"""The GeoJSON export is valid RFC 7946: WGS84 lon/lat, closed counter-clockwise rings, no crs member."""

from __future__ import annotations

import json

from shapely.geometry import LinearRing, shape

from basewatch.export import geojson_collection


def _check_rfc7946(fc: dict) -> None:
    assert fc["type"] == "FeatureCollection" and "crs" not in fc
    for f in fc["features"]:
        assert f["type"] == "Feature" and set(f) >= {"geometry", "properties"} and "crs" not in f
        assert isinstance(f.get("id"), (str, int))
        geom = f["geometry"]
        assert geom["type"] == "Polygon"
        for i, ring in enumerate(geom["coordinates"]):
            assert len(ring) >= 4 and ring[0] == ring[-1]  # closed linear ring (section 3.1.6)
            for lon, lat in ring:
                assert -180 <= lon <= 180 and -90 <= lat <= 90
            # Right-hand rule: exterior counter-clockwise, holes clockwise.
            assert LinearRing(ring).is_ccw == (i == 0)
        assert shape(geom).is_valid


def test_sites_zones_and_detections(populated):
    fc = geojson_collection(populated)
    _check_rfc7946(fc)
    json.loads(json.dumps(fc))  # plain JSON
    kinds = [f["properties"]["feature_type"] for f in fc["features"]]
    assert kinds.count("site") == 2 and kinds.count("detection") == 9 and kinds.count("zone") >= 10
    dets = [f["properties"] for f in fc["features"] if f["properties"]["feature_type"] == "detection"]
    an124 = [d for d in dets if d["type"] == "an-124"]
    assert len(an124) == 2 and all(0 < d["score"] <= 1 and d["type_p"] == 0.8 for d in an124)
    assert an124[0]["states"].get("nose_open")


def test_one_site_and_cli_file(populated, cli, tmp_path):
    assert {f["properties"]["site"] for f in geojson_collection(populated, site="Tartous")["features"]} == {"tartus"}
    out = tmp_path / "x.geojson"
    r = cli("export", "geojson", "--workspace", populated.root, "--out", out)
    assert r.exit_code == 0, r.output
    _check_rfc7946(json.loads(out.read_text("utf-8")))
    assert cli("export", "geojson", "--workspace", populated.root, "--site", "atlantis").exit_code == 1
