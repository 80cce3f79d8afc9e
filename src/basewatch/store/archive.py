"""The content-addressed evidence archive: files stored by sha256, written once, never modified.

Layout: `<root>/sha256/ab/cdef...` (the first two hex digits fan out the directory). Files are written to a
temporary name and renamed into place, so a crash never leaves a half-written object under its hash.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

CHUNK = 1 << 20


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

        return digest, self._write(digest, fill)

    def put_bytes(self, data: bytes) -> tuple[str, bool]:
        digest = hashlib.sha256(data).hexdigest()
        return digest, self._write(digest, lambda out: out.write(data))

    def _write(self, digest: str, fill: Callable[[BinaryIO], object]) -> bool:
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
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return True

    def remove(self, sha256: str) -> None:
        """Undo a put made in a transaction that failed (never used on committed evidence)."""
        p = self.path(sha256)
        if p.is_file():
            os.chmod(p, 0o644)
            p.unlink()

    def verify(self, sha256: str) -> bool:
        """True when the stored bytes still hash to their name."""
        return self.path(sha256).is_file() and sha256_file(self.path(sha256)) == sha256
