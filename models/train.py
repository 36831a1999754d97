"""Train the LightGBM lambdarank ranker (a week is a query), back-test it, save it with a card, register it.

The native `lgb.train` API is used locally (the booster, parameters and model file are those of
LGBMRanker); models/distributed.py fits the same ranker with lightgbm.dask when given a scheduler.
Boosting starts from the demand/supply prior (models/prior.py), recorded in the card. The back-test
rolls its origin: each test week is scored by a model fit on the labels known that week. A week
with more than MAX_GROUP_ROWS candidates keeps its loudest (PREFILTER) for training.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import logging
import math
import shutil
import subprocess
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import lightgbm as lgb
import numpy as np
import pandas as pd
from sqlalchemy.engine import Engine

from features.columns import FEATURE_COLUMNS, KEY_COLUMNS
from models import labels as label_rule
from models import prior as ranking_prior
from models import registry
from models.backtest import Split, compare, labelled_data, labelled_weeks, split_weeks
from models.metrics import json_safe
from models.predict import score_frame
from store.errors import OppradarError
from store.weeks import shift_week, utcnow

log = logging.getLogger(__name__)

# The only domain knowledge forced on the trees, all else equal: more offers answering the aspect
# (or arriving) never make a need better, more sustained demand never makes it worse. On a few
# weeks of data this keeps the ranker from learning that quiet needs are good ones.
MONOTONE = {"aspect_offers": -1, "aspect_offer_share": -1, "new_offers_4w": -1, "aspect_offers_selling": -1,
            "mentions_4w": 1, "slope_4w": 1, "growth": 1, "demand_supply_ratio": 1}

PARAMS: dict[str, Any] = {
    "objective": "lambdarank",
    "metric": "ndcg",
    "eval_at": [10],
    "label_gain": [0, 1, 3, 7, 15],  # 2^grade - 1 for grades 0..4, as the NDCG in models.metrics
    "learning_rate": 0.05,
    "num_leaves": 15,
    "min_child_samples": 5,  # small data: a few dozen needs a week
    "feature_fraction": 0.9,
    "lambda_l2": 1.0,
    "monotone_constraints": [MONOTONE.get(name, 0) for name in FEATURE_COLUMNS],
    "num_iterations": 300,  # upper bound when early stopping, see FIXED_ROUNDS otherwise
    "early_stopping_round": 30,
    "deterministic": True,
    "force_row_wise": True,  # deterministic=True needs one fixed histogram layout
    "seed": 42,
    "num_threads": 2,
    "verbose": -1,
}
FIXED_ROUNDS = 100  # rounds when there are too few weeks to hold some out for early stopping
MIN_ROUNDS = 20  # fewest rounds early stopping may choose: two noisy weeks often peak at round 1
EARLY_STOPPING_MIN_WEEKS = 6  # labelled weeks needed before the last VALID_WEEKS are held out
VALID_WEEKS = 2
HORIZON = 4
BACKTEST_WEEKS = 2
MIN_TRAIN_WEEKS = 3
PROMOTE_MARGIN = 0.01  # back-test NDCG@10 a new model must gain over the promoted one
MAX_GROUP_ROWS = 10_000  # LightGBM's lambdarank refuses a query with more rows than this
PREFILTER = "mentions_4w"  # the cheap score that picks which candidates of a crowded week are kept


@dataclass
class TrainReport:
    model_id: str
    model_dir: Path
    promoted: bool
    reason: str
    metrics: dict[str, dict[str, float | None]]
    train_weeks: list[str]
    backtest_weeks: list[str]
    backtest_train_weeks: list[str]
    rows: int
    num_trees: int
    incumbent_id: str | None = None
    card: dict[str, Any] = field(default_factory=dict, repr=False)

    def summary(self) -> str:
        """One line for the CLI and the job log."""
        model = self.metrics.get("model", {}).get("ndcg@10")
        best = max(((n, m.get("ndcg@10")) for n, m in self.metrics.items() if n != "model"),
                   key=lambda item: -1.0 if item[1] is None else item[1], default=(None, None))
        verdict = "promoted" if self.promoted else f"kept {self.incumbent_id}"
        return (f"trained {self.model_id} on {len(self.train_weeks)} weeks ({self.rows} rows, "
                f"{self.num_trees} trees); back-test {self.backtest_weeks[0]}..{self.backtest_weeks[-1]} "
                f"NDCG@10 {_fmt(model)} vs best baseline {best[0]} {_fmt(best[1])}; {verdict}: {self.reason}")


def group_sizes(weeks: Sequence[str]) -> list[int]:
    """Rows per week, in order; the rows of each week must be contiguous (sort by week first)."""
    sizes: list[int] = []
    seen: set[str] = set()
    previous = None
    for week in weeks:
        if week != previous:
            if week in seen:
                raise ValueError(f"rows of week {week} are not contiguous (row {sum(sizes) + 1}); "
                                 "sort by week before grouping")
            seen.add(week)
            sizes.append(0)
            previous = week
        sizes[-1] += 1
    return sizes


def check_groups(sizes: Sequence[int], n_rows: int) -> None:
    """LightGBM's query contract: positive group sizes that sum to the row count."""
    total = int(sum(sizes))
    if total != n_rows:
        raise ValueError(f"group sizes sum to {total} but there are {n_rows} rows ({len(sizes)} groups)")
    if any(s <= 0 for s in sizes):
        raise ValueError(f"group sizes must be positive, got {list(sizes)}")


