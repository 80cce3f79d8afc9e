import json


def test_catalog_list_and_filters(cli, ws):
    types = json.loads(cli("catalog", "list", "-w", ws.root, "--json").stdout)
    assert {"an-124", "il-76", "ka-52", "91n6e", "frigate-22350"} <= {t["id"] for t in types}
    helis = json.loads(cli("catalog", "list", "--category", "aircraft.helicopter", "-w", ws.root, "--json").stdout)
    assert {t["id"] for t in helis} == {"ka-52", "mi-8", "mi-24", "mi-28", "ka-27"}
    sources = json.loads(cli("catalog", "list", "--sources", "-w", ws.root, "--json").stdout)
    assert {s["reliability"] for s in sources} <= set("ABCDEF")
    states = json.loads(cli("catalog", "list", "--states", "-w", ws.root, "--json").stdout)
    assert "nose_open" in states and "rotor_removed" in states


def test_catalog_show_by_alias(cli, ws):
    an124 = json.loads(cli("catalog", "show", "Condor", "-w", ws.root, "--json").stdout)
    assert an124["id"] == "an-124" and an124["length_m"] == 68.96 and an124["citation"]
    assert json.loads(cli("catalog", "show", "AN-124", "-w", ws.root, "--json").stdout)["id"] == "an-124"
    assert json.loads(cli("catalog", "show", "Reuters", "-w", ws.root, "--json").stdout)["reliability"] == "B"
    bad = cli("catalog", "show", "Su-99", "-w", ws.root)
    assert bad.exit_code == 1 and "Su-99" in bad.stderr


def test_catalog_import(cli, ws, tmp_path):
    f = tmp_path / "extra.yaml"
    f.write_text("types:\n  - {id: tor-m2, name: Tor-M2, category: air-defense.gun-missile, length_m: 7.5, "
                 "width_m: 3.3, aliases: [SA-15, Гаунтлет]}\n")
    result = cli("catalog", "import", f, "-w", ws.root)
    assert result.exit_code == 0 and "1 equipment" in result.stdout
    assert json.loads(cli("catalog", "show", "SA-15", "-w", ws.root, "--json").stdout)["id"] == "tor-m2"
    empty = tmp_path / "empty.yaml"
    empty.write_text("")
    result = cli("catalog", "import", empty, "-w", ws.root)
    assert result.exit_code == 1 and "empty.yaml" in result.stderr
