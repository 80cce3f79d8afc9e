"""One plain ASGI middleware in front of the app: who may read, security headers, and a response cache.

The cache keeps the bytes of successful GET answers (pages and API) for as long as the workspace does not
change: each request first reads a cheap version stamp of the workspace (row counts and last ids of the tables
the dashboard shows), and a changed stamp empties the cache and drops the catalog cache of the Workspace
object. Entries also expire after `ttl_s`, which bounds staleness for edits that keep row counts (a site
replaced in place by another process). Tiles have their own cache; static files are not cached here.

Beside the response bytes, `memo` keeps derived data that several answers share (a site's timeline, its change
between two dates, its observation records...) under the same rules: emptied when the version stamp changes or
on a write, expired after `ttl_s`. So a page asked with a new query string (a new response-cache key) renders
its template over data computed once, not recomputed per request.
"""

from __future__ import annotations

import json
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Any, TypeVar

import anyio
from sqlalchemy import func, select

from basewatch.store.schema import alerts, assessments, claims, evidence, observations, sites, zones
from basewatch.web.security import is_loopback
from basewatch.workspace import Workspace

CSP = ("default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; "
       "connect-src 'self'; frame-ancestors 'none'")
CACHED_PREFIXES = ("/api/", "/sites", "/evidence/", "/openapi.json")
T = TypeVar("T")


def workspace_version(ws: Workspace) -> tuple[Any, ...]:
    """Changes whenever rows are added to or removed from what the dashboard shows."""
    parts = []
    for t in (evidence, observations, claims, assessments, alerts):
        key = t.c.id
        parts += [select(func.count()).select_from(t).scalar_subquery(), select(func.max(key)).scalar_subquery()]
    parts += [select(func.count()).select_from(sites).scalar_subquery(),
              select(func.count()).select_from(zones).scalar_subquery()]
    with ws.engine.connect() as conn:
        return tuple(conn.execute(select(*parts)).one())


class ResponseCache:
    def __init__(self, ws: Workspace, *, size: int = 512, ttl_s: float = 10.0, min_check_s: float = 0.25):
        self.ws = ws
        self.size = size
        self.ttl_s = ttl_s
        self.min_check_s = min_check_s
        self._items: OrderedDict[str, tuple[float, int, list[tuple[bytes, bytes]], bytes]] = OrderedDict()
        self._version: tuple[Any, ...] | None = None
        self._checked = 0.0
        self._lock = threading.Lock()
        self._data: OrderedDict[tuple[Any, ...], tuple[float, Any]] = OrderedDict()
        self._generation = 0  # bumped whenever the cached data is dropped
        self._flight: dict[tuple[Any, ...], threading.Lock] = {}

    def memo(self, key: tuple[Any, ...], compute: Callable[[], T]) -> T:
        """`compute()`, kept under `key` until the workspace changes (or `ttl_s` passes); callers must not
        mutate what it returns. Concurrent callers of one key wait for a single computation."""
        with self._lock:
            item = self._data.get(key)
            if item is not None and time.monotonic() - item[0] <= self.ttl_s:
                self._data.move_to_end(key)
                return item[1]
            flight = self._flight.setdefault(key, threading.Lock())
        with flight:
            with self._lock:
                item = self._data.get(key)
                if item is not None and time.monotonic() - item[0] <= self.ttl_s:
                    return item[1]
                generation = self._generation
            started = time.monotonic()
            value = compute()
            with self._lock:
                if generation == self._generation:  # not made stale by a change while computing
                    self._data[key] = (started, value)
                    while len(self._data) > self.size:
                        self._data.popitem(last=False)
                self._flight.pop(key, None)
            return value

    def _drop_data(self) -> None:
        self._data.clear()
        self._generation += 1

    def refresh(self) -> None:
        """Re-read the version stamp (at most every `min_check_s`); a change empties the cache."""
        now = time.monotonic()
        if now - self._checked < self.min_check_s:
            return
        version = workspace_version(self.ws)
        with self._lock:
            self._checked = now
            if version != self._version:
                self._version = version
                self._items.clear()
                self._drop_data()
                self.ws._catalog = None  # another process may have added sites or sources

    def get(self, key: str) -> tuple[int, list[tuple[bytes, bytes]], bytes] | None:
        with self._lock:
            item = self._items.get(key)
            if item is None:
                return None
            if time.monotonic() - item[0] > self.ttl_s:
                del self._items[key]
                return None
            self._items.move_to_end(key)
            return item[1], item[2], item[3]

    def put(self, key: str, status: int, headers: list[tuple[bytes, bytes]], body: bytes) -> None:
        with self._lock:
            self._items[key] = (time.monotonic(), status, headers, body)
            while len(self._items) > self.size:
                self._items.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self._drop_data()
            self._checked = 0.0


class GuardAndCache:
    """Pure ASGI (no per-request task switching like BaseHTTPMiddleware): cheap enough for every request."""

    def __init__(self, app: Any, *, state: Any, extra_img_src: str | None = None):
        self.app = app
        self.state = state
        csp = CSP.replace("img-src 'self' data:", f"img-src 'self' data: https://{extra_img_src} http://{extra_img_src}"
                          ) if extra_img_src else CSP
        self.csp = csp.encode()

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
        client = scope.get("client")
        if not self._may_read(client[0] if client else None, headers):
            body = json.dumps({"error": "reading from another host needs the token, or serve the workspace with "
                                        "--read-only to share it"}).encode()
            await send({"type": "http.response.start", "status": 403,
                        "headers": [(b"content-type", b"application/json"),
                                    (b"content-length", str(len(body)).encode())]})
            await send({"type": "http.response.body", "body": body})
            return
        path = scope["path"]
        cache: ResponseCache = self.state.response_cache
        key = None
        if scope["method"] == "GET" and (path == "/" or path.startswith(CACHED_PREFIXES)):
            await anyio.to_thread.run_sync(cache.refresh)
            want_html = "text/html" in headers.get("accept", "")
            key = f"{path}?{scope.get('query_string', b'').decode('latin-1')}|{want_html}"
            hit = cache.get(key)
            if hit is not None:
                status, hdrs, body = hit
                await send({"type": "http.response.start", "status": status, "headers": hdrs})
                await send({"type": "http.response.body", "body": body})
                return
        captured: dict[str, Any] = {}

        async def send_wrapper(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                extra = [(b"x-content-type-options", b"nosniff")]
                ctype = dict(message.get("headers", [])).get(b"content-type", b"")
                if ctype.startswith(b"text/html"):
                    extra.append((b"content-security-policy", self.csp))
                message["headers"] = list(message.get("headers", [])) + extra
                captured["start"] = message
            elif message["type"] == "http.response.body" and key is not None:
                captured.setdefault("body", []).append(message.get("body", b""))
                if not message.get("more_body") and captured["start"]["status"] == 200:
                    cache.put(key, 200, captured["start"]["headers"], b"".join(captured["body"]))
            await send(message)

        await self.app(scope, receive, send_wrapper)
        if scope["method"] not in ("GET", "HEAD"):
            cache.clear()  # a write: the next read sees it at once

    def _may_read(self, host: str | None, headers: dict[str, str]) -> bool:
        if self.state.read_only or is_loopback(host):
            return True
        import secrets

        auth = headers.get("authorization", "")
        given = auth[7:].strip() if auth.lower().startswith("bearer ") else headers.get("x-basewatch-token", "")
        return bool(given) and secrets.compare_digest(given.encode(), self.state.token.encode())
