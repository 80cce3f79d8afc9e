import json

from helpers import row_counts, write_geotiff, write_video


def test_evidence_add_list_show(cli, ws, tmp_path):
    tif = write_geotiff(tmp_path / "scene.tif")
    added = json.loads(cli("evidence", "add", tif, "--source", "maxar", "-w", ws.root, "--json").stdout)
    assert added["created"] and added["site_id"] == "khmeimim"
    again = cli("evidence", "add", tif, "-w", ws.root)
    assert again.exit_code == 0 and "nothing changed" in again.stdout
    listing = json.loads(cli("evidence", "list", "-w", ws.root, "--json").stdout)
    assert [e["id"] for e in listing] == [added["id"]]
    shown = json.loads(cli("evidence", "show", added["id"][:8], "-w", ws.root, "--json").stdout)
    assert shown["sha256"] == added["sha256"] and shown["archive_path"].endswith(added["sha256"][2:])


def test_video_evidence_shows_its_keyframes(cli, ws, tmp_path):
    clip = write_video(tmp_path / "drone.mp4")
    added = json.loads(cli("evidence", "add", clip, "--collected", "2024-12-12", "--site", "Hmeimim",
                           "-w", ws.root, "--json").stdout)
    shown = json.loads(cli("evidence", "show", added["id"], "-w", ws.root, "--json").stdout)
    assert len(shown["frames"]) >= 2


def test_bad_input_exits_nonzero_with_one_message(cli, ws, tmp_path):
    before = row_counts(ws)
    cases = [
        (["evidence", "add", tmp_path / "nope.tif"], "nope.tif"),
        (["evidence", "add", write_geotiff(tmp_path / "a.tif"), "--collected", "12/13/2024"], "12/13/2024"),
        (["evidence", "add", tmp_path / "a.tif", "--source", "nobody"], "nobody"),
        (["evidence", "add", tmp_path / "a.tif", "--kind", "video"], "a.tif"),
    ]
    for args, needle in cases:
        result = cli(*args, "-w", ws.root)
        assert result.exit_code == 1, args
        assert needle in result.stderr and "Traceback" not in result.output
        assert len(result.stderr.strip().splitlines()) == 1
    assert row_counts(ws) == before


def test_observe_from_a_video_frame(cli, ws, tmp_path):
    ev = json.loads(cli("evidence", "add", write_video(tmp_path / "d.mp4"), "--collected", "2024-12-12",
                        "-w", ws.root, "--json").stdout)
    result = cli("observe", "--site", "Hmeimim", "--type", "Big Bird", "--state", "packed", "--evidence", ev["id"],
                 "--frame", "1", "--zone", "transport-apron", "-w", ws.root, "--json")
    assert result.exit_code == 0, result.output
    obs = json.loads(result.stdout)
    assert obs["equipment_type_id"] == "91n6e" and obs["frame_index"] == 1 and obs["observed_at"] == "2024-12-12"
    listed = json.loads(cli("observations", "list", "--site", "khmeimim", "-w", ws.root, "--json").stdout)
    assert [o["id"] for o in listed["observations"]] == [obs["id"]] and listed["observations"][0] == obs
    bad = cli("observe", "--site", "khmeimim", "--type", "ka-52", "--zone", "moon", "--time", "2024-12-13",
              "-w", ws.root)
    assert bad.exit_code == 1 and "moon" in bad.stderr
