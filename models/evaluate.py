"""`oppradar evaluate`: the promoted model against the baselines on the latest labelled weeks."""

from __future__ import annotations

from typing import Any

from sqlalchemy.engine import Engine

from models.backtest import compare, labelled_data, labelled_weeks
from models.metrics import json_safe
from models.predict import score_frame
from models.registry import load_promoted
from models.train import BACKTEST_WEEKS, HORIZON
from store.errors import OppradarError


def evaluate(engine: Engine, *, weeks: int = BACKTEST_WEEKS) -> dict[str, Any]:
    """Metrics of the promoted model and every baseline on the latest `weeks` labelled weeks.

    Weeks the model was trained on are listed under `in_sample_weeks`: its numbers there flatter it.
    """
    model = load_promoted(engine)
    horizon = int(model.card.get("horizon") or HORIZON)
    frame, labels = labelled_data(engine, horizon)
    labelled = labelled_weeks(frame, labels)
    if not labelled:
        raise OppradarError(f"no labelled weeks among {frame['week'].nunique()} built weeks; a week is "
                            f"labelled once the {horizon} weeks after it are built")
    test_weeks = labelled[-weeks:]
    rows = frame[frame["week"].isin(test_weeks) & labels.notna()]
    scored = score_frame(model, rows)
    in_sample = sorted(set(test_weeks) & set(model.card.get("training_weeks") or []))
    return {
        "model_id": model.model_id,
        "weeks": test_weeks,
        "rows": len(rows),
        "in_sample_weeks": in_sample,
        "note": (f"the model was trained on {', '.join(in_sample)}: its metrics there are optimistic; "
                 "train's back-test in the model card is the honest one") if in_sample else "",
        "metrics": json_safe(compare(frame, labels, test_weeks, scored["score"])),
        "card_backtest": {"weeks": model.card.get("backtest", {}).get("weeks", []),
                          "metrics": model.card.get("metrics", {})},
    }
