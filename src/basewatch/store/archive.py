"""The content-addressed evidence archive: files stored by sha256, written once, never modified.

Layout: `<root>/sha256/ab/cdef...` (the first two hex digits fan out the directory). Files are written to a
temporary name and renamed into place, so a crash never leaves a half-written object under its hash.
"""

from __future__ import annotations

import errno
import hashlib
import os
import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from basewatch.errors import WorkspaceError

CHUNK = 1 << 20
STALE_S = 600  # an .incoming- file not written to for this long was left by a killed process
FULL = (errno.ENOSPC, errno.EDQUOT, errno.EFBIG)


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(CHUNK):
            h.update(chunk)
    return h.hexdigest()


class Archive:
    """Immutable blobs addressed by their sha256."""

    def __init__(self, root: Path):
        self.root = Path(root)

    def path(self, sha256: str) -> Path:
        return self.root / "sha256" / sha256[:2] / sha256[2:]

    def __contains__(self, sha256: str) -> bool:
        return self.path(sha256).is_file()

    def put_file(self, src: Path, sha256: str | None = None) -> tuple[str, bool]:
        """Store a copy of `src`; returns (sha256, created). An existing object is left untouched."""
        digest = sha256 or sha256_file(src)

        def fill(out: BinaryIO) -> None:
            with open(src, "rb") as inp:
                shutil.copyfileobj(inp, out, CHUNK)

        return digest, self._write(digest, fill, src.name)

    def put_bytes(self, data: bytes) -> tuple[str, bool]:
        digest = hashlib.sha256(data).hexdigest()
        return digest, self._write(digest, lambda out: out.write(data), f"{len(data)} bytes")

    def _write(self, digest: str, fill: Callable[[BinaryIO], object], what: str = "an object") -> bool:
        dest = self.path(digest)
        if dest.is_file():
            return False
        dest.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=dest.parent, prefix=".incoming-")
        try:
            with os.fdopen(fd, "wb") as out:
                fill(out)
            os.chmod(tmp, 0o444)
            os.replace(tmp, dest)
        except BaseException as exc:
            Path(tmp).unlink(missing_ok=True)
            if isinstance(exc, OSError) and exc.errno in FULL:
                raise WorkspaceError(f"{self.root}: no room to archive {what} ({exc.strerror}); free disk space "
                                     "(or raise the quota) and run the command again; nothing was written") from exc
            raise
        return True

    def remove_stale(self, older_than_s: float = STALE_S) -> list[Path]:
        """Delete the temporary files of copies that a killed process never finished; returns them."""
        cutoff = time.time() - older_than_s
        gone = []
        for tmp in (self.root / "sha256").glob("*/.incoming-*"):
            try:
                if tmp.stat().st_mtime < cutoff:
                    tmp.unlink()
                    gone.append(tmp)
            except FileNotFoundError:  # another process removed it first
                continue
        return gone

    def remove(self, sha256: str) -> None:
        """Undo a put made in a transaction that failed (never used on committed evidence)."""
        p = self.path(sha256)
        if p.is_file():
            os.chmod(p, 0o644)
            p.unlink()

    def verify(self, sha256: str) -> bool:
        """True when the stored bytes still hash to their name."""
        return self.path(sha256).is_file() and sha256_file(self.path(sha256)) == sha256
