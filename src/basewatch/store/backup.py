"""`basewatch backup DIR`: a consistent copy of a workspace. The database goes through SQLite's online backup
API (a snapshot even while another process writes); archive objects are hard-linked (they are immutable) or
copied across file systems. The copy is built beside DIR and renamed into place, so DIR is never half-written."""

from __future__ import annotations

import os
import shutil
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from basewatch.errors import WorkspaceError
from basewatch.folders import check_new_folder, staged_folder

if TYPE_CHECKING:
    from basewatch.workspace import Workspace


@dataclass(frozen=True)
class BackupResult:
    directory: Path
    objects: int
    linked: int  # objects hard-linked rather than copied

    def to_dict(self) -> dict[str, object]:
        return {"directory": str(self.directory), "objects": self.objects, "linked": self.linked}


def _inside(path: Path, root: Path) -> Path:
    try:
        return path.resolve().relative_to(root.resolve())
    except ValueError:
        raise WorkspaceError(f"{path}: lies outside the workspace {root}; 'basewatch backup' copies workspaces "
                             "whose database and archive are inside it -- copy this one by hand") from None


def backup_workspace(ws: Workspace, dest: Path) -> BackupResult:
    """Write a consistent copy of `ws` to `dest`, which must be absent or an empty directory."""
    from basewatch.workspace import CONFIG_NAME

    dest = Path(dest)
    check_new_folder(dest)
    if ws.engine.dialect.name != "sqlite":
        raise WorkspaceError(f"{ws.root}: the database is {ws.engine.dialect.name}; back it up with the server's "
                             "tools (e.g. pg_dump) and copy the archive directory")
    db_rel = _inside(Path(ws.engine.url.database), ws.root)
    archive_rel = _inside(ws.archive.root, ws.root)
    with staged_folder(dest) as tmp:
        shutil.copy2(ws.root / CONFIG_NAME, tmp / CONFIG_NAME)
        (tmp / db_rel).parent.mkdir(parents=True, exist_ok=True)
        src = sqlite3.connect(ws.engine.url.database)
        dst = sqlite3.connect(tmp / db_rel)
        try:
            with dst:
                src.backup(dst)
        finally:
            src.close()
            dst.close()
        objects = linked = 0
        (tmp / archive_rel / "sha256").mkdir(parents=True)
        for path in sorted((ws.archive.root / "sha256").glob("*/*")):
            if path.name.startswith(".incoming-") or not path.is_file():
                continue
            out = tmp / archive_rel / "sha256" / path.parent.name / path.name
            out.parent.mkdir(exist_ok=True)
            try:
                os.link(path, out)
                linked += 1
            except OSError:  # another file system, or links not allowed
                shutil.copy2(path, out)
            objects += 1
    return BackupResult(dest, objects, linked)
