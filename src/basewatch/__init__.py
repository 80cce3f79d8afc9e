"""basewatch: watch military sites from open sources and judge, with evidence, what is happening there.

The flat public API: open a `Workspace`, `ingest` files into it, `detect` and `analyze` images, `compare` dates,
`extract_claims` from texts, `assess` a site and `export` what it holds. The CLI and the web call these same
functions.
"""

__version__ = "0.1.0"  # before the imports: modules below read it

from basewatch.assess import assess_site as assess
from basewatch.catalog import Catalog, builtin_catalog
from basewatch.errors import BasewatchError
from basewatch.export import claims_csv, geojson_collection, observations_csv, stix_bundle
from basewatch.imagery.change import compare
from basewatch.imagery.detect import detect_evidence as detect
from basewatch.imagery.inventory import analyze_evidence as analyze
from basewatch.ingest.route import FileIngest, ingest, ingest_files
from basewatch.model import EquipmentType, Evidence, Instant, Observation, Site, Source, Zone, parse_instant
from basewatch.text import extract_claims
from basewatch.workspace import EvidenceUpdate, IngestResult, Workspace

__all__ = [
    "BasewatchError",
    "Catalog",
    "EquipmentType",
    "Evidence",
    "EvidenceUpdate",
    "FileIngest",
    "IngestResult",
    "Instant",
    "Observation",
    "Site",
    "Source",
    "Workspace",
    "Zone",
    "__version__",
    "analyze",
    "assess",
    "builtin_catalog",
    "claims_csv",
    "compare",
    "detect",
    "extract_claims",
    "geojson_collection",
    "ingest",
    "ingest_files",
    "observations_csv",
    "parse_instant",
    "stix_bundle",
]
