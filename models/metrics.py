"""Ranking metrics averaged over weeks (each week is one list): NDCG@k, precision@k, MAP, lead time.

Each takes a frame with a group (week), a graded label and a score column. Rows are ranked by
score, highest first; ties keep the frame's order, so results are deterministic.
"""

from __future__ import annotations

import math
from collections.abc import Iterator

import numpy as np
import pandas as pd

RELEVANT_GRADE = 3  # grade from which a row counts as worth acting on (precision, MAP)


def ndcg_at_k(df: pd.DataFrame, k: int = 10, *, label_col: str = "label", score_col: str = "score",
              group_col: str = "week") -> float:
    """Mean NDCG@k with gain 2^label - 1; weeks without any relevant row are left out (NaN if all)."""
    _check(df, k, label_col, score_col, group_col)
    values = []
    for ranked in _ranked_labels(df, label_col, score_col, group_col):
        ideal = np.sort(ranked)[::-1]
        best = _dcg(ideal[:k])
        if best > 0:
            values.append(_dcg(ranked[:k]) / best)
    return float(np.mean(values)) if values else math.nan


def precision_at_k(df: pd.DataFrame, k: int = 10, *, relevant: float = RELEVANT_GRADE,
                   label_col: str = "label", score_col: str = "score", group_col: str = "week") -> float:
    """Mean share of the top k (or all rows, in a shorter week) with label >= relevant."""
    _check(df, k, label_col, score_col, group_col)
    values = [float(np.mean(ranked[:k] >= relevant))
              for ranked in _ranked_labels(df, label_col, score_col, group_col)]
    return float(np.mean(values))


def mean_average_precision(df: pd.DataFrame, *, relevant: float = RELEVANT_GRADE,
                           label_col: str = "label", score_col: str = "score",
                           group_col: str = "week") -> float:
    """Mean over weeks of average precision (label >= relevant); weeks without one are left out."""
    _check(df, 1, label_col, score_col, group_col)
    values = []
    for ranked in _ranked_labels(df, label_col, score_col, group_col):
        hits = ranked >= relevant
        if hits.any():
            precision = np.cumsum(hits) / np.arange(1, len(hits) + 1)
            values.append(float(precision[hits].mean()))
    return float(np.mean(values)) if values else math.nan


def ranking_metrics(df: pd.DataFrame, *, label_col: str = "label", score_col: str = "score",
                    group_col: str = "week") -> dict[str, float]:
    """The metrics every report shows: NDCG@5, NDCG@10, MAP and P@10."""
    cols = {"label_col": label_col, "score_col": score_col, "group_col": group_col}
    return {"ndcg@5": ndcg_at_k(df, 5, **cols), "ndcg@10": ndcg_at_k(df, 10, **cols),
            "map": mean_average_precision(df, **cols), "p@10": precision_at_k(df, 10, **cols)}


def lead_time(df: pd.DataFrame, score_col: str, reference_col: str, *, k: int = 10,
              relevant: float = RELEVANT_GRADE, label_col: str = "label", group_col: str = "week",
              item_col: str = "opportunity_id", while_relevant: bool = False) -> dict[str, float]:
    """How many weeks earlier `score_col` puts the relevant items in its top k than `reference_col` does.

    Items are those with label >= relevant in some week. For each, the first week it enters each
    ranking's top k is found (weeks are the sorted groups); an item a ranking never lists counts as
    entering one week after the last, so a model that finds what the reference misses gets credit.
    Items neither ranking lists are left out. With while_relevant, only weeks in which the item is
    relevant count as entries: a noisy ranking that lists a need before it matters gets no credit.
    Returns the mean and median weeks earlier (positive: score_col is earlier), how many items were
    compared and in how many score_col was earlier / later.
    """
    _check(df, k, label_col, score_col, group_col)
    _check(df, k, label_col, reference_col, group_col)
    if item_col not in df.columns:
        raise ValueError(f"missing column {item_col!r}; the frame has {list(df.columns)}")
    weeks = sorted(df[group_col].unique())
    index = {w: i for i, w in enumerate(weeks)}
    targets = set(df.loc[df[label_col] >= relevant, item_col])
    first_a = _first_top_k(df, score_col, k, group_col, item_col, index, relevant if while_relevant else None,
                           label_col)
    first_b = _first_top_k(df, reference_col, k, group_col, item_col, index,
                           relevant if while_relevant else None, label_col)
    never = len(weeks)
    leads = [first_b.get(i, never) - first_a.get(i, never) for i in sorted(targets)
             if i in first_a or i in first_b]
    if not leads:
        return {"mean_weeks": math.nan, "median_weeks": math.nan, "items": 0, "earlier": 0, "later": 0}
    arr = np.asarray(leads, dtype="float64")
    return {"mean_weeks": float(arr.mean()), "median_weeks": float(np.median(arr)), "items": len(leads),
            "earlier": int((arr > 0).sum()), "later": int((arr < 0).sum())}


def _first_top_k(df: pd.DataFrame, score_col: str, k: int, group_col: str, item_col: str,
                 index: dict, relevant: float | None, label_col: str) -> dict:
    """Item -> index of the first week it is in the top k by score_col (and relevant, if given)."""
    first: dict = {}
    for week, rows in df.groupby(group_col, sort=True):
        order = np.argsort(-rows[score_col].to_numpy(dtype="float64"), kind="stable")[:k]
        labels = rows[label_col].to_numpy(dtype="float64")[order]
        for item, label in zip(rows[item_col].to_numpy()[order], labels, strict=True):
            if relevant is None or label >= relevant:
                first.setdefault(item, index[week])
    return first


def json_safe(metrics: dict[str, dict[str, float]]) -> dict[str, dict[str, float | None]]:
    """Metrics by name with NaN as None and 6 decimals, for JSON cards and the registry."""
    return {name: {k: (None if v is None or math.isnan(v) else round(float(v), 6)) for k, v in m.items()}
            for name, m in metrics.items()}


def _dcg(labels: np.ndarray) -> float:
    discounts = np.log2(np.arange(2, len(labels) + 2))
    return float(np.sum((2.0 ** labels - 1.0) / discounts))


def _ranked_labels(df: pd.DataFrame, label_col: str, score_col: str,
                   group_col: str) -> Iterator[np.ndarray]:
    for _, week in df.groupby(group_col, sort=True):
        order = np.argsort(-week[score_col].to_numpy(dtype="float64"), kind="stable")
        yield week[label_col].to_numpy(dtype="float64")[order]


def _check(df: pd.DataFrame, k: int, label_col: str, score_col: str, group_col: str) -> None:
    if isinstance(k, bool) or not isinstance(k, int) or k < 1:
        raise ValueError(f"k must be a positive integer, got {k!r}")
    missing = [c for c in (label_col, score_col, group_col) if c not in df.columns]
    if missing:
        raise ValueError(f"missing columns {missing}; the frame has {list(df.columns)}")
    if df.empty:
        raise ValueError("no rows to evaluate (0 rows)")
    for col, what in ((label_col, "label"), (score_col, "score")):
        try:
            values = df[col].to_numpy(dtype="float64")
        except (TypeError, ValueError) as exc:
            raise ValueError(f"column {col!r} must be numeric: {exc}") from exc
        nan = int(np.isnan(values).sum())
        if nan:
            raise ValueError(f"{nan} of {len(df)} rows have no {what} (NaN in {col!r}); drop them first")
    negative = int((df[label_col] < 0).sum())
    if negative:
        raise ValueError(f"labels must be >= 0, but {negative} of {len(df)} rows are negative "
                         f"(min {df[label_col].min()})")
