import json

from helpers import write_site_geojson


def test_sites_list_and_show_by_alias(cli, ws):
    listing = json.loads(cli("sites", "list", "-w", ws.root, "--json").stdout)
    assert {s["id"] for s in listing} == {"khmeimim", "tartus"}
    shown = json.loads(cli("sites", "show", "Хмеймим", "-w", ws.root, "--json").stdout)
    assert shown["id"] == "khmeimim"
    assert "main-apron" in {z["id"] for z in shown["zones"]}
    human = cli("sites", "show", "Tartous", "-w", ws.root)
    assert human.exit_code == 0 and "naval-piers" in human.stdout


def test_sites_show_geojson_is_a_feature_collection(cli, ws):
    fc = json.loads(cli("sites", "show", "khmeimim", "--geojson", "-w", ws.root).stdout)
    assert fc["type"] == "FeatureCollection"
    assert fc["features"][0]["geometry"]["type"] == "Polygon"


def test_sites_add_from_geojson_and_resolve_its_aliases(cli, ws, tmp_path):
    f = write_site_geojson(tmp_path / "site.geojson")
    result = cli("sites", "add", f, "-w", ws.root)
    assert result.exit_code == 0, result.output
    shown = json.loads(cli("sites", "show", "Тестово", "-w", ws.root, "--json").stdout)
    assert shown["id"] == "testbase" and shown["zones"][0]["id"] == "apron"
    again = cli("sites", "add", f, "-w", ws.root)
    assert again.exit_code == 1 and "--replace" in again.stderr
    assert cli("sites", "add", f, "--replace", "--name", "Renamed", "-w", ws.root).exit_code == 0
    assert json.loads(cli("sites", "show", "testbase", "-w", ws.root, "--json").stdout)["name"] == "Renamed"


def test_sites_add_rejects_bad_geojson(cli, ws, tmp_path):
    bad = tmp_path / "bad.geojson"
    bad.write_text('{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"id": "x"}, '
                   '"geometry": {"type": "Point", "coordinates": [30, 50]}}]}')
    result = cli("sites", "add", bad, "-w", ws.root)
    assert result.exit_code == 1 and "Point" in result.stderr and "bad.geojson" in result.stderr
    utm = tmp_path / "utm.geojson"
    utm.write_text('{"type": "Feature", "properties": {"id": "y"}, "geometry": {"type": "Polygon", '
                   '"coordinates": [[[500000, 3900000], [501000, 3900000], [501000, 3901000], [500000, 3900000]]]}}')
    result = cli("sites", "add", utm, "-w", ws.root)
    assert result.exit_code == 1 and "EPSG:4326" in result.stderr


def test_unknown_site_suggests(cli, ws):
    result = cli("sites", "show", "Hmeimimm", "-w", ws.root)
    assert result.exit_code == 1 and "khmeimim" in result.stderr
