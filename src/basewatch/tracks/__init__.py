"""ADS-B and AIS tracks as evidence: loaders, identification, and track events per site.

    from basewatch.tracks import process_track_evidence, track_events
    n = process_track_evidence(ws, evidence_id)       # idempotent
    events = track_events(ws, "khmeimim", "2024-12-07", "2024-12-15")
"""

from __future__ import annotations

from basewatch.tracks.load import FORMATS, detect_format, load_track_file, load_tracks
from basewatch.tracks.points import LoadReport, TrackSet
from basewatch.tracks.process import (
    EVENT_KINDS,
    derive_events,
    import_reference,
    process_track_evidence,
    process_track_evidence_report,
    track_events,
)

__all__ = ["EVENT_KINDS", "FORMATS", "LoadReport", "TrackSet", "derive_events", "detect_format",
           "import_reference", "load_track_file", "load_tracks", "process_track_evidence",
           "process_track_evidence_report", "track_events"]