def cap_groups(data: pd.DataFrame, max_rows: int | None = None, by: str = PREFILTER) -> pd.DataFrame:
    """At most max_rows (default MAX_GROUP_ROWS) rows per week, keeping the highest `by`; order is kept."""
    max_rows = MAX_GROUP_ROWS if max_rows is None else max_rows
    if max_rows < 1:
        raise ValueError(f"max_rows must be positive, got {max_rows}")
    sizes = data.groupby("week").size()
    if sizes.empty or sizes.max() <= max_rows:
        return data
    key = data[by].astype("float64").fillna(-np.inf) if by in data.columns else pd.Series(0.0, data.index)
    order = pd.DataFrame({"week": data["week"], "key": key, "oid": data["opportunity_id"]})
    order = order.sort_values(["week", "key", "oid"], ascending=[True, False, True], kind="mergesort")
    keep = order.groupby("week", sort=False).cumcount() < max_rows
    kept = data.loc[sorted(order.index[keep.to_numpy()], key=data.index.get_loc)]
    log.warning("capped %d weeks at %d candidates each (LightGBM's lambdarank query limit), keeping the "
                "highest %s: %d of %d rows left out", int((sizes > max_rows).sum()), max_rows, by,
                len(data) - len(kept), len(data))
    return kept


def fit_ranker(frame: pd.DataFrame, labels: pd.Series, params: dict[str, Any] | None = None) -> lgb.Booster:
    """Fit a lambdarank booster on the labelled rows, one query per week; NaN labels are left out."""
    params = {**PARAMS, **(params or {})}
    rounds = int(params.pop("num_iterations"))
    stopping = int(params.pop("early_stopping_round") or 0)
    data = cap_groups(_ranking_rows(frame, labels))
    weeks = sorted(data["week"].unique())
    if stopping and len(weeks) >= EARLY_STOPPING_MIN_WEEKS:
        fit, valid = data[data["week"] < weeks[-VALID_WEEKS]], data[data["week"] >= weeks[-VALID_WEEKS]]
        if valid["label"].nunique() > 1:
            train_set = _dataset(fit)
            probe = lgb.train(params, train_set, num_boost_round=rounds,
                              valid_sets=[_dataset(valid, reference=train_set)],
                              callbacks=[lgb.early_stopping(stopping, first_metric_only=True, verbose=False)])
            rounds = max(probe.best_iteration, MIN_ROUNDS)
            log.info("early stopping on %s: %d rounds", weeks[-VALID_WEEKS:], rounds)
        else:
            rounds = FIXED_ROUNDS
    else:
        rounds = FIXED_ROUNDS
    # refit on every labelled week: the latest weeks are the most like the ones to rank next
    return lgb.train(params, _dataset(data), num_boost_round=rounds)


