"""Call the app in-process, without a server (Datasette's `ds.client`): for `serve --get` and the tests."""

from __future__ import annotations

from typing import Any

import anyio
import httpx


class AppClient:
    """A synchronous client over the ASGI app; requests come from `client_host` (loopback by default)."""

    def __init__(self, app: Any, *, client_host: str = "127.0.0.1"):
        self.app = app
        self.client_host = client_host

    def request(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        async def go() -> httpx.Response:
            transport = httpx.ASGITransport(app=self.app, client=(self.client_host, 50123))
            async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as client:
                return await client.request(method, path, **kwargs)

        return anyio.run(go)

    def get(self, path: str, **kwargs: Any) -> httpx.Response:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, **kwargs: Any) -> httpx.Response:
        return self.request("POST", path, **kwargs)
