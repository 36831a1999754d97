"""`oppradar build`: extract needs, then build the candidate table, for some weeks or every week."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from features.candidates import build_opportunities
from features.needs import build_needs
from store.schema import posts
from store.weeks import parse_week, week_of, week_range


def build(engine: Engine, weeks: list[str] | None = None, workers: int = 1) -> dict[str, Any]:
    """Needs of the posts in `weeks` (default: every week from the first post to the last), read by
    `workers` processes, then candidates.

    Trend features read the needs of earlier weeks from the table, so build every week once before
    rebuilding single weeks.
    """
    if weeks is None:
        weeks = post_weeks(engine)
        needs_stats = build_needs(engine, None, workers)
    else:
        weeks = sorted({parse_week(w) for w in weeks})
        needs_stats = build_needs(engine, weeks, workers)
    return {"needs": needs_stats, "opportunities": build_opportunities(engine, weeks)}


def post_weeks(engine: Engine) -> list[str]:
    """Every week from the first post to the last, gaps included; [] when there are no posts."""
    with engine.connect() as conn:
        first, last = conn.execute(sa.select(sa.func.min(posts.c.published_at),
                                             sa.func.max(posts.c.published_at))).one()
    if first is None:
        return []
    return week_range(week_of(first), week_of(last))
