"""Publishing a ranked week: the weekly lists per segment, written in one transaction.

Readers (the site, the API, `oppradar list`) only ever read `weekly_lists`, so a week being rebuilt
or re-ranked never shows half done: they see the old list or the new one.
"""

from __future__ import annotations

import math
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from store.errors import OppradarError
from store.schema import opportunities, weekly_lists
from store.weeks import utcnow

SEGMENTS = ("creator", "group-leader")
PAYLOAD_FIELDS = (
    "opportunity_id", "week", "title", "product", "aspect", "category", "score",
    "mentions", "authors", "engagement", "growth", "slope_4w", "burst", "platforms",
    "complaint_share", "wish_share", "matching_offers", "aspect_offers",
    "price_p25", "price_p50", "price_p75", "factory_share", "customizable_share", "dropship_share",
    "min_moq", "ship_48h_rate", "repurchase_rate", "social_price", "est_margin", "margin_rate",
    "evidence", "offers", "explanation", "segments", "model_id",
)
MONEY_FIELDS = ("price_p25", "price_p50", "price_p75", "social_price", "est_margin")


def _clean(value: Any) -> Any:
    if isinstance(value, float) and (math.isnan(value) or math.isinf(value)):
        return None
    return value


def make_payload(row: dict[str, Any], rank: int, segment: str, published_at: str) -> dict[str, Any]:
    """The published form of an opportunity: what the site, the API and `list --format json` show."""
    payload = {"rank": rank, "segment": segment, "published_at": published_at}
    for name in PAYLOAD_FIELDS:
        payload[name] = _clean(row.get(name))
    for name in MONEY_FIELDS:
        if payload[name] is not None:
            payload[name] = round(float(payload[name]), 2)
    payload["score"] = round(float(payload["score"]), 6)
    payload["explanation"] = payload["explanation"] or []
    return payload


def segment_rows(rows: list[dict[str, Any]], segment: str) -> list[dict[str, Any]]:
    """The rows of one segment in score order; a group leader only sees dropship-friendly picks."""
    if segment == "creator":
        chosen = rows
    elif segment == "group-leader":
        chosen = [r for r in rows if "group-leader" in (r.get("segments") or [])]
    else:
        raise OppradarError(f"unknown segment {segment!r}: use one of {', '.join(SEGMENTS)}")
    return sorted(chosen, key=lambda r: (-float(r["score"]), r["opportunity_id"]))


def publish_week(engine: Engine, week: str) -> dict[str, int]:
    """Replace the published lists of a week with its ranked opportunities, atomically."""
    with engine.begin() as conn:
        rows = [dict(r) for r in conn.execute(
            sa.select(opportunities).where(opportunities.c.week == week,
                                           opportunities.c.score.is_not(None))).mappings()]
        if not rows:
            raise OppradarError(f"week {week} has no ranked opportunities: run `oppradar rank --week {week}`")
        now = utcnow()
        stamp = now.isoformat(timespec="seconds") + "Z"
        conn.execute(sa.delete(weekly_lists).where(weekly_lists.c.week == week))
        counts = {}
        for segment in SEGMENTS:
            chosen = segment_rows(rows, segment)
            records = [{
                "week": week, "segment": segment, "rank": i, "opportunity_id": r["opportunity_id"],
                "score": float(r["score"]), "model_id": r.get("model_id"), "published_at": now,
                "payload": make_payload(r, i, segment, stamp),
            } for i, r in enumerate(chosen, start=1)]
            if records:
                conn.execute(sa.insert(weekly_lists), records)
            counts[segment] = len(records)
    return counts


def published_weeks(engine: Engine) -> list[str]:
    with engine.connect() as conn:
        return list(conn.execute(sa.select(weekly_lists.c.week).distinct()
                                 .order_by(weekly_lists.c.week.desc())).scalars())


def read_list(engine: Engine, week: str | None = None, segment: str = "creator",
              top: int | None = None) -> tuple[str, list[dict[str, Any]]]:
    """The published list of a week (default: the latest) as payload dicts in rank order."""
    if segment not in SEGMENTS:
        raise OppradarError(f"unknown segment {segment!r}: use one of {', '.join(SEGMENTS)}")
    weeks = published_weeks(engine)
    if not weeks:
        raise OppradarError("nothing is published yet: run `oppradar rank` (or `make demo`)")
    week = week or weeks[0]
    if week not in weeks:
        raise OppradarError(f"week {week} is not published; published weeks: {', '.join(weeks[:8])}")
    with engine.connect() as conn:
        return week, list_payloads(conn, week, segment, top)


def list_payloads(conn: Connection, week: str, segment: str, top: int | None = None) -> list[dict[str, Any]]:
    """The published payloads of one week and segment in rank order; the one query every reader uses."""
    query = (sa.select(weekly_lists.c.payload)
             .where(weekly_lists.c.week == week, weekly_lists.c.segment == segment)
             .order_by(weekly_lists.c.rank))
    if top:
        query = query.limit(top)
    return list(conn.execute(query).scalars())
