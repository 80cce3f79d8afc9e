"""States from pixels (nose visor, rotor blades, radar antenna) and from place (ship at berth or offshore)."""

from __future__ import annotations

import pytest

from basewatch.catalog import builtin_catalog
from basewatch.catalog.geometry import local_rect_geojson
from basewatch.eval.identification import detections_from_labels
from basewatch.imagery.chips import ImageReader
from basewatch.imagery.identify import identify
from basewatch.imagery.states import dominant_state, object_states, ship_berth_scores, zone_of
from basewatch.model import Detection

SCENE = """\
name: states-test
site: khmeimim
seed: 5
acquisition: {gsd_m: 0.5, off_nadir_deg: 8, cloud_cover: 0.0, haze: 0.05}
footprint: {center_m: [-685, -537], size_m: [760, 1000]}
dates:
  - date: 2024-12-13
    equipment:
      - {type: an-124, count: 1, zone: transport-apron, state: nose_open}
      - {type: an-124, count: 1, zone: transport-apron, state: parked}
      - {type: il-76, count: 1, zone: transport-apron, state: ramp_open}
      - {type: a320, count: 1, zone: transport-apron, state: parked}
      - {type: ka-52, count: 2, zone: helicopter-apron, state: rotor_removed}
      - {type: ka-52, count: 2, zone: helicopter-apron, state: parked}
      - {type: mi-8, count: 1, zone: helicopter-apron, state: rotor_removed}
      - {type: mi-8, count: 1, zone: helicopter-apron, state: parked}
      - {type: 91n6e, count: 1, zone: staging-area, state: packed}
      - {type: 91n6e, count: 1, zone: staging-area, state: deployed}
      - {type: 92n6e, count: 1, zone: staging-area, state: packed}
      - {type: 92n6e, count: 1, zone: staging-area, state: deployed}
      - {type: s-400-tel, count: 1, zone: staging-area, state: packed}
      - {type: s-400-tel, count: 1, zone: staging-area, state: deployed}
"""
STATE_OF = {"nose_open": "nose_open", "rotor_removed": "rotor_removed", "packed": "packed", "deployed": "deployed"}


@pytest.fixture(scope="module")
def scored(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[str, str, dict[str, float]]]:
    from basewatch.synth import render

    d = tmp_path_factory.mktemp("states")
    (d / "s.yaml").write_text(SCENE, "utf-8")
    image = render(d / "s.yaml", d / "out").images[0].path
    out = []
    with ImageReader(image) as reader:
        for o in detections_from_labels(image.parent / "labels" / f"{image.stem}.geojson", noise_px=0.5, seed=3):
            chip = reader.chip(o.detection)
            ident = identify(o.detection, chip=chip)
            out.append((o.type_id, o.state, object_states(o.detection, ident, chip)))
    return out


def expected(type_id: str, state: str) -> str | None:
    if type_id in ("an-124", "il-76"):
        return state if state in ("nose_open", "ramp_open") else None
    if type_id == "a320":
        return None
    if type_id in ("ka-52", "mi-8"):
        return "rotor_removed" if state == "rotor_removed" else None
    return state


def test_states_from_pixels(scored) -> None:
    right = 0
    for type_id, state, states in scored:
        assert bool(states) == bool(builtin_catalog().equipment[type_id].image_states), (type_id, states)
        assert all(0.0 <= v <= 1.0 for v in states.values())
        right += dominant_state(states) == expected(type_id, state)
    assert right >= 0.8 * len(scored), scored


@pytest.mark.parametrize("key,types", [("nose_open", ("an-124",)), ("rotor_removed", ("ka-52", "mi-8")),
                                       ("deployed", ("91n6e", "92n6e", "s-400-tel"))])
def test_state_scores_separate_the_two_looks(scored, key: str, types: tuple[str, ...]) -> None:
    on = [s[key] for t, st, s in scored if t in types and expected(t, st) == key]
    off = [s[key] for t, st, s in scored if t in types and expected(t, st) != key]
    assert on and off
    assert sum(on) / len(on) > sum(off) / len(off) + 0.3


