import math

import numpy as np
import pandas as pd
import pytest

from models.sandbox_eval import evaluate_against_truth, graded_frame, truth_grades


def _truth(values, week="2026-W40"):
    return pd.DataFrame({"need_key": [f"p{i}|a" for i in range(len(values))], "week": week,
                         "value": values})


def test_truth_is_graded_by_rank_share_within_the_week():
    # 20 valued needs: top 2 (10%) grade 4, next 3 grade 3, next 5 grade 2, next 5 grade 1, last 5 grade 0
    truth = pd.concat([_truth(list(range(20, 0, -1))), _truth([0.0, 5.0], "2026-W41")])
    grades = truth_grades(truth)
    first = grades[grades["week"] == "2026-W40"]["grade"].tolist()
    assert first == [4] * 2 + [3] * 3 + [2] * 5 + [1] * 5 + [0] * 5
    # a week with one valued need: it is the top decile; a zero value is never relevant
    assert grades[grades["week"] == "2026-W41"]["grade"].tolist() == [0, 4]
    with pytest.raises(ValueError, match=r"lacks columns \['value'\]"):
        truth_grades(truth.drop(columns="value"))


def _frame(keys, week="2026-W40", **features):
    n = len(keys)
    base = {"week": week, "opportunity_id": [f"o{k}" for k in keys], "need_key": keys,
            "mentions": np.arange(n, 0, -1, dtype=float), "growth": np.zeros(n),
            "demand_supply_ratio": np.arange(n, dtype=float), "mentions_4w": np.arange(n, dtype=float),
            "aspect_offers": np.zeros(n), "slope_4w": np.zeros(n), "est_margin": np.ones(n)}
    base.update(features)
    return pd.DataFrame(base)


def test_candidates_that_are_not_planted_get_grade_zero():
    truth = _truth([9.0, 8.0, 7.0, 6.0, 5.0, 4.0, 3.0, 2.0, 1.0, 0.5])
    frame = _frame(["p0|a", "p4|a", "noise|其他"])
    assert graded_frame(frame, truth)["truth_grade"].tolist() == [4.0, 2.0, 0.0]


def test_model_and_every_baseline_are_scored_on_the_same_rows():
    truth = pd.concat([_truth([5.0, 4.0, 3.0, 2.0, 1.0], w) for w in ("2026-W40", "2026-W41")])
    frame = pd.concat([_frame([f"p{i}|a" for i in range(5)], w) for w in ("2026-W40", "2026-W41")],
                      ignore_index=True)
    perfect = pd.Series(-frame.index.to_series().mod(5).astype(float), index=frame.index)
    result = evaluate_against_truth(frame, perfect, truth, ["2026-W41"])
    assert set(result["metrics"]) == {"model", "mentions", "growth", "demand_supply_ratio", "hand_weighted"}
    assert result["metrics"]["model"]["ndcg@10"] == pytest.approx(1.0)
    assert result["metrics"]["demand_supply_ratio"]["ndcg@10"] < 1.0  # it ranks the need order reversed
    assert result["coverage"] == 1.0 and not math.isnan(result["lead_time_vs_growth"]["items"])
    with pytest.raises(ValueError, match="no candidates in weeks"):
        evaluate_against_truth(frame, perfect, truth, ["2030-W01"])
