"""The score a ranker starts from: log demand per offer answering the aspect, the strongest simple rule.

LightGBM boosts from this prior (`init_score`) instead of from zero, so the trees learn corrections
to a sensible ranking (late supply, stalls, spikes) rather than the whole ranking from a few hundred
labelled rows; a quiet need can only pass a loud, unanswered one when the labels say so. The prior
is not stored in the model file: predict adds it back, as the model's card records (`prior`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

NAME = "log1p_demand_supply"
WEIGHT = 1.0
FEATURE = "demand_supply_ratio"  # the feature whose explanation carries the prior's part


def spec() -> dict[str, Any]:
    """What a model card records about the prior."""
    return {"name": NAME, "weight": WEIGHT,
            "formula": "weight * log(1 + mentions_4w / (aspect_offers + 1)), unknowns as 0"}


def prior_score(frame: pd.DataFrame, card_prior: Mapping[str, Any] | None = None) -> np.ndarray:
    """The prior per row (zeros when the card has none: models trained before the prior)."""
    if card_prior is None:
        card_prior = spec()
    if not card_prior:
        return np.zeros(len(frame))
    if card_prior.get("name") != NAME:
        raise ValueError(f"unknown prior {card_prior.get('name')!r}; this code knows {NAME!r}")
    missing = [c for c in ("mentions_4w", "aspect_offers") if c not in frame.columns]
    if missing:
        raise ValueError(f"frame lacks {missing} needed by the {NAME} prior")
    demand = frame["mentions_4w"].astype("float64").fillna(0.0).clip(lower=0.0)
    offers = frame["aspect_offers"].astype("float64").fillna(0.0).clip(lower=0.0)
    return float(card_prior.get("weight", WEIGHT)) * np.log1p(demand / (offers + 1.0)).to_numpy()