def test_radar_reports_packed_and_deployed_as_complements(scored) -> None:
    """Packed and deployed share what is left once the chance that the object is no air-defence element at all
    is taken out: they add up to at most 1, and to 1 when the type is sure."""
    for t, _, s in scored:
        if t in ("91n6e", "92n6e"):
            assert 0.5 <= s["packed"] + s["deployed"] <= 1.0 + 1e-3


def _ship_at(site_id: str, east: float, north: float) -> Detection:
    s = builtin_catalog().sites[site_id]
    ring = local_rect_geojson(s.lat, s.lon, (east, north), (16, 135))["coordinates"][0][:4]
    return Detection(cls="ship", score=0.9, polygon_px=((0, 0), (16, 0), (16, 135), (0, 135)),
                     polygon_lonlat=tuple(tuple(p) for p in ring), length_m=135, width_m=16)


def test_ship_at_berth_or_offshore_from_its_place() -> None:
    site = builtin_catalog().sites["tartus"]
    at_pier = _ship_at("tartus", -120, 60)
    assert zone_of(at_pier, site) == "naval-piers"
    s = ship_berth_scores(at_pier, site)
    assert s["at_berth"] > 0.9 and dominant_state(s) == "at_berth"
    offshore = _ship_at("tartus", -8500, 3500)
    assert dominant_state(ship_berth_scores(offshore, site)) == "offshore"
    near_quay = _ship_at("tartus", 60, 380)  # just outside the quay zone, alongside it
    assert dominant_state(ship_berth_scores(near_quay, site)) == "at_berth"
    open_sea = _ship_at("tartus", -3000, 0)  # no zone, far from every pier
    assert dominant_state(ship_berth_scores(open_sea, site)) == "offshore"
    ident = identify(at_pier)
    assert object_states(at_pier, ident, None, site=site)["at_berth"] > 0.9


def test_which_states_a_type_can_show_is_catalog_data(tmp_path) -> None:
    """`image_states` in the catalog decide which states are looked for: the An-124 reports its visor
    (`nose_open`), an Il-76 its rear ramp, an A320 nothing; take the states off the An-124 and its chips get no
    door score any more."""
    import dataclasses

    from basewatch.synth import render

    (tmp_path / "s.yaml").write_text(SCENE, "utf-8")
    image = render(tmp_path / "s.yaml", tmp_path / "out").images[0].path
    cat = builtin_catalog()
    an124 = cat.equipment["an-124"]
    assert an124.image_states == ("nose_open", "ramp_open")
    assert cat.equipment["il-76"].image_states == ("ramp_open",) and cat.equipment["a320"].image_states == ()
    no_door = dataclasses.replace(an124, image_states=())
    edited = dataclasses.replace(cat, equipment={**cat.equipment, "an-124": no_door})
    with ImageReader(image) as reader:
        for o in detections_from_labels(image.parent / "labels" / f"{image.stem}.geojson", noise_px=0.5, seed=3):
            if o.type_id != "an-124":
                continue
            chip = reader.chip(o.detection)
            ident = identify(o.detection, chip=chip)
            assert ident.type_id == "an-124"
            assert "nose_open" in object_states(o.detection, ident, chip, catalog=cat)
            assert object_states(o.detection, ident, chip, catalog=edited) == {}
            as_a320 = dataclasses.replace(ident, type_id="a320", category="aircraft.civil.airliner")
            assert object_states(o.detection, as_a320, chip, catalog=cat) == {}
            as_il76 = dataclasses.replace(ident, type_id="il-76")
            assert set(object_states(o.detection, as_il76, chip, catalog=cat)) == {"ramp_open"}


def test_below_its_calibrated_threshold_a_state_is_undetermined() -> None:
    from basewatch.imagery.states import dominant_state, state_thresholds

    limits = state_thresholds()
    assert set(limits) >= {"nose_open", "ramp_open", "rotor_removed", "deployed", "packed"}
    t = limits["nose_open"]
    assert dominant_state({"nose_open": t}) == "nose_open"
    assert dominant_state({"nose_open": t - 0.01}) is None
