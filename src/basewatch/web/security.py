"""Who may read and who may write.

Reading is open to clients on this machine (loopback) and, with `read_only=True` (sharing), to anyone; a
client from another host reads only with the token. Anything that writes needs the token, and a read-only app
refuses writes altogether. The token travels as `Authorization: Bearer TOKEN` or `X-Basewatch-Token: TOKEN`.
"""

from __future__ import annotations

import ipaddress
import secrets

from fastapi import HTTPException, Request


def new_token() -> str:
    return secrets.token_urlsafe(24)


def is_loopback(host: str | None) -> bool:
    if not host:
        return False
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


def given_token(request: Request) -> str:
    auth = request.headers.get("authorization", "")
    if auth.lower().startswith("bearer "):
        return auth[7:].strip()
    return request.headers.get("x-basewatch-token", "").strip()


def token_ok(request: Request) -> bool:
    expected: str | None = request.app.state.token
    given = given_token(request)
    return bool(expected and given) and secrets.compare_digest(given.encode(), expected.encode())


def require_write(request: Request) -> None:
    """FastAPI dependency of every route that changes the workspace."""
    if request.app.state.read_only:
        raise HTTPException(403, "this workspace is served read-only; restart 'basewatch serve' without "
                                 "--read-only to make changes")
    if not token_ok(request):
        raise HTTPException(401, "writing needs the token printed by 'basewatch serve' "
                                 "(header 'Authorization: Bearer TOKEN')",
                            headers={"WWW-Authenticate": "Bearer"})