def _ranking_rows(frame: pd.DataFrame, labels: pd.Series) -> pd.DataFrame:
    """Labelled rows sorted by week with a `label` column, after checking labels and features."""
    if len(labels) != len(frame) or not labels.index.equals(frame.index):
        raise ValueError(f"labels ({len(labels)} rows) must share the frame's index ({len(frame)} rows)")
    missing = [c for c in ["week", "opportunity_id", *FEATURE_COLUMNS] if c not in frame.columns]
    if missing:
        raise ValueError(f"frame lacks columns {missing}")
    data = frame.assign(label=labels.astype("float64"))
    skipped = int(data["label"].isna().sum())
    data = data[data["label"].notna()].sort_values(["week", "opportunity_id"], kind="mergesort")
    if data.empty:
        raise ValueError(f"no labelled rows to train on ({skipped} unlabelled rows)")
    grades = data["label"].to_numpy()
    bad = int(((grades != np.round(grades)) | (grades < 0) | (grades > label_rule.MAX_GRADE)).sum())
    if bad:
        raise ValueError(f"{bad} labels are not whole grades 0..{label_rule.MAX_GRADE}")
    log.info("training rows: %d labelled, %d unlabelled left out", len(data), skipped)
    return data


def _dataset(data: pd.DataFrame, reference: lgb.Dataset | None = None) -> lgb.Dataset:
    sizes = group_sizes(data["week"].tolist())
    check_groups(sizes, len(data))
    return lgb.Dataset(data[FEATURE_COLUMNS].to_numpy(dtype="float64"), label=data["label"].to_numpy(),
                       group=sizes, feature_name=list(FEATURE_COLUMNS), reference=reference,
                       init_score=ranking_prior.prior_score(data), free_raw_data=False)


def train(engine: Engine, models_dir: Path, *, horizon: int = HORIZON, backtest_weeks: int = BACKTEST_WEEKS,
          min_train_weeks: int = MIN_TRAIN_WEEKS, params: dict[str, Any] | None = None,
          dask_address: str | None = None) -> TrainReport:
    """Back-test a new ranker, refit it on every labelled week, save, register and maybe promote it.

    With dask_address (a Dask scheduler, e.g. tcp://10.0.0.5:8786) both fits run on that cluster
    through lightgbm.dask (models/distributed.py), without early stopping.
    """
    created = utcnow()
    fit = _fitter(dask_address)
    frame, labels = labelled_data(engine, horizon)
    if frame.empty:
        raise OppradarError("the opportunities table is empty; run `oppradar build` first")
    weeks = labelled_weeks(frame, labels)
    split = split_weeks(weeks, horizon=horizon, test_weeks=backtest_weeks, min_train_weeks=min_train_weeks)
    metrics = _backtest(frame, labels, split, params, fit, horizon)

    final_rows = frame["week"].isin(weeks) & labels.notna()
    booster = fit(frame[final_rows], labels[final_rows], params)
    fingerprint = data_fingerprint(frame[final_rows], labels[final_rows])
    card = {
        "model_id": _new_model_id(engine, models_dir, created, fingerprint),
        "created_at": created.isoformat(timespec="seconds"), "params": {**PARAMS, **(params or {})},
        "features": list(FEATURE_COLUMNS), "training_weeks": weeks, "rows": int(final_rows.sum()),
        "num_trees": booster.num_trees(), "horizon": horizon, "label_rule": _label_rule(horizon),
        "backtest": {"weeks": split.test_weeks, "train_weeks": split.train_weeks,
                     "gap_weeks": split.gap_weeks, "scheme": f"rolling origin: week t is scored by a model "
                     f"fit on labelled weeks up to t - {horizon}"},
        "metrics": json_safe(metrics), "feature_importance": _importance(booster),
        "code_version": code_version(), "lightgbm_version": lgb.__version__,
        "data_fingerprint": fingerprint, "max_group_rows": MAX_GROUP_ROWS, "prefilter": PREFILTER,
        "trained_on": f"dask {dask_address}" if dask_address else "local", "prior": ranking_prior.spec(),
    }
    model_id = card["model_id"]
    promote, reason, incumbent = _decide(engine, frame, labels, split, metrics, horizon)
    model_dir = _save(models_dir, model_id, booster, card)
    try:
        registry.register(engine, model_id=model_id, path=model_dir / "model.txt", created_at=created,
                          card=card, metrics=card["metrics"], promote=promote)
    except Exception:
        shutil.rmtree(model_dir, ignore_errors=True)  # an unregistered model dir would be an orphan
        raise
    report = TrainReport(model_id=card["model_id"], model_dir=model_dir, promoted=promote, reason=reason,
                         metrics=card["metrics"], train_weeks=weeks, backtest_weeks=split.test_weeks,
                         backtest_train_weeks=split.train_weeks, rows=card["rows"],
                         num_trees=card["num_trees"], incumbent_id=incumbent, card=card)
    log.info(report.summary())
    return report


