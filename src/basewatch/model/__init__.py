"""Domain types: small frozen value objects with no I/O."""

from basewatch.model.detection import DETECTION_CLASSES, Detection
from basewatch.model.time import Instant, Precision, parse_instant
from basewatch.model.types import (
    EquipmentType,
    Evidence,
    Observation,
    Site,
    Source,
    Zone,
)

__all__ = [
    "DETECTION_CLASSES",
    "Detection",
    "EquipmentType",
    "Evidence",
    "Instant",
    "Observation",
    "Precision",
    "Site",
    "Source",
    "Zone",
    "parse_instant",
]
