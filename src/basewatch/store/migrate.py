"""Schema migrations with Alembic: named revisions, applied in a transaction, recorded in `alembic_version`."""

from __future__ import annotations

from importlib import resources

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine

from basewatch.errors import SchemaVersionError


def alembic_config(connection: Connection | None = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(resources.files("basewatch.store").joinpath("migrations")))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


def head_revision() -> str:
    """The newest schema revision this version of basewatch knows."""
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def check_revision(engine: Engine, where: str) -> str | None:
    """Refuse a database written by a newer basewatch; return its revision (None if empty)."""
    rev = current_revision(engine)
    if rev is None:
        return None
    script = ScriptDirectory.from_config(alembic_config())
    known = {r.revision for r in script.walk_revisions()}
    if rev not in known:
        raise SchemaVersionError(
            f"{where} has schema revision {rev!r}, newer than this basewatch knows (head {head_revision()!r}); "
            "upgrade basewatch (pip install -U basewatch) to open it"
        )
    return rev


def upgrade(engine: Engine, where: str) -> None:
    """Bring the database to the newest revision, in one transaction."""
    check_revision(engine, where)
    with engine.begin() as conn:
        command.upgrade(alembic_config(conn), "head")
