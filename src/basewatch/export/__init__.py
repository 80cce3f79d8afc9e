"""Exports for other tools: GeoJSON (RFC 7946) for GIS, STIX 2.1 for threat-intelligence platforms, CSV tables.

`records` holds the read-side views that the dashboard and the brief share with the exports.
"""

from basewatch.export.csvfiles import claims_csv, observations_csv
from basewatch.export.geojson import geojson_collection
from basewatch.export.stix import stix_bundle

__all__ = ["claims_csv", "geojson_collection", "observations_csv", "stix_bundle"]
