"""The Post and Offer records of DESIGN.md: field lists and validation shared by spiders and importers.

`clean_post` and `clean_offer` take a loose dict (strings from a CSV, numbers from JSON) and return a
dict with exactly the contract's fields, typed, or raise RecordError naming the field.
"""

from __future__ import annotations

import hashlib
import math
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from store.errors import RecordError
from store.weeks import to_naive_utc

PLATFORMS = ("xhs", "douyin", "kuaishou", "bilibili", "weibo", "tieba", "zhihu", "douban", "rss",
             "other")
POST_KINDS = ("note", "video", "comment", "topic", "reply")
SUPPLIER_TYPES = ("factory", "trading", "unknown")

POST_FIELDS = ("platform", "post_id", "kind", "parent_id", "url", "author_hash", "title", "text",
               "published_at", "crawled_at", "likes", "comments", "shares", "collects", "tags",
               "query", "source")
OFFER_FIELDS = ("platform", "offer_id", "url", "title", "category", "price_min", "price_max", "moq",
                "unit", "supplier_id", "supplier_name", "supplier_type", "province", "city",
                "dropship", "customizable", "ship_48h_rate", "repurchase_rate", "response_rate",
                "sales_30d", "rating", "listed_at", "crawled_at", "image_url")
MAX_TEXT_CHARS = 200_000


def hash_author(raw_id: Any, salt: str) -> str | None:
    """Salted SHA-256 of a platform user id, 16 hex chars; the raw id is never stored."""
    if raw_id is None or str(raw_id).strip() == "":
        return None
    return hashlib.sha256(f"{salt}:{raw_id}".encode()).hexdigest()[:16]


