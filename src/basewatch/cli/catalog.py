"""`basewatch catalog`: equipment types, sources and the state vocabulary."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from basewatch.cli.options import JsonOpt, WorkspaceOpt, console, open_workspace, print_json, print_record, print_table

app = typer.Typer(no_args_is_help=True, help="Browse and extend the reference catalog.")


@app.command("list")
def list_catalog(
    sources: Annotated[bool, typer.Option("--sources", help="List sources and their reliability grades.")] = False,
    states: Annotated[bool, typer.Option("--states", help="List the equipment-state vocabulary.")] = False,
    category: Annotated[str | None, typer.Option(help="Only types whose category starts with this.")] = None,
    workspace: WorkspaceOpt = Path("."),
    json_: JsonOpt = False,
) -> None:
    """List equipment types (default), sources (--sources) or states (--states)."""
    with open_workspace(workspace) as ws:
        cat = ws.catalog
    if states:
        if json_:
            print_json(cat.states)
        else:
            print_table("States", ["state", "meaning"], [[k, v] for k, v in cat.states.items()])
        return
    if sources:
        if json_:
            print_json([s.to_dict() for s in cat.sources.values()])
        else:
            print_table("Sources", ["id", "name", "kind", "grade"],
                        [[s.id, s.name, s.kind, s.reliability] for s in cat.sources.values()])
        return
    types = [e for e in cat.equipment.values() if not category or e.category.startswith(category)]
    if json_:
        print_json([e.to_dict() for e in types])
        return
    print_table("Equipment types", ["id", "name", "NATO", "ICAO", "category", "length m", "width m"],
                [[e.id, e.name, e.nato_name, e.icao, e.category, e.length_m, e.width_m] for e in types])


@app.command("show")
def show(
    name: Annotated[str, typer.Argument(help="Equipment type or source: id or any alias (e.g. Condor, AN-124).")],
    workspace: WorkspaceOpt = Path("."),
    json_: JsonOpt = False,
) -> None:
    """Show one equipment type (or, failing that, one source) with its aliases and citation."""
    from basewatch.errors import UnknownEquipmentError

    with open_workspace(workspace) as ws:
        try:
            record = ws.equipment(name).to_dict()
        except UnknownEquipmentError:
            if ws.catalog.source_names.resolve(name) is None:
                raise
            record = ws.source(name).to_dict()
    if json_:
        print_json(record)
    else:
        print_record(record)


@app.command("import")
def import_catalog(
    yaml_file: Annotated[Path, typer.Argument(help="YAML with 'types', 'sites' and/or 'sources' lists.")],
    workspace: WorkspaceOpt = Path("."),
    json_: JsonOpt = False,
) -> None:
    """Add or override catalog entries from a YAML file in the built-in format."""
    with open_workspace(workspace) as ws:
        counts = ws.import_catalog(yaml_file)
    if json_:
        print_json(counts)
    else:
        console.print("Imported " + ", ".join(f"{v} {k}" for k, v in counts.items()) + ".")
