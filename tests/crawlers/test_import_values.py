from datetime import datetime

import pytest

from crawlers.importers.values import (
    html_to_text,
    parse_count,
    parse_local_time,
    parse_rate,
    parse_relative_time,
    to_id,
)


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


READ_AT = datetime(2026, 5, 3, 6)  # 14:00 in China


@pytest.mark.parametrize("text, when", [
    ("刚刚", datetime(2026, 5, 3, 6)), ("3小时前", datetime(2026, 5, 3, 3)),
    ("5分钟前", datetime(2026, 5, 3, 5, 55)),
    ("2天前", datetime(2026, 5, 1, 6)), ("今天 08:15", datetime(2026, 5, 3, 0, 15)),
    ("昨天 12:30", datetime(2026, 5, 2, 4, 30)), ("前天 23:05", datetime(2026, 5, 1, 15, 5)),
    ("13:20", datetime(2026, 5, 3, 5, 20)), ("15:00", datetime(2026, 5, 2, 7)),  # later than 14:00: yesterday
    ("05-02 09:10", datetime(2026, 5, 2, 1, 10)), ("12-05", datetime(2025, 12, 4, 16)),  # December: last year
])
def test_relative_times_count_back_from_when_the_page_was_read(text, when):
    assert parse_relative_time(text, READ_AT) == when


def test_relative_time_needs_a_reference_and_a_relative_text():
    assert parse_relative_time("昨天 12:30", None) is None
    assert parse_relative_time("2026-05-01 12:30", READ_AT) is None
    assert parse_relative_time("很久以前", READ_AT) is None
    assert parse_relative_time("02-30", READ_AT) is None and parse_relative_time("25:61", READ_AT) is None


def test_html_to_text_keeps_words_emoji_and_line_breaks():
    html = ('又<span class="surl-text">拧不干</span>了<br />求推荐<img alt="[允悲]" src="x.png" /> '
            '<a href="https://m.weibo.cn/search?q=%23拖把%23">#拖把#</a> &quot;平板&quot;')
    assert html_to_text(html) == '又拧不干了\n求推荐[允悲] #拖把# "平板"'
    assert html_to_text("甩干桶太小了&gt;_&lt;") == "甩干桶太小了>_<"
    assert html_to_text("1<3 也算 a<b") == "1<3 也算 a<b"
