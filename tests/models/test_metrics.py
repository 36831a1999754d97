import math

import numpy as np
import pandas as pd
import pytest

from models.metrics import mean_average_precision, ndcg_at_k, precision_at_k, ranking_metrics


def _df(labels, scores, week="2026-W40"):
    return pd.DataFrame({"week": week, "label": labels, "score": scores})


def test_ndcg_perfect_reversed_and_by_hand():
    labels = [4, 3, 0, 1]
    assert ndcg_at_k(_df(labels, [4, 3, 1, 2]), 4) == pytest.approx(1.0)
    # ranked labels 0, 1, 3, 4 against the ideal 4, 3, 1, 0; gain 2^l - 1, discount log2(rank + 1)
    dcg = 0 + 1 / np.log2(3) + 7 / np.log2(4) + 15 / np.log2(5)
    ideal = 15 / np.log2(2) + 7 / np.log2(3) + 1 / np.log2(4)
    assert ndcg_at_k(_df(labels, [1, 2, 4, 3]), 4) == pytest.approx(dcg / ideal)
    assert ndcg_at_k(_df(labels, [1, 2, 4, 3]), 1) == 0.0
    assert ndcg_at_k(_df(labels, [1, 5, 4, 3]), 1) == pytest.approx(7 / 15)


def test_weeks_are_averaged_and_weeks_without_relevance_left_out():
    df = pd.concat([_df([2, 0], [1, 0], "2026-W40"), _df([0, 2], [1, 0], "2026-W41"),
                    _df([0, 0], [1, 0], "2026-W42")])
    low = 3 / np.log2(3) / 3
    assert ndcg_at_k(df, 2) == pytest.approx((1 + low) / 2)
    assert math.isnan(ndcg_at_k(_df([0, 0], [1, 2]), 5))


def test_ties_keep_frame_order():
    assert ndcg_at_k(_df([0, 4], [1, 1]), 1) == 0.0
    assert ndcg_at_k(_df([4, 0], [1, 1]), 1) == 1.0


def test_precision_and_map():
    df = _df([4, 0, 3, 1, 0], [5, 4, 3, 2, 1])
    assert precision_at_k(df, 2) == pytest.approx(0.5)
    assert precision_at_k(df, 10) == pytest.approx(2 / 5)  # a short week counts all its rows
    assert mean_average_precision(df) == pytest.approx((1 + 2 / 3) / 2)
    assert precision_at_k(df, 2, relevant=1) == pytest.approx(0.5)
    assert set(ranking_metrics(df)) == {"ndcg@5", "ndcg@10", "map", "p@10"}


@pytest.mark.parametrize(("df", "k", "message"), [
    (_df([1, 0], [1, 0]), 0, "k must be a positive integer, got 0"),
    (_df([1, 0], [1, 0]), 2.5, "k must be a positive integer, got 2.5"),
    (_df([1, None, None], [1, 0, 2]), 5, r"2 of 3 rows have no label"),
    (_df([1, 0], [np.nan, 0]), 5, r"1 of 2 rows have no score"),
    (_df([1, -2], [1, 0]), 5, r"1 of 2 rows are negative \(min -2"),
    (_df([], []), 5, r"no rows to evaluate \(0 rows\)"),
    (_df([1], [1]).drop(columns="score"), 5, r"missing columns \['score'\]"),
])
def test_bad_input_raises_with_numbers(df, k, message):
    with pytest.raises(ValueError, match=message):
        ndcg_at_k(df, k)


def test_lead_time_counts_weeks_earlier_into_the_top_k():
    from models.metrics import lead_time

    # item a is relevant; the model lists it from week 1, the reference only from week 3
    rows = []
    for w, (ma, ra) in enumerate([(0, 0), (1, 0), (1, 0), (1, 1)]):
        rows += [{"week": f"2026-W4{w}", "opportunity_id": "a", "label": 3 if w == 3 else 1,
                  "model": ma, "ref": ra},
                 {"week": f"2026-W4{w}", "opportunity_id": "b", "label": 0, "model": 0.5, "ref": 0.5}]
    df = pd.DataFrame(rows)
    out = lead_time(df, "model", "ref", k=1)
    assert out["mean_weeks"] == 2 and out["items"] == 1 and out["earlier"] == 1
    # reversed roles: the reference is two weeks later, so the lead is negative
    assert lead_time(df, "ref", "model", k=1)["mean_weeks"] == -2
    # never listed by the reference: it counts as one week past the last (4 - 1 = 3 weeks)
    assert lead_time(df.assign(ref=np.where(df["opportunity_id"] == "a", -1.0, 0.5)), "model", "ref",
                     k=1)["mean_weeks"] == 3
    assert math.isnan(lead_time(df.assign(label=0), "model", "ref", k=1)["mean_weeks"])
    # a is relevant only in the last week, where both list it: no lead while relevant
    assert lead_time(df, "model", "ref", k=1, while_relevant=True)["mean_weeks"] == 0
    with pytest.raises(ValueError, match="missing columns"):
        lead_time(df.drop(columns="ref"), "model", "ref")
