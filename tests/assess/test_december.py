"""The December 2024 example (issue 5, "must hold"): Khmeimim on Dec 10 and 15, Tartus on Dec 10 and 13."""

from __future__ import annotations

import pytest

from basewatch.assess import TERMS, assess_site
from basewatch.assess.estimative import at_least

CONF_WORDS = ("low", "moderate", "high")


def _ind(a, iid):
    ind = a.indicator(iid)
    assert ind is not None, iid
    return ind


def test_khmeimim_dec10_status_quo_leads(december):
    ws, _ = december
    a = assess_site(ws, "khmeimim", "2024-12-10", store=False)
    assert a.leading.id == "status-quo"
    assert _ind(a, "combat-aircraft-below-baseline").value is False
    assert _ind(a, "air-defence-in-place").value is True
    # Nothing after the 10th is used: the packing seen on the 12th-15th is not known yet.
    assert _ind(a, "air-defence-packed").value is False
    assert _ind(a, "helicopters-dismantled").value is False


def test_khmeimim_dec15_withdrawal_or_drawdown_likely(december):
    ws, evs = december
    a = assess_site(ws, "khmeimim", "2024-12-15", store=False)
    d = a.to_dict()
    assert d["leading"]["id"] in ("withdrawal", "drawdown")
    assert at_least(d["leading"]["likelihood"], "likely")
    # The cited evidence: packed S-400 radar (drone video), loading An-124s, dismantled Ka-52, fewer combat aircraft.
    packed = _ind(a, "air-defence-packed")
    assert packed.value is True and evs["drone"] in packed.evidence and "91n6e packed" in packed.detail
    loading = _ind(a, "transports-loading")
    assert loading.value is True and "an-124 nose_open" in loading.detail
    assert evs["2024-12-15"] in loading.evidence
    heli = _ind(a, "helicopters-dismantled")
    assert heli.value is True and "ka-52 rotor_removed" in heli.detail
    combat = _ind(a, "combat-aircraft-below-baseline")
    assert combat.value is True and combat.evidence[0] == evs["2024-12-15"]
    strongest = next(j for j in d["judgements"] if j.startswith("The strongest evidence"))
    for label in (packed.label, loading.label, heli.label, combat.label):
        assert label in strongest
    # The Kremlin's "no final decisions" is flagged as contradicted by the imagery, both sides named.
    kremlin = [c for c in d["contradictions"] if c["claim"]["source"] == "kremlin"
               and c["claim"]["state"] == "NO_DECISION" and c["against"]["kind"] == "observation"]
    assert kremlin
    assert any("no final decisions" in c["claim"]["quote"] for c in kremlin)
    assert all(c["against"]["evidence"] and "maxar" in c["against"]["sources"] for c in kremlin)
    assert any("contradict" in j and "Kremlin" in j for j in d["judgements"])


def test_khmeimim_judgements_keep_likelihood_and_confidence_apart(december):
    ws, _ = december
    d = assess_site(ws, "khmeimim", "2024-12-15", store=False).to_dict()
    assert d["confidence"] in CONF_WORDS
    assert {h["likelihood"] for h in d["hypotheses"]} <= set(TERMS)
    first = d["judgements"][0]
    assert d["leading"]["likelihood"] in first and "confidence" not in first
    conf = [j for j in d["judgements"] if "confidence" in j]
    assert len(conf) == 1 and d["confidence"] in conf[0]
    assert not any(t in conf[0] for t in ("likely", "chance", "certain"))
    assert abs(sum(h["score"] for h in d["hypotheses"]) - 1) < 0.01


@pytest.mark.parametrize("day", ["2024-12-10", "2024-12-13"])
def test_tartus_offshore_exercise_and_air_defence(december, day):
    ws, evs = december
    t = assess_site(ws, "tartus", day, store=False)
    d = t.to_dict()
    offshore = _ind(t, "vessels-holding-offshore")
    assert offshore.value is True and evs["tartus-2024-12-10"] in offshore.evidence
    assert any(offshore.label in j for j in d["judgements"])
    exercise = [c for c in d["contradictions"] if c["claim"]["state"] == "EXERCISE"
                and c["against"]["kind"] == "observation"]
    assert exercise and exercise[0]["claim"]["source"] == "ru-mod"
    assert "vessels-holding-offshore" in exercise[0]["against"]["indicators"]
    # Air defence still in place counts against full withdrawal.
    ad = next(r for r in t.matrix if r.indicator == "air-defence-in-place")
    assert ad.value is True and ad.ratings["withdrawal"] in ("I", "II")
    assert d["leading"]["id"] != "withdrawal"
    # Less certain than Khmeimim on the 15th.
    k = assess_site(ws, "khmeimim", "2024-12-15", store=False)
    assert t.leading.probability < k.leading.probability
    assert CONF_WORDS.index(t.confidence) <= CONF_WORDS.index(k.confidence)
    assert (t.leading.probability, CONF_WORDS.index(t.confidence)) < (k.leading.probability,
                                                                      CONF_WORDS.index(k.confidence))


def test_sensitivity_names_items_the_conclusion_hangs_on(december):
    ws, _ = december
    t = assess_site(ws, "tartus", "2024-12-13", store=False)
    names = {s["indicator"] for s in t.sensitivity if s["change"] in ("removed", "reversed")}
    assert "vessels-absent-from-piers" in names
    assert any(j.startswith("The conclusion hangs on") and "warships absent from the piers" in j
               for j in t.judgements)


def test_claims_against_claims_name_both_sides(december):
    ws, _ = december
    d = assess_site(ws, "khmeimim", "2024-12-15", store=False).to_dict()
    pairs = [c for c in d["contradictions"] if c["against"]["kind"] == "claim"]
    states = {frozenset((c["claim"]["state"], c["against"]["state"])) for c in pairs}
    assert frozenset(("WITHDRAWING", "NOT_WITHDRAWING")) in states
    assert frozenset(("AGREEMENT", "NO_DECISION")) in states
    for c in pairs:
        assert c["claim"]["source"] and c["against"]["source"] and c["claim"]["evidence"] and c["against"]["evidence"]
        assert c["claim"]["speaker"] in c["explanation"] and c["against"]["speaker"] in c["explanation"]


def test_later_reports_are_not_known_earlier(december):
    ws, _ = december
    a = assess_site(ws, "khmeimim", "2024-12-13", store=False)
    quotes = {q for i in a.indicators for q in (c.quote for c in i.claims)}
    assert "no final decisions have been made" not in quotes  # reported on the 14th
    assert "a withdrawal is underway" not in quotes
