import pytest

from models.analysis import compare_models, top_needs, weekly_series
from models.dataset import load_frame
from models.train import train


def test_weekly_series_and_top_needs(world, engine):
    frame = load_frame(engine)
    last = frame["week"].max()
    top = top_needs(frame, last, "mentions", k=5)
    assert len(top) == 5 and top["mentions"].is_monotonic_decreasing
    keys = top["need_key"].tolist()
    series = weekly_series(frame, "mentions", keys)
    assert series.index.tolist() == keys and series.columns.tolist() == sorted(frame["week"].unique())
    assert series[last].tolist() == top["mentions"].tolist()
    with pytest.raises(ValueError, match="no column 'nope'"):
        weekly_series(frame, "nope")


def test_compare_models_scores_registered_models_beside_the_baselines(world, engine, settings):
    first = train(engine, settings.models_dir)
    second = train(engine, settings.models_dir, params={"num_leaves": 4})
    table = compare_models(engine, [first.model_id, second.model_id])
    assert {first.model_id, second.model_id, "mentions", "growth", "hand_weighted"} <= set(table.index)
    statuses = table.loc[[first.model_id, second.model_id], "status"].tolist()
    assert statuses.count("promoted") == 1 and table.loc[first.model_id, "in_sample"]
    assert table["ndcg@10"].notna().all() and len(table.attrs["weeks"]) == 2
    with pytest.raises(ValueError, match="unknown model ids"):
        compare_models(engine, ["ranker-nope"])
