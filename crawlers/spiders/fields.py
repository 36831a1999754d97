"""Field parsers the spiders share: platform counts, rates, highlights, Beijing times and base URLs."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from store.weeks import SHANGHAI

_COUNT_RE = re.compile(r"^\s*([\d.,]+)\s*([万wW亿]?)\s*\+?\s*$")
_EM_RE = re.compile(r'</?em(?:\s+class="keyword")?\s*>')
CUSTOM_WORDS = ("定制", "来图定制", "来样定制", "OEM", "ODM", "可印logo", "可印LOGO")


def parse_count(value: Any) -> int | None:
    """Counts as platforms show them: 985, "1.2万", "10万+", "3.4w", "1,024"; "" or None is None."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return int(value)
    m = _COUNT_RE.match(str(value))
    if not m:
        return None
    num = float(m.group(1).replace(",", ""))
    unit = {"万": 10_000, "w": 10_000, "W": 10_000, "亿": 100_000_000}.get(m.group(2), 1)
    return int(round(num * unit))


def parse_rate(value: Any) -> float | None:
    """A rate as 1688 writes it ("12%", "0.4666", "1") to 0..1; None when absent or unreadable."""
    if value is None or value == "":
        return None
    text = str(value).strip()
    try:
        num = float(text.rstrip("%"))
    except ValueError:
        return None
    if text.endswith("%") or num > 1:
        num /= 100
    return min(max(num, 0.0), 1.0)


def strip_highlight(title: str) -> str:
    """B站 search titles mark matched words with <em class="keyword">; other text stays as it is."""
    return _EM_RE.sub("", title or "")


def beijing_time(value: Any) -> datetime | None:
    """1688's "2026-03-02 10:12:33" (Beijing time) as naive UTC."""
    if not value:
        return None
    try:
        local = datetime.strptime(str(value).strip()[:19], "%Y-%m-%d %H:%M:%S")
    except ValueError:
        return None
    return local.replace(tzinfo=SHANGHAI).astimezone(UTC).replace(tzinfo=None)


def epoch(value: Any) -> datetime | None:
    """Epoch seconds or milliseconds to naive UTC."""
    if value in (None, ""):
        return None
    num = float(value)
    if num > 1e11:  # milliseconds (xhs)
        num /= 1000
    return datetime.fromtimestamp(num, UTC).replace(tzinfo=None)


def customizable(title: str) -> bool:
    """1688 has no customisation field: titles say it (定制, 来图定制, OEM, ODM, 可印logo)."""
    upper = (title or "").upper()
    return any(word.upper() in upper for word in CUSTOM_WORDS)


def rebase(url: str, base_url: str | None) -> str:
    """Swap the scheme and host of a live URL for base_url's; path and query stay the live ones."""
    if not base_url:
        return url
    base = urlsplit(base_url)
    if not base.scheme or not base.netloc:
        raise ValueError(f"base_url {base_url!r} needs a scheme and host, like http://127.0.0.1:8000")
    parts = urlsplit(url)
    return urlunsplit((base.scheme, base.netloc, parts.path, parts.query, parts.fragment))


def parse_keywords(value: str | None, spider: str) -> list[str]:
    """The comma-separated `-a keywords=` argument; a clear error when it is missing or empty."""
    words = [w.strip() for w in re.split(r"[,，]", value or "") if w.strip()]
    if not words:
        raise ValueError(f"{spider} needs search keywords: run it with -a keywords=车载冰箱,猫砂盆")
    return list(dict.fromkeys(words))


def parse_since(value: str | None) -> datetime | None:
    """`-a since=YYYY-MM-DD`, the start of that day in Beijing, as naive UTC."""
    if not value:
        return None
    try:
        day = date.fromisoformat(value.strip())
    except ValueError as exc:
        raise ValueError(f"since={value!r} is not a date: use YYYY-MM-DD") from exc
    local = datetime(day.year, day.month, day.day, tzinfo=SHANGHAI)
    return local.astimezone(UTC).replace(tzinfo=None)


def parse_positive(value: Any, name: str) -> int:
    try:
        num = int(str(value).strip())
    except ValueError as exc:
        raise ValueError(f"{name}={value!r} is not a whole number") from exc
    if num < 1:
        raise ValueError(f"{name} must be 1 or more, got {num}")
    return num
