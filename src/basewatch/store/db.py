"""Database engines: SQLite in WAL mode for the embedded default, any SQLAlchemy URL (PostgreSQL) otherwise."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.exc import DBAPIError, OperationalError

from basewatch.errors import WorkspaceError


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=10000")
    cur.close()


def make_engine(url: str) -> Engine:
    engine = create_engine(url, future=True)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


DAMAGED = ("database disk image is malformed", "file is not a database")


def is_damaged(exc: BaseException) -> bool:
    """Whether a driver error says the database file itself is damaged (not a bug or a lock)."""
    return isinstance(exc, DBAPIError) and any(m in str(exc.orig) for m in DAMAGED)


def open_engine(url: str, where: Path | str) -> Engine:
    """An engine on an existing database, checked by one query: SQLite would silently create a missing file,
    and a corrupt file or an unreachable server would otherwise surface as a driver traceback later."""
    engine = make_engine(url)
    shown = engine.url.render_as_string(hide_password=True)
    sqlite = engine.dialect.name == "sqlite"
    if sqlite and engine.url.database not in (None, "", ":memory:") and not Path(engine.url.database).is_file():
        raise WorkspaceError(f"{where}: the database {engine.url.database} is missing; restore it from a "
                             "'basewatch backup' copy or re-create the workspace with 'basewatch init'")
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT count(*) FROM sqlite_master" if sqlite else "SELECT 1"))
    except DBAPIError as exc:
        engine.dispose()
        if sqlite:
            raise WorkspaceError(f"{where}: the database {engine.url.database} cannot be read ({exc.orig}); "
                                 "restore it from a 'basewatch backup' copy") from exc
        if isinstance(exc, OperationalError):
            raise WorkspaceError(f"{where}: cannot reach the database {shown} ({exc.orig}); check the server "
                                 "is running and [database] url in basewatch.toml") from exc
        raise WorkspaceError(f"{where}: the database {shown} is not usable ({exc.orig}); fix [database] url in "
                             "basewatch.toml") from exc
    return engine
