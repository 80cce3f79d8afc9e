"""Serving the app with uvicorn on loopback (by default), until interrupted."""

from __future__ import annotations

import errno
import socket
from collections.abc import Callable
from pathlib import Path

from basewatch import errors
from basewatch.workspace import Workspace

DEFAULT_PORT = 8765


def check_port(host: str, port: int) -> None:
    """Fail early, with the fix, when the address is taken (uvicorn would only log and exit)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((host, port))
        except OSError as exc:
            why = "is already in use" if exc.errno == errno.EADDRINUSE else f"cannot be used ({exc.strerror})"
            raise errors.InvalidValueError(f"{host}:{port} {why}; pass another --port") from exc


def serve(workspace: Workspace | Path | str, host: str = "127.0.0.1", port: int = DEFAULT_PORT, *,
          read_only: bool = False, token: str | None = None,
          on_ready: Callable[[str, str], None] | None = None) -> None:
    """Serve the dashboard and API of `workspace` at http://host:port/ until Ctrl-C.

    `on_ready(url, token)` is called once the address is known to be free, before serving starts (the CLI
    prints the URL and the write token there).
    """
    import uvicorn

    from basewatch.web.app import create_app

    check_port(host, port)
    app = create_app(workspace, read_only=read_only, token=token)
    shown = f"[{host}]" if ":" in host else host
    if on_ready is not None:
        on_ready(f"http://{shown}:{port}/", app.state.token)
    uvicorn.run(app, host=host, port=port, log_level="warning", access_log=False)
