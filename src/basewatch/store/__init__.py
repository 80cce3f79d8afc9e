"""Persistence: the schema, its migrations, the catalog tables and the content-addressed archive."""

from basewatch.store.archive import Archive, sha256_file
from basewatch.store.db import make_engine
from basewatch.store.migrate import check_revision, head_revision, upgrade

__all__ = ["Archive", "check_revision", "head_revision", "make_engine", "sha256_file", "upgrade"]
