import pytest

from models.evaluate import evaluate
from models.train import train
from store.errors import OppradarError


def test_evaluate_the_promoted_model_against_baselines(world, engine, settings):
    report = train(engine, settings.models_dir)
    result = evaluate(engine)
    assert result["model_id"] == report.model_id
    assert result["weeks"] == ["2026-W36", "2026-W37"] and result["rows"] == 60
    assert set(result["metrics"]) == {"model", "mentions", "growth", "demand_supply_ratio", "hand_weighted"}
    assert 0 <= result["metrics"]["model"]["ndcg@10"] <= 1
    # the promoted model was refit on every labelled week, so these weeks are in its training data
    assert result["in_sample_weeks"] == result["weeks"] and "optimistic" in result["note"]
    assert result["card_backtest"] == {"weeks": report.backtest_weeks, "metrics": report.metrics}


def test_evaluate_needs_a_promoted_model(world, engine):
    with pytest.raises(OppradarError, match="no promoted model yet"):
        evaluate(engine)
