"""Loose values from exports: ids, Chinese counts (1.2万), rates (10%), local times, to typed values.

Each parser raises ValueError with a message fit for a BadInputError; the caller names file, line, field.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from store.records import parse_time
from store.weeks import SHANGHAI, to_naive_utc

_UNITS = {"万": 10_000, "w": 10_000, "亿": 100_000_000, "千": 1_000, "k": 1_000}
_COUNT_RE = re.compile(r"^(\d+(?:\.\d+)?)\s*(万|w|亿|千|k)?\+?$", re.IGNORECASE)


_EPOCH = datetime(1970, 1, 1)
_MS_FROM = 100_000_000_000  # larger epoch numbers are milliseconds (xhs), as store.records reads them


def epoch_time(number: int) -> datetime:
    """Naive UTC of epoch seconds or milliseconds; the same instant store.records.parse_time gives."""
    if number > _MS_FROM:
        return _EPOCH + timedelta(milliseconds=number)
    return _EPOCH + timedelta(seconds=number)


class FieldError(ValueError):
    """A source field that cannot be read; the importer adds the file and line."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field, self.message = field, message


def convert(parse: Callable[[Any], Any], value: Any, field: str) -> Any:
    """parse(value), with a ValueError turned into a FieldError naming the source field."""
    try:
        return parse(value)
    except FieldError:
        raise
    except ValueError as exc:
        raise FieldError(field, str(exc)) from exc


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and value.strip() == "")


def to_id(value: Any) -> str | None:
    """An id as a string; JSON numbers stay exact, Excel's 624518962789.0 loses its '.0'."""
    if type(value) is str:  # the common case, first: imports call this for every row
        return value.strip() or None
    if is_blank(value):
        return None
    if isinstance(value, bool):
        raise ValueError(f"not an id: {value!r}")
    if isinstance(value, float):
        if not value.is_integer():
            raise ValueError(f"not an id: {value!r}")
        return str(int(value))
    return str(value).strip()


def parse_count(value: Any) -> int | None:
    """A count as platforms print it: 1234, "1,234", "1.2万", "10万+", "3.5w", "" -> None."""
    if type(value) is str and value.isdigit():
        return int(value)
    if type(value) is int and value >= 0:
        return value
    if is_blank(value):
        return None
    if isinstance(value, bool):
        raise ValueError(f"not a count: {value!r}")
    if isinstance(value, (int, float)):
        if value < 0:
            raise ValueError(f"a count cannot be negative: {value!r}")
        return int(value)
    text = str(value).strip().replace(",", "").replace("，", "")
    m = _COUNT_RE.match(text)
    if not m:
        raise ValueError(f"not a count: {value!r} (expected digits, optionally with 万/亿/w/k)")
    num = Decimal(m.group(1)) * _UNITS.get((m.group(2) or "").lower(), 1)
    return int(num)


def parse_rate(value: Any) -> float | None:
    """A share 0..1 from "10%", "0.4666", "1" or 46.66 (more than 1 and at most 100 reads as percent)."""
    if is_blank(value):
        return None
    text = str(value).strip()
    percent = text.endswith("%")
    try:
        num = Decimal(text.rstrip("%").strip())
    except InvalidOperation as exc:
        raise ValueError(f"not a rate: {value!r} (expected 10%, 0.1 or 1)") from exc
    if percent or 1 < num <= 100:
        num /= 100
    if not 0 <= num <= 1:
        raise ValueError(f"rate {value!r} is outside 0..1 (or 0%..100%)")
    return float(num)


