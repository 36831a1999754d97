from datetime import datetime

import pytest

from crawlers.importers.values import parse_count, parse_local_time, parse_rate, to_id


@pytest.mark.parametrize("text, count", [
    ("1.2万", 12_000), ("10万+", 100_000), ("3.5w", 35_000), ("1,024", 1024), ("0", 0), (88, 88),
    ("1亿", 100_000_000), ("", None), (None, None), (" 7 ", 7),
])
def test_counts_as_platforms_print_them(text, count):
    assert parse_count(text) == count


@pytest.mark.parametrize("text", ["很多", "-3", "1.2.3万"])
def test_bad_counts_raise(text):
    with pytest.raises(ValueError):
        parse_count(text)


@pytest.mark.parametrize("text, rate", [("10%", 0.1), ("0.4666", 0.4666), ("1", 1.0), ("46.5", 0.465),
                                        ("", None)])
def test_rates_become_shares(text, rate):
    assert parse_rate(text) == (pytest.approx(rate) if rate is not None else None)


def test_rate_out_of_range_raises():
    with pytest.raises(ValueError, match="outside"):
        parse_rate("150%")


def test_ids_stay_exact_strings():
    assert to_id(7380012345678901234) == "7380012345678901234"
    assert to_id(624518962789.0) == "624518962789"
    assert to_id(" 6650a1b2 ") == "6650a1b2" and to_id("") is None


def test_times_without_zone_are_china_time():
    assert parse_local_time("2026-05-01 12:30") == datetime(2026, 5, 1, 4, 30)
    assert parse_local_time("2026-05-01T12:30:00+00:00") == datetime(2026, 5, 1, 12, 30)
    assert parse_local_time(1777600000000) == parse_local_time("1777600000")
    with pytest.raises(ValueError, match="not a time"):
        parse_local_time("昨天 12:30")
