"""ISO weeks in Asia/Shanghai, the unit every list is published in; datetimes inside are naive UTC."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")
_WEEK_RE = re.compile(r"^(\d{4})-W(\d{2})$")


def utcnow() -> datetime:
    """Now as naive UTC, the form every datetime column holds."""
    return datetime.now(UTC).replace(tzinfo=None)


def to_naive_utc(dt: datetime) -> datetime:
    """Aware datetimes are converted; naive ones are taken to be UTC already."""
    if dt.tzinfo is None:
        return dt
    return dt.astimezone(UTC).replace(tzinfo=None)


def parse_week(text: str) -> str:
    """Check a week label like 2026-W47 and return it; ValueError says what was expected."""
    m = _WEEK_RE.match(str(text).strip())
    if not m:
        raise ValueError(f"bad week {text!r}: expected an ISO week like 2026-W47")
    year, num = int(m.group(1)), int(m.group(2))
    try:
        date.fromisocalendar(year, num, 1)
    except ValueError as exc:
        raise ValueError(f"bad week {text!r}: {year} has no week {num}") from exc
    return f"{year}-W{num:02d}"


def week_of(dt: datetime) -> str:
    """The Shanghai ISO week a UTC instant falls in."""
    local = to_naive_utc(dt).replace(tzinfo=UTC).astimezone(SHANGHAI)
    year, num, _ = local.isocalendar()
    return f"{year}-W{num:02d}"


def week_start(week: str) -> datetime:
    """Monday 00:00 Shanghai of the week, as naive UTC."""
    week = parse_week(week)
    year, num = int(week[:4]), int(week[6:])
    local = datetime.combine(date.fromisocalendar(year, num, 1), datetime.min.time(), SHANGHAI)
    return local.astimezone(UTC).replace(tzinfo=None)


def week_end(week: str) -> datetime:
    """The first instant after the week (exclusive bound), as naive UTC."""
    return week_start(week) + timedelta(days=7)


def shift_week(week: str, n: int) -> str:
    return week_of(week_start(week) + timedelta(days=7 * n, hours=12))


def week_range(first: str, last: str) -> list[str]:
    """Every week from first to last inclusive."""
    weeks, cur = [], parse_week(first)
    last = parse_week(last)
    while cur <= last:
        weeks.append(cur)
        cur = shift_week(cur, 1)
    return weeks


def current_week(now: datetime | None = None) -> str:
    return week_of(now or utcnow())
