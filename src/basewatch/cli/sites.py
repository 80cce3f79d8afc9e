"""`basewatch sites`: the watched places."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from basewatch.cli.options import JsonOpt, WorkspaceOpt, console, open_workspace, print_json, print_record, print_table

app = typer.Typer(no_args_is_help=True, help="List, show and add watched sites.")


@app.command("list")
def list_sites(workspace: WorkspaceOpt = Path("."), json_: JsonOpt = False) -> None:
    """List the sites of the workspace."""
    with open_workspace(workspace) as ws:
        sites = list(ws.catalog.sites.values())
    if json_:
        print_json([s.to_dict() for s in sites])
        return
    print_table("Sites", ["id", "name", "kind", "centre (lat, lon)", "zones", "aliases"],
                [[s.id, s.name, s.kind, f"{s.lat:.5f}, {s.lon:.5f}", len(s.zones), len(s.aliases)] for s in sites])


@app.command("show")
def show_site(
    name: Annotated[str, typer.Argument(help="Site id or any of its names (e.g. Hmeimim, Хмеймим).")],
    workspace: WorkspaceOpt = Path("."),
    geojson: Annotated[bool, typer.Option("--geojson", help="Print the AOI and zones as GeoJSON.")] = False,
    json_: JsonOpt = False,
) -> None:
    """Show one site with its zones and aliases."""
    with open_workspace(workspace) as ws:
        site = ws.site(name)
    if geojson:
        print_json({"type": "FeatureCollection",
                    "features": [site.__geo_interface__, *(z.__geo_interface__ for z in site.zones)]})
        return
    if json_:
        print_json(site.to_dict())
        return
    record = site.to_dict()
    record.pop("zones")
    record.pop("aoi")
    record["aliases"] = ", ".join(site.aliases)
    print_record(record)
    print_table("Zones", ["id", "name", "kind"], [[z.id, z.name, z.kind] for z in site.zones])


@app.command("add")
def add_site(
    geojson_file: Annotated[Path, typer.Argument(help="GeoJSON FeatureCollection: one AOI feature, zone features.")],
    site_id: Annotated[str | None, typer.Option("--id", help="Site id (default: properties.id).")] = None,
    name: Annotated[str | None, typer.Option(help="Site name (default: properties.name).")] = None,
    replace: Annotated[bool, typer.Option(help="Override an existing site with the same id.")] = False,
    workspace: WorkspaceOpt = Path("."),
    json_: JsonOpt = False,
) -> None:
    """Add a site (or override one with --replace) from a GeoJSON file in WGS84."""
    from basewatch.catalog.user import site_from_geojson

    with open_workspace(workspace) as ws:
        site = ws.add_site(site_from_geojson(geojson_file, site_id=site_id, name=name), replace=replace)
    if json_:
        print_json(site.to_dict())
    else:
        console.print(f"Added site [bold]{escape(site.id)}[/] ({escape(site.name)}) with {len(site.zones)} zones.")
