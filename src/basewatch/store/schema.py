"""The workspace schema (SQLAlchemy Core), portable between SQLite and PostgreSQL.

Geometries are GeoJSON text (WGS84) so the embedded SQLite default needs no extension; a PostGIS deployment
can add geometry columns beside them. Times are UTC, stored with their precision in a sibling column.
Changes to this module need a new Alembic revision in `store/migrations/versions/`.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    TypeDecorator,
    UniqueConstraint,
)


class UTCDateTime(TypeDecorator[datetime]):
    """A timezone-aware UTC datetime on every backend (SQLite drops the zone otherwise)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

PRECISION = String(8)

sites = Table(
    "sites", metadata,
    Column("id", String(64), primary_key=True),
    Column("name", Text, nullable=False),
    Column("kind", String(32), nullable=False),
    Column("operator", Text, nullable=False, default=""),
    Column("country", String(8), nullable=False, default=""),
    Column("lat", Float, nullable=False),
    Column("lon", Float, nullable=False),
    Column("aoi", JSON, nullable=False),
    Column("citation", Text, nullable=False, default=""),
    Column("builtin", Boolean, nullable=False, default=False),
)

zones = Table(
    "zones", metadata,
    Column("site_id", String(64), ForeignKey("sites.id", ondelete="CASCADE"), primary_key=True),
    Column("id", String(64), primary_key=True),
    Column("name", Text, nullable=False),
    Column("kind", String(32), nullable=False),
    Column("geometry", JSON, nullable=False),
)

aliases = Table(
    "aliases", metadata,
    Column("entity", String(16), primary_key=True),
    Column("norm", Text, primary_key=True),
    Column("entity_id", String(64), nullable=False),
    Column("alias", Text, nullable=False),
    CheckConstraint("entity in ('site', 'equipment', 'source')", name="entity"),
)

equipment_types = Table(
    "equipment_types", metadata,
    Column("id", String(64), primary_key=True),
    Column("name", Text, nullable=False),
    Column("category", String(64), nullable=False),
    Column("nato_name", Text, nullable=False, default=""),
    Column("icao", String(8), nullable=False, default=""),
    Column("role", Text, nullable=False, default=""),
    Column("length_m", Float, nullable=False),
    Column("width_m", Float, nullable=False),
    Column("check", String(16), nullable=False, default=""),
    Column("shape", JSON, nullable=False, default=dict),
    Column("image_states", JSON, nullable=False, default=list),
    Column("family", String(32), nullable=False, default=""),
    Column("citation", Text, nullable=False, default=""),
    Column("builtin", Boolean, nullable=False, default=False),
)

sources = Table(
    "sources", metadata,
    Column("id", String(64), primary_key=True),
    Column("name", Text, nullable=False),
    Column("kind", String(32), nullable=False),
    Column("reliability", String(1), nullable=False),
    Column("url", Text, nullable=False, default=""),
    Column("builtin", Boolean, nullable=False, default=False),
    CheckConstraint("reliability in ('A','B','C','D','E','F')", name="grade"),
)

evidence = Table(
    "evidence", metadata,
    Column("id", String(16), primary_key=True),
    Column("sha256", String(64), nullable=False, unique=True),
    Column("kind", String(16), nullable=False),
    Column("media_type", String(64), nullable=False),
    Column("filename", Text, nullable=False),
    Column("size_bytes", Integer, nullable=False),
    Column("source_id", String(64), ForeignKey("sources.id"), nullable=True),
    Column("site_id", String(64), ForeignKey("sites.id"), nullable=True),
    Column("url", Text, nullable=True),
    Column("licence", Text, nullable=True),
    Column("collected_at", UTCDateTime, nullable=True),
    Column("collected_precision", PRECISION, nullable=True),
    Column("published_at", UTCDateTime, nullable=True),
    Column("published_precision", PRECISION, nullable=True),
    Column("ingested_at", UTCDateTime, nullable=False),
    Column("metadata", JSON, nullable=False, default=dict),
)

evidence_frames = Table(
    "evidence_frames", metadata,
    Column("evidence_id", String(16), ForeignKey("evidence.id", ondelete="CASCADE"), primary_key=True),
    Column("frame_index", Integer, primary_key=True),
    Column("time_s", Float, nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("keyframe", Boolean, nullable=False, default=True),
)

observations = Table(
    "observations", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("site_id", String(64), ForeignKey("sites.id"), nullable=False),
    Column("zone_id", String(64), nullable=True),
    Column("kind", String(16), nullable=False),
    Column("method", String(32), nullable=False),
    Column("equipment_type_id", String(64), ForeignKey("equipment_types.id"), nullable=True),
    Column("state", String(32), nullable=True),
    Column("count", Integer, nullable=False, default=1),
    Column("confidence", Float, nullable=True),
    Column("observed_at", UTCDateTime, nullable=False),
    Column("observed_precision", PRECISION, nullable=False),
    Column("evidence_id", String(16), ForeignKey("evidence.id"), nullable=True),
    Column("frame_index", Integer, nullable=True),
    Column("frame_time_s", Float, nullable=True),
    Column("geometry", JSON, nullable=True),
    Column("note", Text, nullable=False, default=""),
    Column("attributes", JSON, nullable=False, default=dict),
    Column("created_at", UTCDateTime, nullable=False),
    CheckConstraint("count >= 0", name="count"),
    CheckConstraint("confidence is null or (confidence >= 0 and confidence <= 1)", name="confidence"),
    Index(None, "site_id", "observed_at"),
)

claims = Table(
    "claims", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("evidence_id", String(16), ForeignKey("evidence.id"), nullable=False),
    Column("site_id", String(64), ForeignKey("sites.id"), nullable=True),
    Column("subject", Text, nullable=False),
    Column("equipment_type_id", String(64), ForeignKey("equipment_types.id"), nullable=True),
    Column("state", String(32), nullable=True),
    Column("stance", String(16), nullable=False),
    Column("event_at", UTCDateTime, nullable=True),
    Column("event_precision", PRECISION, nullable=True),
    Column("speaker", Text, nullable=True),
    Column("attribution", JSON, nullable=False, default=list),
    Column("quote", Text, nullable=False),
    Column("span_start", Integer, nullable=True),
    Column("span_end", Integer, nullable=True),
    Column("confidence", Float, nullable=True),
    Column("method", String(32), nullable=False),
    Column("event_key", String(128), nullable=True),
    Column("attributes", JSON, nullable=False, default=dict),
    Column("created_at", UTCDateTime, nullable=False),
    Index(None, "site_id", "event_at"),
    Index(None, "event_key"),
)

assessments = Table(
    "assessments", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("site_id", String(64), ForeignKey("sites.id"), nullable=False),
    Column("as_of", UTCDateTime, nullable=False),
    Column("result", JSON, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    UniqueConstraint("site_id", "as_of"),
)

alerts = Table(
    "alerts", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("site_id", String(64), ForeignKey("sites.id"), nullable=True),
    Column("kind", String(32), nullable=False),
    Column("message", Text, nullable=False),
    Column("payload", JSON, nullable=False, default=dict),
    Column("created_at", UTCDateTime, nullable=False),
    Column("deliveries", JSON, nullable=False, default=list),
)
