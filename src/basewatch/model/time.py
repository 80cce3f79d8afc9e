"""Times with a precision: "2024-12" is a month, not the first of December.

Event, collection and report times are each stored as an `Instant`: a UTC datetime (the start of the
period) plus the precision it was given with.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime
from enum import StrEnum

from basewatch.errors import InvalidValueError


class Precision(StrEnum):
    YEAR = "year"
    MONTH = "month"
    DAY = "day"
    MINUTE = "minute"
    SECOND = "second"


_YEAR = re.compile(r"^\d{4}$")
_MONTH = re.compile(r"^\d{4}-\d{2}$")
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True, order=True)
class Instant:
    """A UTC moment and the precision it is known to."""

    at: datetime
    precision: Precision = Precision.SECOND

    def __post_init__(self) -> None:
        if self.at.tzinfo is None:
            object.__setattr__(self, "at", self.at.replace(tzinfo=UTC))
        else:
            object.__setattr__(self, "at", self.at.astimezone(UTC))

    def isoformat(self) -> str:
        """The shortest ISO 8601 text that says what is known."""
        match self.precision:
            case Precision.YEAR:
                return self.at.strftime("%Y")
            case Precision.MONTH:
                return self.at.strftime("%Y-%m")
            case Precision.DAY:
                return self.at.strftime("%Y-%m-%d")
            case Precision.MINUTE:
                return self.at.strftime("%Y-%m-%dT%H:%MZ")
        return self.at.strftime("%Y-%m-%dT%H:%M:%SZ")

    def __str__(self) -> str:
        return self.isoformat()


def parse_instant(text: str | datetime, *, what: str = "date") -> Instant:
    """Parse ISO 8601 text ("2024-12", "2024-12-13", "2024-12-13T10:22Z") keeping its precision.

    Times without a zone are taken as UTC. `what` names the input in the error message.
    """
    if isinstance(text, datetime):
        return Instant(text, Precision.SECOND)
    raw = str(text).strip()
    try:
        if _YEAR.match(raw):
            return Instant(datetime(int(raw), 1, 1), Precision.YEAR)
        if _MONTH.match(raw):
            y, m = raw.split("-")
            return Instant(datetime(int(y), int(m), 1), Precision.MONTH)
        if _DAY.match(raw):
            return Instant(datetime.fromisoformat(raw), Precision.DAY)
        value = datetime.fromisoformat(raw.replace("z", "Z"))
    except ValueError:
        value = None
    if value is None:
        raise InvalidValueError(
            f"{what} {raw!r} is not a valid date; use ISO 8601 such as 2024-12-13 or 2024-12-13T10:22Z"
        )
    has_seconds = re.search(r"T\d{2}:\d{2}:\d{2}", raw) is not None
    return Instant(value, Precision.SECOND if has_seconds else Precision.MINUTE)


def day_of(value: Instant | datetime | date | str | None, *, what: str = "date") -> date | None:
    """The calendar day of a date-like value (None or "" stay None); strings are parsed as by `parse_instant`."""
    if value is None or value == "":
        return None
    if isinstance(value, Instant):
        return value.at.date()
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return parse_instant(str(value), what=what).at.date()
