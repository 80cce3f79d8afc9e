"""`basewatch serve` as a user runs it: a real uvicorn server on loopback, printing its URL and write token."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx


def test_serve_prints_url_and_token_and_answers(populated):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    exe = Path(sys.executable).with_name("basewatch")
    proc = subprocess.Popen([str(exe), "serve", "--workspace", str(populated.root), "--port", str(port)],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            env={**os.environ, "COLUMNS": "200", "NO_COLOR": "1"})
    try:
        first = proc.stdout.readline() + proc.stdout.readline()
        assert f"http://127.0.0.1:{port}/" in first
        token = re.search(r"Write token: (\S+)", first).group(1)
        deadline = time.monotonic() + 20
        while True:
            try:
                r = httpx.get(f"http://127.0.0.1:{port}/api/sites", timeout=2)
                break
            except httpx.ConnectError:
                assert time.monotonic() < deadline, "server did not come up"
                time.sleep(0.1)
        assert r.status_code == 200 and len(r.json()["sites"]) == 2
        page = httpx.get(f"http://127.0.0.1:{port}/sites/khmeimim")
        assert page.status_code == 200 and 'id="site-map"' in page.text
        assert httpx.get(f"http://127.0.0.1:{port}/static/app.js").status_code == 200
        assert httpx.get(f"http://127.0.0.1:{port}/static/../app.py").status_code == 404
        url = f"http://127.0.0.1:{port}/api/observations"
        assert httpx.post(url, json={"site": "khmeimim", "count": -1}).status_code == 401
        # With the printed token the write is let through (and refused for its bad value, writing nothing).
        w = httpx.post(url, json={"site": "khmeimim", "count": -1}, headers={"Authorization": f"Bearer {token}"})
        assert w.status_code == 400 and "negative" in w.json()["error"]
    finally:
        proc.terminate()
        proc.wait(10)
