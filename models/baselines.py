"""Rankings without a model, the bar the ranker must clear: raw counts and a hand-weighted score.

Each function takes the model frame and returns one score per row (higher ranks first), with
unknown values ranked last. Scores compare rows within a week, as the lists do.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

# Weights of the hand-made score, in the spirit of Jungle Scout's and Helium 10's opportunity
# scores: demand and its trend up, margin up, competition (offers answering the aspect) down.
HAND_WEIGHTS = {"demand": 0.40, "trend": 0.25, "margin": 0.20, "competition": 0.35}


def mentions_score(frame: pd.DataFrame) -> pd.Series:
    """This week's mentions: what a seller watching the loudest complaints would pick."""
    return _last_if_unknown(_column(frame, "mentions"))


def growth_score(frame: pd.DataFrame) -> pd.Series:
    """Week-over-week growth of mentions: what a trend-chaser would pick."""
    return _last_if_unknown(_column(frame, "growth"))


def demand_supply_ratio_score(frame: pd.DataFrame) -> pd.Series:
    """Mentions over 4 weeks per offer answering the aspect, computed where the column is missing."""
    ratio = _column(frame, "demand_supply_ratio")
    fallback = _column(frame, "mentions_4w") / (_column(frame, "aspect_offers").fillna(0.0) + 1.0)
    return _last_if_unknown(ratio.fillna(fallback))


def hand_weighted_score(frame: pd.DataFrame) -> pd.Series:
    """Within-week z-scores: demand, trend and margin up, competition down (HAND_WEIGHTS)."""
    demand = np.log1p(_column(frame, "mentions_4w").fillna(_column(frame, "mentions")).clip(lower=0))
    trend = (_zscore(frame, _column(frame, "growth")) + _zscore(frame, _column(frame, "slope_4w"))) / 2
    competition = np.log1p(_column(frame, "aspect_offers").clip(lower=0))
    score = (HAND_WEIGHTS["demand"] * _zscore(frame, demand)
             + HAND_WEIGHTS["trend"] * trend
             + HAND_WEIGHTS["margin"] * _zscore(frame, _column(frame, "est_margin"))
             - HAND_WEIGHTS["competition"] * _zscore(frame, competition))
    return score.rename("score")


BASELINES: dict[str, Callable[[pd.DataFrame], pd.Series]] = {
    "mentions": mentions_score,
    "growth": growth_score,
    "demand_supply_ratio": demand_supply_ratio_score,
    "hand_weighted": hand_weighted_score,
}


def baseline_scores(frame: pd.DataFrame) -> dict[str, pd.Series]:
    """Every baseline's scores for the frame, by baseline name."""
    return {name: fn(frame) for name, fn in BASELINES.items()}


def _column(frame: pd.DataFrame, name: str) -> pd.Series:
    if name not in frame.columns:
        raise ValueError(f"frame lacks column {name!r} needed by the baselines")
    return frame[name].astype("float64")


def _last_if_unknown(values: pd.Series) -> pd.Series:
    finite = values.replace([np.inf, -np.inf], np.nan)
    floor = finite.min() - 1.0 if finite.notna().any() else 0.0
    return finite.fillna(floor).rename("score")


def _zscore(frame: pd.DataFrame, values: pd.Series) -> pd.Series:
    """Standardise within each week; unknowns and constant weeks count as average (0)."""
    values = values.replace([np.inf, -np.inf], np.nan)
    by_week = values.groupby(frame["week"])
    std = by_week.transform("std")
    z = (values - by_week.transform("mean")) / std.where(std > 0)
    return z.fillna(0.0)
