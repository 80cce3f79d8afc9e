"""Contradictions with care: never within one text, only about the same days, one statement listed once."""

from __future__ import annotations

from assess_builders import steady_khmeimim

from basewatch.assess.assessment import assess_site

PESKOV = [{"name": "Dmitry Peskov", "kind": "official"}]


def _pairs(ws, day: str) -> list[dict]:
    d = assess_site(ws, "khmeimim", day, store=False).to_dict()
    return [c for c in d["contradictions"] if c["against"]["kind"] == "claim"]


def test_two_claims_of_one_text_never_contradict_each_other(builder) -> None:
    steady_khmeimim(builder, ("2024-12-10", "2024-12-14"))
    ev = builder.claim("khmeimim", "reuters", "2024-12-14T10:00:00", "WITHDRAWING", "Russian forces",
                       "officials said forces are leaving", event="2024-12-14", speaker="a Western official")
    builder.claim("khmeimim", "reuters", "2024-12-14T10:00:00", "NOT_WITHDRAWING", "Russian forces",
                  "Moscow says they are not leaving", event="2024-12-14", speaker="Dmitry Peskov", ev=ev)
    assert _pairs(builder.ws, "2024-12-15") == []


def test_claims_about_different_days_are_a_change_not_a_contradiction(builder) -> None:
    steady_khmeimim(builder, ("2024-12-03", "2024-12-14"))
    builder.claim("khmeimim", "tass", "2024-12-03T10:00:00", "NOT_WITHDRAWING", "Russian forces",
                  "the forces are staying", event="2024-12-03", speaker="Dmitry Peskov", attribution=PESKOV)
    builder.claim("khmeimim", "reuters", "2024-12-14T10:00:00", "WITHDRAWING", "Russian forces",
                  "the forces are leaving", event="2024-12-14", speaker="a Western official")
    assert _pairs(builder.ws, "2024-12-15") == []
    builder.claim("khmeimim", "bbc", "2024-12-14T12:00:00", "NOT_WITHDRAWING", "Russian forces",
                  "no one is leaving", event="2024-12-14", speaker="Dmitry Peskov", attribution=PESKOV)
    pairs = _pairs(builder.ws, "2024-12-15")
    assert len(pairs) == 1
    assert {pairs[0]["claim"]["state"], pairs[0]["against"]["state"]} == {"WITHDRAWING", "NOT_WITHDRAWING"}


def test_one_statement_repeated_by_outlets_is_listed_once(builder) -> None:
    steady_khmeimim(builder, ("2024-12-10", "2024-12-14"))
    builder.claim("khmeimim", "reuters", "2024-12-14T10:00:00", "WITHDRAWING", "Russian forces",
                  "the forces are leaving", event="2024-12-14", speaker="a Western official")
    for outlet in ("tass", "bbc", "ap"):
        builder.claim("khmeimim", outlet, "2024-12-14T11:00:00", "NOT_WITHDRAWING", "Russian forces",
                      "Peskov: no one is leaving", event="2024-12-14", speaker="Dmitry Peskov", attribution=PESKOV)
    assert len(_pairs(builder.ws, "2024-12-15")) == 1


def test_a_statement_against_the_observations_is_listed_once_with_its_reports(december) -> None:
    ws, _ = december
    d = assess_site(ws, "khmeimim", "2024-12-15", store=False).to_dict()
    seen = [c for c in d["contradictions"] if c["against"]["kind"] == "observation"]
    keys = [(c["claim"]["speaker"].lower(), c["claim"]["state"],
             (c["claim"]["event_time"] or c["claim"]["reported_time"] or "")[:10]) for c in seen]
    assert seen and len(keys) == len(set(keys))
    assert all(c["claim"]["reports"] >= 1 and c["claim"]["evidence"] in c["claim"]["report_evidence"] for c in seen)
