import os

import pytest

from basewatch.errors import (
    InputFileError,
    InvalidValueError,
    UnknownEquipmentError,
    UnknownEvidenceError,
    UnknownSiteError,
    UnknownSourceError,
)
from helpers import archive_files, row_counts, write_geotiff, write_video


def test_geotiff_ingest_records_provenance_and_finds_its_site(ws, tmp_path):
    tif = write_geotiff(tmp_path / "scene.tif", site="tartus")
    result = ws.add_evidence(tif, source="Maxar", url="https://example.org/scene")
    ev = result.evidence
    assert result.created
    assert ev.kind == "image" and ev.site_id == "tartus" and ev.source_id == "maxar"
    assert ev.collected_at.isoformat() == "2024-12-13T08:30:00Z"
    assert ev.metadata["crs"] == "EPSG:32636"
    assert ws.archive.verify(ev.sha256)
    assert ws.archive.path(ev.sha256).read_bytes() == tif.read_bytes()


def test_reingesting_the_same_file_is_a_noop(ws, tmp_path):
    tif = write_geotiff(tmp_path / "a.tif")
    first = ws.add_evidence(tif)
    counts, files = row_counts(ws), archive_files(ws)
    copy = tmp_path / "renamed-copy.tif"
    copy.write_bytes(tif.read_bytes())
    again = ws.add_evidence(copy, source="planet")
    assert not again.created
    assert again.evidence.id == first.evidence.id
    assert row_counts(ws) == counts and archive_files(ws) == files


def test_archive_objects_are_read_only(ws, tmp_path):
    ev = ws.add_evidence(write_geotiff(tmp_path / "a.tif")).evidence
    assert not os.stat(ws.archive.path(ev.sha256)).st_mode & 0o222


def test_video_keyframes_are_stored_and_citable(ws, tmp_path):
    ev = ws.add_evidence(write_video(tmp_path / "clip.mp4"), collected="2024-12-12", site="Hmeimim").evidence
    frames = ws.frames(ev.id)
    assert ev.kind == "video" and len(frames) >= 2
    assert [f["index"] for f in frames] == list(range(len(frames)))
    assert frames[1]["time_s"] >= 1.0
    assert all(open(f["path"], "rb").read(8) == b"\x89PNG\r\n\x1a\n" for f in frames)
    obs = ws.observe(site="khmeimim", equipment="91N6E", state="packed", evidence=ev.id, frame=1)
    assert obs.frame_index == 1 and obs.frame_time_s == frames[1]["time_s"]
    assert obs.observed_at.isoformat() == "2024-12-12"
    near = ws.observe(site="khmeimim", equipment="91N6E", state="packed", evidence=ev.id, at_s=2.1)
    assert near.frame_index == min(frames, key=lambda f: abs(f["time_s"] - 2.1))["index"]


def test_text_evidence_keeps_publication_time(ws, tmp_path):
    post = tmp_path / "post.txt"
    post.write_text("Two Condors on the apron at Hmeimim this morning, noses up.", encoding="utf-8")
    ev = ws.add_evidence(post, kind="post", source="osint-analyst", published="2024-12-13T09:10Z").evidence
    assert ev.kind == "post" and ev.published_at.isoformat() == "2024-12-13T09:10Z" and ev.collected_at is None


def _file(path, data):
    path.write_bytes(data.encode() if isinstance(data, str) else data)
    return path


def _assert_nothing_written(ws, before_counts, before_files):
    assert row_counts(ws) == before_counts
    assert archive_files(ws) == before_files


