"""Fit the ranker on a Dask cluster with `lightgbm.dask.DaskLGBMRanker`, for tables one machine cannot fit.

Each Dask partition holds whole weeks (a query never spans two workers), with its group sizes in the
matching chunk of the group array, as LightGBM's Dask API requires. Early stopping is not offered
by the Dask estimators, so the number of rounds is `num_iterations` if the caller sets it, else
FIXED_ROUNDS. The result is a plain `lgb.Booster`, saved and served like a local one.
"""

from __future__ import annotations

import logging
from typing import Any

import lightgbm as lgb
import numpy as np
import pandas as pd

from features.columns import FEATURE_COLUMNS
from models.prior import prior_score

log = logging.getLogger(__name__)

WEEKS_PER_PARTITION = 4
# sklearn-wrapper names of the PARAMS that fit_ranker passes to lgb.train under their native names
_RENAMED = {"num_iterations": "n_estimators", "seed": "random_state"}
# threads come from the Dask workers; early stopping and evaluation are local-only
_LOCAL_ONLY = ("early_stopping_round", "metric", "eval_at", "num_threads")


def fit_ranker_dask(frame: pd.DataFrame, labels: pd.Series, scheduler_address: str,
                    params: dict[str, Any] | None = None) -> lgb.Booster:
    """Fit a lambdarank booster on the cluster at scheduler_address; one query per week, NaN labels out."""
    import dask.array as da
    from distributed import Client
    from lightgbm.dask import DaskLGBMRanker

    from models import train as local

    explicit_rounds = params is not None and "num_iterations" in params
    merged = {**local.PARAMS, **(params or {})}
    if not explicit_rounds:
        merged["num_iterations"] = local.FIXED_ROUNDS
    data = local.cap_groups(local._ranking_rows(frame, labels))
    x, y, group, chunks = _partitioned(data)
    kwargs = {_RENAMED.get(k, k): v for k, v in merged.items() if k not in _LOCAL_ONLY}
    kwargs.pop("objective", None)
    with Client(scheduler_address, timeout="30s") as client:
        workers = len(client.scheduler_info()["workers"])
        log.info("fitting on %s: %d rows, %d weeks in %d partitions, %d workers", scheduler_address,
                 len(data), len(group), len(chunks), workers)
        ranker = DaskLGBMRanker(client=client, objective="lambdarank", **kwargs)
        ranker.fit(da.from_array(x, chunks=(tuple(chunks), x.shape[1])),
                   da.from_array(y, chunks=(tuple(chunks),)),
                   group=da.from_array(group, chunks=(tuple(_group_chunks(data, chunks)),)),
                   init_score=da.from_array(prior_score(data), chunks=(tuple(chunks),)),
                   feature_name=list(FEATURE_COLUMNS))
        return ranker.to_local().booster_


def _partitioned(data: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[int]]:
    """Features, labels, group sizes and row chunks of WEEKS_PER_PARTITION whole weeks each."""
    from models.train import check_groups, group_sizes

    sizes = group_sizes(data["week"].tolist())
    check_groups(sizes, len(data))
    chunks = [sum(sizes[i:i + WEEKS_PER_PARTITION]) for i in range(0, len(sizes), WEEKS_PER_PARTITION)]
    x = data[FEATURE_COLUMNS].to_numpy(dtype="float64")
    return x, data["label"].to_numpy(dtype="float64"), np.asarray(sizes, dtype="int64"), chunks


def _group_chunks(data: pd.DataFrame, chunks: list[int]) -> list[int]:
    """Weeks per partition, matching the row chunks."""
    n_weeks = data["week"].nunique()
    per = [min(WEEKS_PER_PARTITION, n_weeks - i) for i in range(0, n_weeks, WEEKS_PER_PARTITION)]
    return per[:len(chunks)]
