"""The model registry (`models` table): register, list, promote, roll back and load the served model.

Status moves candidate -> promoted -> retired (replaced) or rolled_back (withdrawn). Exactly one
model is promoted once any is; every change is one transaction, and a model whose file is missing
or corrupted is refused before anything changes, so the current model is never demoted for it.
A model file inside the models folder is recorded relative to it, so OPPRADAR_HOME can move (or be
restored on another machine) with its models; rows written before that keep absolute paths.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import lightgbm as lgb
import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from store.errors import OppradarError
from store.schema import models as models_table
from store.settings import get_settings
from store.weeks import utcnow

CANDIDATE, PROMOTED, RETIRED, ROLLED_BACK = "candidate", "promoted", "retired", "rolled_back"


@dataclass(frozen=True)
class LoadedModel:
    model_id: str
    booster: lgb.Booster
    card: dict[str, Any] = field(default_factory=dict)


def list_models(engine: Engine) -> list[dict[str, Any]]:
    """Every registered model, newest first."""
    stmt = sa.select(models_table).order_by(models_table.c.created_at.desc(), models_table.c.model_id.desc())
    with engine.connect() as conn:
        return [dict(r) for r in conn.execute(stmt).mappings()]


def promoted_model(engine: Engine) -> dict[str, Any] | None:
    """The promoted model's row, or None before the first promotion."""
    with engine.connect() as conn:
        return _promoted(conn)


def register(engine: Engine, *, model_id: str, path: Path, created_at: datetime, card: dict[str, Any],
             metrics: dict[str, Any], promote: bool = False) -> dict[str, Any]:
    """Add a trained model as a candidate, and promote it in the same transaction if asked."""
    if promote:
        load_model_file(path, card)
    with engine.begin() as conn:
        conn.execute(sa.insert(models_table).values(
            model_id=model_id, created_at=created_at, path=stored_path(path), status=CANDIDATE,
            metrics=metrics, card=card))
        if promote:
            _switch(conn, model_id, retire_as=RETIRED)
        return _row(conn, model_id)


def promote(engine: Engine, model_id: str) -> dict[str, Any]:
    """Serve model_id from now on; the current one is retired (rollback returns to it)."""
    with engine.begin() as conn:
        row = _row(conn, model_id)
        current = _promoted(conn)
        if current and current["model_id"] == model_id:
            return row
        load_model_file(model_file(row), row["card"])
        _switch(conn, model_id, retire_as=RETIRED)
        return _row(conn, model_id)


def rollback(engine: Engine) -> dict[str, Any]:
    """Withdraw the promoted model and serve the one promoted before it again."""
    with engine.begin() as conn:
        current = _promoted(conn)
        if current is None:
            raise OppradarError("no promoted model to roll back from; run `oppradar train` first")
        previous = conn.execute(
            sa.select(models_table).where(models_table.c.status == RETIRED)
            .order_by(models_table.c.promoted_at.desc(), models_table.c.created_at.desc()).limit(1)
        ).mappings().first()
        if previous is None:
            raise OppradarError(f"cannot roll back: {current['model_id']} is the only model ever promoted "
                                "(that is still available)")
        load_model_file(model_file(previous), previous["card"])
        _switch(conn, previous["model_id"], retire_as=ROLLED_BACK)
        return _row(conn, previous["model_id"])


def load_promoted(engine: Engine) -> LoadedModel:
    """The promoted model's booster and card; OppradarError naming the file if it cannot be used."""
    row = promoted_model(engine)
    if row is None:
        raise OppradarError("no promoted model yet; run `oppradar train` first")
    card = dict(row["card"] or {})
    return LoadedModel(row["model_id"], load_model_file(model_file(row), card), card)


def stored_path(path: Path) -> str:
    """How the registry records a model file: relative to the models folder when inside it."""
    path = Path(path).resolve()
    try:
        return path.relative_to(get_settings().models_dir).as_posix()
    except ValueError:
        return str(path)


def model_file(row: Mapping[str, Any]) -> Path:
    """The model file of a registry row, a relative path resolved against today's models folder."""
    path = Path(row["path"])
    return path if path.is_absolute() else get_settings().models_dir / path


def load_model_file(path: Path, card: Mapping[str, Any]) -> lgb.Booster:
    """Load a LightGBM text model, checking it against the sha256 and features in its card."""
    if not path.is_file():
        raise OppradarError(f"model file {path} is missing; retrain (`oppradar train`) or roll back "
                            "(`oppradar models rollback`)")
    expected = card.get("model_sha256")
    digest = file_sha256(path)
    if expected and digest != expected:
        raise OppradarError(f"model file {path} is corrupted: sha256 {digest[:12]}… differs from "
                            f"{expected[:12]}… recorded in its card; retrain or roll back")
    try:
        booster = lgb.Booster(model_file=str(path))
    except (lgb.basic.LightGBMError, ValueError, OSError) as exc:
        raise OppradarError(f"model file {path} cannot be loaded by LightGBM: {exc}") from exc
    features = card.get("features")
    if features and booster.feature_name() != list(features):
        raise OppradarError(f"model file {path} has features {booster.feature_name()} but its card "
                            f"lists {list(features)}; retrain or roll back")
    return booster


def file_sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _switch(conn: Connection, model_id: str, retire_as: str) -> None:
    """Inside the caller's transaction: demote the promoted model, promote model_id."""
    conn.execute(sa.update(models_table).where(models_table.c.status == PROMOTED)
                 .values(status=retire_as))
    conn.execute(sa.update(models_table).where(models_table.c.model_id == model_id)
                 .values(status=PROMOTED, promoted_at=utcnow()))


def _promoted(conn: Connection) -> dict[str, Any] | None:
    row = conn.execute(sa.select(models_table).where(models_table.c.status == PROMOTED)
                       .order_by(models_table.c.promoted_at.desc()).limit(1)).mappings().first()
    return dict(row) if row else None


def _row(conn: Connection, model_id: str) -> dict[str, Any]:
    row = conn.execute(sa.select(models_table).where(models_table.c.model_id == model_id)).mappings().first()
    if row is None:
        known = conn.execute(sa.select(models_table.c.model_id).order_by(models_table.c.created_at.desc())
                             .limit(5)).scalars().all()
        raise OppradarError(f"no model {model_id!r} in the registry; newest are {known or 'none'} "
                            "(see `oppradar models list`)")
    return dict(row)