@pytest.mark.parametrize(("make", "kind", "match"), [
    (lambda p: p / "missing.tif", None, "no such file"),
    (lambda p: p, None, "is a directory"),
    (lambda p: _file(p / "empty.tif", b""), None, "empty"),
    (lambda p: _file(p / "notes.txt", "hello"), "image", "not a readable image"),
    (lambda p: _file(p / "x.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 64), "video", "not a readable video"),
    (lambda p: _file(p / "bin.txt", b"\0\1\2\3garbage"), "post", "looks binary"),
    (lambda p: _file(p / "latin1.txt", "Tart\xfas".encode("latin-1")), None, "not UTF-8"),
    (lambda p: _file(p / "data.xyz", "x"), None, "pass --kind"),
    (lambda p: _file(p / "a.txt", "x"), "painting", "not an evidence kind"),
])
def test_bad_files_are_refused_with_nothing_written(ws, tmp_path, make, kind, match):
    target = make(tmp_path)
    before = row_counts(ws), archive_files(ws)
    with pytest.raises(InputFileError, match=match) as info:
        ws.add_evidence(target, kind=kind)
    assert str(target.name) in str(info.value) or "--kind" in str(info.value)
    _assert_nothing_written(ws, *before)


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any file")
def test_unreadable_file_is_refused(ws, tmp_path):
    f = tmp_path / "secret.txt"
    f.write_text("x")
    f.chmod(0)
    with pytest.raises(InputFileError, match="cannot be read"):
        ws.add_evidence(f)


@pytest.mark.parametrize(("kwargs", "error", "match"), [
    ({"source": "Bellingcrap"}, UnknownSourceError, "Bellingcrap"),
    ({"site": "Latakia port"}, UnknownSiteError, "Latakia port"),
    ({"collected": "13.12.2024"}, InvalidValueError, "--collected '13.12.2024'"),
    ({"published": "2024-02-30"}, InvalidValueError, "--published"),
])
def test_bad_references_are_refused_with_nothing_written(ws, tmp_path, kwargs, error, match):
    tif = write_geotiff(tmp_path / "a.tif")
    before = row_counts(ws), archive_files(ws)
    with pytest.raises(error, match=match):
        ws.add_evidence(tif, **kwargs)
    _assert_nothing_written(ws, *before)


def test_failed_database_write_removes_the_new_archive_object(ws, tmp_path, monkeypatch):
    from basewatch import workspace as wmod

    real_now = wmod._now
    monkeypatch.setattr(wmod, "_now", lambda: None)  # ingested_at is NOT NULL: the insert fails
    before = row_counts(ws), archive_files(ws)
    with pytest.raises(Exception):  # noqa: B017 - the database's own integrity error
        ws.add_evidence(write_geotiff(tmp_path / "a.tif"))
    _assert_nothing_written(ws, *before)
    monkeypatch.setattr(wmod, "_now", real_now)
    assert ws.add_evidence(tmp_path / "a.tif").created


def test_manual_observation_checks_every_reference(ws, tmp_path):
    before = row_counts(ws)
    with pytest.raises(UnknownSiteError, match="Did you mean: khmeimim"):
        ws.observe(site="Khmeimimm", equipment="Ka-52", time="2024-12-13")
    with pytest.raises(UnknownEquipmentError, match="Su-99"):
        ws.observe(site="khmeimim", equipment="Su-99", time="2024-12-13")
    with pytest.raises(InvalidValueError, match="state 'flying'"):
        ws.observe(site="khmeimim", equipment="Ka-52", state="flying", time="2024-12-13")
    with pytest.raises(UnknownEvidenceError):
        ws.observe(site="khmeimim", equipment="Ka-52", evidence="ev-000000", time="2024-12-13")
    with pytest.raises(InvalidValueError, match="--time"):
        ws.observe(site="khmeimim", equipment="Ka-52")
    with pytest.raises(InvalidValueError, match="--frame"):
        ev = ws.add_evidence(write_geotiff(tmp_path / "a.tif")).evidence
        ws.observe(site="khmeimim", equipment="Ka-52", evidence=ev.id, frame=0)
    assert row_counts(ws)["observations"] == before["observations"]


def test_observation_round_trips_and_lists(ws):
    obs = ws.observe(site="Хмеймим", equipment="Alligator", state="rotor_removed", time="2024-12-13",
                     zone="helicopter-apron", confidence=0.7, note="blades on the ground")
    assert obs.site_id == "khmeimim" and obs.equipment_type_id == "ka-52"
    assert ws.list_observations(site="Hmeimim") == [obs]
    assert type(obs).from_dict(obs.to_dict()) == obs
    not_seen = ws.observe(site="tartus", equipment="Admiral Golovko", state="not_seen", count=0,
                          time="2024-12-03", zone="naval-quay", kind="coverage")
    assert not_seen.count == 0 and not_seen.kind == "coverage"


def test_gzipped_track_file_is_accepted_as_track(ws, tmp_path):
    import gzip

    f = tmp_path / "states.csv.gz"
    f.write_bytes(gzip.compress(b"time,icao24,lat,lon\n1733011200,150001,35.4,35.9\n"))
    ev = ws.add_evidence(f, kind="track").evidence
    assert ev.kind == "track" and ev.metadata["compressed"] == "gzip"
