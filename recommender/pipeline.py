"""The stages tied together: build candidates, train, rank and publish; each records a job run."""

from __future__ import annotations

import logging
from collections.abc import Callable
from contextlib import contextmanager
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from store.db import finish_job, start_job
from store.errors import OppradarError
from store.schema import opportunities
from store.settings import Settings
from store.weeks import utcnow

log = logging.getLogger(__name__)


@contextmanager
def job(engine: Engine, name: str):
    """Record a stage in job_runs: running, then ok with its stats or failed with the error."""
    with engine.begin() as conn:
        run_id = start_job(conn, name, utcnow())
    stats: dict[str, Any] = {}
    try:
        yield stats
    except Exception as exc:
        with engine.begin() as conn:
            finish_job(conn, run_id, "failed", utcnow(), stats, f"{type(exc).__name__}: {exc}")
        raise
    with engine.begin() as conn:
        finish_job(conn, run_id, "ok", utcnow(), stats)


def build(engine: Engine, week: str | None = None, workers: int = 1) -> dict[str, Any]:
    """Extract needs and build the candidate table for one week, or for every week with posts; `workers`
    processes read the posts."""
    from features.build import build as build_features
    from features.build import post_weeks

    weeks = [week] if week else post_weeks(engine)
    if not weeks:
        raise OppradarError("no posts yet: run `oppradar crawl` or `oppradar import posts` first")
    with job(engine, "build") as stats:
        stats.update(build_features(engine, None if week is None else weeks, workers))
        stats["weeks"] = weeks
    return stats


def train(engine: Engine, settings: Settings, dask_address: str | None = None) -> Any:
    """Train a ranker on every labelled week; promote it only if it beats the current one."""
    from models.train import train as train_model

    with job(engine, "train") as stats:
        report = train_model(engine, settings.models_dir, dask_address=dask_address)
        stats.update(_as_dict(report))
    return report


def latest_built_week(engine: Engine) -> str:
    with engine.connect() as conn:
        week = conn.execute(sa.select(sa.func.max(opportunities.c.week))).scalar()
    if week is None:
        raise OppradarError("no candidates yet: run `oppradar build` first")
    return week


def rank(engine: Engine, week: str | None = None) -> dict[str, Any]:
    """Score a week's candidates with the promoted model and publish its lists."""
    from models.dataset import load_frame
    from models.predict import score_frame
    from models.registry import load_promoted
    from recommender.publish import publish_week

    week = week or latest_built_week(engine)
    with job(engine, "rank") as stats:
        model = load_promoted(engine)
        frame = load_frame(engine, [week])
        if frame.empty:
            raise OppradarError(f"week {week} has no candidates: run `oppradar build --week {week}`")
        scored = score_frame(model, frame)
        _write_scores(engine, week, scored, model.model_id)
        stats.update(week=week, model_id=model.model_id, ranked=len(scored),
                     published=publish_week(engine, week))
    return stats


def _write_scores(engine: Engine, week: str, scored: Any, model_id: str) -> None:
    now = utcnow()
    rows = [{"w": week, "oid": r["opportunity_id"], "b_score": float(r["score"]),
             "b_rank": int(r["rank"]), "b_explanation": list(r["explanation"]),
             "b_model_id": model_id, "b_ranked_at": now}
            for r in scored.to_dict("records")]
    stmt = (sa.update(opportunities)
            .where(opportunities.c.week == sa.bindparam("w"),
                   opportunities.c.opportunity_id == sa.bindparam("oid"))
            .values(score=sa.bindparam("b_score"), rank=sa.bindparam("b_rank"),
                    explanation=sa.bindparam("b_explanation"), model_id=sa.bindparam("b_model_id"),
                    ranked_at=sa.bindparam("b_ranked_at")))
    with engine.begin() as conn:
        conn.execute(stmt, rows)


def _as_dict(report: Any) -> dict[str, Any]:
    """The JSON-safe part of a stage's report, for its job_runs row (the model card lives on disk)."""
    import json
    from dataclasses import asdict, is_dataclass

    data = asdict(report) if is_dataclass(report) else dict(report)
    data.pop("card", None)
    return json.loads(json.dumps(data, default=str))


def run_stage(label: str, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """Run a stage with a start line and a one-line summary with its duration."""
    import time

    log.info("%s …", label)
    started = time.perf_counter()
    result = fn(*args, **kwargs)
    log.info("%s done in %.1f s", label, time.perf_counter() - started)
    return result
