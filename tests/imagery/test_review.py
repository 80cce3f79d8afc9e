"""The analyst in the loop: reject, retype, redraw, add and count by hand on real GeoTIFFs, seen in the inventory,
the change between dates and the indicators, then undone -- and refused cleanly when the action makes no sense."""

from __future__ import annotations

from pathlib import Path

import pytest

from basewatch import errors
from basewatch.assess.assessment import assess_site
from basewatch.imagery.change import compare, summarize
from basewatch.imagery.raster import RasterImage
from basewatch.imagery.review import review, review_sheet, reviews, undo
from basewatch.workspace import Workspace
from helpers import add_apron_image as add_image
from helpers import fighter_corners


def apron_count(ws: Workspace, ev_id: str, category: str = "aircraft.combat") -> int:
    return sum(z.count for z in ws.zone_counts(evidence=ev_id)
               if z.zone_id == "main-apron" and (z.category or "").startswith(category))


def type_counts(ws: Workspace, ev_id: str) -> dict[str | None, int]:
    return {z.type_id: z.count for z in ws.zone_counts(evidence=ev_id)}


def below_baseline(ws: Workspace, day: str) -> object:
    result = assess_site(ws, "khmeimim", day, store=False)
    ind = result.indicator("combat-aircraft-below-baseline")
    assert ind is not None
    return ind.value


@pytest.fixture
def two_dates(ws: Workspace, tmp_path: Path) -> tuple[Workspace, str, str]:
    first = add_image(ws, tmp_path, "2024-12-01", 6, seed=1)
    second = add_image(ws, tmp_path, "2024-12-10", 6, seed=2)
    return ws, first, second


def detection_ids(ws: Workspace, ev_id: str) -> list[int]:
    return [o.id for o in ws.list_observations(evidence=ev_id, kind="detection")]


def test_reject_retype_add_follow_into_inventory_change_and_indicator_then_undo(two_dates) -> None:
    ws, first, second = two_dates
    assert apron_count(ws, first) == 6 and apron_count(ws, second) == 6
    machine = type_counts(ws, second)
    assert summarize(compare(ws, "khmeimim", "2024-12-01", "2024-12-10")).get("departed", 0) == 0
    assert below_baseline(ws, "2024-12-10") is False

    ids = detection_ids(ws, second)
    done = [review(ws, second, "reject", detection=i, analyst="ana", note="shadows") for i in ids[:3]]
    assert apron_count(ws, second) == 3
    assert summarize(compare(ws, "khmeimim", "2024-12-01", "2024-12-10"))["departed"] == 3
    assert below_baseline(ws, "2024-12-10") is True

    retyped = review(ws, second, "retype", detection=ids[3], equipment="Su-25", analyst="ana")
    su25 = [z for z in ws.zone_counts(evidence=second) if z.type_id == "su-25"]
    assert su25 and su25[0].count == 1 and su25[0].members[0].p == 1.0
    assert su25[0].members[0].review == ("retype",)

    with RasterImage(ws.archive.path(ws.evidence(second).sha256)) as img:
        box = fighter_corners(8, img).tolist()
    added = review(ws, second, "add", polygon=box, equipment="su-34", analyst="ben")
    assert added.detection_id is not None and apron_count(ws, second) == 4
    assert summarize(compare(ws, "khmeimim", "2024-12-01", "2024-12-10"))["arrived"] == 1
    sheet = {row["detection"]: row for row in review_sheet(ws, second)}
    assert sheet[ids[0]]["status"] == "rejected" and sheet[added.detection_id]["type"] == "su-34"

    for r in [*done, retyped, added]:
        undo(ws, int(r.id or 0), analyst="ana")
    assert type_counts(ws, second) == machine
    assert added.detection_id not in detection_ids(ws, second)  # the added object is gone with its undo
    assert summarize(compare(ws, "khmeimim", "2024-12-01", "2024-12-10")).get("departed", 0) == 0
    assert below_baseline(ws, "2024-12-10") is False
    history = reviews(ws, evidence=second)
    assert len(history) == 5 and all(not r.active and r.undone_by == "ana" for r in history)
    assert {r.analyst for r in history} == {"ana", "ben"}


def test_redraw_remeasures_the_footprint(two_dates) -> None:
    ws, _, second = two_dates
    target = detection_ids(ws, second)[0]
    with RasterImage(ws.archive.path(ws.evidence(second).sha256)) as img:
        c = fighter_corners(0, img)
    bigger = [[c[0][0] - 40, c[0][1] - 40], [c[1][0] + 40, c[1][1] - 40], [c[2][0] + 40, c[2][1] + 40],
              [c[3][0] - 40, c[3][1] + 40]]  # 55 m x 62 m: transport-sized
    review(ws, second, "redraw", detection=target, polygon=bigger)
    row = next(r for r in review_sheet(ws, second) if r["detection"] == target)
    assert row["length_m"] == pytest.approx(62, abs=0.5) and row["width_m"] == pytest.approx(55, abs=0.5)
    assert not (row["type"] or "").startswith("su-")


