"""The typed records: `from_dict(to_dict())` gives back an equal record, and the dict form is plain JSON."""

from __future__ import annotations

import json

import pytest

from basewatch.model import Alert, parse_instant
from basewatch.model.assessment import Assessment, Contradiction, Gap, Hypothesis, Indicator, MatrixRow
from basewatch.model.claim import Claim
from basewatch.model.coverage import Coverage
from basewatch.model.inventory import Identification, ZoneCount
from basewatch.model.track_event import TrackEvent

DAY = parse_instant("2024-12-13")
SQUARE = {"type": "Polygon", "coordinates": [[[35.0, 35.0], [35.1, 35.0], [35.1, 35.1], [35.0, 35.0]]]}

RECORDS = [
    Alert(id=1, site="khmeimim", kind="indicator_fired", message="fired", payload={"indicator": "airlift"},
          created="2024-12-14T00:00:00Z", deliveries=({"url": "http://127.0.0.1:9/x", "ok": True},)),
    Coverage(evidence_id="ev-1", site_id="khmeimim", observed_at=DAY, footprint=SQUARE, method="detector:x",
             cloud={"type": "MultiPolygon", "coordinates": [SQUARE["coordinates"]]}, cloud_fraction=0.25,
             cloud_method="heuristic", details={"gsd_m": 0.5}, id=3),
    ZoneCount(evidence_id="ev-1", site_id="khmeimim", observed_at=DAY, zone_id="apron", category="aircraft",
              type_id="an-124", name="An-124", count=2, expected=1.8, low=1, high=2, states={"nose_open": 2},
              members=(Identification(detection_id=4, evidence_id="ev-1", type_id="an-124", p=0.9,
                                      candidates=({"id": "an-124", "p": 0.9},), states={"nose_open": 0.8}),)),
    Claim(id=1, evidence_id="ev-2", site_id="khmeimim", subject="An-124", state="LOADING", stance="asserted",
          quote="two An-124", method="text-rules", event_at=DAY,
          attribution=({"name": "Reuters", "kind": "media"},), span_start=3, span_end=13,
          attributes={"category": "aircraft.transport.heavy"}),
    TrackEvent(kind="arrival", site_id="khmeimim", observed_at=parse_instant("2024-12-13T10:22:05Z"),
               method="tracks:adsb", evidence_id="ev-3", track_id="abc123", lon=35.9, lat=35.4,
               details={"callsign": "RFF123"}, id=9),
    Assessment(site="khmeimim", as_of=DAY, leading=Hypothesis(id="withdrawal", score=0.6, likelihood="likely"),
               confidence="moderate", hypotheses=(Hypothesis(id="withdrawal", score=0.6),),
               indicators=(Indicator(id="airlift", value=True, evidence=("ev-1",)),),
               matrix=(MatrixRow(indicator="airlift", value=True, ratings={"withdrawal": "C"}),),
               contradictions=(Contradiction(claim={"id": 1}, against={"kind": "observation"}, explanation="x"),),
               gaps=(Gap(text="no tracks", kind="no_tracks", subject="khmeimim", details={"evidence": ["ev-1"]}),),
               judgements=("As of 13 December ...",), id=2, created_at=parse_instant("2024-12-14T00:00:00Z")),
]


@pytest.mark.parametrize("record", RECORDS, ids=lambda r: type(r).__name__)
def test_round_trip(record) -> None:
    data = json.loads(json.dumps(record.to_dict()))  # plain JSON: no Instants, tuples or records left
    assert type(record).from_dict(data) == record
    assert type(record).from_dict(data).to_dict() == data


def test_assessment_reads_rows_written_before_records() -> None:
    old = {"site": "khmeimim", "as_of": "2024-12-13", "leading": {"id": "withdrawal", "likelihood": "likely"},
           "gaps": ["We have no image of the apron."], "gap_details": [{"kind": "zone_not_seen", "subject": "apron",
                                                                          "last_seen": None,
                                                                          "text": "We have no image of the apron."}]}
    a = Assessment.from_dict(old)
    assert a.gaps == (Gap(text="We have no image of the apron.", kind="zone_not_seen", subject="apron"),)
    assert a.as_of == DAY and a.leading == Hypothesis(id="withdrawal", likelihood="likely")
