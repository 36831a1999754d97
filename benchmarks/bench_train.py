"""Training time of the ranker on 1,000,000 candidate rows with 60 features (target: under 2 minutes).

The workload is synthetic: 100 weeks of 10,000 candidates (LightGBM's lambdarank query limit, which
models.train caps to), 60 float features with some NaN, grades 0..4 from a noisy hidden score. It
runs what `oppradar train` runs on the final fit: the production PARAMS (lambdarank, label_gain,
deterministic, 2 threads) for FIXED_ROUNDS rounds, plus the Dataset construction. The baseline in
the same run is a 10% sample of the weeks, scaled by 10: how far from linear the full run is.
"""

from __future__ import annotations

import os
import platform
import time

import lightgbm as lgb
import numpy as np

from models.train import FIXED_ROUNDS, MAX_GROUP_ROWS, PARAMS

ROWS, FEATURES, GROUP = 1_000_000, 60, MAX_GROUP_ROWS
LIMIT_SECONDS = 120.0


def synthetic(rows: int = ROWS, features: int = FEATURES,
              seed: int = 0) -> tuple[np.ndarray, np.ndarray, list[int]]:
    """Features, grades 0..4 (about 5% at 3 or more) and group sizes of GROUP rows."""
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((rows, features), dtype=np.float32).astype("float64")
    x[rng.random((rows, features)) < 0.05] = np.nan
    hidden = np.nan_to_num(x[:, :8]) @ rng.uniform(0.2, 1.0, 8) + rng.standard_normal(rows)
    y = np.digitize(hidden, np.quantile(hidden, [0.6, 0.85, 0.95, 0.99])).astype("float64")
    return x, y, [GROUP] * (rows // GROUP)


def fit_seconds(x: np.ndarray, y: np.ndarray, group: list) -> tuple[float, int]:
    params = {k: v for k, v in PARAMS.items()
              if k not in ("num_iterations", "early_stopping_round", "monotone_constraints")}
    started = time.perf_counter()
    data = lgb.Dataset(x, label=y, group=group, free_raw_data=False)
    booster = lgb.train(params, data, num_boost_round=FIXED_ROUNDS)
    return time.perf_counter() - started, booster.num_trees()


def bench_train_one_million_rows():
    x, y, group = synthetic()
    weeks = len(group) // 10
    small, _ = fit_seconds(x[:weeks * GROUP], y[:weeks * GROUP], group[:weeks])
    full, trees = fit_seconds(x, y, group)
    print(f"\nworkload: {ROWS:,} rows x {FEATURES} features, {len(group)} weeks of {GROUP:,}, {trees} trees "
          f"({FIXED_ROUNDS} rounds), lambdarank, {PARAMS['num_threads']} threads; "
          f"machine: {platform.machine()} {os.cpu_count()} cpus, LightGBM {lgb.__version__}")
    print(f"baseline (10% of the weeks) {small:.1f} s, x10 = {small * 10:.1f} s; "
          f"full {full:.1f} s ({full / (small * 10):.2f} of linear); limit {LIMIT_SECONDS:.0f} s")
    assert full < LIMIT_SECONDS, f"training took {full:.0f} s, over the {LIMIT_SECONDS:.0f} s budget"
