"""equipment image states and families: which states imagery may report per type (a nose visor only where
there is one), and which types look alike from above

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-03 14:30:00

Built-in types get the states of this revision's catalog (frozen here, not read from the live catalog); the
retired `cargo_door` shape flag is dropped. User types keep none until re-imported with `image_states`.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

FAMILIES = {"il-76": "candid", "su-30": "flanker", "su-35": "flanker", "s-400-tel": "canister-launcher"}
CARGO = {"an-124": ["nose_open", "ramp_open"], "il-76": ["ramp_open"], "an-26": ["ramp_open"],
         "an-72": ["ramp_open"]}


def _states(type_id: str, category: str, shape: dict) -> list[str]:
    if type_id in CARGO:
        return CARGO[type_id]
    form = shape.get("form")
    if form == "rotorcraft":
        return ["rotor_removed"]
    if form == "ship":
        return ["at_berth", "offshore"]
    if category.startswith(("air-defense.radar", "air-defense.launcher", "air-defense.gun-missile")):
        return ["packed", "deployed"]
    return []


def upgrade() -> None:
    with op.batch_alter_table("equipment_types") as batch:
        batch.add_column(sa.Column("image_states", sa.JSON(), nullable=False, server_default="[]"))
        batch.add_column(sa.Column("family", sa.String(32), nullable=False, server_default=""))
    table = sa.table("equipment_types", sa.column("id", sa.String), sa.column("category", sa.String),
                     sa.column("shape", sa.JSON), sa.column("image_states", sa.JSON),
                     sa.column("family", sa.String), sa.column("builtin", sa.Boolean))
    conn = op.get_bind()
    for row in conn.execute(sa.select(table.c.id, table.c.category, table.c.shape, table.c.builtin)).all():
        shape = dict(row.shape or {})
        shape.pop("cargo_door", None)
        states = _states(row.id, row.category, shape) if row.builtin else []
        family = FAMILIES.get(row.id, "") if row.builtin else ""
        conn.execute(table.update().where(table.c.id == row.id).values(shape=shape, image_states=states,
                                                                        family=family))


def downgrade() -> None:
    with op.batch_alter_table("equipment_types") as batch:
        batch.drop_column("family")
        batch.drop_column("image_states")
