"""The site timeline (times kept apart, counts over time) and the `assess` / `timeline` commands."""

from __future__ import annotations

import json

from basewatch.assess import TERMS, timeline


def test_timeline_keeps_event_collection_and_report_times_apart(december):
    ws, evs = december
    t = timeline(ws, "khmeimim").to_dict()
    times = [e["time"] for e in t["events"]]
    assert times == sorted(times)
    drone = next(e for e in t["events"] if e["kind"] == "detection" and e["evidence"] == evs["drone"]
                 and e["type"] == "91n6e")
    assert drone["event_time"]["text"].startswith("2024-12-12T10:00")
    assert drone["collected_time"]["text"].startswith("2024-12-12T10:00")
    assert drone["reported_time"]["text"].startswith("2024-12-12T17:45")
    assert drone["zone"] == "transport-apron" and drone["state"] == "packed"
    # A claim is placed by its event time and still says when it was reported, with precisions.
    loading = next(e for e in t["events"] if e["kind"] == "claim" and e["state"] == "LOADING")
    assert loading["axis"] == "event" and loading["event_time"] == {
        "at": "2024-12-13T09:00:00+00:00", "text": "2024-12-13", "precision": "day"}
    assert loading["reported_time"]["text"] == "2024-12-13T19:10:00Z"
    assert loading["collected_time"] is None
    # Without an event time, the report time places it.
    tass = next(e for e in t["events"] if e["kind"] == "claim" and e["state"] == "OPERATING_NORMALLY")
    assert tass["axis"] == "reported" and tass["event_time"] is None
    assert tass["attribution"][-1]["kind"] == "anonymous"


def test_timeline_counts_by_category_and_type(december):
    ws, _ = december
    counts = timeline(ws, "khmeimim", "2024-12-10", "2024-12-15").to_dict()["counts"]
    su34 = {c["date"]: c["count"] for c in counts if c["type"] == "su-34"}
    assert su34 == {"2024-12-10": 6, "2024-12-12": 2, "2024-12-13": 5, "2024-12-15": 3}
    an124 = next(c for c in counts if c["type"] == "an-124" and c["date"] == "2024-12-13")
    assert an124["category"] == "aircraft.transport.heavy" and an124["zones"] == {"transport-apron": 2}
    assert all("2024-12-10" <= c["date"] <= "2024-12-15" for c in counts)


def test_cli_assess_json_contract(december, cli):
    ws, _ = december
    r = cli("assess", "Hmeimim", "--as-of", "2024-12-15", "--json", "--workspace", ws.root)
    assert r.exit_code == 0, r.output
    d = json.loads(r.output)
    assert {"site", "as_of", "leading", "hypotheses", "confidence", "indicators", "contradictions", "gaps",
            "judgements"} <= set(d)
    assert d["site"] == "khmeimim" and d["as_of"] == "2024-12-15"
    assert set(d["leading"]) >= {"id", "likelihood"} and d["leading"]["likelihood"] in TERMS
    assert [h["id"] for h in d["hypotheses"]] == ["withdrawal", "drawdown", "status-quo", "reinforcement"]
    assert all({"id", "score", "likelihood"} <= set(h) for h in d["hypotheses"])
    assert d["confidence"] in ("low", "moderate", "high")
    for i in d["indicators"]:
        assert i["value"] in (True, False, "unknown") and isinstance(i["evidence"], list)
    for c in d["contradictions"]:
        assert {"claim", "against", "explanation"} <= set(c)
    assert all(isinstance(j, str) for j in d["judgements"])
    hist = cli("assess", "khmeimim", "--history", "--json", "--workspace", ws.root)
    assert "2024-12-15" in [h["as_of"] for h in json.loads(hist.output)["assessments"]]


def test_cli_assess_readable_and_timeline(december, cli):
    ws, _ = december
    r = cli("assess", "tartus", "--as-of", "2024-12-13", "--workspace", ws.root)
    assert r.exit_code == 0, r.output
    for text in ("Key judgements", "ACH matrix", "Contradictions", "Gaps", "warships holding offshore near the port"):
        assert text in r.output
    r = cli("timeline", "tartus", "--from", "2024-12-09", "--to", "2024-12-10", "--workspace", ws.root)
    assert r.exit_code == 0, r.output
    assert "Counts by category and type" in r.output and "frigate-22350" in r.output
    r = cli("timeline", "tartus", "--json", "--workspace", ws.root)
    assert any(e["kind"] == "claim" and e["state"] == "EXERCISE" for e in json.loads(r.output)["events"])


def test_cli_errors_are_one_line(december, cli):
    ws, _ = december
    r = cli("assess", "Atlantis", "--workspace", ws.root)
    assert r.exit_code == 1 and "unknown site 'Atlantis'" in r.output
    r = cli("assess", "khmeimim", "--as-of", "15/12/2024", "--workspace", ws.root)
    assert r.exit_code == 1 and "--as-of" in r.output and "Traceback" not in r.output
