"""Graded relevance 0..4 of each opportunity row, read from what the same table shows in later weeks.

Why this marks a real opportunity: a seller who acts on a need in week t (finds a factory, orders a
sample, lists it) sells into weeks t+1..t+horizon. What they can capture there is demand that is
still present, people still posting the complaint or the wish, that nobody answers yet. So a row's
value is what it cannot see at t:

    value = sum over u = t+1..t+h of  mentions(u) x exp(-answering_offers(u) / OFFERS_PER_E_FOLD)

the mentions of each later week times the share of them that the offers addressing the aspect by
then leave unanswered: each OFFERS_PER_E_FOLD offers answer another 63% of what is left (one offer
rarely satisfies everyone; a dozen do). Sustained demand keeps the sum up, fading demand lets it
fall, supply arriving inside the horizon eats it from the week it lands. The sales of the offers
that do address the aspect decide how much they answer: `aspect_offers_selling` counts each as
min(1, 30-day sales / 10), so a listing nobody buys from answers nobody (rows built before that
column existed fall back to `aspect_offers`).

The grade is the row's place among the week's needs worth anything (value >= MIN_VALUE):

    share above s = (rank - 1) / needs with value >= MIN_VALUE that week (ties share the better rank)
    grade 4: s < 0.10 · 3: s < 0.25 · 2: s < 0.50 · 1: s < 0.75 · 0: the rest and every value below

A week is a query for the ranker, so only the order inside a week teaches it anything; grading by
place keeps every week's top needs equally instructive however much that market posts. Fewer than
MIN_VALUE unanswered mentions over the horizon is grade 0: nobody is left to sell to.

label_table also reports, to explain a grade, the demand state (future mentions against now:
growing, sustained, fading) and the supply state (open, thin, crowded) of the horizon.

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

OFFERS_PER_E_FOLD = 6.0
MIN_VALUE = 1.0
GRADE_CUTS = ((0.10, 4), (0.25, 3), (0.50, 2), (0.75, 1))
MAX_GRADE = 4
NOW_WEEKS = 2
# states that explain a grade (label_table), not inputs to it
GROWING, SUSTAINED = 1.25, 0.8
OPEN_MAX, THIN_MAX = 1, 3
DEMAND_STATES = ("growing", "sustained", "fading")
SUPPLY_STATES = ("open", "thin", "crowded")
_NEEDED = ("week", "opportunity_id", "mentions", "aspect_offers")
ANSWERING = "aspect_offers_selling"  # optional: aspect offers weighted by their sales
_STATS = ["now_mentions", "future_mentions", "now_aspect_offers", "future_aspect_offers", "value"]


def make_labels(frame: pd.DataFrame, horizon: int = 4) -> pd.Series:
    """Grade 0..4 per row (float, NaN when the horizon is not built yet), aligned to frame's index."""
    return label_table(frame, horizon)["label"]


def label_table(frame: pd.DataFrame, horizon: int = 4) -> pd.DataFrame:
    """Per row, the future demand and supply the grade is read from, the value, its states and the label.

    The *_aspect_offers columns count answering offers as the value does: sales-weighted
    (`aspect_offers_selling`) where the frame has them."""
    _check(frame, horizon)
    out = pd.DataFrame(index=frame.index, columns=_STATS, dtype="float64")
    if not frame.empty:
        stats = _future_stats(frame, horizon)
        keyed = frame[["week", "opportunity_id"]].merge(stats, how="left", on=["week", "opportunity_id"])
        for col in out.columns:
            out[col] = keyed[col].to_numpy(dtype="float64")
    out = _states(out)
    out["label"] = grade_by_place(out["value"], frame["week"])
    return out


