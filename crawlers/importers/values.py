"""Loose values from exports: ids, Chinese counts (1.2万), rates (10%), local times, to typed values.

Each parser raises ValueError with a message fit for a BadInputError; the caller names file, line, field.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from store.records import parse_time
from store.weeks import SHANGHAI, to_naive_utc

_UNITS = {"万": 10_000, "w": 10_000, "亿": 100_000_000, "千": 1_000, "k": 1_000}
_COUNT_RE = re.compile(r"^(\d+(?:\.\d+)?)\s*(万|w|亿|千|k)?\+?$", re.IGNORECASE)


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
