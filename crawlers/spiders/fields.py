"""Field parsers the spiders share: platform counts, rates, highlights, Beijing times and base URLs."""

from __future__ import annotations

import email.utils
import re
from datetime import UTC, date, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import lxml.html

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
    """A Beijing wall time ("2026-03-02 10:12:33", "2026-03-02 10:12", "2026-03-02") as naive UTC."""
    if not value:
        return None
    text = str(value).strip()[:19]
    for fmt in ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d"):
        try:
            local = datetime.strptime(text, fmt)
            break
        except ValueError:
            continue
    else:
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


_BLOCK_TAGS = ("p", "div", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "table")
_SPACES_RE = re.compile(r"[ \t\r\f\v\u00a0\u3000]+")


def html_to_text(html: str | None) -> str:
    """Plain text of HTML: script/style dropped, <br> and blocks as line breaks, emoji alts kept."""
    if not html or not html.strip():
        return ""
    if "<" not in html and "&" not in html:
        return _tidy(html)
    root = lxml.html.fragment_fromstring(html, create_parent="div")
    for bad in root.xpath("//script|//style|//noscript|//template"):
        bad.drop_tree()  # keeps the tail text that follows the element
    for img in root.xpath("//img[@alt]"):
        img.tail = img.get("alt", "") + (img.tail or "")  # 微博 and 贴吧 emoticons are <img alt="[doge]">
    for br in root.xpath("//br"):
        br.tail = "\n" + (br.tail or "")
    for block in root.xpath("|".join(f"//{tag}" for tag in _BLOCK_TAGS)):
        block.tail = "\n" + (block.tail or "")
    return _tidy(root.text_content())


def _tidy(text: str) -> str:
    lines = (_SPACES_RE.sub(" ", line).strip() for line in text.splitlines())
    return "\n".join(line for line in lines if line)


def feed_time(value: Any) -> datetime | None:
    """RSS pubDate (RFC 822) or Atom updated/published (ISO 8601) as naive UTC; None when unreadable."""
    text = (value or "").strip() if isinstance(value, str) else value
    if not text:
        return None
    try:
        parsed = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        try:
            parsed = datetime.fromisoformat(str(text).replace("Z", "+00:00"))
        except ValueError:
            return None
    if parsed.tzinfo is None:
        return parsed
    return parsed.astimezone(UTC).replace(tzinfo=None)


_AGO_RE = re.compile(r"^(\d+)\s*(秒|分钟|小时)前$")


def weibo_time(value: Any, now: datetime) -> datetime | None:
    """微博 created_at ("Tue Nov 24 12:00:00 +0800 2026", "刚刚", "5分钟前", "今天 12:00", "昨天 08:01",
    "11-20", "2025-11-20") as naive UTC; `now` is naive UTC."""
    text = str(value or "").strip()
    if not text:
        return None
    try:
        return datetime.strptime(text, "%a %b %d %H:%M:%S %z %Y").astimezone(UTC).replace(tzinfo=None)
    except ValueError:
        pass
    local_now = now.replace(tzinfo=UTC).astimezone(SHANGHAI)
    if text == "刚刚":
        return now
    m = _AGO_RE.match(text)
    if m:
        unit = {"秒": 1, "分钟": 60, "小时": 3600}[m.group(2)]
        return now - timedelta(seconds=int(m.group(1)) * unit)
    day_words = {"今天": 0, "昨天": 1}
    for word, back in day_words.items():
        if text.startswith(word):
            hh, _, mm = text[len(word):].strip().partition(":")
            local = (local_now - timedelta(days=back)).replace(hour=int(hh or 0), minute=int(mm or 0),
                                                               second=0, microsecond=0)
            return local.astimezone(UTC).replace(tzinfo=None)
    for fmt, with_year in (("%Y-%m-%d %H:%M", True), ("%Y-%m-%d", True), ("%m-%d", False)):
        try:
            parsed = datetime.strptime(text, fmt)
        except ValueError:
            continue
        if not with_year:
            parsed = parsed.replace(year=local_now.year)
        return parsed.replace(tzinfo=SHANGHAI).astimezone(UTC).replace(tzinfo=None)
    return None
