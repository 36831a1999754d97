"""Trend signals a ranker needs beside raw growth: burst flags, seasonal baselines, confidence, 8 weeks."""

from __future__ import annotations

import pytest

from features.trends import compute_trends
from tests.features.test_trends import _mentions, _series


def test_a_burst_is_flagged_in_its_week_and_not_before():
    steady = [4, 5, 4, 6, 5, 4, 5, 5, 4, 5]
    trends = compute_trends(_mentions({"a|b": steady + [30, 28], "c|d": steady + [6, 5]}))
    flags = _series(trends, "a|b", "burst_flag")
    assert flags[:len(steady)] == [0] * len(steady)
    assert flags[len(steady)] == 1
    assert set(_series(trends, "c|d", "burst_flag")) == {0}


def test_a_need_appearing_or_a_handful_of_posts_is_not_a_burst():
    trends = compute_trends(_mentions({"new|x": [40, 41, 39], "tiny|x": [0, 0, 0, 0, 0, 0, 1, 0, 4]}))
    assert set(_series(trends, "new|x", "burst_flag")) == {0}
    tiny = _series(trends, "tiny|x", "burst")
    assert tiny[-1] > 3 and _series(trends, "tiny|x", "burst_flag")[-1] == 0


def test_growth_over_four_weeks_and_eight_week_volume():
    trends = compute_trends(_mentions({"k|x": [1, 1, 1, 1, 3, 3, 3, 3]}))
    assert _series(trends, "k|x", "mentions_8w")[-1] == 16
    assert _series(trends, "k|x", "growth_4w")[-1] == pytest.approx((12 + 2) / (4 + 2) - 1)


def test_small_counts_are_flagged_low_confidence():
    trends = compute_trends(_mentions({"few|x": [1, 0, 2, 1], "many|x": [3, 4, 5, 6]}))
    assert _series(trends, "few|x", "low_confidence")[-1] == 1
    assert _series(trends, "many|x", "low_confidence")[-1] == 0


def test_seasonal_baseline_expects_last_years_peak():
    year = [2] * 52
    year[40:44] = [20, 30, 30, 20]  # a yearly peak (防晒衣 in summer)
    counts = year + year[:42]
    trends = compute_trends(_mentions({"s|x": counts}))
    baseline, seasonal = _series(trends, "s|x", "seasonal_baseline"), _series(trends, "s|x", "seasonal")
    assert seasonal[-1] == 1 and seasonal[20] == 0
    # week 52+41 repeats last year's peak: the seasonal baseline expects it, a plain 8-week mean does not
    assert baseline[-1] > 15
    assert abs(_series(trends, "s|x", "vs_baseline")[-1]) < 1.0
    assert baseline[41] < 10
