"""Reading what was published: weekly lists, their evidence posts and offers, the model registry.

The site and the API read only `weekly_lists` (plus the posts and offers a payload names), so a week
being rebuilt never shows half done. Lists are a few hundred rows a week, so filters run in Python,
the same on SQLite and PostgreSQL.
"""

from __future__ import annotations

import math
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from recommender.publish import SEGMENTS, list_payloads
from store.schema import models, offers, posts, weekly_lists

POST_COLUMNS = ("platform", "post_id", "title", "text", "url", "likes", "comments", "shares", "collects",
                "published_at")
OFFER_COLUMNS = ("platform", "offer_id", "title", "url", "price_min", "price_max", "moq", "unit",
                 "supplier_name", "supplier_type", "dropship", "customizable", "ship_48h_rate",
                 "repurchase_rate", "province", "city")
MODEL_COLUMNS = ("model_id", "status", "created_at", "promoted_at", "metrics")


def clean(value: Any) -> Any:
    """JSON-safe copy: NaN and infinities become None, datetimes ISO strings (naive UTC, 'Z')."""
    if isinstance(value, float) and (math.isnan(value) or math.isinf(value)):
        return None
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds") + "Z"
    if isinstance(value, dict):
        return {k: clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [clean(v) for v in value]
    return value


def published_weeks(conn: Connection) -> list[dict[str, Any]]:
    """Every published week, newest first, with its row count per segment, time and model."""
    query = (sa.select(weekly_lists.c.week, weekly_lists.c.segment, sa.func.count().label("n"),
                       sa.func.max(weekly_lists.c.published_at).label("published_at"),
                       sa.func.max(weekly_lists.c.model_id).label("model_id"))
             .group_by(weekly_lists.c.week, weekly_lists.c.segment)
             .order_by(weekly_lists.c.week.desc()))
    weeks: dict[str, dict[str, Any]] = {}
    for row in conn.execute(query):
        entry = weeks.setdefault(row.week, {"week": row.week, "published_at": row.published_at,
                                            "model_id": row.model_id, "counts": dict.fromkeys(SEGMENTS, 0)})
        entry["counts"][row.segment] = row.n
        entry["published_at"] = max(entry["published_at"], row.published_at)
    return list(weeks.values())


def latest_week(conn: Connection) -> str | None:
    """The newest published week, or None when nothing is published yet."""
    return conn.execute(sa.select(sa.func.max(weekly_lists.c.week))).scalar()


def is_published(conn: Connection, week: str) -> bool:
    """Whether any segment of the week is published."""
    return conn.execute(sa.select(weekly_lists.c.week).where(weekly_lists.c.week == week).limit(1)).first() \
        is not None


def matches_category(payload: dict[str, Any], category: str | None) -> bool:
    """A category filter matches the top level or the full path (`汽车用品` or `汽车用品>车载冰箱`)."""
    if not category:
        return True
    value = payload.get("category") or ""
    return value == category or value.startswith(category + ">")


def read_list(conn: Connection, week: str, segment: str) -> list[dict[str, Any]]:
    """The payloads of one week and segment, in rank order."""
    return [clean(p) for p in list_payloads(conn, week, segment)]


def list_meta(conn: Connection, week: str) -> dict[str, Any]:
    """When the week was published and by which model, for the page footer."""
    row = conn.execute(sa.select(sa.func.max(weekly_lists.c.published_at).label("published_at"),
                                 sa.func.max(weekly_lists.c.model_id).label("model_id"))
                       .where(weekly_lists.c.week == week)).one()
    return {"published_at": row.published_at, "model_id": row.model_id}


def categories(payloads: list[dict[str, Any]]) -> list[str]:
    """The top-level categories present in a list, sorted."""
    return sorted({(p.get("category") or "").split(">")[0] for p in payloads} - {""})


def find_opportunity(conn: Connection, week: str, opportunity_id: str) -> dict[str, Any] | None:
    """One published opportunity of a week (its creator-list payload when it is in both lists)."""
    query = (sa.select(weekly_lists.c.payload)
             .where(weekly_lists.c.week == week, weekly_lists.c.opportunity_id == opportunity_id)
             .order_by(sa.case((weekly_lists.c.segment == "creator", 0), else_=1)).limit(1))
    payload = conn.execute(query).scalar()
    return None if payload is None else clean(payload)


def _by_ids(conn: Connection, table: sa.Table, id_column: str, columns: tuple[str, ...],
            ids: list[str]) -> list[dict[str, Any]]:
    # Keep the payload's order (strongest evidence first); ids are unique per platform only, so one id
    # may bring back a row from each platform.
    if not ids:
        return []
    query = sa.select(*(table.c[c] for c in columns)).where(table.c[id_column].in_(ids))
    found: dict[str, list[dict[str, Any]]] = {}
    for row in conn.execute(query).mappings():
        found.setdefault(row[id_column], []).append(clean(dict(row)))
    return [row for i in dict.fromkeys(ids) for row in found.get(i, [])]


def evidence_posts(conn: Connection, payload: dict[str, Any]) -> list[dict[str, Any]]:
    """The posts a payload cites as evidence, in its order."""
    return _by_ids(conn, posts, "post_id", POST_COLUMNS, [str(i) for i in payload.get("evidence") or []])


def matched_offers(conn: Connection, payload: dict[str, Any]) -> list[dict[str, Any]]:
    """The offers a payload matched, in its order."""
    return _by_ids(conn, offers, "offer_id", OFFER_COLUMNS, [str(i) for i in payload.get("offers") or []])


def model_rows(conn: Connection) -> list[dict[str, Any]]:
    """The model registry, newest first."""
    query = sa.select(*(models.c[c] for c in MODEL_COLUMNS)).order_by(models.c.created_at.desc())
    return [clean(dict(r)) for r in conn.execute(query).mappings()]
