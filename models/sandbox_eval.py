"""Score rankings against a sandbox world's ground truth: the model and every baseline, per week.

The world's truth gives each planted need a value per week (future demand that supply does not
answer, see crawlers/sandbox/world.py). It is graded 0..4 within each week by rank among the needs
with a positive value, so NDCG compares rankings on the same scale as the labels:

    share above s = (rank - 1) / number of needs with a positive value that week (rank 1 = most valuable)
    grade 4: s < 0.10 · 3: s < 0.25 · 2: s < 0.50 · 1: s < 0.75 · 0: the rest, and every zero value

and any candidate that is not a planted need (an extraction artefact, an `其他` aspect) is grade 0.
Planted needs the pipeline did not turn into candidates cannot be ranked; `coverage` reports how
many of the grade >= 3 needs were candidates. This module takes the truth as a frame and never
imports the sandbox: models/ depends on store and features names only.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from models.baselines import baseline_scores
from models.labels import grade_by_place
from models.metrics import RELEVANT_GRADE, lead_time, ranking_metrics

TRUTH_NEEDED = ("need_key", "week", "value")


def truth_grades(truth: pd.DataFrame) -> pd.DataFrame:
    """need_key, week, value and grade 0..4 by the share of needs valued above it in its week."""
    missing = [c for c in TRUTH_NEEDED if c not in truth.columns]
    if missing:
        raise ValueError(f"truth frame lacks columns {missing}; it has {list(truth.columns)}")
    out = truth[list(TRUTH_NEEDED)].reset_index(drop=True)  # concatenated truths repeat index labels
    # every positive value counts; ties (rare in expectations) are broken by row order
    out["grade"] = grade_by_place(out["value"], out["week"], floor=np.finfo(float).tiny, ties="first")
    out.index = truth.index
    return out


def graded_frame(frame: pd.DataFrame, truth: pd.DataFrame) -> pd.DataFrame:
    """The candidate frame with `truth_grade` (0 for candidates that are not planted needs)."""
    grades = truth_grades(truth)[["need_key", "week", "grade"]]
    merged = frame.merge(grades, how="left", on=["need_key", "week"], validate="many_to_one")
    merged.index = frame.index
    return frame.assign(truth_grade=merged["grade"].fillna(0.0))


def evaluate_against_truth(frame: pd.DataFrame, model_scores: pd.Series, truth: pd.DataFrame,
                           weeks: list[str], *, k: int = 10) -> dict[str, Any]:
    """Metrics of the model and each baseline on `weeks`, labels = truth grades; plus lead time and coverage.

    Lead time is measured over every week of `frame` (the model's scores must cover them): how many
    weeks before the growth baseline the model lists a truly good (grade >= 3) need in its top k;
    `..._while_relevant` counts only listings in weeks where the need is grade >= 3.
    """
    graded = graded_frame(frame, truth)
    scores = {"model": model_scores.reindex(frame.index).astype("float64"), **baseline_scores(frame)}
    if scores["model"].isna().any():
        raise ValueError(f"{int(scores['model'].isna().sum())} rows have no model score")
    rows = graded["week"].isin(weeks)
    if not rows.any():
        raise ValueError(f"no candidates in weeks {weeks}")
    metrics = {name: ranking_metrics(pd.DataFrame({"week": graded.loc[rows, "week"],
                                                   "label": graded.loc[rows, "truth_grade"],
                                                   "score": s[rows]}))
               for name, s in scores.items()}
    lead_frame = pd.DataFrame({"week": graded["week"], "opportunity_id": graded["opportunity_id"],
                               "label": graded["truth_grade"], "model": scores["model"],
                               "growth": scores["growth"]})
    grades = truth_grades(truth)
    good = grades[grades["week"].isin(weeks) & (grades["grade"] >= RELEVANT_GRADE)]
    listed = good.merge(frame[["need_key", "week"]], on=["need_key", "week"], how="inner")
    return {"weeks": list(weeks), "metrics": metrics,
            "lead_time_vs_growth": lead_time(lead_frame, "model", "growth", k=k),
            "lead_time_vs_growth_while_relevant": lead_time(lead_frame, "model", "growth", k=k,
                                                            while_relevant=True),
            "coverage": len(listed) / len(good) if len(good) else math.nan}
