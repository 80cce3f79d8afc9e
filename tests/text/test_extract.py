"""Claims: state, stance, negation, conditionals, attribution chains, the JSON contract."""

from __future__ import annotations

from datetime import date

import pytest

from basewatch.text import CLAIM_STATES, STANCES, extract_claims


def one(text: str, **kw) -> object:
    claims = extract_claims(text, published=kw.pop("published", "2024-12-14"), **kw)
    assert len(claims) == 1, [c.to_dict() for c in claims]
    return claims[0]


@pytest.mark.parametrize(("text", "state", "stance"), [
    ("Two An-124s at Khmeimim have their noses open.", "LOADING", "asserted"),
    ("Two An-124s at Khmeimim appear to be loading.", "LOADING", "hedged"),
    ("Two An-124s at Khmeimim are reportedly loading.", "LOADING", "reported"),
    ("Moscow claims the S-400 at Khmeimim is still deployed and in place.", "PRESENT", "claimed"),
    ("The frigates could return to Tartus next week.", "RETURNED", "speculative"),
    ("The Ka-52 helicopters at Hmeimim were not dismantled.", "DISMANTLING", "negated"),
    ("No Russian warship was visible at the piers in Tartus.", "ABSENT", "asserted"),
    ("The Su-24s at Khmeimim were not visible.", "ABSENT", "asserted"),
    ("Russia is not leaving Tartus.", "NOT_WITHDRAWING", "asserted"),
    ("Officials said no final decision has been taken on Khmeimim.", "NO_DECISION", "asserted"),
])
def test_state_and_stance(text: str, state: str, stance: str) -> None:
    c = one(text)
    assert (c.state, c.stance) == (state, stance)


def test_vocabulary_covers_the_issue() -> None:
    need = {"PRESENT", "ABSENT", "ARRIVED", "DEPARTED", "RETURNED", "UNCHANGED", "LOADING", "DISMANTLING", "PACKED",
            "RELOCATED", "CONVERGING", "HOLDING_OFFSHORE", "WITHDRAWING", "WITHDRAWN", "PLANNED_WITHDRAWAL",
            "NOT_WITHDRAWING", "REINFORCING", "NO_DECISION", "NEGOTIATING", "AGREEMENT", "BLOCKED",
            "OPERATING_NORMALLY", "SECURITY_MEASURES", "EXERCISE", "DENIED_ENTRY", "ENTERED_PORT"}
    assert need <= set(CLAIM_STATES)
    assert set(STANCES) == {"asserted", "hedged", "reported", "claimed", "negated", "speculative"}


def test_conditionals_and_questions_are_not_facts() -> None:
    claims = extract_claims("If talks fail, the aircraft at Hmeimim could be flown out. It is unclear whether "
                            "the Tartus base will be abandoned.", published="2024-12-14")
    assert [(c.state, c.stance) for c in claims] == [("DEPARTED", "speculative")]
    assert extract_claims("He did not confirm that any personnel at Khmeimim had been withdrawn.",
                          published="2024-12-14") == []


def test_attribution_chain_outlet_intermediary_speaker() -> None:
    c = one("The Institute for the Study of War said on Wednesday that Russian forces appear to be consolidating "
            "at the Hmeimim air base, citing Maxar images.", published="2024-12-12", outlet="Reuters")
    assert [(a.name, a.kind) for a in c.attribution] == [
        ("Reuters", "media"), ("The Institute for the Study of War", "think_tank"),
        ("Maxar Technologies (satellite imagery)", "satellite_provider")]
    assert c.event_time is not None and c.event_time.start == date(2024, 12, 11) and c.stance == "hedged"


@pytest.mark.parametrize(("text", "speaker", "kind"), [
    ("According to a senior Syrian official, Russian police barred local staff from entering Khmeimim.",
     "a senior Syrian official", "official"),
    ('"We are not leaving Tartus," a Russian diplomat told Reuters.', "a Russian diplomat", "official"),
    ("Two sources familiar with the matter said the frigates had left the port of Tartus.",
     "Two sources familiar with the matter", "anonymous"),
    ("Some reports suggest Russia has reached an agreement with the new authorities on Khmeimim.",
     "unnamed reports", "anonymous"),
])
def test_speakers(text: str, speaker: str, kind: str) -> None:
    c = one(text, outlet="AP")
    assert c.attribution[0].name == "AP"
    assert (c.attribution[1].name, c.attribution[1].kind) == (speaker, kind)


def test_imagery_context_carries_to_following_sentences() -> None:
    text = ("The images, taken on December 13, 2024, by Maxar Technologies, show cargo planes at Khmeimim with "
            "their noses open.\n\nThe images also show the S-400 being dismantled. A Ka-52 is seen with its rotor "
            "blades removed.\n\nThings are different at Tartus. Russian warships left the port days ago.")
    claims = extract_claims(text, published="2024-12-14", outlet="Example")
    by_state = {c.state: c for c in claims}
    for state in ("LOADING", "DISMANTLING"):
        assert by_state[state].attribution[-1].name == "Maxar Technologies (satellite imagery)"
        assert by_state[state].event_time is not None and by_state[state].event_time.start == date(2024, 12, 13)
    dep = by_state["DEPARTED"]
    assert dep.site == "tartus" and [a.name for a in dep.attribution] == ["Example"] and dep.event_time is None


