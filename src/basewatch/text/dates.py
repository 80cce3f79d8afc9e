"""Event times in text, resolved against the publication date.

Explicit dates ("December 13, 2024", "13 Dec", "Dec 14-15", "25 декабря", "3 مارس"), weekdays ("on Saturday",
"в понедельник", "يوم الجمعة": the latest such day on or before publication), "yesterday"/"вчера"/"أمس", "today",
"last night", "N days ago" and "the weekend"; "in recent days", "last week" give a range with its precision. A
date without a year takes the year that puts it nearest the publication date. "Since our Dec. 10 imagery" dates
the state to the report's day; the baseline of a comparison ("than last week") is no event date. Vague spans
("days ago", "recently") give nothing: no time is better than a wrong one. Our patterns, not dateparser: on the
Russian phrases above dateparser 1.5 found none of "вчера", "в понедельник" or "25 декабря" correctly.
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
# Russian (genitive) and Arabic month names, Russian weekdays as they follow "в"/"во", Arabic weekdays.
_MONTHS.update({m: i + 1 for i, m in enumerate(
    ["января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября", "октября", "ноября",
     "декабря"])})
_MONTHS.update({m: i + 1 for i, m in enumerate(
    ["يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو", "يوليو", "أغسطس", "سبتمبر", "أكتوبر", "نوفمبر", "ديسمبر"])})
_WEEKDAYS.update({d: i for i, d in enumerate(["понедельник", "вторник", "среду", "четверг", "пятницу", "субботу",
                                              "воскресенье"])})
_WEEKDAYS.update({d: i for i, d in enumerate(["الاثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "السبت",
                                              "الأحد"])})
_MON_RU_AR = r"(?P<mon>" + "|".join(k for k in _MONTHS if not k.isascii()) + r")"
_NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "a": 1}

_PATTERNS = [
    ("mdy", re.compile(_MON + r"\s+(?P<d1>\d{1,2})(?:st|nd|rd|th)?(?:\s*(?:[-\u2013]|and|&)\s*(?P<d2>\d{1,2})(?!\d))?"
                       r"(?:,?\s+(?P<y>\d{4}))?(?!\d)", re.I)),
    ("dmy", re.compile(r"(?<!\d)(?P<d1>\d{1,2})(?:st|nd|rd|th)?(?:\s*[-\u2013]\s*(?P<d2>\d{1,2}))?\s+(?:of\s+)?"
                       + _MON + r"(?:,?\s+(?P<y>\d{4}))?", re.I)),
    ("iso", re.compile(r"(?<!\d)(?P<y>\d{4})-(?P<m>\d{2})-(?P<d1>\d{2})(?!\d)")),
    ("ago", re.compile(r"\b(?P<n>\d+|one|two|three|four|five|six|seven|a)\s+days?\s+ago\b", re.I)),
    ("rel", re.compile(r"\b(?P<rel>yesterday|today|tonight|last night|this morning|the day before yesterday)\b",
                       re.I)),
    ("weekend", re.compile(r"\b(?:the|last|this)\s+weekend\b", re.I)),
    ("wd", re.compile(r"\b(?:(?P<last>last)\s+)?" + _WEEKDAY + r"(?:'s)?\b", re.I)),
    ("dmy", re.compile(r"(?<!\d)(?:в ночь на\s+)?(?P<d1>\d{1,2})(?:\s*[-\u2013]\s*(?P<d2>\d{1,2}))?\s+" + _MON_RU_AR
                       + r"(?:\s+(?P<y>\d{4}))?")),
    ("rel", re.compile(r"(?<![\w])(?P<rel>вчера|сегодня|позавчера|этой ночью|прошлой ночью|накануне|أمس|البارحة|"
                       r"اليوم)(?![\w])", re.I)),
    ("ago", re.compile(r"(?<![\w])(?P<n>\d+)\s+(?:дня|дней|день)\s+назад\b", re.I)),
    ("wd", re.compile(r"(?<![\w])(?:во?\s+|يوم\s+)(?P<wd>понедельник|вторник|среду|четверг|пятницу|субботу|"
                      r"воскресенье|الاثنين|الثلاثاء|الأربعاء|الخميس|الجمعة|السبت|الأحد)(?![\w])", re.I)),
    ("recent", re.compile(r"\b(?:in (?:the )?(?:recent|past|last) (?:few )?(?P<unit>days|weeks)|over the (?:past|last) "
                          r"(?:few )?(?P<unit2>days|week|weeks)|(?P<wk>last|this|past) week|в последние дни|"
                          r"на этой неделе|на прошлой неделе)\b", re.I)),
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
    """The year of the latest such day up to a month after publication: reports look back far more often than
    ahead ("images from Oct. 1" in June are last October's)."""
    if published is None:
        return None
    best = None
    for y in (published.year - 1, published.year, published.year + 1):
        try:
            d = date(y, month, day)
        except ValueError:
            continue
        if (d - published).days <= 31 and (best is None or d > best):
            best = d
    return best.year if best else None


def _month(name: str) -> int:
    key = name.lower().rstrip(".")
    if not key.isascii():
        return _MONTHS[key]
    return _MONTHS[key[:4].rstrip("t") if key.startswith("sept") else key[:3]]


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
    kept = [_last_year(_since(d, text, published), text) for d in found
            if not _BASELINE.search(text[max(0, d.start - 30):d.start])]
    return sorted(kept, key=lambda d: d.start)


# "fewer Su-34 than last week", "compared with March": the time a comparison is made against, not the event's.
_BASELINE = re.compile(r"\b(?:than|compared (?:with|to)|as (?:on|in|of))\s+(?:(?:in|on|at|the|our|its)\s+)?"
                       r"(?:\w+\s+){0,2}$", re.I)


_SINCE = re.compile(r"\bsince\s+(?:our\s+|the\s+|their\s+|its\s+)?$", re.I)


_LAST_YEAR = re.compile(r"^,?\s+(?:of\s+)?last year\b", re.I)


def _last_year(d: DateMention, text: str) -> DateMention:
    """"On May 15 last year": the year before the one nearest publication."""
    if d.kind not in ("mdy", "dmy") or not _LAST_YEAR.match(text[d.end:d.end + 20]):
        return d
    try:
        t = EventTime(d.time.start.replace(year=d.time.start.year - 1), d.time.end.replace(year=d.time.end.year - 1),
                      d.time.precision)
    except ValueError:  # 29 February
        return d
    return DateMention(d.start, d.end, t, d.kind)


def _since(d: DateMention, text: str, published: date | None) -> DateMention:
    """"Unchanged since our Dec. 10 imagery": the state holds on the day of the report, not on Dec. 10."""
    if published is None or not d.explicit or not _SINCE.search(text[max(0, d.start - 20):d.start]):
        return d
    return DateMention(d.start, d.end, EventTime(published, published, "day"), "since")


def _resolve(kind: str, m: re.Match[str], published: date | None) -> EventTime | None:
    g = m.groupdict()
    try:
        if kind in ("mdy", "dmy", "iso"):
            month = int(g["m"]) if kind == "iso" else _month(g["mon"])
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
            off = {"yesterday": 1, "last night": 1, "the day before yesterday": 2, "вчера": 1, "накануне": 1,
                   "прошлой ночью": 1, "позавчера": 2, "أمس": 1, "البارحة": 1}.get(rel, 0)
            d = published - timedelta(days=off)
            return EventTime(d, d, "day")
        if kind == "recent":
            unit = (g.get("unit") or g.get("unit2") or "").lower()
            if g.get("wk") and g["wk"].lower() == "last" or "прошлой" in m.group(0).lower():
                mon = published - timedelta(days=published.weekday() + 7)
                return EventTime(mon, mon + timedelta(days=6), "week")
            days = 21 if unit.startswith("week") and unit != "week" else 7
            return EventTime(published - timedelta(days=days), published, "range")
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
