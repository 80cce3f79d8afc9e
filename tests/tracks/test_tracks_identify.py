"""Identification: address blocks, MMSI prefixes, registrations, user database and watch-lists, ship classes."""

from __future__ import annotations

from pathlib import Path

import pytest

from basewatch.catalog import builtin_catalog
from basewatch.errors import InputFileError
from basewatch.tracks.identify import (
    Identifier,
    icao24_country,
    mmsi_country,
    registration_from_callsign,
    registration_from_icao24,
    ship_type_category,
)


@pytest.mark.parametrize(("icao", "iso"), [("100000", "RU"), ("1fffff", "RU"), ("778000", "SY"), ("77ffff", "SY"),
                                            ("3b77e4", "FR"), ("ae0455", "US"), ("789abc", "HK"), ("780001", "CN"),
                                            ("4b18b8", "CH")])
def test_icao24_blocks(icao: str, iso: str) -> None:
    assert icao24_country(icao)[0] == iso  # type: ignore[index]


def test_icao24_outside_any_block() -> None:
    assert icao24_country("f80000") is None and icao24_country("xyz") is None


def test_mmsi_prefixes() -> None:
    assert mmsi_country("273458210") == ("RU", "Russia")
    assert mmsi_country("468102000")[0] == "SY"  # type: ignore[index]
    assert mmsi_country("992731234")[0] == "RU"  # aid to navigation 99 + MID  # type: ignore[index]
    assert mmsi_country("111111111") is None


def test_ship_types() -> None:
    assert ship_type_category(35) == "ship.military" and ship_type_category(55) == "ship.law_enforcement"
    assert ship_type_category(74) == "ship.cargo" and ship_type_category(None) == "ship.unknown"


def test_registrations() -> None:
    assert registration_from_callsign("RA78830") == "RA-78830"
    assert registration_from_callsign("RF-82035") == "RF-82035"
    assert registration_from_callsign("AFR090") is None
    assert registration_from_icao24(f"{0x140000 + 78830:06x}") == "RA-78830"
    assert registration_from_icao24("3b77e4") is None


def test_russian_transport_typed_from_registration_pattern() -> None:
    ident = Identifier(catalog=builtin_catalog())
    il76 = ident.aircraft(f"{0x140000 + 78830:06x}", "RFF7081")
    assert il76["registration"] == "RA-78830" and il76["typecode"] == "IL76"
    assert il76["equipment"] == "il-76" and il76["category"] == "aircraft.transport.heavy"
    assert il76["country"] == "RU" and il76["military"] is True  # RFF = Russian Air Force
    an124 = ident.aircraft("15e0b4", "RF82035")
    assert an124["typecode"] == "A124" and an124["military"] is True and an124["equipment"] == "an-124"
    airline = ident.aircraft("39cf08", "AFR090")
    assert airline["category"] == "aircraft.civil" and airline["military"] is None
    unknown = ident.aircraft("3aabfc", "FHHCB")
    assert unknown["category"] == "aircraft.unknown"


def test_user_aircraft_database_and_watchlist(tmp_path: Path) -> None:
    db = tmp_path / "aircraft.csv"
    db.write_text("'icao24','registration','typecode','operator'\n'3b77e4','F-RAAA','A400','Armee de l Air'\n")
    wl = tmp_path / "watch.csv"
    wl.write_text("kind,pattern,typecode,operator,military,country,note\nname,SPARTA IV,cargo-ship,,yes,RU,\n"
                  "callsign_prefix,CTM,,,yes,FR,\n")
    ident = Identifier(catalog=builtin_catalog(), aircraft_db=Identifier.read_aircraft_db(db),
                       watch=Identifier.read_watchlist(wl))
    a = ident.aircraft("3b77e4", "CTM1283")
    assert a["registration"] == "F-RAAA" and a["category"] == "aircraft.transport.heavy"
    assert "aircraft database" in a["id_basis"]
    v = ident.vessel("273352100", {"name": "SPARTA IV", "ship_type": 70, "length_m": 122})
    assert v["equipment"] == "cargo-ship" and v["military"] is True and v["length_check"] == "consistent"
    bad = tmp_path / "bad.csv"
    bad.write_text("registration,typecode\nX,Y\n")
    with pytest.raises(InputFileError, match="icao24"):
        Identifier.read_aircraft_db(bad)


def test_vessel_name_and_length_against_catalog_classes() -> None:
    ident = Identifier(catalog=builtin_catalog())
    v = ident.vessel("273458320", {"name": "ADMIRAL GOLOVKO", "ship_type": 35, "length_m": 135})
    assert v["equipment"] == "frigate-22350" and v["category"] == "ship.frigate"
    assert v["country"] == "RU" and v["length_check"] == "consistent"
    wrong = ident.vessel("273458320", {"name": "ADMIRAL GOLOVKO", "ship_type": 35, "length_m": 40})
    assert wrong["length_check"] == "inconsistent"
    anon = ident.vessel("273000001", {"ship_type": 35, "length_m": 128})
    assert "frigate-11356m" in anon["class_candidates"] and "frigate-22350" in anon["class_candidates"]
