"""The dashboard and HTTP API: `create_app(workspace)` for in-process use, `serve(...)` to run it."""

from basewatch.web.app import create_app
from basewatch.web.client import AppClient
from basewatch.web.server import serve

__all__ = ["AppClient", "create_app", "serve"]
