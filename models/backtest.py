"""Chronological back-tests: which labelled weeks train and which test, and metrics of scores there.

Splits are by week, never random. Labels of week t look `horizon` weeks ahead, so a model deployed
at the first test week t0 only knows labels up to t0 - horizon; the weeks between are left out
(the gap), or the back-test would train on outcomes it is meant to predict.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from sqlalchemy.engine import Engine

from models.baselines import baseline_scores
from models.dataset import load_feedback, load_frame
from models.labels import apply_feedback, make_labels
from models.metrics import ranking_metrics
from store.errors import OppradarError
from store.weeks import shift_week

MIN_ROWS_PER_WEEK = 2  # a week with one labelled row has nothing to rank


@dataclass(frozen=True)
class Split:
    train_weeks: list[str]
    gap_weeks: list[str]
    test_weeks: list[str]


def labelled_data(engine: Engine, horizon: int) -> tuple[pd.DataFrame, pd.Series]:
    """The whole opportunities frame and its labels, analysts' labels applied."""
    frame = load_frame(engine)
    labels = apply_feedback(make_labels(frame, horizon), frame, load_feedback(engine))
    return frame, labels


def labelled_weeks(frame: pd.DataFrame, labels: pd.Series) -> list[str]:
    """Weeks with at least MIN_ROWS_PER_WEEK labelled rows, oldest first."""
    counts = labels.notna().groupby(frame["week"]).sum()
    return sorted(str(w) for w, n in counts.items() if n >= MIN_ROWS_PER_WEEK)


def split_weeks(weeks: list[str], *, horizon: int, test_weeks: int, min_train_weeks: int) -> Split:
    """The latest `test_weeks` labelled weeks to test, and the weeks known `horizon` weeks before."""
    gap = horizon - 1
    needed = min_train_weeks + gap + test_weeks
    if len(weeks) < needed:
        span = f" ({weeks[0]}..{weeks[-1]})" if weeks else ""
        raise OppradarError(
            f"only {len(weeks)} labelled weeks{span}, training needs {needed}: {min_train_weeks} to train, "
            f"{gap} left out because labels look {horizon} weeks ahead, and {test_weeks} to back-test. "
            f"A week is labelled once the {horizon} weeks after it are built: build more weeks "
            "(`oppradar build --week ...`) or add analyst labels")
    test = weeks[-test_weeks:]
    cutoff = shift_week(test[0], -horizon)
    train = [w for w in weeks if w <= cutoff]
    if len(train) < min_train_weeks:
        raise OppradarError(f"only {len(train)} labelled weeks up to {cutoff} to train the back-test, "
                            f"{min_train_weeks} needed; build the missing weeks between {weeks[0]} "
                            f"and {test[0]}")
    gap_weeks = [w for w in weeks if cutoff < w < test[0]]
    return Split(train_weeks=train, gap_weeks=gap_weeks, test_weeks=test)


def compare(frame: pd.DataFrame, labels: pd.Series, weeks: list[str],
            model_scores: pd.Series | None = None) -> dict[str, dict[str, float]]:
    """Ranking metrics on the labelled rows of `weeks` for the model (scores by frame index) and baselines."""
    mask = frame["week"].isin(weeks) & labels.notna()
    if not mask.any():
        raise OppradarError(f"no labelled rows in weeks {weeks} to evaluate")
    rows = frame.loc[mask]
    scores = {"model": model_scores.reindex(rows.index)} if model_scores is not None else {}
    scores.update(baseline_scores(rows))
    return {name: ranking_metrics(pd.DataFrame({"week": rows["week"], "label": labels.loc[mask],
                                                "score": s.astype("float64")}))
            for name, s in scores.items()}
