from datetime import UTC, datetime

import pytest

from basewatch.errors import InvalidValueError
from basewatch.model import Precision, parse_instant


@pytest.mark.parametrize(("text", "precision", "iso"), [
    ("2024", Precision.YEAR, "2024"),
    ("2024-12", Precision.MONTH, "2024-12"),
    ("2024-12-13", Precision.DAY, "2024-12-13"),
    ("2024-12-13T10:22Z", Precision.MINUTE, "2024-12-13T10:22Z"),
    ("2024-12-13T10:22:05+02:00", Precision.SECOND, "2024-12-13T08:22:05Z"),
])
def test_parse_keeps_precision(text, precision, iso):
    inst = parse_instant(text)
    assert inst.precision == precision
    assert inst.isoformat() == iso
    assert inst.at.tzinfo is not None


def test_naive_time_is_utc():
    assert parse_instant("2024-12-13T10:00").at == datetime(2024, 12, 13, 10, tzinfo=UTC)


@pytest.mark.parametrize("bad", ["13/12/2024", "2024-13-01", "yesterday", "2024-12-32", ""])
def test_malformed_dates_name_the_input(bad):
    with pytest.raises(InvalidValueError, match="--collected"):
        parse_instant(bad, what="--collected")
