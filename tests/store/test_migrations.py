"""Schema revisions upgrade a workspace written by an older basewatch, data included."""

from __future__ import annotations

from alembic import command
from sqlalchemy import select, update

from basewatch.store.migrate import alembic_config, current_revision, head_revision
from basewatch.store.schema import equipment_types
from basewatch.workspace import Workspace


def test_0002_gives_builtin_types_their_image_states_and_drops_cargo_door(tmp_path) -> None:
    ws = Workspace.init(tmp_path / "ws")
    with ws.engine.begin() as conn:
        command.downgrade(alembic_config(conn), "0001")
    with ws.engine.begin() as conn:  # what a 0001 workspace held: the cargo_door flag, no image states
        shape = conn.execute(select(equipment_types.c.shape).where(equipment_types.c.id == "il-76")).scalar_one()
        conn.execute(update(equipment_types).where(equipment_types.c.id == "il-76")
                     .values(shape={**shape, "cargo_door": True}))
    ws.close()
    assert current_revision(ws.engine) == "0001"
    reopened = Workspace.open(tmp_path / "ws")
    assert current_revision(reopened.engine) == head_revision()
    cat = reopened.catalog
    assert cat.equipment["il-76"].image_states == ("ramp_open",)
    assert "cargo_door" not in cat.equipment["il-76"].shape
    assert cat.equipment["an-124"].image_states == ("nose_open", "ramp_open")
    assert cat.equipment["a320"].image_states == ()
    assert cat.equipment["mi-8"].image_states == ("rotor_removed",)
    reopened.close()
