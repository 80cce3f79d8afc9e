"""Serving the app with uvicorn on loopback (by default), until interrupted."""

from __future__ import annotations

import errno
import os
import socket
from collections.abc import Callable
from pathlib import Path
from typing import Any

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
          read_only: bool = False, token: str | None = None, workers: int = 1,
          on_ready: Callable[[str, str], None] | None = None) -> None:
    """Serve the dashboard and API of `workspace` at http://host:port/ until Ctrl-C.

    `on_ready(url, token)` is called once the address is known to be free, before serving starts (the CLI
    prints the URL and the write token there). `workers` > 1 runs that many processes (each with its own
    caches) for more throughput on several cores.
    """
    import uvicorn

    from basewatch.web.app import create_app
    from basewatch.web.security import new_token

    if workers < 1:
        raise errors.InvalidValueError(f"--workers {workers}; give 1 or more")
    check_port(host, port)
    token = token or new_token()
    shown = f"[{host}]" if ":" in host else host
    if workers == 1:
        app = create_app(workspace, read_only=read_only, token=token)
        if on_ready is not None:
            on_ready(f"http://{shown}:{port}/", token)
        uvicorn.run(app, host=host, port=port, log_level="warning", access_log=False)
        return
    root = workspace.root if isinstance(workspace, Workspace) else Path(workspace)
    Workspace.open(root).close()  # fail here, with the fix, rather than in every worker
    os.environ.update({_ENV_WS: str(Path(root).resolve()), _ENV_TOKEN: token, _ENV_RO: "1" if read_only else ""})
    if on_ready is not None:
        on_ready(f"http://{shown}:{port}/", token)
    uvicorn.run("basewatch.web.server:app_from_environment", factory=True, host=host, port=port,
                workers=workers, log_level="warning", access_log=False)


_ENV_WS, _ENV_TOKEN, _ENV_RO = "BASEWATCH_SERVE_WORKSPACE", "BASEWATCH_SERVE_TOKEN", "BASEWATCH_SERVE_READ_ONLY"


def app_from_environment() -> Any:
    """The app of one worker process, built from what `serve(workers=N)` put in the environment."""
    from basewatch.web.app import create_app

    return create_app(os.environ[_ENV_WS], read_only=bool(os.environ.get(_ENV_RO)), token=os.environ[_ENV_TOKEN])
