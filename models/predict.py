"""Score a frame with a loaded model: score, rank within each week and the reasons behind each row."""

from __future__ import annotations

import numpy as np
import pandas as pd

from features.taxonomy import load_taxonomy
from models.explain import explain_row
from models.prior import FEATURE as PRIOR_FEATURE
from models.prior import prior_score
from models.registry import LoadedModel
from store.errors import OppradarError

PREDICT_THREADS = 2


def ranker_feature_names(model: LoadedModel, frame: pd.DataFrame) -> list[str]:
    """The model's feature names, after checking the frame has every one of them."""
    names = model.booster.feature_name()
    missing = [n for n in names if n not in frame.columns]
    if missing:
        raise OppradarError(f"model {model.model_id} needs {len(missing)} features the frame lacks: "
                            f"{', '.join(missing)}; rebuild the opportunities or retrain the model")
    return names


def model_scores(model: LoadedModel, frame: pd.DataFrame) -> np.ndarray:
    """The model's score per row: its trees plus the prior its card records (none for older models)."""
    names = ranker_feature_names(model, frame)
    trees = model.booster.predict(frame[names].to_numpy(dtype="float64"), num_threads=PREDICT_THREADS)
    return trees + prior_score(frame, model.card.get("prior") or {})


def score_frame(model: LoadedModel, frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of frame with `score`, `rank` (1 = best within its week) and `explanation` added."""
    names = ranker_feature_names(model, frame)
    out = frame.copy()
    if out.empty:
        return out.assign(score=pd.Series(dtype="float64"), rank=pd.Series(dtype="int64"),
                          explanation=pd.Series(dtype=object))
    values = out[names].to_numpy(dtype="float64")
    prior = prior_score(out, model.card.get("prior") or {})
    out["score"] = model.booster.predict(values, num_threads=PREDICT_THREADS) + prior
    out["rank"] = _ranks(out)
    contrib = model.booster.predict(values, pred_contrib=True, num_threads=PREDICT_THREADS)
    if prior.any() and PRIOR_FEATURE in names:
        # the prior's part of a row's score, against the average row of its week, is a reason too
        centred = prior - pd.Series(prior, index=out.index).groupby(out["week"]).transform("mean").to_numpy()
        contrib[:, names.index(PRIOR_FEATURE)] += centred
    # the last column of pred_contrib is the bias, shared by every row: not a reason
    wide = _product_wide(out)
    out["explanation"] = pd.Series([explain_row(names, values[i], contrib[i, :-1], product_wide=wide[i])
                                    for i in range(len(out))], index=out.index, dtype=object)
    return out


def _product_wide(frame: pd.DataFrame) -> list[bool]:
    """Per row, whether its need's supply is its product's (no offer title can name the aspect)."""
    if "aspect" not in frame.columns:
        return [False] * len(frame)
    taxonomy = load_taxonomy()
    return [not taxonomy.offers_can_name(a) if isinstance(a, str) else False for a in frame["aspect"]]


def _ranks(scored: pd.DataFrame) -> np.ndarray:
    """1..n within each week by score, ties broken by opportunity_id so ranks are stable."""
    keys = pd.DataFrame({"week": scored["week"].to_numpy(), "score": scored["score"].to_numpy(),
                         "opportunity_id": scored["opportunity_id"].to_numpy()})
    order = keys.sort_values(["week", "score", "opportunity_id"], ascending=[True, False, True],
                             kind="mergesort")
    ranks = np.empty(len(keys), dtype="int64")
    ranks[order.index.to_numpy()] = order.groupby("week", sort=False).cumcount().to_numpy() + 1
    return ranks
