import numpy as np
import pandas as pd
import pytest

from features.columns import FEATURE_COLUMNS
from models.baselines import (
    BASELINES,
    baseline_scores,
    demand_supply_ratio_score,
    growth_score,
    hand_weighted_score,
    mentions_score,
)


def _frame(**columns):
    n = len(next(iter(columns.values())))
    data = {c: np.full(n, np.nan) for c in FEATURE_COLUMNS}
    data.update({k: np.asarray(v, dtype=float) for k, v in columns.items()})
    return pd.DataFrame({"week": "2026-W40", "opportunity_id": [f"o{i}" for i in range(n)], **data})


def test_hand_weighted_prefers_demand_trend_margin_and_no_competition():
    frame = _frame(mentions_4w=[80, 80, 10, 80], growth=[0.5, 0.5, 0.5, -0.3], slope_4w=[3, 3, 3, -2],
                   est_margin=[60, 60, 60, 60], aspect_offers=[0, 30, 0, 0])
    score = hand_weighted_score(frame)
    assert score.idxmax() == 0
    assert score[0] > score[1] and score[0] > score[2] and score[0] > score[3]


def test_z_scores_are_within_week():
    one = _frame(mentions_4w=[10, 20], growth=[0, 0], slope_4w=[0, 0], est_margin=[1, 1],
                 aspect_offers=[0, 0])
    two = one.assign(week="2026-W41", mentions_4w=[1000, 2000])
    both = hand_weighted_score(pd.concat([one, two], ignore_index=True))
    assert both.tolist()[:2] == pytest.approx(both.tolist()[2:])


def test_unknowns_rank_last_and_ratio_is_computed_when_missing():
    frame = _frame(mentions=[3, np.nan, 9], growth=[0.1, 0.2, np.nan], mentions_4w=[10, 40, 8],
                   aspect_offers=[0, 3, np.nan], demand_supply_ratio=[np.nan, np.nan, 2])
    assert mentions_score(frame).tolist() == [3, 2, 9]
    assert growth_score(frame).idxmin() == 2
    assert demand_supply_ratio_score(frame).tolist() == [10, 10, 2]


def test_every_baseline_scores_every_row():
    frame = _frame(mentions=[1, 2], growth=[0, 1], mentions_4w=[3, 4], aspect_offers=[0, 1])
    scores = baseline_scores(frame)
    assert set(scores) == set(BASELINES) == {"mentions", "growth", "demand_supply_ratio", "hand_weighted"}
    assert all(len(s) == 2 and s.notna().all() for s in scores.values())


def test_missing_column_is_named():
    with pytest.raises(ValueError, match="'growth'"):
        growth_score(pd.DataFrame({"week": ["2026-W40"]}))