def parse_local_time(value: Any) -> datetime | None:
    """Epoch seconds or ms, or a timestamp text; text without a zone is China time (exporters write it)."""
    if type(value) is int or (type(value) is str and value.isdigit()):
        return epoch_time(int(value))
    if is_blank(value):
        return None
    if isinstance(value, bool):
        raise ValueError(f"not a time: {value!r}")
    if isinstance(value, (int, float)):
        return parse_time(value, "time")
    text = str(value).strip()
    if re.fullmatch(r"\d+(\.\d+)?", text):
        return parse_time(float(text) if "." in text else text, "time")
    try:
        dt = datetime.fromisoformat(text.replace("Z", "+00:00").replace("/", "-"))
    except ValueError as exc:
        raise ValueError(f"not a time: {value!r} (expected epoch seconds/ms or 2026-05-01 12:30)") from exc
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=SHANGHAI)
    return to_naive_utc(dt)


_RELATIVE_AGO_RE = re.compile(r"^(\d+)\s*(秒|分钟|分|小时|天|周)前$")
_RELATIVE_DAY_RE = re.compile(r"^(今天|昨天|前天)\s*(\d{1,2}):(\d{2})$")
_MONTH_DAY_RE = re.compile(r"^(\d{1,2})-(\d{1,2})(?:\s+(\d{1,2}):(\d{2}))?$")
_CLOCK_RE = re.compile(r"^(\d{1,2}):(\d{2})$")
_UNIT_SECONDS = {"秒": 1, "分钟": 60, "分": 60, "小时": 3600, "天": 86400, "周": 7 * 86400}
_DAYS_BACK = {"今天": 0, "昨天": 1, "前天": 2}


def parse_relative_time(value: Any, reference: datetime | None) -> datetime | None:
    """Naive UTC of a time printed relative to when it was read ("3小时前", "昨天 12:30", "12-05"), else None.

    `reference` is when the page was read (naive UTC); days and clock times are China time, and a month-day
    later than the reference belongs to the year before.
    """
    if reference is None or not isinstance(value, str):
        return None
    try:
        return _relative(value.strip(), reference)
    except ValueError:  # "02-30", "25:61": not a time, relative or not
        return None


def _relative(text: str, reference: datetime) -> datetime | None:
    if text == "刚刚":
        return reference
    if m := _RELATIVE_AGO_RE.match(text):
        return reference - timedelta(seconds=int(m[1]) * _UNIT_SECONDS[m[2]])
    local = reference.replace(tzinfo=UTC).astimezone(SHANGHAI).replace(tzinfo=None)
    if m := _RELATIVE_DAY_RE.match(text):
        day = local.date() - timedelta(days=_DAYS_BACK[m[1]])
        return _china(datetime(day.year, day.month, day.day, int(m[2]), int(m[3])))
    if m := _CLOCK_RE.match(text):  # today's posts show the clock only
        when = local.replace(hour=int(m[1]), minute=int(m[2]), second=0, microsecond=0)
        return _china(when if when <= local else when - timedelta(days=1))
    if m := _MONTH_DAY_RE.match(text):
        hour, minute = int(m[3] or 0), int(m[4] or 0)
        when = datetime(local.year, int(m[1]), int(m[2]), hour, minute)
        return _china(when if when <= local + timedelta(days=1) else when.replace(year=local.year - 1))
    return None


def _china(local: datetime) -> datetime:
    return to_naive_utc(local.replace(tzinfo=SHANGHAI))


_TAG_RE = re.compile(r"</?[a-zA-Z][^>]*>")
_BR_RE = re.compile(r"<br\s*/?>|</p>", re.IGNORECASE)
_IMG_ALT_RE = re.compile(r"<img\b[^>]*?\balt=[\"']([^\"']*)[\"'][^>]*>", re.IGNORECASE)


def html_to_text(text: str) -> str:
    """Plain text of a weibo/tieba HTML fragment: emoji images keep their alt ([笑cry]), <br> breaks lines."""
    if not _TAG_RE.search(text):
        # MediaCrawler strips weibo's tags itself but leaves the entities (&quot;, &gt;)
        return html.unescape(text) if "&" in text else text
    text = _IMG_ALT_RE.sub(lambda m: m[1], text)
    text = _BR_RE.sub("\n", text)
    return html.unescape(_TAG_RE.sub("", text)).strip()
