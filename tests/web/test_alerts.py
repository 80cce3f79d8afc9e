"""Alerts: an indicator that fires or a new leading hypothesis is recorded once and posted to a local webhook."""

from __future__ import annotations

import json
import socket
import threading
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from sqlalchemy import insert

from basewatch import errors
from basewatch.alerts import check_alerts, retry_deliveries
from basewatch.store.schema import assessments
from basewatch.workspace import Workspace
from populated import assessment


class Receiver:
    """An HTTP receiver on 127.0.0.1 that answers 503 to the first `fail_first` posts, then 204."""

    def __init__(self, fail_first: int = 0):
        self.bodies: list[dict] = []
        self.fail_first = fail_first
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                if outer.fail_first > 0:
                    outer.fail_first -= 1
                    self.send_response(503)
                else:
                    outer.bodies.append(body)
                    self.send_response(204)
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> Receiver:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


def _workspace(tmp_path, urls: list[str], attempts: int = 3) -> Workspace:
    ws = Workspace.init(tmp_path / "w")
    ws.close()
    cfg = ws.root / "basewatch.toml"
    cfg.write_text(cfg.read_text("utf-8") + f"\n[alerts]\nwebhooks = {json.dumps(urls)}\nattempts = {attempts}\n"
                   "timeout_s = 2\n", encoding="utf-8")
    ws = Workspace.open(ws.root)
    now = datetime.now(UTC)
    with ws.engine.begin() as conn:
        conn.execute(insert(assessments), [
            {"site_id": "khmeimim", "as_of": datetime(2024, 12, 10, tzinfo=UTC), "created_at": now,
             "result": assessment("2024-12-10", "status-quo", "likely", False, "ev-a")},
            {"site_id": "khmeimim", "as_of": datetime(2024, 12, 13, tzinfo=UTC), "created_at": now,
             "result": assessment("2024-12-13", "withdrawal", "likely", True, "ev-b")}])
    return ws


def test_local_receiver_gets_the_alerts_once_after_a_retry(tmp_path):
    with Receiver(fail_first=1) as rx:
        ws = _workspace(tmp_path, [rx.url])
        made = check_alerts(ws)
        assert {a.kind for a in made} == {"leading_changed", "indicator_fired"} and len(made) == 3
        assert len(rx.bodies) == 3
        lead = next(b["alert"] for b in rx.bodies if b["alert"]["kind"] == "leading_changed")
        assert lead["site"] == "khmeimim" and lead["payload"]["to"]["id"] == "withdrawal"
        assert "status-quo to withdrawal" in lead["message"]
        first = ws.alerts()[0]
        assert [(d["attempt"], d["status"], d["ok"]) for d in first.deliveries] == [(1, 503, False), (2, 204, True)]
        # Checking again finds nothing new and posts nothing.
        assert check_alerts(ws) == [] and len(rx.bodies) == 3
        ws.close()


def test_unreachable_webhook_is_logged_and_retried_later(tmp_path):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        dead = f"http://127.0.0.1:{s.getsockname()[1]}/hook"  # bound, not listening: refused
        ws = _workspace(tmp_path, [dead], attempts=2)
        made = check_alerts(ws)
    assert made and all(len(a.deliveries) == 2 and not any(d["ok"] for d in a.deliveries) for a in made)
    assert "ConnectError" in made[0].deliveries[0]["error"]
    with Receiver() as rx:
        cfg = ws.root / "basewatch.toml"
        cfg.write_text(cfg.read_text("utf-8").replace(dead, rx.url), encoding="utf-8")
        ws.close()
        ws = Workspace.open(ws.root)
        again = retry_deliveries(ws)
        assert len(again) == 3 and len(rx.bodies) == 3
        assert retry_deliveries(ws) == []
    ws.close()


def test_bad_webhook_config_names_the_fix(tmp_path):
    ws = _workspace(tmp_path, ["ftp://example"])
    with pytest.raises(errors.InvalidValueError, match=r"not an http\(s\) URL"):
        check_alerts(ws)
    ws.close()


def test_cli_alerts(tmp_path, cli):
    with Receiver() as rx:
        ws = _workspace(tmp_path, [rx.url])
        ws.close()
        r = cli("alerts", "check", "--workspace", ws.root, "--json")
        assert r.exit_code == 0 and len(json.loads(r.output)) == 3 and len(rx.bodies) == 3
        listed = json.loads(cli("alerts", "list", "--workspace", ws.root, "--json").output)
        assert all(a["deliveries"][0]["ok"] for a in listed)
