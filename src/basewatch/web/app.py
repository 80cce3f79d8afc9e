"""The one app object behind `basewatch serve`, `serve --get` and the tests.

    app = create_app("case")                 # or an open Workspace
    AppClient(app).get("/api/sites").json()  # in-process, no server
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException

from basewatch import __version__, errors
from basewatch.web.middleware import GuardAndCache, ResponseCache
from basewatch.web.security import new_token
from basewatch.web.tiles import TileCache
from basewatch.workspace import Workspace

HERE = Path(__file__).parent
STATIC = HERE / "static"
VENDOR_FILES = ("vendor/leaflet/leaflet.js", "vendor/leaflet/leaflet.css", "vendor/chart.umd.min.js")


def vendor_missing() -> list[str]:
    """Browser libraries that the set-up step (npm ci + copy) has not put in place."""
    return [f for f in VENDOR_FILES if not (STATIC / f).is_file()]


def basemap_setting(ws: Workspace) -> dict[str, str] | None:
    """The optional internet base map from `[web] basemap_url` (and `basemap_attribution`); off by default."""
    web = ws.config.get("web", {}) or {}
    url = web.get("basemap_url")
    if not url:
        return None
    parts = urlsplit(str(url))
    if parts.scheme not in ("http", "https") or not parts.netloc or "{z}" not in url:
        raise errors.InvalidValueError(f"[web] basemap_url {url!r} in basewatch.toml is not a tile URL; use e.g. "
                                       "\"https://tile.example.org/{z}/{x}/{y}.png\" or remove it")
    return {"url": str(url), "attribution": str(web.get("basemap_attribution", ""))}


def _wants_html(request: Request) -> bool:
    return not request.url.path.startswith(("/api/", "/tiles/", "/openapi")) and \
        "text/html" in request.headers.get("accept", "")


def create_app(workspace: Workspace | Path | str, *, read_only: bool = False, token: str | None = None) -> FastAPI:
    """The dashboard and HTTP API over one workspace.

    `token` guards writes (a random one is made when none is given; see `app.state.token`); `read_only`
    refuses every write and opens reading to other hosts, for sharing.
    """
    ws = workspace if isinstance(workspace, Workspace) else Workspace.open(workspace)
    app = FastAPI(title="basewatch", version=__version__, docs_url=None, redoc_url=None,
                  description="Sites, evidence, observations, claims, assessments and imagery tiles of a "
                              "basewatch workspace. Reading is open on localhost; writing needs the token.")
    app.state.ws = ws
    app.state.read_only = read_only
    app.state.token = token or new_token()
    app.state.tiles = TileCache()
    app.state.templates = Jinja2Templates(directory=str(HERE / "templates"))
    app.state.templates.env.globals.update(version=__version__, workspace_name=ws.config.get(
        "workspace", {}).get("name", ws.root.name), read_only=read_only, vendor_missing=vendor_missing())

    app.state.basemap = basemap_setting(ws)
    app.state.response_cache = ResponseCache(ws)
    app.add_middleware(GuardAndCache, state=app.state,
                       extra_img_src=urlsplit(app.state.basemap["url"]).netloc if app.state.basemap else None)

    def _error(request: Request, status: int, message: str) -> Response:
        if _wants_html(request):
            return app.state.templates.TemplateResponse(request, "error.html", {"status": status,
                                                                               "message": message},
                                                        status_code=status)
        return JSONResponse({"error": message}, status_code=status)

    @app.exception_handler(errors.UnknownIdError)
    async def _unknown(request: Request, exc: errors.UnknownIdError) -> Response:
        return _error(request, 404, str(exc))

    @app.exception_handler(errors.BasewatchError)
    async def _bad_input(request: Request, exc: errors.BasewatchError) -> Response:
        return _error(request, 400, str(exc))

    @app.exception_handler(HTTPException)
    async def _http(request: Request, exc: HTTPException) -> Response:
        resp = _error(request, exc.status_code, str(exc.detail))
        for k, v in (exc.headers or {}).items():
            resp.headers[k] = v
        return resp

    from basewatch.web import api, pages

    app.include_router(api.router)
    app.include_router(pages.router)
    app.mount("/static", StaticFiles(directory=str(STATIC)), name="static")

    @app.get("/favicon.ico", include_in_schema=False)
    def _favicon() -> Response:
        return HTMLResponse("", status_code=204)

    return app
