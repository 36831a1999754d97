"""Weekly trend statistics: zero weeks filled, growth and slope signs, bursts, no peeking."""

from __future__ import annotations

import pandas as pd
import pytest

from features.trends import MENTION_COLUMNS, TREND_COLUMNS, compute_trends, load_mentions
from store.weeks import shift_week, week_range

START = "2026-W01"


def _mentions(counts: dict[str, list[int]], start: str = START) -> pd.DataFrame:
    """Mention rows: counts[key][i] posts for the key in week start+i."""
    rows, n = [], 0
    for key, per_week in counts.items():
        for i, count in enumerate(per_week):
            week = shift_week(start, i)
            for _ in range(count):
                n += 1
                product, aspect = key.split("|")
                rows.append({"platform": "xhs", "post_id": f"p{n}", "need_key": key, "product": product,
                             "aspect": aspect, "category": "", "polarity": "complaint",
                             "need_type": "quality", "week": week, "published_at": None, "price_mentions": [],
                             "author_hash": f"a{n}", "engagement": 10.0})
    return pd.DataFrame(rows, columns=MENTION_COLUMNS)


def _series(trends: pd.DataFrame, key: str, column: str) -> list:
    return trends[trends["need_key"] == key].sort_values("week")[column].tolist()


def test_planted_burst_is_flagged_in_its_week_and_not_before():
    trends = compute_trends(_mentions({"a|b": [2, 3, 2, 2, 3, 2, 2, 3, 20]}))
    burst = _series(trends, "a|b", "burst")
    assert burst[-1] > 5
    assert max(burst[:-1]) < 2


def test_weeks_without_mentions_exist_as_zero_rows():
    trends = compute_trends(_mentions({"k|x": [1, 0, 0, 1], "z|y": [0, 0, 4, 0]}))
    assert list(trends.columns) == TREND_COLUMNS
    assert _series(trends, "k|x", "week") == week_range(START, shift_week(START, 3))
    assert _series(trends, "k|x", "mentions") == [1, 0, 0, 1]
    assert _series(trends, "k|x", "mentions_4w") == [1, 1, 1, 2]
    assert _series(trends, "k|x", "weeks_seen") == [1, 2, 3, 4]
    # a need appears from its first week on, not before
    assert _series(trends, "z|y", "week") == [shift_week(START, 2), shift_week(START, 3)]
    assert set(_series(trends, "z|y", "first_seen_week")) == {shift_week(START, 2)}


def test_growth_and_slope_signs():
    trends = compute_trends(_mentions({"up|x": [1, 2, 4, 8], "down|x": [8, 4, 2, 1]}))
    assert all(g > 0 for g in _series(trends, "up|x", "growth")[1:])
    assert all(g < 0 for g in _series(trends, "down|x", "growth")[1:])
    assert _series(trends, "up|x", "slope_4w")[-1] > 0 > _series(trends, "down|x", "slope_4w")[-1]
    assert _series(trends, "up|x", "growth")[1] == pytest.approx((2 + 1) / (1 + 1) - 1)


def test_a_week_only_sees_its_past():
    history = {"a|b": [1, 2, 3, 9, 1, 1], "c|d": [0, 1, 0, 2, 5, 9]}
    full = compute_trends(_mentions(history))
    cut = shift_week(START, 3)
    early = compute_trends(_mentions({k: v[:4] for k, v in history.items()}))
    pd.testing.assert_frame_equal(full[full["week"] <= cut].reset_index(drop=True), early)


def test_authors_platforms_engagement_and_shares():
    frame = _mentions({"k|x": [4]})
    frame.loc[[0, 1], "author_hash"] = "same"
    frame.loc[2, "author_hash"] = None
    frame.loc[3, "platform"] = "bilibili"
    frame.loc[[0, 1], "polarity"] = "wish"
    frame["engagement"] = [0.0, 0.0, 0.0, 99.0]
    [row] = compute_trends(frame).to_dict("records")
    assert (row["mentions"], row["authors"], row["platforms"]) == (4, 3, 2)
    assert row["wish_share"] == 0.5 and row["complaint_share"] == 0.5
    assert row["engagement"] == pytest.approx(3 * 1.0 + (1.0 + 4.60517), rel=1e-4)


def test_only_requested_weeks_and_empty_input():
    trends = compute_trends(_mentions({"k|x": [1, 1, 1]}), weeks=[shift_week(START, 1)])
    assert trends["week"].tolist() == [shift_week(START, 1)]
    assert compute_trends(_mentions({})).empty


def test_load_mentions_joins_posts(engine, add_posts):
    from features.needs import build_needs
    from tests.features.conftest import post

    add_posts(post("2026-W10", "保温杯漏水", likes=5, author="u1"), post("2026-W12", "保温杯漏水"))
    build_needs(engine)
    frame = load_mentions(engine, until_week="2026-W11")
    assert len(frame) == 1 and frame.loc[0, "engagement"] == 5 and frame.loc[0, "author_hash"]
