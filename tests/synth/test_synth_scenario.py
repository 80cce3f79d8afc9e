"""Scenario validation: every user error names the file and the line, and suggests a fix."""

from __future__ import annotations

import re

import pytest

from basewatch.errors import ScenarioError
from basewatch.synth import builtin_scenarios, load_scenario, parse_scenario, scenario_path

GOOD = """\
site: Hmeimim
seed: 3
acquisition:
  gsd_m: 0.8
dates:
  - date: 2024-12-13
    equipment:
      - {type: An-124, count: 2, zone: transport-apron, state: nose_open}
      - {type: ka-52, zone: helicopter-apron, state: rotor_removed, position_m: [10, 0], heading_deg: 90}
"""


def _error(text: str) -> str:
    with pytest.raises(ScenarioError) as info:
        parse_scenario(text, "bad.yaml")
    return str(info.value)


def test_good_scenario_resolves_aliases_and_defaults() -> None:
    sc = parse_scenario(GOOD, "good.yaml")
    assert sc.site_id == "khmeimim"
    assert sc.seed == 3
    assert sc.acquisition.gsd_m == 0.8
    eq = sc.dates[0].equipment
    assert [e.type_id for e in eq] == ["an-124", "ka-52"]
    assert eq[0].count == 2 and eq[0].state == "nose_open"
    assert eq[1].position_m == (10.0, 0.0) and eq[1].heading_deg == 90.0


@pytest.mark.parametrize(
    ("old", "new", "line", "words"),
    [
        ("type: An-124", "type: Su-99", 8, "unknown equipment type 'Su-99'"),
        ("zone: transport-apron", "zone: nowhere", 8, "unknown zone 'nowhere'"),
        ("state: nose_open", "state: flying", 8, "unknown state 'flying'"),
        ("state: rotor_removed", "state: at_berth", 9, "does not apply to ka-52"),
        ("count: 2", "count: -1", 8, "count -1 is negative"),
        ("gsd_m: 0.8", "gsd_m: 2.5", 4, "gsd_m 2.5 is out of range"),
        ("date: 2024-12-13", "date: 2024-13-45", 6, "malformed date"),
        ("seed: 3", "seed: 3\ncolour: red", 3, "unknown key 'colour'"),
        ("site: Hmeimim", "site: Atlantis", 1, "unknown site 'Atlantis'"),
        ("position_m: [10, 0]", "position_m: [10]", 9, "position_m must be two numbers"),
    ],
)
def test_invalid_scenarios_name_file_and_line(old: str, new: str, line: int, words: str) -> None:
    message = _error(GOOD.replace(old, new, 1))
    assert message.startswith(f"bad.yaml line {line}: "), message
    assert words in message
    assert "fix:" in message


def test_yaml_syntax_error_names_the_line() -> None:
    message = _error(GOOD.replace("      - {type: An-124", "      - {type: An-124 [", 1))
    assert re.match(r"bad\.yaml line \d+: invalid YAML", message), message


def test_misspelled_type_gets_a_suggestion() -> None:
    assert "did you mean an-124" in _error(GOOD.replace("type: An-124", "type: An-1244", 1))


def test_two_images_on_one_date_need_an_id() -> None:
    text = GOOD + "  - date: 2024-12-13\n"
    assert "give one of them an id" in _error(text)
    sc = parse_scenario(text + "    id: offshore\n    footprint: offshore-holding\n".replace("offshore-holding",
                                                                                            "staging-area"), "ok.yaml")
    assert [d.stem_suffix for d in sc.dates] == ["2024-12-13", "2024-12-13-offshore"]


def test_missing_texts_file(tmp_path) -> None:
    path = tmp_path / "s.yaml"
    path.write_text("texts: nothing.texts.yaml\n" + GOOD, "utf-8")
    with pytest.raises(ScenarioError, match=r"s\.yaml line 1: texts file 'nothing.texts.yaml' not found"):
        load_scenario(path)


def test_bad_text_kind_names_the_texts_file(tmp_path) -> None:
    (tmp_path / "t.texts.yaml").write_text(
        "texts:\n  - id: a\n    kind: tweet\n    source: bbc\n    published: 2024-12-01\n    body: x\n", "utf-8")
    path = tmp_path / "s.yaml"
    path.write_text("texts: t.texts.yaml\n" + GOOD, "utf-8")
    with pytest.raises(ScenarioError, match=r"t\.texts\.yaml line 3: unknown text kind 'tweet'"):
        load_scenario(path)


def test_builtin_scenarios_load() -> None:
    names = builtin_scenarios()
    assert {"khmeimim-dec2024", "tartus-dec2024"} <= set(names)
    for name in names:
        sc = load_scenario(name)
        assert sc.dates and sc.texts
        assert scenario_path(name).is_file()
    kh = load_scenario("khmeimim-dec2024")
    dec13 = next(d for d in kh.dates if d.date.isoformat() == "2024-12-13")
    states = {(e.type_id, e.state) for e in dec13.equipment}
    assert ("an-124", "nose_open") in states and ("ka-52", "rotor_removed") in states
    assert ("91n6e", "packed") in states and ("a320", "parked") in states
    ta = load_scenario("tartus-dec2024")
    assert any(d.footprint.zone == "offshore-holding" for d in ta.dates)


def test_unknown_builtin_name() -> None:
    with pytest.raises(ScenarioError, match="no built-in scenario"):
        load_scenario("mars-2030")
