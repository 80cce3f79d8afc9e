"""Alerts: tell the analyst when new evidence makes an indicator fire or the leading hypothesis change.

`check_alerts(ws)` compares each site's two latest stored assessments, records one alert per change in the
`alerts` table (once: a second check finds nothing new) and posts it as JSON to the webhooks of the workspace
config, retrying failures; every attempt is logged in the alert's `deliveries`.

    # basewatch.toml
    [alerts]
    webhooks = ["http://127.0.0.1:9000/basewatch"]
    attempts = 3          # per webhook, with doubling back-off
    timeout_s = 5
"""

from __future__ import annotations

import time
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlparse

import httpx

from basewatch import errors
from basewatch.model import Alert, Assessment
from basewatch.store.alerts import write_alerts, write_deliveries
from basewatch.workspace import Workspace

RETRY_STATUS = {408, 425, 429, 500, 502, 503, 504}


def _now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def _stamp(at: datetime) -> str:
    return at.strftime("%Y-%m-%dT%H:%M:%SZ")


def webhook_settings(ws: Workspace) -> tuple[list[str], int, float]:
    """(urls, attempts, timeout) from the `[alerts]` table of the workspace config, checked."""
    cfg = ws.config.get("alerts", {}) or {}
    urls = cfg.get("webhooks", []) or []
    if isinstance(urls, str):
        urls = [urls]
    for url in urls:
        parsed = urlparse(str(url))
        if parsed.scheme not in ("http", "https") or not parsed.netloc:
            raise errors.InvalidValueError(f"webhook {url!r} in [alerts] of basewatch.toml is not an http(s) URL; "
                                           "fix it, e.g. \"http://127.0.0.1:9000/hook\"")
    attempts = int(cfg.get("attempts", 3))
    timeout = float(cfg.get("timeout_s", 5))
    if attempts < 1 or timeout <= 0:
        raise errors.InvalidValueError("[alerts] attempts must be at least 1 and timeout_s positive")
    return [str(u) for u in urls], attempts, timeout


def _stamp_of(a: Assessment) -> str:
    """The as-of time as alert keys have always spelt it."""
    return a.as_of.at.strftime("%Y-%m-%dT%H:%M:%SZ")


def changes_between(prev: Assessment, cur: Assessment) -> list[tuple[str, str, dict[str, Any]]]:
    """(kind, message, payload) for each indicator that fired and for a change of the leading hypothesis."""
    site = cur.site
    p, c = prev.to_dict(), cur.to_dict()
    as_of = _stamp_of(cur)
    out = []
    lead_p, lead_c = (p.get("leading") or {}), (c.get("leading") or {})
    if lead_c.get("id") and lead_c.get("id") != lead_p.get("id"):
        out.append(("leading_changed",
                    f"{site}: the leading hypothesis changed from {lead_p.get('id')} to {lead_c.get('id')} "
                    f"({lead_c.get('likelihood')}) as of {as_of[:10]}",
                    {"from": lead_p, "to": lead_c}))
    before = {i.get("id"): i.get("value") for i in p.get("indicators") or []}
    for ind in c.get("indicators") or []:
        if ind.get("value") is True and before.get(ind.get("id")) is not True:
            out.append(("indicator_fired",
                        f"{site}: indicator {ind.get('id')} fired as of {as_of[:10]} "
                        f"(was {before.get(ind.get('id'), 'not assessed')})",
                        {"indicator": ind.get("id"), "was": before.get(ind.get("id")),
                         "evidence": ind.get("evidence") or []}))
    return out


def check_alerts(ws: Workspace, site: str | None = None, *, deliver: bool = True) -> list[Alert]:
    """Record (and post) the alerts that the latest assessment of each site raises; returns the new ones."""
    urls, attempts, timeout = webhook_settings(ws)
    sites = [ws.site(site).id] if site else list(ws.catalog.sites)
    known = {a.payload.get("key") for a in ws.alerts()}
    rows: list[tuple[str | None, str, str, dict[str, Any]]] = []
    for sid in sites:
        history = ws.assessments(site=sid)
        if len(history) < 2:
            continue
        prev, cur = history[-2], history[-1]
        for kind, message, payload in changes_between(prev, cur):
            key = f"{sid}|{_stamp_of(prev)}|{_stamp_of(cur)}|{kind}|{payload.get('indicator', '')}"
            if key in known:
                continue
            known.add(key)
            rows.append((sid, kind, message, {**payload, "key": key, "site": sid, "as_of": _stamp_of(cur),
                                              "previous_as_of": _stamp_of(prev)}))
    with ws.transaction() as conn:
        made = write_alerts(conn, rows)
    if deliver and urls:
        made = [deliver_alert(ws, a, urls, attempts=attempts, timeout=timeout) for a in made]
    return made


def alert_body(alert: Alert) -> dict[str, Any]:
    """The JSON posted to a webhook."""
    return {"source": "basewatch", "alert": {k: v for k, v in alert.to_dict().items() if k != "deliveries"}}


def deliver_alert(ws: Workspace, alert: Alert, urls: list[str], *, attempts: int = 3, timeout: float = 5.0,
                  backoff_s: float = 0.25) -> Alert:
    """POST the alert to each URL, retrying network errors and 5xx/429 with doubling back-off; log every try."""
    log = list(alert.deliveries)
    body = alert_body(alert)
    with httpx.Client(timeout=timeout, follow_redirects=False) as client:
        for url in urls:
            for attempt in range(1, attempts + 1):
                entry: dict[str, Any] = {"url": url, "attempt": attempt, "at": _stamp(_now())}
                try:
                    resp = client.post(url, json=body, headers={"User-Agent": "basewatch-alerts"})
                    entry.update(status=resp.status_code, ok=200 <= resp.status_code < 300)
                    retry = resp.status_code in RETRY_STATUS
                except httpx.HTTPError as exc:
                    entry.update(status=None, ok=False, error=f"{type(exc).__name__}: {exc}")
                    retry = True
                log.append(entry)
                if entry["ok"] or not retry:
                    break
                if attempt < attempts:
                    time.sleep(backoff_s * 2 ** (attempt - 1))
    with ws.transaction() as conn:
        write_deliveries(conn, alert.id, log)
    return replace(alert, deliveries=tuple(log))


def undelivered(alert: Alert, urls: list[str]) -> list[str]:
    """The webhooks that have not yet acknowledged this alert."""
    done = {d["url"] for d in alert.deliveries if d.get("ok")}
    return [u for u in urls if u not in done]


def retry_deliveries(ws: Workspace) -> list[Alert]:
    """Post again every alert that some configured webhook has not acknowledged."""
    urls, attempts, timeout = webhook_settings(ws)
    out = []
    for a in ws.alerts():
        todo = undelivered(a, urls)
        if todo:
            out.append(deliver_alert(ws, a, todo, attempts=attempts, timeout=timeout))
    return out
