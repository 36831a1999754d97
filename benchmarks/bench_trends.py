"""Weekly aggregation of 1,000,000 need mentions (seeded) into the trend table, against a naive baseline.

Baseline in the same run: a per-(need, week) groupby-apply on a sample, extrapolated to the workload.
"""

from __future__ import annotations

import os
import platform
import resource
import time

import numpy as np
import pandas as pd

from features.trends import MENTION_COLUMNS, compute_trends
from store.weeks import shift_week

N_MENTIONS = int(os.environ.get("BENCH_MENTIONS", 1_000_000))
N_KEYS = 20_000
WEEKS = 104
SAMPLE = 50_000
START = "2025-W01"


def _mentions(n: int, seed: int = 3) -> pd.DataFrame:
    """n mention rows: Zipf-like need popularity over two years, 200k authors, 7 platforms."""
    rng = np.random.default_rng(seed)
    key = np.minimum(rng.zipf(1.3, n), N_KEYS) - 1
    week_labels = np.asarray([shift_week(START, i) for i in range(WEEKS)], dtype=object)
    return pd.DataFrame({
        "platform": rng.choice(np.asarray(["xhs", "douyin", "bilibili", "weibo", "zhihu", "tieba", "douban"],
                                          dtype=object), n),
        "post_id": np.char.add("p", np.arange(n).astype(str)).astype(object),
        "need_key": np.char.add("产品", key.astype(str)).astype(object) + "|杯架",
        "product": "产品", "aspect": "杯架", "category": "", "need_type": "quality",
        "polarity": rng.choice(np.asarray(["complaint", "wish", "praise"], dtype=object), n,
                               p=[0.6, 0.3, 0.1]),
        "week": week_labels[rng.integers(0, WEEKS, n)], "published_at": None, "price_mentions": None,
        "author_hash": np.char.add("a", rng.integers(0, 200_000, n).astype(str)).astype(object),
        "engagement": rng.pareto(1.5, n) * 10,
    }, columns=MENTION_COLUMNS)


def _naive(frame: pd.DataFrame) -> pd.DataFrame:
    """The obvious pandas version: one Python call per (need, week) group."""
    return frame.groupby(["need_key", "week"]).apply(lambda g: pd.Series({
        "mentions": g["post_id"].nunique(), "authors": g["author_hash"].nunique(),
        "engagement": (np.log1p(g["engagement"]) + 1).sum(), "platforms": g["platform"].nunique(),
        "complaint_share": (g["polarity"] == "complaint").mean(),
        "wish_share": (g["polarity"] == "wish").mean(),
    }), include_groups=False)


def bench_weekly_aggregation():
    frame = _mentions(N_MENTIONS)
    started = time.perf_counter()
    trends = compute_trends(frame)
    seconds = time.perf_counter() - started
    sample = frame.sample(SAMPLE, random_state=0)
    started = time.perf_counter()
    groups = len(_naive(sample))
    # the naive cost is per (need, week) group: scale by groups, not rows
    naive_s = (time.perf_counter() - started) / groups * len(frame.groupby(["need_key", "week"]))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 ** 2
    print(f"\nbench_trends: {N_MENTIONS:,} mentions, {frame['need_key'].nunique():,} need keys, "
          f"{WEEKS} weeks → {len(trends):,} need-week rows; "
          f"machine {platform.machine()} {os.cpu_count()} cpus, load {os.getloadavg()[0]:.1f}")
    print(f"  compute_trends {seconds:.1f}s; baseline groupby-apply ≈{naive_s:.0f}s (measured on "
          f"{SAMPLE:,} rows, extrapolated by groups); peak RSS {peak:.2f} GB")
    assert seconds < 60
