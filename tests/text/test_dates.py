"""Event times resolved against the publication date, with a precision; null when the text gives none."""

from __future__ import annotations

from datetime import date

import pytest

from basewatch.text import extract_claims
from basewatch.text.dates import find_dates

PUB = date(2024, 12, 16)  # a Monday


@pytest.mark.parametrize(("text", "start", "end", "precision"), [
    ("taken on December 13, 2024", date(2024, 12, 13), date(2024, 12, 13), "day"),
    ("on 9 December", date(2024, 12, 9), date(2024, 12, 9), "day"),
    ("Khmeimim, Dec 14-15:", date(2024, 12, 14), date(2024, 12, 15), "day"),
    ("(Dec. 12)", date(2024, 12, 12), date(2024, 12, 12), "day"),
    ("yesterday", date(2024, 12, 15), date(2024, 12, 15), "day"),
    ("last night", date(2024, 12, 15), date(2024, 12, 15), "day"),
    ("three days ago", date(2024, 12, 13), date(2024, 12, 13), "day"),
    ("on Friday", date(2024, 12, 13), date(2024, 12, 13), "day"),
    ("on Monday", date(2024, 12, 16), date(2024, 12, 16), "day"),
    ("last Monday", date(2024, 12, 9), date(2024, 12, 9), "day"),
    ("over the weekend", date(2024, 12, 14), date(2024, 12, 15), "day"),
    ("by January", date(2025, 1, 1), date(2025, 1, 31), "month"),  # year nearest the publication
    ("on 2024-12-03", date(2024, 12, 3), date(2024, 12, 3), "day"),
])
def test_resolution(text: str, start: date, end: date, precision: str) -> None:
    found = find_dates(text, PUB)
    assert len(found) == 1
    t = found[0].time
    assert (t.start, t.end, t.precision) == (start, end, precision)


def test_year_nearest_publication_across_new_year() -> None:
    assert find_dates("on Dec 30", date(2025, 1, 2))[0].time.start == date(2024, 12, 30)


def test_relative_dates_need_a_publication_date() -> None:
    assert find_dates("on Friday", None) == [] and find_dates("yesterday", None) == []
    assert find_dates("December 13, 2024", None)[0].time.start == date(2024, 12, 13)


def test_vague_spans_give_no_time() -> None:
    assert find_dates("days ago, recently, in the last day or two", PUB) == []
    claims = extract_claims("Russian warships left the port of Tartus days ago.", published="2024-12-14")
    assert claims and claims[0].event_time is None


def test_claim_time_comes_from_its_own_clause() -> None:
    claims = extract_claims("At Khmeimim, the Pantsir batteries were not dismantled, and an Il-76 was seen on the "
                            "apron on Tuesday.", published="2024-12-18")
    by_state = {c.state: c for c in claims}
    assert by_state["DISMANTLING"].event_time is None
    assert by_state["PRESENT"].event_time is not None
    assert by_state["PRESENT"].event_time.start == date(2024, 12, 17)


def test_last_year_two_days_and_images_from_a_day() -> None:
    from datetime import date

    from basewatch.text.dates import find_dates

    pub = date(2025, 6, 3)
    got = {t: [(d.time.start, d.time.end) for d in find_dates(t, pub)] for t in
           ("On May 15 last year, images showed", "Satellite images from Oct. 1 and 3 showed",
            "unchanged since our May 10 imagery", "fewer jets than on May 27")}
    assert got == {"On May 15 last year, images showed": [(date(2024, 5, 15), date(2024, 5, 15))],
                   "Satellite images from Oct. 1 and 3 showed": [(date(2024, 10, 1), date(2024, 10, 3))],
                   "unchanged since our May 10 imagery": [(pub, pub)],
                   "fewer jets than on May 27": []}
