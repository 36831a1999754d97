import math

import numpy as np
import pandas as pd
import pytest

from models.dataset import load_frame
from models.predict import model_scores, score_frame
from models.prior import prior_score, spec
from models.registry import LoadedModel, load_promoted
from models.train import train


def test_prior_is_log_demand_minus_answered_share():
    frame = pd.DataFrame({"mentions_4w": [0.0, 9.0, np.nan, 9.0], "aspect_offers": [0.0, 3.0, 1.0, np.nan]})
    w, k = spec()["weight"], spec()["offers_per_e_fold"]
    expected = [0.0, w * (math.log(10.0) - 3 / k), -w / k, w * math.log(10.0)]
    assert prior_score(frame) == pytest.approx(expected)
    # more offers answering the aspect always lower it, more demand always raises it
    assert prior_score(frame.assign(aspect_offers=[0.0, 4.0, 1.0, 0.0]))[1] < prior_score(frame)[1]
    assert prior_score(frame.assign(mentions_4w=[0.0, 10.0, 0.0, 9.0]))[1] > prior_score(frame)[1]
    assert prior_score(frame, {}) == pytest.approx([0.0] * 4)  # a card without a prior: none
    with pytest.raises(ValueError, match="unknown prior 'other'"):
        prior_score(frame, {"name": "other"})
    with pytest.raises(ValueError, match=r"lacks \['aspect_offers'\]"):
        prior_score(frame.drop(columns="aspect_offers"))


def test_models_trained_with_the_older_prior_keep_their_scores():
    frame = pd.DataFrame({"mentions_4w": [0.0, 9.0, np.nan, 9.0], "aspect_offers": [0.0, 2.0, 1.0, np.nan]})
    older = {"name": "log1p_demand_supply", "weight": 1.0}
    assert prior_score(frame, older) == pytest.approx([0.0, math.log(4.0), 0.0, math.log(10.0)])


def test_scores_add_the_prior_the_card_records(world, engine, settings):
    report = train(engine, settings.models_dir)
    assert report.card["prior"] == spec()
    model = load_promoted(engine)
    frame = load_frame(engine)
    trees = model.booster.predict(frame[model.booster.feature_name()].to_numpy("float64"))
    assert model_scores(model, frame) == pytest.approx(trees + prior_score(frame))
    assert score_frame(model, frame)["score"].to_numpy() == pytest.approx(trees + prior_score(frame))
    # a model registered before the prior existed is scored by its trees alone
    older = LoadedModel(model.model_id, model.booster, {k: v for k, v in model.card.items() if k != "prior"})
    assert model_scores(older, frame) == pytest.approx(trees)


def test_an_unanswered_loud_need_outranks_a_quiet_one(world, engine, settings):
    train(engine, settings.models_dir)
    model = load_promoted(engine)
    frame = load_frame(engine)
    last = frame[frame["week"] == frame["week"].max()]
    loud = last.iloc[[0]].assign(mentions=40.0, mentions_4w=140.0, aspect_offers=0.0, opportunity_id="loud")
    quiet = last.iloc[[0]].assign(mentions=1.0, mentions_4w=3.0, aspect_offers=0.0, opportunity_id="quiet")
    scored = score_frame(model, pd.concat([loud, quiet], ignore_index=True))
    assert scored.set_index("opportunity_id")["rank"].to_dict() == {"loud": 1, "quiet": 2}