def _new_model_id(engine: Engine, models_dir: Path, created: datetime, fingerprint: str) -> str:
    """ranker-<time>-<data hash>, with -2, -3 … when a model of the same second and data exists."""
    base = f"ranker-{created:%Y%m%d-%H%M%S}-{fingerprint[:6]}"
    taken = {row["model_id"] for row in registry.list_models(engine)}
    model_id, n = base, 1
    while model_id in taken or (models_dir / model_id).exists():
        n += 1
        model_id = f"{base}-{n}"
    return model_id


def _fitter(dask_address: str | None) -> Callable[..., lgb.Booster]:
    """fit_ranker, or its Dask twin bound to the scheduler address."""
    if not dask_address:
        return fit_ranker
    from models.distributed import fit_ranker_dask

    return lambda frame, labels, params=None: fit_ranker_dask(frame, labels, dask_address, params)


def _backtest(frame: pd.DataFrame, labels: pd.Series, split: Split, params: dict[str, Any] | None,
              fit: Callable[..., lgb.Booster] = fit_ranker,
              horizon: int = HORIZON) -> dict[str, dict[str, float]]:
    """Rolling origin: each test week is scored by a model fit on the labels known then (weeks up to
    t - horizon), as it would have been served; then all test weeks are compared with the baselines."""
    parts = []
    for week in split.test_weeks:
        known = [w for w in split.train_weeks + split.gap_weeks if w <= shift_week(week, -horizon)]
        train_rows = frame["week"].isin(known) & labels.notna()
        booster = fit(frame[train_rows], labels[train_rows], params)
        test = frame[(frame["week"] == week) & labels.notna()]
        parts.append(pd.Series(booster.predict(test[FEATURE_COLUMNS].to_numpy(dtype="float64"))
                               + ranking_prior.prior_score(test), index=test.index))
    return compare(frame, labels, split.test_weeks, pd.concat(parts))


def _decide(engine: Engine, frame: pd.DataFrame, labels: pd.Series, split: Split,
            metrics: dict[str, dict[str, float]], horizon: int) -> tuple[bool, str, str | None]:
    """Promote when nothing is promoted or the back-test NDCG@10 beats the promoted model's by the margin."""
    current = registry.promoted_model(engine)
    new = metrics["model"]["ndcg@10"]
    if current is None:
        return True, "no model was promoted yet", None
    incumbent = current["model_id"]
    old, basis = _incumbent_ndcg(engine, current, frame, labels, split, horizon)
    if math.isnan(new):
        return False, (f"back-test NDCG@10 is undefined (no relevant rows in {split.test_weeks}); "
                       f"keeping {incumbent}"), incumbent
    if old is None or math.isnan(old):
        return True, f"{incumbent} has no comparable NDCG@10 ({basis})", incumbent
    if new >= old + PROMOTE_MARGIN:
        return True, f"NDCG@10 {new:.3f} beats {incumbent}'s {old:.3f} {basis} by >= {PROMOTE_MARGIN}", \
            incumbent
    return False, (f"NDCG@10 {new:.3f} does not beat {incumbent}'s {old:.3f} {basis} by {PROMOTE_MARGIN}; "
                   f"keeping {incumbent}"), incumbent


