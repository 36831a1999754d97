"""Read the opportunities table into the frame every model step uses: keys plus float features."""

from __future__ import annotations

import logging
import math
from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from features.columns import FEATURE_COLUMNS, KEY_COLUMNS
from store.schema import feedback, opportunities

log = logging.getLogger(__name__)


def load_frame(engine: Engine, weeks: list[str] | None = None) -> pd.DataFrame:
    """KEY_COLUMNS + FEATURE_COLUMNS (float, NaN where missing), sorted by week then opportunity_id."""
    stmt = sa.select(*(opportunities.c[c] for c in KEY_COLUMNS), opportunities.c.features)
    if weeks is not None:
        stmt = stmt.where(opportunities.c.week.in_(list(weeks)))
    with engine.connect() as conn:
        rows = conn.execute(stmt).mappings().all()
    return frame_from_rows(rows)


def frame_from_rows(rows: Iterable[Mapping[str, Any]]) -> pd.DataFrame:
    """Turn opportunity rows (keys plus a `features` dict) into the model frame."""
    records, missing, unreadable = [], 0, 0
    for row in rows:
        feats = row.get("features") or {}
        rec: dict[str, Any] = {c: row[c] for c in KEY_COLUMNS}
        for name in FEATURE_COLUMNS:
            if name not in feats:
                missing += 1
            value, ok = _as_float(feats.get(name))
            unreadable += not ok
            rec[name] = value
        records.append(rec)
    if missing or unreadable:
        # Missing features stay NaN (LightGBM handles them); counted so a broken build is visible.
        log.warning("opportunity features: %d missing names and %d unreadable values set to NaN "
                    "over %d rows", missing, unreadable, len(records))
    frame = pd.DataFrame.from_records(records, columns=KEY_COLUMNS + FEATURE_COLUMNS)
    frame[FEATURE_COLUMNS] = frame[FEATURE_COLUMNS].astype("float64")
    return frame.sort_values(["week", "opportunity_id"], kind="mergesort").reset_index(drop=True)


def _as_float(value: Any) -> tuple[float, bool]:
    """The value as a float and whether it was readable; None and NaN are missing, not unreadable."""
    if value is None:
        return math.nan, True
    try:
        return float(value), True
    except (TypeError, ValueError):
        return math.nan, False


def load_feedback(engine: Engine, kind: str = "label") -> list[dict[str, Any]]:
    """Feedback rows of one kind, oldest first (so later ones win when applied in order)."""
    stmt = (sa.select(feedback).where(feedback.c.kind == kind)
            .order_by(feedback.c.created_at, feedback.c.id))
    with engine.connect() as conn:
        return [dict(r) for r in conn.execute(stmt).mappings()]