def test_hand_count_replaces_the_machine_count_of_that_type(two_dates) -> None:
    ws, _, second = two_dates
    su34_before = sum(z.count for z in ws.zone_counts(evidence=second) if z.type_id == "su-34")
    r = review(ws, second, "count", zone="main-apron", equipment="su-34", count=9, analyst="ana")
    rows = [z for z in ws.zone_counts(evidence=second) if z.type_id == "su-34" and z.zone_id == "main-apron"]
    assert len(rows) == 1 and rows[0].count == 9 and rows[0].counted_by == "ana" and rows[0].low == 9
    undo(ws, int(r.id or 0))
    assert sum(z.count for z in ws.zone_counts(evidence=second) if z.type_id == "su-34") == su34_before


def test_bad_review_actions_are_refused_and_store_nothing(two_dates) -> None:
    ws, _, second = two_dates
    before = len(ws.list_observations(evidence=second))
    with pytest.raises(errors.InvalidValueError, match="no detection 99999"):
        review(ws, second, "reject", detection=99999)
    with pytest.raises(errors.UnknownEquipmentError, match="Did you mean: su-34"):
        review(ws, second, "retype", detection=detection_ids(ws, second)[0], equipment="su-344")
    with pytest.raises(errors.InvalidValueError, match="did not cover zone 'ad-north'"):
        review(ws, second, "count", zone="ad-north", equipment="pantsir-s1", count=2)
    with pytest.raises(errors.InvalidValueError, match="of class vehicle"):
        review(ws, second, "retype", detection=detection_ids(ws, second)[0], equipment="truck")
    with pytest.raises(errors.InvalidValueError, match="outside"):
        review(ws, second, "add", polygon=[[-500, 0], [-400, 0], [-400, 50], [-500, 50]], equipment="su-34")
    with pytest.raises(errors.InvalidValueError, match="four"):
        review(ws, second, "add", polygon=[[0, 0], [10, 10]], equipment="su-34")
    with pytest.raises(errors.InvalidValueError, match="review action"):
        review(ws, second, "approve", detection=detection_ids(ws, second)[0])
    assert len(ws.list_observations(evidence=second)) == before
    with pytest.raises(errors.InvalidValueError, match="no review 4242"):
        undo(ws, 4242)


def test_review_cli_round_trip(two_dates, cli) -> None:
    ws, _, second = two_dates
    target = detection_ids(ws, second)[0]
    res = cli("review", "reject", second, str(target), "--analyst", "cli-user", "-w", ws.root)
    assert res.exit_code == 0, res.output
    review_id = int(res.output.split()[1].rstrip(":"))
    listing = cli("review", "list", second, "-w", ws.root, "--json")
    assert '"status": "rejected"' in listing.output and "cli-user" in listing.output
    res = cli("review", "retype", second, "99999", "--type", "su-34", "-w", ws.root)
    assert res.exit_code != 0 and "no detection 99999" in res.output
    res = cli("review", "add", second, "--box", "1,2 3", "--type", "su-34", "-w", ws.root)
    assert res.exit_code != 0 and "--box" in res.output
    assert cli("review", "undo", str(review_id), "-w", ws.root).exit_code == 0
    res = cli("review", "undo", str(review_id), "-w", ws.root)
    assert res.exit_code != 0 and "already undone" in res.output


def test_a_screenshot_of_part_of_the_apron_counts_for_that_part(ws: Workspace, tmp_path: Path) -> None:
    """Six fighters on the whole apron, then a crop of its northern third showing eight: at least eight is more
    than the baseline (a lower bound), but a crop showing two is not 'fewer' -- the rest was not seen."""
    add_image(ws, tmp_path, "2024-12-01", 6, seed=1)
    add_image(ws, tmp_path, "2024-12-05", 6, seed=2)
    crowded = add_image(ws, tmp_path, "2024-12-10", 8, seed=3, rows=(0.0, 0.4))
    rows = [z for z in ws.zone_counts(evidence=crowded) if z.zone_id == "main-apron"]
    assert rows and all(0.2 < (z.zone_coverage or 0) < 0.5 for z in rows)
    assert sum(z.count for z in rows) == 8
    result = assess_site(ws, "khmeimim", "2024-12-10", store=False)
    above = result.indicator("combat-aircraft-above-baseline")
    assert above is not None and above.value is True and crowded in above.evidence
    assert "partial view" in above.detail and "% of Main apron" in above.detail

    sparse = add_image(ws, tmp_path, "2024-12-14", 2, seed=4, rows=(0.0, 0.4))
    assert sum(z.count for z in ws.zone_counts(evidence=sparse) if z.zone_id == "main-apron") == 2
    result = assess_site(ws, "khmeimim", "2024-12-14", store=False)
    below = result.indicator("combat-aircraft-below-baseline")
    assert below is not None and below.value == "unknown" and "cannot show fewer" in below.detail


