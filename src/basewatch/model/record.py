"""The base of the typed records that cross a stage boundary: one symmetric dict form for every output.

`to_dict` is the JSON schema shared by `--json`, the HTTP API, the exports and the tests; `from_dict` reads it
back. Instants become ISO text (keeping their precision), nested records become dicts, tuples become lists.
"""

from __future__ import annotations

import types
import typing
from dataclasses import fields
from functools import cache
from typing import Any, Self

from basewatch.model.time import Instant, parse_instant


def _unwrap(hint: Any) -> tuple[str, type | None]:
    """('record' | 'records' | 'instant' | 'plain', record class) for a field's type hint."""
    args = typing.get_args(hint)
    if typing.get_origin(hint) in (typing.Union, types.UnionType):
        inner = [a for a in args if a is not type(None)]
        return _unwrap(inner[0]) if len(inner) == 1 else ("plain", None)
    if hint is Instant:
        return "instant", None
    if isinstance(hint, type) and issubclass(hint, Record):
        return "record", hint
    if typing.get_origin(hint) is tuple and args and isinstance(args[0], type) and issubclass(args[0], Record):
        return "records", args[0]
    return "plain", None


@cache
def _shape(cls: type) -> tuple[tuple[str, str, type | None], ...]:
    hints = typing.get_type_hints(cls)
    return tuple((f.name, *_unwrap(hints[f.name])) for f in fields(cls))


def _plain(value: Any) -> Any:
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


class Record:
    """Mixin for frozen dataclasses: `to_dict` / `from_dict`, symmetric (a round trip gives an equal record)."""

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for name, how, _ in _shape(type(self)):
            value = getattr(self, name)
            if value is None:
                out[name] = None
            elif how == "instant":
                out[name] = value.isoformat()
            elif how == "record":
                out[name] = value.to_dict()
            elif how == "records":
                out[name] = [v.to_dict() for v in value]
            else:
                out[name] = _plain(value)
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Self:
        kwargs: dict[str, Any] = {}
        for name, how, sub in _shape(cls):
            if name not in data:
                continue
            value = data[name]
            if value is None:
                kwargs[name] = None
            elif how == "instant":
                kwargs[name] = value if isinstance(value, Instant) else parse_instant(value)
            elif how == "record":
                kwargs[name] = value if isinstance(value, sub) else sub.from_dict(value)  # type: ignore[union-attr]
            elif how == "records":
                kwargs[name] = tuple(v if isinstance(v, sub) else sub.from_dict(v)  # type: ignore[union-attr]
                                     for v in value)
            elif isinstance(value, list):
                kwargs[name] = tuple(value)
            else:
                kwargs[name] = value
        return cls(**kwargs)


__all__ = ["Record"]
