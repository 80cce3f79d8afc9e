"""One ingest route: a file is inspected and handed to the stage its kind needs.

Texts get their claims, track files their events, images their detections and coverage when asked (`detect`).
A file is atomic: when its stage fails, its new evidence row, archive object and derived records are removed
again, so nothing is half-written. A batch goes on past a bad file and reports each one.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from basewatch.errors import BasewatchError
from basewatch.imagery.detect import detect_evidence
from basewatch.ingest.inspect import TEXT_KINDS, guess_kind
from basewatch.text.store import ingest_text
from basewatch.tracks.process import process_track_evidence
from basewatch.workspace import Workspace

_POST_SUFFIXES = (".json",)  # X and Telegram exports; gzipped JSON is a track file (readsb, traffic)


@dataclass(frozen=True)
class FileIngest:
    """What ingesting one file did, or why it failed (then nothing of it was stored)."""

    file: str
    evidence_id: str | None = None
    kind: str | None = None
    created: bool = False
    claims: int | None = None
    track_events: int | None = None
    detections: int | None = None
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def kind_of(path: Path, kind: str | None = None) -> str:
    """The evidence kind of a file: the one given, else guessed from its name."""
    if kind:
        return kind
    if path.suffix.lower() in _POST_SUFFIXES:
        return "post"
    return guess_kind(path)


def ingest(ws: Workspace, path: Path | str, *, kind: str | None = None, source: str | None = None,
           published: str | None = None, collected: str | None = None, url: str | None = None,
           site: str | None = None, outlet: str | None = None, licence: str | None = None,
           metadata: dict[str, Any] | None = None, detect: bool = False) -> FileIngest:
    """Store one file as evidence and run the stage its kind needs; raises `BasewatchError` on bad input."""
    path = Path(path)
    k = kind_of(path, kind)
    if k in TEXT_KINDS:
        out = ingest_text(ws, path, kind=k, source=source, published=published, collected=collected, url=url,
                          site=site, outlet=outlet, licence=licence, metadata=metadata)
        return FileIngest(str(path), out["evidence"], k, out["created"], claims=out["claims"])
    added = ws.add_evidence(path, kind=k, source=source, collected=collected, published=published, url=url,
                            site=site, licence=licence, metadata=metadata)
    ev = added.evidence
    try:
        if k == "track":
            return FileIngest(str(path), ev.id, k, added.created, track_events=process_track_evidence(ws, ev.id))
        if k == "image" and detect:
            return FileIngest(str(path), ev.id, k, added.created, detections=len(detect_evidence(ws, ev.id)))
    except BaseException:
        if added.created:
            ws.remove_evidence(ev.id)
        raise
    return FileIngest(str(path), ev.id, k, added.created)


def ingest_files(ws: Workspace, paths: Iterable[Path | str], **provenance: Any) -> list[FileIngest]:
    """Ingest each file in turn; a bad file is reported in its result and the batch goes on."""
    results = []
    for p in paths:
        try:
            results.append(ingest(ws, p, **provenance))
        except BasewatchError as exc:
            results.append(FileIngest(str(p), error=str(exc)))
    return results