def test_review_over_http_needs_the_token_checks_the_body_and_undoes(two_dates) -> None:
    from basewatch.web import AppClient, create_app

    ws, _, second = two_dates
    c = AppClient(create_app(ws, token="tok"))
    auth = {"Authorization": "Bearer tok"}
    target = detection_ids(ws, second)[0]
    body = {"evidence": second, "action": "reject", "detection": target, "analyst": "web-ana"}
    assert c.post("/api/reviews", json=body).status_code == 401
    for bad in ({**body, "detection": "1; drop"}, {**body, "action": "approve"}, {**body, "note": "x" * 5000},
                {**body, "box": [[0, 0]]}, {**body, "extra": 1}, {**body, "count": 1e308}):
        assert c.post("/api/reviews", json=bad, headers=auth).status_code == 422
    assert c.post("/api/reviews", json={**body, "detection": 99999}, headers=auth).status_code == 400
    assert not reviews(ws, evidence=second)  # nothing stored by the refused requests
    r = c.post("/api/reviews", json=body, headers=auth)
    assert r.status_code == 201 and r.json()["analyst"] == "web-ana"
    sheet = c.get(f"/api/evidence/{second}/review").json()
    assert next(d for d in sheet["detections"] if d["detection"] == target)["status"] == "rejected"
    assert apron_count(ws, second) == 5
    assert c.post(f"/api/reviews/{r.json()['id']}/undo", headers=auth).status_code == 200
    assert apron_count(ws, second) == 6
    assert c.post(f"/api/reviews/{r.json()['id']}/undo", headers=auth).status_code == 400


def test_export_labels_writes_reviewed_objects_negatives_and_chips(two_dates, tmp_path, cli) -> None:
    import json

    from basewatch.export.labels import export_labels

    ws, first, second = two_dates
    with pytest.raises(errors.InvalidValueError, match="no reviewed images"):
        export_labels(ws, tmp_path / "none")
    assert not (tmp_path / "none").exists()
    ids = detection_ids(ws, second)
    review(ws, second, "reject", detection=ids[0])
    review(ws, second, "retype", detection=ids[1], equipment="su-25")
    review(ws, second, "confirm", detection=ids[2])
    with RasterImage(ws.archive.path(ws.evidence(second).sha256)) as img:
        added = review(ws, second, "add", polygon=fighter_corners(8, img).tolist(), equipment="su-34")
    res = cli("export", "labels", "--out", tmp_path / "labels", "-w", ws.root)
    assert res.exit_code == 0, res.output
    out = tmp_path / "labels"
    doc = json.loads((out / "labels" / f"{second}.geojson").read_text())
    feats = {f["properties"]["detection"]: f["properties"] for f in doc["features"]}
    assert ids[0] not in feats and [n["detection"] for n in doc["negatives"]] == [ids[0]]
    assert feats[ids[1]]["type"] == "su-25" and not feats[ids[1]]["ignore"]
    assert feats[added.detection_id]["review"] == ["add"] and not feats[added.detection_id]["ignore"]
    assert all(feats[i]["ignore"] for i in ids[3:])  # nobody looked at them: masked, not taught
    dota = (out / "labelTxt" / f"{second}.txt").read_text().splitlines()
    assert dota[0].startswith("gsd:0.5") and len(dota) == 1 + 3 + 3
    assert sum(line.endswith(" 1") for line in dota) == 3
    assert len(list((out / "chips").glob("*.png"))) == 3
    assert not (out / "labels" / f"{first}.geojson").exists()  # not reviewed: not exported
    assert json.loads((out / "manifest.json").read_text())["reviews"] == 4
    again = cli("export", "labels", "--out", out, "-w", ws.root)
    assert again.exit_code != 0 and "not an empty directory" in again.output

    torch = pytest.importorskip("torch")
    from basewatch.train.data import CropSampler, load_exported

    scenes = load_exported(out)
    assert len(scenes) == 1 and len(scenes[0].objects) == 3 and len(scenes[0].masked) == 3
    sampler = CropSampler(scenes, [1.0], size=256, gsd_m=0.5, jitter=(1.0, 1.0), seed=1)
    x, t = sampler.batch(40)
    assert x.shape == (40, 3, 256, 256) and t["hmask"].shape == (40, 64, 64)
    assert (t["hmask"] == 0).any() and (t["hmask"] == 1).any() and torch is not None


def test_review_queue_lists_unsure_identifications_and_drops_reviewed_ones(two_dates) -> None:
    from basewatch.imagery.review import QUEUE_P, review_queue
    from basewatch.web import AppClient, create_app

    ws, _, second = two_dates
    queue = review_queue(ws, "khmeimim")
    assert queue and all(r["p"] < QUEUE_P or r["type"] in (None, "unknown") for r in queue)
    assert [r["p"] for r in queue] == sorted(r["p"] for r in queue)
    first = next(r for r in queue if r["evidence"] == second)
    review(ws, second, "retype", detection=first["detection"], equipment="su-34")
    assert first["detection"] not in {r["detection"] for r in review_queue(ws, "khmeimim")}
    api = AppClient(create_app(ws)).get("/api/sites/khmeimim/review-queue").json()["queue"]
    assert api == review_queue(ws, "khmeimim")
