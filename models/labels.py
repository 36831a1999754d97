"""Graded relevance 0..4 of each opportunity row, read from what the same table shows in later weeks.

Why this marks a real opportunity: a seller who acts on a need in week t (finds a factory, orders a
sample, lists it) sells into weeks t+1..t+horizon. What they can capture there is demand that is
still present, people still posting the complaint or the wish, that nobody answers yet, i.e. few
offers address the aspect. So a row is graded by two things it cannot see at t:

- demand: mean weekly mentions over t+1..t+h against the level now (mean of weeks t-1 and t),
  smoothed as (future + 1) / (now + 1): growing (>= 1.25), sustained (>= 0.8) or fading;
- supply: the most offers addressing the aspect in any of t+1..t+h: open (<= 1), thin (<= 3 and
  not up by 2 or more since t) or crowded (more, or arriving fast);

and GRADES maps the pair to 0..4. Volume caps the grade: a need whose future mentions are below
the week's typical need (the median over needs still voiced) is worth less to a seller than a
loud one in the same state, however fast its two posts grew, so it gets at most 2 (at most 1
below half the median); a need twice as loud as typical may reach 4, one at the median 3.
Fewer than one mention a week ahead is grade 0 whatever the trend: nobody is left to sell to.
The state thresholds are fixed rather than within-week quantiles so that a week without a real
opportunity has no high grades (quantiles would crown the best of a bad week); only the volume
cap is relative, because what counts as loud depends on how much a market posts.

Only the opportunities table is read, never a sandbox's ground truth: these are the labels a
back-test in production sees. A row stays unlabelled (NaN) unless every week t+1..t+h has been
built. Inside built weeks a need without a row had no mentions, and its aspect supply is carried
forward (listed offers do not vanish). Analysts' labels (feedback kind "label") override grades.
"""

from __future__ import annotations

import logging
import warnings
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

import numpy as np
import pandas as pd

from store.weeks import week_range

log = logging.getLogger(__name__)

GROWING, SUSTAINED = 1.25, 0.8
OPEN_MAX, THIN_MAX, ARRIVAL = 1, 3, 2
MIN_FUTURE_MENTIONS = 1.0
NOW_WEEKS = 2
DEMAND_STATES = ("growing", "sustained", "fading")
SUPPLY_STATES = ("open", "thin", "crowded")
# rows: demand state, columns: supply state, in the orders above
GRADES = np.array([[4, 3, 1],
                   [3, 2, 0],
                   [1, 0, 0]])
MAX_GRADE = 4
_NEEDED = ("week", "opportunity_id", "mentions", "aspect_offers")


def make_labels(frame: pd.DataFrame, horizon: int = 4) -> pd.Series:
    """Grade 0..4 per row (float, NaN when the horizon is not built yet), aligned to frame's index."""
    return label_table(frame, horizon)["label"]


def label_table(frame: pd.DataFrame, horizon: int = 4) -> pd.DataFrame:
    """Per row, the future demand and supply the grade is read from, their states and the label."""
    _check(frame, horizon)
    out = pd.DataFrame(index=frame.index, columns=["now_mentions", "future_mentions",
                                                    "now_aspect_offers", "future_aspect_offers"],
                       dtype="float64")
    if not frame.empty:
        stats = _future_stats(frame, horizon)
        keyed = frame[["week", "opportunity_id"]].merge(stats, how="left", on=["week", "opportunity_id"])
        for col in out.columns:
            out[col] = keyed[col].to_numpy(dtype="float64")
    graded = _grade(out)
    cap = _volume_cap(graded["future_mentions"], frame["week"])
    label = graded["label"].to_numpy(dtype="float64")
    graded["label"] = np.where(np.isnan(label), np.nan, np.fmin(label, cap))
    return graded


def _volume_cap(future_mentions: pd.Series, weeks: pd.Series) -> np.ndarray:
    """Highest grade each row may get for its future volume, against the median need of its week."""
    voiced = future_mentions.where(future_mentions >= MIN_FUTURE_MENTIONS)
    typical = voiced.groupby(weeks.to_numpy()).transform("median").to_numpy(dtype="float64")
    ratio = future_mentions.to_numpy(dtype="float64") / np.where(typical > 0, typical, np.nan)
    cap = np.select([ratio >= 2.0, ratio >= 1.0, ratio >= 0.5], [4.0, 3.0, 2.0], default=1.0)
    return np.where(np.isnan(ratio), np.nan, cap)


def _check(frame: pd.DataFrame, horizon: int) -> None:
    if not isinstance(horizon, int) or horizon < 1:
        raise ValueError(f"horizon must be a positive number of weeks, got {horizon!r}")
    missing = [c for c in _NEEDED if c not in frame.columns]
    if missing:
        raise ValueError(f"frame lacks columns {missing} needed for labels")
    dupes = int(frame.duplicated(["week", "opportunity_id"]).sum())
    if dupes:
        raise ValueError(f"{dupes} rows repeat a (week, opportunity_id) pair; expected one row each")


