"""Name resolution: every alias, in any script or spelling, to one catalog id.

Names are compared after Unicode NFKC, case folding, removing accents and dropping spaces, hyphens and
punctuation, so "Hmeimim", "HMEIMIM" and "Хмеймим" all meet their entry, and "AN-124", "An 124" and "An124"
are one name.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable

_DROP = re.compile(r"[\s\-_./'’\"()]+")


def normalize(name: str) -> str:
    """The comparison key of a name."""
    text = unicodedata.normalize("NFKD", name.strip()).casefold()
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = unicodedata.normalize("NFKC", text)
    return _DROP.sub("", text)


class Gazetteer:
    """Resolves names of one kind of entity (sites, equipment types, sources) to their ids."""

    def __init__(self, entries: Iterable[tuple[str, Iterable[str]]] = ()):
        self._index: dict[str, str] = {}
        for entity_id, names in entries:
            self.add(entity_id, names)

    def add(self, entity_id: str, names: Iterable[str]) -> None:
        for name in [entity_id, *names]:
            key = normalize(str(name))
            if key:
                self._index.setdefault(key, entity_id)
        self._index[normalize(entity_id)] = entity_id

    def resolve(self, name: str) -> str | None:
        """The id a name stands for, or None."""
        return self._index.get(normalize(name))

    def suggest(self, name: str, n: int = 3) -> list[str]:
        """Ids whose names are closest to `name`, for 'did you mean' messages."""
        keys = difflib.get_close_matches(normalize(name), list(self._index), n=n, cutoff=0.6)
        out: list[str] = []
        for key in keys:
            if self._index[key] not in out:
                out.append(self._index[key])
        return out
