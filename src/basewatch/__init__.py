"""basewatch: watch military sites from open sources and judge, with evidence, what is happening there."""

from basewatch.catalog import Catalog, builtin_catalog
from basewatch.errors import BasewatchError
from basewatch.model import EquipmentType, Evidence, Instant, Observation, Site, Source, Zone, parse_instant
from basewatch.workspace import IngestResult, Workspace

__version__ = "0.1.0"

__all__ = [
    "BasewatchError",
    "Catalog",
    "EquipmentType",
    "Evidence",
    "IngestResult",
    "Instant",
    "Observation",
    "Site",
    "Source",
    "Workspace",
    "Zone",
    "__version__",
    "builtin_catalog",
    "parse_instant",
]