def _incumbent_ndcg(engine: Engine, current: dict[str, Any], frame: pd.DataFrame, labels: pd.Series,
                    split: Split, horizon: int) -> tuple[float | None, str]:
    """The promoted model on the same test weeks if it never saw them, else its own recorded back-test."""
    card = current.get("card") or {}
    recorded = ((current.get("metrics") or {}).get("model") or {}).get("ndcg@10")
    own = f"on its own back-test {card.get('backtest', {}).get('weeks', [])}"
    trained = card.get("training_weeks") or []
    if trained and max(trained) <= shift_week(split.test_weeks[0], -horizon):
        try:
            model = registry.load_promoted(engine)
            test = frame[frame["week"].isin(split.test_weeks) & labels.notna()]
            scored = score_frame(model, test)["score"]
            return compare(frame, labels, split.test_weeks, scored)["model"]["ndcg@10"], "on the same weeks"
        except OppradarError as exc:
            log.warning("cannot score the promoted model %s on the back-test, using its card: %s",
                        current["model_id"], exc)
    return recorded, own


def _save(models_dir: Path, model_id: str, booster: lgb.Booster, card: dict[str, Any]) -> Path:
    """Write model.txt and card.json into a temporary folder, then rename it: never a half-written model."""
    models_dir.mkdir(parents=True, exist_ok=True)
    final = models_dir / model_id
    if final.exists():
        raise OppradarError(f"model folder {final} already exists; wait a second and train again")
    tmp = models_dir / f".{model_id}.tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir()
    booster.save_model(str(tmp / "model.txt"))
    card["model_sha256"] = registry.file_sha256(tmp / "model.txt")
    (tmp / "card.json").write_text(json.dumps(card, ensure_ascii=False, indent=2, allow_nan=False) + "\n",
                                   encoding="utf-8")
    tmp.rename(final)
    return final


def data_fingerprint(frame: pd.DataFrame, labels: pd.Series) -> str:
    """sha256 of the training rows (keys, features, labels), independent of the frame's index."""
    data = frame[KEY_COLUMNS + FEATURE_COLUMNS].assign(label=labels.to_numpy())
    data = data.sort_values(["week", "opportunity_id"], kind="mergesort")
    hashed = pd.util.hash_pandas_object(data, index=False).to_numpy()
    return hashlib.sha256(hashed.tobytes()).hexdigest()


def code_version() -> str:
    """The git commit of this checkout (+dirty if changed), else the installed package version."""
    here = Path(__file__).resolve().parent
    try:
        head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=here, capture_output=True, text=True,
                              timeout=10, check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=here,
                               capture_output=True, text=True, timeout=10, check=True).stdout.strip()
        return head + ("+dirty" if dirty else "")
    except (OSError, subprocess.SubprocessError) as exc:
        log.info("no git commit for the model card (%s); using the package version", exc)
    try:
        return "oppradar " + importlib.metadata.version("oppradar")
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


def _label_rule(horizon: int) -> dict[str, Any]:
    return {"horizon": horizon,
            "value": "sum over the horizon of mentions x exp(-answering offers / offers_per_e_fold)",
            "answering_offers": f"{label_rule.ANSWERING} (each aspect offer counted min(1, 30-day sales "
                                "/ 10)), else aspect_offers",
            "offers_per_e_fold": label_rule.OFFERS_PER_E_FOLD, "min_value": label_rule.MIN_VALUE,
            "grade_cuts": [list(c) for c in label_rule.GRADE_CUTS]}


def _importance(booster: lgb.Booster) -> dict[str, float]:
    gains = booster.feature_importance(importance_type="gain")
    return {name: round(float(g), 4) for name, g in zip(booster.feature_name(), gains, strict=True)}


def _fmt(value: float | None) -> str:
    return "n/a" if value is None or (isinstance(value, float) and math.isnan(value)) else f"{value:.3f}"
