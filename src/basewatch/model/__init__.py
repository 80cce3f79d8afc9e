"""Domain types and the typed records that cross stage boundaries: small frozen value objects with no I/O."""

from basewatch.model.alert import Alert
from basewatch.model.assessment import Assessment, Contradiction, Gap, Hypothesis, Indicator, MatrixRow
from basewatch.model.claim import Claim
from basewatch.model.coverage import Coverage
from basewatch.model.detection import DETECTION_CLASSES, Detection
from basewatch.model.inventory import Identification, ZoneCount
from basewatch.model.review import REVIEW_ACTIONS, Review
from basewatch.model.time import Instant, Precision, day_of, parse_instant
from basewatch.model.track_event import TrackEvent
from basewatch.model.types import (
    EquipmentType,
    Evidence,
    Observation,
    Site,
    Source,
    Zone,
)

__all__ = [
    "Alert",
    "Assessment",
    "Claim",
    "Contradiction",
    "Coverage",
    "Gap",
    "Hypothesis",
    "Identification",
    "Indicator",
    "MatrixRow",
    "REVIEW_ACTIONS",
    "Review",
    "TrackEvent",
    "ZoneCount",
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
    "day_of",
    "parse_instant",
]
