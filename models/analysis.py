"""What the analyst notebooks ask of the data: needs' weekly series and registered models side by side."""

from __future__ import annotations

from typing import Any

import pandas as pd
from sqlalchemy.engine import Engine

from models.backtest import compare, labelled_data, labelled_weeks
from models.metrics import json_safe
from models.predict import model_scores
from models.registry import LoadedModel, list_models, load_model_file, model_file
from models.train import HORIZON

ROW_LABELS = {"model": "ranker"}


def weekly_series(frame: pd.DataFrame, column: str, keys: list[str] | None = None) -> pd.DataFrame:
    """One row per need key, one column per week: `column` of each need (NaN where it was no candidate)."""
    if column not in frame.columns:
        raise ValueError(f"frame has no column {column!r}; pick one of {list(frame.columns)}")
    rows = frame if keys is None else frame[frame["need_key"].isin(keys)]
    table = rows.pivot(index="need_key", columns="week", values=column)
    return table.reindex(keys) if keys is not None else table


def top_needs(frame: pd.DataFrame, week: str, by: str, k: int = 10) -> pd.DataFrame:
    """The k candidates of `week` with the highest `by`, with the columns an analyst reads first."""
    cols = [c for c in ("need_key", "title", "mentions", "mentions_4w", "growth", "aspect_offers",
                        "matching_offers", "est_margin", by) if c in frame.columns]
    rows = frame[frame["week"] == week]
    return rows.sort_values([by, "need_key"], ascending=[False, True])[list(dict.fromkeys(cols))].head(k)


def compare_models(engine: Engine, model_ids: list[str], *, weeks: int = 2) -> pd.DataFrame:
    """NDCG@5/@10, MAP and P@10 of registered models and the baselines on the latest labelled weeks.

    Every model is scored on the same rows; a model trained on those weeks is flagged `in_sample`,
    because its figures there flatter it.
    """
    rows = {row["model_id"]: row for row in list_models(engine)}
    unknown = [m for m in model_ids if m not in rows]
    if unknown:
        raise ValueError(f"unknown model ids {unknown}; registered: {list(rows)[:5]}")
    frame, labels = labelled_data(engine, HORIZON)
    test_weeks = labelled_weeks(frame, labels)[-weeks:]
    out: dict[str, dict[str, Any]] = {}
    for model_id in model_ids:
        card = dict(rows[model_id]["card"] or {})
        model = LoadedModel(model_id, load_model_file(model_file(rows[model_id]), card), card)
        test = frame[frame["week"].isin(test_weeks) & labels.notna()]
        scores = pd.Series(model_scores(model, test), index=test.index)
        metrics = json_safe(compare(frame, labels, test_weeks, scores))
        out[model_id] = {**metrics["model"], "status": rows[model_id]["status"],
                         "in_sample": bool(set(test_weeks) & set(card.get("training_weeks") or []))}
    for name, m in json_safe(compare(frame, labels, test_weeks)).items():
        out[name] = {**m, "status": "baseline", "in_sample": False}
    table = pd.DataFrame.from_dict(out, orient="index")
    table.attrs["weeks"] = test_weeks
    return table
