"""Event times in text, resolved against the publication date.

Explicit dates ("December 13, 2024", "13 Dec", "Dec 14-15"), weekdays ("on Saturday": the latest such day on or
before publication), "yesterday", "today", "last night", "N days ago" and "the weekend". A date without a year
takes the year that puts it nearest the publication date. Vague spans ("days ago", "recently") give nothing:
no time is better than a wrong one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from basewatch.text.model import EventTime

_MONTHS = {m: i + 1 for i, m in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
     "november", "december"])}
_MONTHS.update({k[:3]: v for k, v in list(_MONTHS.items())})
_MONTHS["sept"] = 9
_WEEKDAYS = {d: i for i, d in enumerate(["monday", "tuesday", "wednesday", "thursday", "friday", "saturday",
                                         "sunday"])}
_MON = r"(?P<mon>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|" \
       r"oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
_WEEKDAY = r"(?P<wd>monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
_NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "a": 1}

_PATTERNS = [
    ("mdy", re.compile(_MON + r"\s+(?P<d1>\d{1,2})(?:st|nd|rd|th)?(?:\s*[-\u2013]\s*(?P<d2>\d{1,2}))?"
                       r"(?:,?\s+(?P<y>\d{4}))?(?!\d)", re.I)),
    ("dmy", re.compile(r"(?<!\d)(?P<d1>\d{1,2})(?:st|nd|rd|th)?(?:\s*[-\u2013]\s*(?P<d2>\d{1,2}))?\s+(?:of\s+)?"
                       + _MON + r"(?:,?\s+(?P<y>\d{4}))?", re.I)),
    ("iso", re.compile(r"(?<!\d)(?P<y>\d{4})-(?P<m>\d{2})-(?P<d1>\d{2})(?!\d)")),
    ("ago", re.compile(r"\b(?P<n>\d+|one|two|three|four|five|six|seven|a)\s+days?\s+ago\b", re.I)),
    ("rel", re.compile(r"\b(?P<rel>yesterday|today|tonight|last night|this morning|the day before yesterday)\b",
                       re.I)),
    ("weekend", re.compile(r"\b(?:the|last|this)\s+weekend\b", re.I)),
    ("wd", re.compile(r"\b(?:(?P<last>last)\s+)?" + _WEEKDAY + r"(?:'s)?\b", re.I)),
    ("month", re.compile(r"\b(?:in|by|since|during|early|late|mid-?)\s+" + _MON + r"(?:\s+(?P<y>\d{4}))?\b", re.I)),
]


@dataclass(frozen=True)
class DateMention:
    start: int
    end: int
    time: EventTime
    kind: str = "mdy"

    @property
    def explicit(self) -> bool:
        return self.kind in ("mdy", "dmy", "iso")


def _nearest_year(month: int, day: int, published: date | None) -> int | None:
    if published is None:
        return None
    best = None
    for y in (published.year - 1, published.year, published.year + 1):
        try:
            d = date(y, month, day)
        except ValueError:
            continue
        if best is None or abs((d - published).days) < abs((best - published).days):
            best = d
    return best.year if best else None


def _weekday_before(published: date, weekday: int, strictly_before: bool = False) -> date:
    delta = (published.weekday() - weekday) % 7
    if delta == 0 and strictly_before:
        delta = 7
    return published - timedelta(days=delta)


def find_dates(text: str, published: date | None) -> list[DateMention]:
    """Every time expression in `text` that resolves to a day or month, left to right, without overlaps."""
    found: list[DateMention] = []
    taken: list[tuple[int, int]] = []
    for kind, rx in _PATTERNS:
        for m in rx.finditer(text):
            if any(s < m.end() and m.start() < e for s, e in taken):
                continue
            t = _resolve(kind, m, published)
            if t is not None:
                found.append(DateMention(m.start(), m.end(), t, kind))
                taken.append((m.start(), m.end()))
    return sorted(found, key=lambda d: d.start)


def _resolve(kind: str, m: re.Match[str], published: date | None) -> EventTime | None:
    g = m.groupdict()
    try:
        if kind in ("mdy", "dmy", "iso"):
            month = int(g["m"]) if kind == "iso" else _MONTHS[g["mon"].lower().rstrip(".")[:4].rstrip("t")
                                                              if g["mon"].lower().startswith("sept")
                                                              else g["mon"].lower().rstrip(".")[:3]]
            d1 = int(g["d1"])
            year = int(g["y"]) if g.get("y") else _nearest_year(month, d1, published)
            if year is None:
                return None
            start = date(year, month, d1)
            end = date(year, month, int(g["d2"])) if g.get("d2") else start
            return EventTime(start, max(start, end), "day")
        if published is None:
            return None
        if kind == "ago":
            n = g["n"].lower()
            days = int(n) if n.isdigit() else _NUMBERS[n]
            d = published - timedelta(days=days)
            return EventTime(d, d, "day")
        if kind == "rel":
            rel = g["rel"].lower()
            off = {"yesterday": 1, "last night": 1, "the day before yesterday": 2}.get(rel, 0)
            d = published - timedelta(days=off)
            return EventTime(d, d, "day")
        if kind == "weekend":
            sat = _weekday_before(published, 5, strictly_before=published.weekday() not in (5, 6))
            if published.weekday() == 6:
                sat = published - timedelta(days=1)
            return EventTime(sat, sat + timedelta(days=1), "day")
        if kind == "wd":
            d = _weekday_before(published, _WEEKDAYS[g["wd"].lower()], strictly_before=bool(g.get("last")))
            return EventTime(d, d, "day")
        if kind == "month":
            month = _MONTHS[g["mon"].lower().rstrip(".")[:3]]
            year = int(g["y"]) if g.get("y") else _nearest_year(month, 15, published)
            if year is None:
                return None
            start = date(year, month, 1)
            nxt = date(year + (month == 12), month % 12 + 1, 1)
            return EventTime(start, nxt - timedelta(days=1), "month")
    except (ValueError, KeyError):
        return None
    return None