def test_site_from_context_and_kind_of_subject() -> None:
    claims = extract_claims("We are not leaving Tartus, he said. Earlier, two Su-24s at Hmeimim had left. "
                            "\n\nA diplomat in Tartus spoke. Syria TV reported that two Su-24 bombers took off for "
                            "Russia from the base.", published="2024-12-14")
    last = claims[-1]
    assert (last.state, last.site) == ("DEPARTED", "khmeimim")  # aircraft leave from the air base


def test_json_contract() -> None:
    text = "Satellite images show two An-124s parked at Khmeimim on Friday."
    d = extract_claims(text, published="2024-12-14", outlet="BBC")[0].to_dict()
    assert set(d) == {"site", "subject", "state", "event_time", "attribution", "stance", "quote"}
    assert set(d["subject"]) == {"type", "category", "text"} and d["subject"]["type"] == "an-124"
    assert d["event_time"] == {"start": "2024-12-13", "end": "2024-12-13", "precision": "day"}
    assert all(set(a) == {"name", "kind"} for a in d["attribution"])
    q = d["quote"]
    assert text[q["start"]:q["end"]] == q["text"]


def test_host_countries_come_from_the_catalog() -> None:
    """"has left Syria" is a withdrawal because Syria hosts a watched site; a site added in Libya makes "has left
    Libya" one too."""
    import dataclasses

    from basewatch.catalog import builtin_catalog, site_from_catalog_entry

    cat = builtin_catalog()
    assert one("The Russian air group at Khmeimim has left Syria.").state == "WITHDRAWN"
    assert "WITHDRAWN" not in [c.state for c in extract_claims("The Russian air group at Khmeimim has left Libya.",
                                                               published="2024-12-14")]
    jufra = site_from_catalog_entry({"id": "al-jufra", "name": "Al Jufra Air Base", "kind": "air_base",
                                     "country": "LY", "lat": 29.198, "lon": 16.0, "aliases": ["Al Jufra"]})
    libya = dataclasses.replace(cat, sites={**cat.sites, "al-jufra": jufra})
    c = one("The Russian air group at Al Jufra has left Libya.", catalog=libya)
    assert (c.state, c.site) == ("WITHDRAWN", "al-jufra")
    assert "Syria" in cat.host_country_names() and "Libya" not in cat.host_country_names()


def test_denial_flips_the_state_and_keeps_the_speaker() -> None:
    claims = extract_claims("Russia's defence ministry denied that any withdrawal from Tartus was under way.",
                            published="2025-03-05", outlet="Reuters")
    assert [(c.site, c.state, c.stance) for c in claims] == [("tartus", "NOT_WITHDRAWING", "claimed")]
    assert "ministry" in claims[0].speaker.lower()


def test_departure_on_a_weekday_and_comparisons() -> None:
    text = ("Six Il-76 left Khmeimim on Monday. Satellite images show fewer Su-34 than last week at the base. "
            "The apron remains largely unchanged since our Mar. 1 imagery.")
    got = [(c.state, c.event_time.start.isoformat() if c.event_time else None)
           for c in extract_claims(text, published="2025-03-05", outlet="Reuters")]
    assert got == [("DEPARTED", "2025-03-03"), ("DEPARTED", None), ("UNCHANGED", "2025-03-05")]


def test_quotes_are_whole_words() -> None:
    text = "Two An-124s stood with their nose cones open at Hmeimim. A source said the new authorities agreed."
    for c in extract_claims(text, published="2025-03-05"):
        assert c.quote == text[c.quote_start:c.quote_end]
        assert not (c.quote_start > 0 and text[c.quote_start - 1].isalnum())
        assert not (c.quote_end < len(text) and text[c.quote_end].isalnum())


def test_a_headline_gives_the_site_but_no_claims_of_its_own() -> None:
    text = ("Russia pulls bombers out of Engels, images show\n\n"
            "Satellite images taken on Monday show that most bombers have left the base.")
    from basewatch.catalog import builtin_catalog
    from basewatch.model import Site

    engels = Site(id="engels", name="Engels-2 air base", kind="air_base", lat=51.48, lon=46.21, aoi={},
                  aliases=("Engels",))
    cat = builtin_catalog().with_additions(sites=[engels])
    claims = extract_claims(text, published="2025-03-05", outlet="Reuters", catalog=cat)
    assert claims and all(c.quote_start > text.index("\n\n") for c in claims)
    assert {c.site for c in claims} == {"engels"}