def grade_by_place(value: pd.Series, weeks: pd.Series, *, floor: float = MIN_VALUE,
                   ties: str = "min") -> pd.Series:
    """0..4 by the share of the week's rows valued at least `floor` above each row (GRADE_CUTS); rows
    below the floor are 0, NaN stays NaN. `ties` is pandas' rank method ("min": equal values, equal grade)."""
    valued = value >= floor
    ranks = value.where(valued).groupby(weeks.to_numpy()).rank(ascending=False, method=ties)
    counts = valued.groupby(weeks.to_numpy()).transform("sum")
    share = ((ranks - 1) / counts).to_numpy(dtype="float64")
    grade = np.zeros(len(value))
    for cut, g in reversed(GRADE_CUTS):
        grade = np.where(share < cut, g, grade)
    grade = np.where(valued, grade, 0.0)
    return pd.Series(np.where(value.isna(), np.nan, grade), index=value.index, name="label")


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
    """Now and future mentions, aspect supply and value for every row whose horizon is built."""
    calendar = week_range(frame["week"].min(), frame["week"].max())
    present = set(frame["week"])
    built = np.array([w in present for w in calendar])

    if ANSWERING in frame.columns:
        frame = frame.assign(**{ANSWERING: frame[ANSWERING].fillna(frame["aspect_offers"])})

    def grid(col: str) -> pd.DataFrame:
        return frame.pivot(index="opportunity_id", columns="week", values=col).reindex(columns=calendar)

    exists = frame.assign(_row=1.0).pivot(index="opportunity_id", columns="week", values="_row")
    exists = exists.reindex(columns=calendar).notna().to_numpy()
    mentions = grid("mentions").to_numpy(dtype="float64")
    supply = grid(ANSWERING) if ANSWERING in frame.columns else grid("aspect_offers")
    # a built week without the need's row had no mentions; a week never built stays unknown
    mentions = np.where(~exists & built, 0.0, mentions)
    supply_now = supply.to_numpy(dtype="float64")
    carried = supply.ffill(axis=1).to_numpy(dtype="float64")
    carried = np.where((exists & np.isnan(supply_now)) | ~built, np.nan, carried)
    # before its first offer count a need had no offers answering it
    unanswered = np.exp(-np.nan_to_num(carried, nan=0.0) / OFFERS_PER_E_FOLD)
    unanswered = np.where(~built | (exists & np.isnan(supply_now)), np.nan, unanswered)

    parts = []
    for i, week in enumerate(calendar):
        if not built[i] or i + horizon >= len(calendar):
            continue
        ahead = slice(i + 1, i + horizon + 1)
        now = mentions[:, max(0, i - NOW_WEEKS + 1):i + 1]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN rows are meant to give NaN
            now_mean = np.nanmean(now, axis=1)
            future_supply = np.nanmax(carried[:, ahead], axis=1)
        parts.append(pd.DataFrame({
            "week": week, "opportunity_id": supply.index,
            "now_mentions": now_mean, "future_mentions": mentions[:, ahead].mean(axis=1),
            "now_aspect_offers": supply_now[:, i],
            "future_aspect_offers": np.where(np.isnan(future_supply), 0.0, future_supply),
            "value": (mentions[:, ahead] * unanswered[:, ahead]).sum(axis=1),
        }))
    if not parts:
        return pd.DataFrame(columns=["week", "opportunity_id", *_STATS])
    return pd.concat(parts, ignore_index=True)


def _states(stats: pd.DataFrame) -> pd.DataFrame:
    """Add the demand and supply states that explain a value (trend, demand, supply columns)."""
    fut_m, now_m = stats["future_mentions"].to_numpy(), stats["now_mentions"].to_numpy()
    fut_s = stats["future_aspect_offers"].to_numpy()
    known = ~(np.isnan(fut_m) | np.isnan(now_m) | np.isnan(stats["value"].to_numpy()))
    with np.errstate(invalid="ignore"):
        trend = (fut_m + 1.0) / (now_m + 1.0)
        demand = np.where(trend >= GROWING, 0, np.where(trend >= SUSTAINED, 1, 2))
        supply = np.where(fut_s <= OPEN_MAX, 0, np.where(fut_s <= THIN_MAX, 1, 2))
    stats = stats.copy()
    stats["trend"] = np.where(known, trend, np.nan)
    stats["demand"] = np.where(known, np.array(DEMAND_STATES, dtype=object)[demand], None)
    stats["supply"] = np.where(known, np.array(SUPPLY_STATES, dtype=object)[supply], None)
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
