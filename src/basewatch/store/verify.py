"""`basewatch verify`: re-hash every archive object and check the database, because the archive is trusted as
evidence and nothing else notices a tampered, truncated or deleted blob or a damaged database file."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from basewatch.store.archive import sha256_file
from basewatch.store.schema import evidence, evidence_frames

if TYPE_CHECKING:
    from basewatch.workspace import Workspace


@dataclass(frozen=True)
class Problem:
    """One thing wrong: `kind` is missing, hash_mismatch, unreadable or database."""

    kind: str
    item: str
    detail: str

    def to_dict(self) -> dict[str, str]:
        return {"kind": self.kind, "item": self.item, "detail": self.detail}


@dataclass(frozen=True)
class VerifyReport:
    objects_checked: int
    database_checked: str  # how the database was checked, or why it was not
    problems: tuple[Problem, ...]
    unreferenced: tuple[str, ...] = field(default=())  # intact objects no row cites (not a problem)

    @property
    def ok(self) -> bool:
        return not self.problems

    def to_dict(self) -> dict[str, object]:
        return {"ok": self.ok, "objects_checked": self.objects_checked, "database_checked": self.database_checked,
                "problems": [p.to_dict() for p in self.problems], "unreferenced": list(self.unreferenced)}


def _check_database(ws: Workspace) -> tuple[str, list[Problem]]:
    if ws.engine.dialect.name != "sqlite":
        return f"not checked ({ws.engine.dialect.name}: use the server's own tools, e.g. amcheck)", []
    problems = []
    try:
        with ws.engine.connect() as conn:
            for (line,) in conn.execute(text("PRAGMA integrity_check")):
                if line != "ok":
                    problems.append(Problem("database", "integrity_check", line))
            for row in conn.execute(text("PRAGMA foreign_key_check")):
                problems.append(Problem("database", "foreign_key_check", f"{row[0]} row {row[1]} -> {row[2]}"))
    except DBAPIError as exc:
        problems.append(Problem("database", "integrity_check", f"{exc.orig}; restore from a 'basewatch backup'"))
    return "PRAGMA integrity_check and foreign_key_check", problems


def verify_workspace(ws: Workspace) -> VerifyReport:
    """Every object in the archive hashes to its name and every cited one exists; the database is intact."""
    checked_how, problems = _check_database(ws)
    cited: dict[str, str] = {}
    try:
        with ws.engine.connect() as conn:
            for ev_id, sha in conn.execute(select(evidence.c.id, evidence.c.sha256)):
                cited[sha] = f"evidence {ev_id}"
            for ev_id, idx, sha in conn.execute(select(evidence_frames.c.evidence_id,
                                                       evidence_frames.c.frame_index, evidence_frames.c.sha256)):
                cited.setdefault(sha, f"evidence {ev_id} frame {idx}")
    except DBAPIError as exc:  # the objects are still hashed; which rows cite them is unknown
        problems.append(Problem("database", "evidence", f"cannot read the evidence rows ({exc.orig})"))
    on_disk: dict[str, Path] = {}
    for path in sorted((ws.archive.root / "sha256").glob("*/*")):
        if path.name.startswith(".incoming-") or not path.is_file():
            continue
        on_disk[path.parent.name + path.name] = path
    for name, path in on_disk.items():
        who = cited.get(name, "unreferenced object")
        try:
            actual = sha256_file(path)
        except OSError as exc:
            problems.append(Problem("unreadable", name, f"{who}: {path}: {exc.strerror}"))
            continue
        if actual != name:
            problems.append(Problem("hash_mismatch", name, f"{who}: {path} now hashes to {actual}; the archived "
                                                           "file was modified -- restore it from a backup"))
    for sha, who in cited.items():
        if sha not in on_disk:
            problems.append(Problem("missing", sha, f"{who}: {ws.archive.path(sha)} is missing -- restore it "
                                                    "from a backup"))
    unreferenced = tuple(n for n in on_disk if n not in cited)
    return VerifyReport(len(on_disk), checked_how, tuple(problems), unreferenced)
