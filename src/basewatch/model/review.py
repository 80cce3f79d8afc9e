"""An analyst's review of one image's detections: confirm, reject, retype, redraw, add or count by hand."""

from __future__ import annotations

from dataclasses import dataclass

from basewatch.model.record import Record
from basewatch.model.time import Instant

REVIEW_ACTIONS = ("confirm", "reject", "retype", "redraw", "add", "count")


@dataclass(frozen=True)
class Review(Record):
    """One review action, who took it and when; `undone_at` set means it no longer applies (kept for the record).

    `detection_id` is the detection observation the action is about (for `add`, the one it created); `type_id`
    the type a retype, add or count names; `polygon_px` the corners a redraw or add drew; `zone_id` and
    `count` a hand count of one type in one zone of the image.
    """

    evidence_id: str
    site_id: str
    action: str
    analyst: str
    reviewed_at: Instant
    observed_at: Instant
    detection_id: int | None = None
    type_id: str | None = None
    cls: str | None = None
    polygon_px: tuple[tuple[float, float], ...] | None = None
    zone_id: str | None = None
    count: int | None = None
    note: str = ""
    undone_at: Instant | None = None
    undone_by: str | None = None
    id: int | None = None

    @property
    def active(self) -> bool:
        return self.undone_at is None


__all__ = ["REVIEW_ACTIONS", "Review"]
