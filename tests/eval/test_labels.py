"""Label readers: Airbus CSV, DOTA txt, MAR20 XML, GeoJSON; the fixed Airbus split."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from basewatch.errors import InputFileError
from basewatch.eval.labels import airbus_split, read_labels

SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "data"


def test_airbus_csv(tmp_path):
    p = tmp_path / "annotations.csv"
    p.write_text('id,image_id,geometry,class\n1,a.jpg,"[(10, 20), (50, 20), (50, 60), (10, 60), (10, 20)]",Airplane\n'
                 '2,a.jpg,"[(0, 0), (5, 0), (5, 9), (0, 9), (0, 0)]",Truncated_airplane\n')
    ls = read_labels(p)
    (g1, g2), = ls.objects.values()
    assert g1.cls == "aircraft" and not g1.ignore and g1.polygon[0] == (10, 20) and g1.polygon[2] == (50, 60)
    assert g2.ignore and ls.gsd_m["a.jpg"] == 0.5


def test_dota_txt_folder(tmp_path):
    (tmp_path / "P1.txt").write_text("imagesource:GoogleEarth\ngsd:0.25\n"
                                     "1 1 11 1 11 5 1 5 ship 0\n2 2 4 2 4 4 2 4 small-vehicle 1\n"
                                     "0 0 9 0 9 9 0 9 storage-tank 0\n")
    ls = read_labels(tmp_path)
    objs = ls.objects["P1"]
    assert [(o.cls, o.ignore) for o in objs] == [("ship", False), ("vehicle", True)]
    assert ls.gsd_m["P1"] == 0.25


def test_mar20_xml(tmp_path):
    (tmp_path / "7.xml").write_text(
        "<annotation><filename>7.jpg</filename><object><name>A19</name><difficult>0</difficult><robndbox>"
        "<x_left_top>0</x_left_top><y_left_top>0</y_left_top><x_right_top>100</x_right_top><y_right_top>0"
        "</y_right_top><x_right_bottom>100</x_right_bottom><y_right_bottom>80</y_right_bottom><x_left_bottom>0"
        "</x_left_bottom><y_left_bottom>80</y_left_bottom></robndbox></object></annotation>")
    ls = read_labels(tmp_path / "7.xml")
    (g,), = ls.objects.values()
    assert g.cls == "aircraft" and g.polygon[2] == (100.0, 80.0)
    assert ls.gsd_m["7"] == pytest.approx(23.3 / 100)


def test_geojson(tmp_path):
    fc = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": None,
         "properties": {"category": "aircraft.helicopter.attack", "polygon_px": [[0, 0], [9, 0], [9, 4], [0, 4]]}},
        {"type": "Feature", "geometry": None, "properties": {"class": "ship", "bbox_px": [5, 5, 25, 9],
                                                             "image": "x.tif"}},
        {"type": "Feature", "geometry": None, "properties": {"class": "building", "bbox_px": [1, 1, 2, 2]}}]}
    (tmp_path / "scene.geojson").write_text(json.dumps(fc))
    ls = read_labels(tmp_path / "scene.geojson")
    assert [g.cls for g in ls.objects["scene"]] == ["helicopter"]
    assert ls.objects["x"][0].polygon[2] == (25.0, 9.0)


def test_bad_label_files(tmp_path):
    with pytest.raises(InputFileError, match="no such label"):
        read_labels(tmp_path / "nope.csv")
    (tmp_path / "x.csv").write_text("a,b\n1,2\n")
    with pytest.raises(InputFileError, match="Airbus annotations CSV"):
        read_labels(tmp_path / "x.csv")
    (tmp_path / "y.yaml").write_text("a: 1")
    with pytest.raises(InputFileError, match="unknown label format"):
        read_labels(tmp_path / "y.yaml")


def test_split_is_fixed_and_disjoint():
    names = [f"img{i:03d}.jpg" for i in range(83)]
    tr, va = airbus_split(names)
    assert len(va) == 20 and len(tr) == 63 and not set(tr) & set(va)
    assert airbus_split(list(reversed(names))) == (tr, va)


@pytest.mark.shared
@pytest.mark.skipif(not (SHARED / "airbus-aircraft-sample").is_dir(), reason="../shared data absent")
def test_real_airbus_sample():
    ls = read_labels(SHARED / "airbus-aircraft-sample" / "annotations.csv")
    assert len(ls.objects) == 83 and sum(len(v) for v in ls.objects.values()) == 2771
    tr, va = airbus_split(sorted(ls.objects))
    assert len(va) == 20 and va[0] == sorted(va)[0]
