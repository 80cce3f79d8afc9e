"""A folder written whole or not at all: built beside its destination, renamed into place when complete."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from basewatch.errors import InvalidValueError


def check_new_folder(dest: Path) -> None:
    """Refuse a destination that exists and is not an empty directory (before any work is done)."""
    if dest.exists() and (not dest.is_dir() or any(dest.iterdir())):
        raise InvalidValueError(f"{dest}: exists and is not an empty directory; give a new or empty directory")


@contextmanager
def staged_folder(dest: Path) -> Iterator[Path]:
    """Yield a temporary folder beside `dest`; on success it becomes `dest`, on any failure it is removed, so
    `dest` is never half-written."""
    check_new_folder(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(dir=dest.parent, prefix=f".{dest.name}.partial-"))
    try:
        yield tmp
        if dest.exists():
            dest.rmdir()
        tmp.rename(dest)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


__all__ = ["check_new_folder", "staged_folder"]
