"""Reading and writing the catalog (sites, zones, equipment, sources, aliases) in a workspace database."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, delete, insert, select

from basewatch.catalog import Catalog, builtin_catalog, normalize
from basewatch.model import EquipmentType, Site, Source, Zone
from basewatch.store.schema import aliases, equipment_types, sites, sources, zones


def _replace_aliases(conn: Connection, entity: str, entity_id: str, names: tuple[str, ...]) -> None:
    conn.execute(delete(aliases).where(aliases.c.entity == entity, aliases.c.entity_id == entity_id))
    seen: set[str] = set()
    for name in names:
        key = normalize(name)
        if not key or key in seen:
            continue
        seen.add(key)
        # A user's entry takes an alias over from whatever held it before.
        conn.execute(delete(aliases).where(aliases.c.entity == entity, aliases.c.norm == key))
        conn.execute(insert(aliases).values(entity=entity, norm=key, entity_id=entity_id, alias=name))


def write_site(conn: Connection, site: Site) -> None:
    """Insert or replace a site with its zones and aliases."""
    conn.execute(delete(zones).where(zones.c.site_id == site.id))
    conn.execute(delete(sites).where(sites.c.id == site.id))
    row = site.to_dict()
    conn.execute(insert(sites).values({k: row[k] for k in sites.c.keys()}))
    for z in site.zones:
        conn.execute(insert(zones).values(site_id=site.id, id=z.id, name=z.name, kind=z.kind, geometry=z.geometry))
    _replace_aliases(conn, "site", site.id, (site.id, site.name, *site.aliases))


def write_equipment(conn: Connection, eq: EquipmentType) -> None:
    conn.execute(delete(equipment_types).where(equipment_types.c.id == eq.id))
    row = eq.to_dict()
    conn.execute(insert(equipment_types).values({k: row[k] for k in equipment_types.c.keys()}))
    names = tuple(n for n in (eq.id, eq.name, eq.nato_name, eq.icao, *eq.aliases) if n)
    _replace_aliases(conn, "equipment", eq.id, names)


def write_source(conn: Connection, src: Source) -> None:
    conn.execute(delete(sources).where(sources.c.id == src.id))
    row = src.to_dict()
    conn.execute(insert(sources).values({k: row[k] for k in sources.c.keys()}))
    _replace_aliases(conn, "source", src.id, (src.id, src.name, *src.aliases))


def seed_builtin(conn: Connection) -> None:
    """Load the built-in catalog into a new workspace."""
    cat = builtin_catalog()
    for eq in cat.equipment.values():
        write_equipment(conn, eq)
    for site in cat.sites.values():
        write_site(conn, site)
    for src in cat.sources.values():
        write_source(conn, src)


def _alias_map(conn: Connection, entity: str) -> dict[str, tuple[str, ...]]:
    out: dict[str, list[str]] = {}
    for row in conn.execute(select(aliases.c.entity_id, aliases.c.alias).where(aliases.c.entity == entity)):
        out.setdefault(row.entity_id, []).append(row.alias)
    return {k: tuple(v) for k, v in out.items()}


def read_catalog(conn: Connection) -> Catalog:
    """The workspace's catalog: the built-in data as seeded, with the user's changes."""
    site_alias = _alias_map(conn, "site")
    zone_rows: dict[str, list[Zone]] = {}
    for z in conn.execute(select(zones).order_by(zones.c.site_id, zones.c.id)):
        zone_rows.setdefault(z.site_id, []).append(
            Zone(id=z.id, site_id=z.site_id, name=z.name, kind=z.kind, geometry=z.geometry))
    site_objs: dict[str, Site] = {}
    for r in conn.execute(select(sites).order_by(sites.c.id)):
        d: dict[str, Any] = dict(r._mapping)
        d["aliases"] = tuple(a for a in site_alias.get(r.id, ()) if a not in (r.id, r.name))
        d["zones"] = tuple(zone_rows.get(r.id, ()))
        site_objs[r.id] = Site(**d)
    eq_alias = _alias_map(conn, "equipment")
    equipment = {}
    for r in conn.execute(select(equipment_types).order_by(equipment_types.c.id)):
        d = dict(r._mapping)
        d["aliases"] = tuple(a for a in eq_alias.get(r.id, ()) if a not in (r.id, r.name, r.nato_name, r.icao))
        d["image_states"] = tuple(d.get("image_states") or ())
        equipment[r.id] = EquipmentType(**d)
    src_alias = _alias_map(conn, "source")
    srcs = {}
    for r in conn.execute(select(sources).order_by(sources.c.id)):
        d = dict(r._mapping)
        d["aliases"] = tuple(a for a in src_alias.get(r.id, ()) if a not in (r.id, r.name))
        srcs[r.id] = Source(**d)
    builtin = builtin_catalog()
    return Catalog(sites=site_objs, equipment=equipment, sources=srcs, states=builtin.states,
                   countries=builtin.countries)
