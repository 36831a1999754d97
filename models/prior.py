"""The score a ranker starts from: log demand minus the share of it that supply already answers.

    prior = WEIGHT x (log(1 + mentions_4w) - aspect_offers / OFFERS_PER_E_FOLD)

is the log of the labels' value (models/labels.py) if the next weeks look like the last four:
demand times the share of it the offers addressing the aspect leave unanswered. It counts every
aspect offer whole, where the labels weight each by its sales; the trees see
`aspect_offers_selling` and learn the difference. LightGBM boosts
from this prior (`init_score`) instead of from zero, so the trees learn corrections to a sensible
ranking (late supply, stalls, spikes) rather than the whole ranking from a few hundred labelled
rows; WEIGHT > 1 makes a correction need more evidence before it reorders two needs. The prior is
not stored in the model file: predict adds it back, as the model's card records (`prior`).
Models trained before this prior carry the older one (`log1p_demand_supply`), still scored here.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from models.labels import OFFERS_PER_E_FOLD

NAME = "log_unanswered_demand"
WEIGHT = 2.0
FEATURE = "demand_supply_ratio"  # the feature whose explanation carries the prior's part
LEGACY = "log1p_demand_supply"   # weight x log(1 + mentions_4w / (aspect_offers + 1))


def spec() -> dict[str, Any]:
    """What a model card records about the prior."""
    return {"name": NAME, "weight": WEIGHT, "offers_per_e_fold": OFFERS_PER_E_FOLD,
            "formula": "weight * (log(1 + mentions_4w) - aspect_offers / offers_per_e_fold), unknowns as 0"}


def prior_score(frame: pd.DataFrame, card_prior: Mapping[str, Any] | None = None) -> np.ndarray:
    """The prior per row (zeros when the card has none: models trained before the prior)."""
    if card_prior is None:
        card_prior = spec()
    if not card_prior:
        return np.zeros(len(frame))
    name = card_prior.get("name")
    if name not in (NAME, LEGACY):
        raise ValueError(f"unknown prior {name!r}; this code knows {NAME!r} and {LEGACY!r}")
    missing = [c for c in ("mentions_4w", "aspect_offers") if c not in frame.columns]
    if missing:
        raise ValueError(f"frame lacks {missing} needed by the {name} prior")
    demand = frame["mentions_4w"].astype("float64").fillna(0.0).clip(lower=0.0).to_numpy()
    offers = frame["aspect_offers"].astype("float64").fillna(0.0).clip(lower=0.0).to_numpy()
    weight = float(card_prior.get("weight", WEIGHT))
    if name == LEGACY:
        return weight * np.log1p(demand / (offers + 1.0))
    per_e_fold = float(card_prior.get("offers_per_e_fold", OFFERS_PER_E_FOLD))
    return weight * (np.log1p(demand) - offers / per_e_fold)
