"""One schema per record: the same claim, observation, track event and assessment fetched through the CLI
`--json`, the HTTP API and the Python API is the same JSON, on the populated workspace of the output tests."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from basewatch.alerts import check_alerts
from basewatch.assess import assess_site, timeline
from basewatch.export.records import observation_records
from basewatch.model import Observation, TrackEvent, parse_instant
from basewatch.store.coverage import coverage_of
from basewatch.store.inventory import zone_count_of
from basewatch.store.observations import write_observations
from basewatch.store.track_events import track_event_observation
from basewatch.web.app import create_app
from basewatch.web.client import AppClient
from basewatch.workspace import Workspace

SITE = "khmeimim"


@pytest.fixture(scope="module")
def ws(populated: Workspace, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Workspace]:
    """A copy of the populated workspace with a stored track event and an assessment made by the assess stage."""
    root = tmp_path_factory.mktemp("parity") / "ws"
    shutil.copytree(populated.root, root)
    workspace = Workspace.open(root)
    ev = workspace.list_evidence(kind="image", site=SITE)[0]
    event = TrackEvent(kind="arrival", site_id=SITE, observed_at=parse_instant("2024-12-13T07:41:09Z"),
                       method="tracks:test", evidence_id=ev.id, track_id="15d2a1", category="aircraft.transport.heavy",
                       equipment_type_id="an-124", confidence=0.8, lon=35.95, lat=35.41, note="RA-82077 arrival",
                       details={"callsign": "RFF7077", "runway": "runway-west"})
    with workspace.transaction() as conn:
        write_observations(conn, ev.id, "tracks:test", [track_event_observation(event)])
    assess_site(workspace, SITE, "2024-12-14")
    check_alerts(workspace, deliver=False)
    yield workspace
    workspace.close()


@pytest.fixture(scope="module")
def client(ws: Workspace) -> AppClient:
    return AppClient(create_app(ws))


@pytest.fixture
def cli_json(cli, ws: Workspace):
    def run(*args: str) -> Any:
        r = cli(*args, "--workspace", str(ws.root), "--json")
        assert r.exit_code == 0, r.output
        return json.loads(r.stdout)
    return run


def plain(value: Any) -> Any:
    """What the JSON printer and the API send: plain JSON values."""
    return json.loads(json.dumps(value))


def test_claims(ws, populated, client, cli_json) -> None:
    python = plain([c.to_dict() for c in ws.claims(site=SITE)])
    assert len(python) == 3
    assert cli_json("claims", "list", "--site", SITE)["claims"] == python
    assert client.get(f"/api/claims?site={SITE}").json()["claims"] == python
    assert client.get(f"/api/evidence/{populated.sample_ids['article']}").json()["claims"] == python


def test_observations_coverage_and_zone_counts(ws, client, cli_json) -> None:
    ev = ws.list_evidence(kind="image", site=SITE)[-1].id
    python = plain(observation_records(ws, evidence=ev))
    assert {o["kind"] for o in python} >= {"detection", "count"}
    assert cli_json("observations", "list", "--evidence", ev)["observations"] == python
    assert client.get(f"/api/observations?evidence={ev}").json()["observations"] == python
    # every record is the stored observation's own fields, plus the view's derived ones
    for rec, obs in zip(python, ws.list_observations(evidence=ev), strict=True):
        assert {k: rec[k] for k in obs.to_dict() if k != "zone_id"} == \
            {k: v for k, v in plain(obs.to_dict()).items() if k != "zone_id"}
    counts = [zone_count_of(Observation.from_dict(o)) for o in python if o["kind"] == "count"]
    assert plain([z.to_dict() for z in counts]) == plain([z.to_dict() for z in ws.zone_counts(evidence=ev)])
    idents = ws.identifications(evidence=ev)
    dets = [o for o in python if o["kind"] == "detection"]
    assert dets and all(o["identification"] == plain(idents[o["id"]].to_dict()) for o in dets)
    covered = [coverage_of(Observation.from_dict(o)) for o in python if o["kind"] == "coverage"]
    assert covered == ws.coverage(evidence=ev)


def test_track_events(ws, client, cli_json) -> None:
    python = plain([e.to_dict() for e in ws.track_events(site=SITE)])
    assert len(python) == 1 and python[0]["details"]["runway"] == "runway-west"
    assert cli_json("tracks", "events", SITE)["events"] == python
    assert client.get(f"/api/track-events?site={SITE}").json()["events"] == python


def test_assessments(ws, client, cli_json) -> None:
    python = plain([a.to_dict() for a in ws.assessments(site=SITE)])
    assert [a["as_of"] for a in python] == ["2024-12-10", "2024-12-13", "2024-12-14"]
    assert python[-1]["hypotheses"] and python[-1]["indicators"] and python[-1]["gaps"]
    assert cli_json("assess", SITE, "--history")["assessments"] == python
    assert client.get(f"/api/assessments?site={SITE}").json()["assessments"] == python
    latest = client.get("/api/sites").json()["sites"]
    lead = next(s for s in latest if s["id"] == SITE)["latest_assessment"]["leading"]
    assert lead == python[-1]["leading"]


def test_alerts(ws, client, cli_json) -> None:
    python = plain([a.to_dict() for a in ws.alerts(newest_first=True)])
    assert python and all(a["site"] == SITE for a in python)
    assert cli_json("alerts", "list") == python
    assert client.get("/api/alerts").json()["alerts"] == python


def test_timeline(ws, client, cli_json) -> None:
    python = plain(timeline(ws, SITE).to_dict())
    assert {e["kind"] for e in python["events"]} >= {"claim", "assessment", "track_event", "detection"}
    assert cli_json("timeline", SITE) == python
    assert client.get(f"/api/sites/{SITE}/timeline").json() == python


def test_extracted_claims_have_the_stored_schema(ws, cli, tmp_path: Path) -> None:
    f = tmp_path / "a.txt"
    f.write_text("Two An-124s at Hmeimim are reportedly loading, according to Maxar images.", "utf-8")
    r = cli("claims", "extract", str(f), "--published", "2024-12-14", "--json")
    assert r.exit_code == 0, r.output
    extracted = json.loads(r.stdout)["claims"]
    stored = plain(ws.claims(site=SITE)[0].to_dict())
    assert extracted and all(set(c) == set(stored) for c in extracted)