def parse_time(value: Any, field: str) -> datetime | None:
    """Datetime, ISO text, or epoch seconds / milliseconds, to naive UTC."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return to_naive_utc(value)
    if isinstance(value, (int, float)) or (isinstance(value, str) and value.strip().isdigit()):
        num = float(value)
        if num > 1e11:  # milliseconds since the epoch (xhs), not seconds
            num /= 1000.0
        return datetime.fromtimestamp(num, UTC).replace(tzinfo=None)
    text = str(value).strip().replace("Z", "+00:00")
    try:
        return to_naive_utc(datetime.fromisoformat(text))
    except ValueError as exc:
        raise RecordError(field, f"not a time: {value!r} (use ISO 8601 or epoch seconds)") from exc


def _int_or_none(value: Any, field: str) -> int | None:
    if value is None or value == "":
        return None
    try:
        num = float(value)
    except (TypeError, ValueError) as exc:
        raise RecordError(field, f"not a number: {value!r}") from exc
    if math.isnan(num) or num < 0:
        raise RecordError(field, f"must be a count of 0 or more, got {value!r}")
    return int(num)


def _float_or_none(value: Any, field: str, lo: float | None = None,
                   hi: float | None = None) -> float | None:
    if value is None or value == "":
        return None
    try:
        num = float(Decimal(str(value).strip()))
    except (InvalidOperation, ValueError) as exc:
        raise RecordError(field, f"not a number: {value!r}") from exc
    if math.isnan(num) or (lo is not None and num < lo) or (hi is not None and num > hi):
        raise RecordError(field, f"{value!r} is outside {lo}..{hi}")
    return num


def _bool(value: Any, field: str) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("1", "true", "yes", "y", "是", "t"):
        return True
    if text in ("", "0", "false", "no", "n", "否", "f", "none", "null"):
        return False
    raise RecordError(field, f"not a yes/no value: {value!r}")


def _text(value: Any) -> str:
    return "" if value is None else str(value)[:MAX_TEXT_CHARS]


def _required(d: dict[str, Any], field: str) -> str:
    value = d.get(field)
    if value is None or str(value).strip() == "":
        raise RecordError(field, "is required and empty")
    return str(value).strip()


def clean_post(d: dict[str, Any], *, salt: str, now: datetime | None = None) -> dict[str, Any]:
    """Validate and type a post; a raw `author_id` is hashed into `author_hash` and dropped."""
    platform = _required(d, "platform")
    if platform not in PLATFORMS:
        raise RecordError("platform", f"{platform!r} is not one of {', '.join(PLATFORMS)}")
    kind = _required(d, "kind")
    if kind not in POST_KINDS:
        raise RecordError("kind", f"{kind!r} is not one of {', '.join(POST_KINDS)}")
    author_hash = d.get("author_hash") or hash_author(d.get("author_id"), salt)
    tags = d.get("tags") or []
    if isinstance(tags, str):
        tags = [t for t in tags.replace("，", ",").split(",") if t.strip()]
    if not isinstance(tags, list):
        raise RecordError("tags", f"must be a list, got {type(tags).__name__}")
    published = parse_time(d.get("published_at"), "published_at")
    if published is None:
        raise RecordError("published_at", "is required and empty")
    return {
        "platform": platform,
        "post_id": _required(d, "post_id"),
        "kind": kind,
        "parent_id": (str(d["parent_id"]) if d.get("parent_id") not in (None, "", "0") else None),
        "url": _text(d.get("url")),
        "author_hash": author_hash,
        "title": _text(d.get("title")),
        "text": _text(d.get("text")),
        "published_at": published,
        "crawled_at": parse_time(d.get("crawled_at"), "crawled_at") or now or published,
        "likes": _int_or_none(d.get("likes"), "likes"),
        "comments": _int_or_none(d.get("comments"), "comments"),
        "shares": _int_or_none(d.get("shares"), "shares"),
        "collects": _int_or_none(d.get("collects"), "collects"),
        "tags": [str(t).strip() for t in tags],
        "query": _text(d.get("query")) or None,
        "source": _text(d.get("source")) or "unknown",
    }


def clean_offer(d: dict[str, Any], *, now: datetime | None = None) -> dict[str, Any]:
    """Validate and type an offer; prices in CNY, rates 0..1, listed_at required (no future peeking)."""
    price_min = _float_or_none(d.get("price_min"), "price_min", 0)
    price_max = _float_or_none(d.get("price_max"), "price_max", 0)
    if price_min is None:
        raise RecordError("price_min", "is required and empty")
    if price_max is None:
        price_max = price_min
    if price_max < price_min:
        raise RecordError("price_max", f"{price_max} is below price_min {price_min}")
    supplier_type = str(d.get("supplier_type") or "unknown").strip()
    if supplier_type not in SUPPLIER_TYPES:
        raise RecordError("supplier_type", f"{supplier_type!r} is not one of {SUPPLIER_TYPES}")
    listed = parse_time(d.get("listed_at"), "listed_at")
    if listed is None:
        raise RecordError("listed_at", "is required and empty")
    return {
        "platform": str(d.get("platform") or "1688").strip(),
        "offer_id": _required(d, "offer_id"),
        "url": _text(d.get("url")),
        "title": _required(d, "title"),
        "category": _text(d.get("category")),
        "price_min": round(price_min, 2),
        "price_max": round(price_max, 2),
        "moq": _int_or_none(d.get("moq"), "moq"),
        "unit": _text(d.get("unit")) or None,
        "supplier_id": _text(d.get("supplier_id")) or None,
        "supplier_name": _text(d.get("supplier_name")) or None,
        "supplier_type": supplier_type,
        "province": _text(d.get("province")) or None,
        "city": _text(d.get("city")) or None,
        "dropship": _bool(d.get("dropship"), "dropship"),
        "customizable": _bool(d.get("customizable"), "customizable"),
        "ship_48h_rate": _float_or_none(d.get("ship_48h_rate"), "ship_48h_rate", 0, 1),
        "repurchase_rate": _float_or_none(d.get("repurchase_rate"), "repurchase_rate", 0, 1),
        "response_rate": _float_or_none(d.get("response_rate"), "response_rate", 0, 1),
        "sales_30d": _int_or_none(d.get("sales_30d"), "sales_30d"),
        "rating": _float_or_none(d.get("rating"), "rating", 0, 5),
        "listed_at": listed,
        "crawled_at": parse_time(d.get("crawled_at"), "crawled_at") or now or listed,
        "image_url": _text(d.get("image_url")) or None,
    }