def _future_stats(frame: pd.DataFrame, horizon: int) -> pd.DataFrame:
    """Now and future mentions and aspect supply for every row whose horizon is built."""
    calendar = week_range(frame["week"].min(), frame["week"].max())
    present = set(frame["week"])
    built = np.array([w in present for w in calendar])

    def grid(col: str) -> pd.DataFrame:
        return frame.pivot(index="opportunity_id", columns="week", values=col).reindex(columns=calendar)

    exists = frame.assign(_row=1.0).pivot(index="opportunity_id", columns="week", values="_row")
    exists = exists.reindex(columns=calendar).notna().to_numpy()
    mentions = grid("mentions").to_numpy(dtype="float64")
    supply = grid("aspect_offers")
    # a built week without the need's row had no mentions; a week never built stays unknown
    mentions = np.where(~exists & built, 0.0, mentions)
    supply_now = supply.to_numpy(dtype="float64")
    carried = supply.ffill(axis=1).to_numpy(dtype="float64")
    carried = np.where((exists & np.isnan(supply_now)) | ~built, np.nan, carried)

    parts = []
    for i, week in enumerate(calendar):
        if not built[i] or i + horizon >= len(calendar):
            continue
        ahead = slice(i + 1, i + horizon + 1)
        now = mentions[:, max(0, i - NOW_WEEKS + 1):i + 1]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN rows are meant to give NaN
            now_mean = np.nanmean(now, axis=1)
        parts.append(pd.DataFrame({
            "week": week, "opportunity_id": supply.index,
            "now_mentions": now_mean, "future_mentions": mentions[:, ahead].mean(axis=1),
            "now_aspect_offers": supply_now[:, i], "future_aspect_offers": carried[:, ahead].max(axis=1),
        }))
    if not parts:
        return pd.DataFrame(columns=["week", "opportunity_id", "now_mentions", "future_mentions",
                                     "now_aspect_offers", "future_aspect_offers"])
    return pd.concat(parts, ignore_index=True)


def _grade(stats: pd.DataFrame) -> pd.DataFrame:
    """Add demand and supply states and the label to the now/future columns."""
    fut_m, now_m = stats["future_mentions"].to_numpy(), stats["now_mentions"].to_numpy()
    fut_s, now_s = stats["future_aspect_offers"].to_numpy(), stats["now_aspect_offers"].to_numpy()
    known = ~(np.isnan(fut_m) | np.isnan(now_m) | np.isnan(fut_s))
    with np.errstate(invalid="ignore"):
        trend = (fut_m + 1.0) / (now_m + 1.0)
        demand = np.where(trend >= GROWING, 0, np.where(trend >= SUSTAINED, 1, 2))
        arriving = (fut_s - np.nan_to_num(now_s, nan=0.0)) >= ARRIVAL
        supply = np.where(fut_s <= OPEN_MAX, 0, np.where((fut_s <= THIN_MAX) & ~arriving, 1, 2))
        grade = GRADES[demand, supply].astype("float64")
        grade[fut_m < MIN_FUTURE_MENTIONS] = 0.0
    stats = stats.copy()
    stats["trend"] = np.where(known, trend, np.nan)
    stats["demand"] = np.where(known, np.array(DEMAND_STATES, dtype=object)[demand], None)
    stats["supply"] = np.where(known, np.array(SUPPLY_STATES, dtype=object)[supply], None)
    stats["label"] = np.where(known, grade, np.nan)
    return stats


def apply_feedback(labels: pd.Series, frame: pd.DataFrame,
                   feedback_rows: Iterable[Mapping[str, Any]]) -> pd.Series:
    """Labels with analysts' grades (feedback kind "label", value 0..4) put over them; latest wins."""
    if len(labels) != len(frame) or not labels.index.equals(frame.index):
        raise ValueError(f"labels ({len(labels)} rows) must share the frame's index ({len(frame)} rows)")
    where = {(w, o): i for i, w, o in zip(frame.index, frame["week"], frame["opportunity_id"], strict=True)}
    out = labels.astype("float64").copy()
    applied, unknown, bad = 0, 0, []
    for row in sorted(feedback_rows, key=_feedback_order):
        if row.get("kind") != "label":
            continue
        value = row.get("value")
        if isinstance(value, bool) or not isinstance(value, int | float) or value not in range(MAX_GRADE + 1):
            bad.append((row.get("week"), row.get("opportunity_id"), value))
            continue
        idx = where.get((row.get("week"), row.get("opportunity_id")))
        if idx is None:
            unknown += 1
            continue
        out.loc[idx] = float(value)
        applied += 1
    if bad:
        log.warning("skipped %d analyst labels outside 0..%d, e.g. %s", len(bad), MAX_GRADE, bad[:3])
    if unknown:
        log.info("skipped %d analyst labels for opportunities not in the frame", unknown)
    log.info("applied %d analyst labels", applied)
    return out


def _feedback_order(row: Mapping[str, Any]) -> tuple[datetime, int]:
    return (row.get("created_at") or datetime.min, row.get("id") or 0)
