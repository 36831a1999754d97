import json

import numpy as np
import pandas as pd
import pytest
import sqlalchemy as sa

from features.columns import FEATURE_COLUMNS
from models.dataset import load_frame
from models.labels import make_labels
from models.metrics import ndcg_at_k
from models.registry import list_models, promoted_model
from models.train import PARAMS, check_groups, fit_ranker, group_sizes, train
from store.errors import OppradarError
from store.schema import models as models_table


def test_group_sizes_follow_the_weeks():
    assert group_sizes(["2026-W40"] * 3 + ["2026-W41"] * 2) == [3, 2]
    with pytest.raises(ValueError, match="rows of week 2026-W40 are not contiguous"):
        group_sizes(["2026-W40", "2026-W41", "2026-W40"])


def test_group_sizes_must_sum_to_the_rows():
    check_groups([3, 2], 5)
    with pytest.raises(ValueError, match=r"group sizes sum to 5 but there are 6 rows \(2 groups\)"):
        check_groups([3, 2], 6)
    with pytest.raises(ValueError, match="must be positive"):
        check_groups([5, 0], 5)


def test_params_are_deterministic_and_small_data_friendly():
    assert PARAMS["objective"] == "lambdarank" and PARAMS["deterministic"] is True
    assert PARAMS["num_threads"] <= 2 and PARAMS["verbose"] == -1 and "seed" in PARAMS
    assert PARAMS["label_gain"] == [0, 1, 3, 7, 15]
    assert len(PARAMS["monotone_constraints"]) == len(FEATURE_COLUMNS)


def test_fit_ranker_is_deterministic_and_checks_its_input(world, engine):
    frame = load_frame(engine)
    labels = make_labels(frame)
    one = fit_ranker(frame, labels).model_to_string()
    assert one == fit_ranker(frame, labels).model_to_string()
    with pytest.raises(ValueError, match=r"labels \(10 rows\) must share the frame's index \(360 rows\)"):
        fit_ranker(frame, labels.iloc[:10])
    with pytest.raises(ValueError, match="1 labels are not whole grades 0..4"):
        fit_ranker(frame, labels.where(labels.index != 0, 2.5))
    with pytest.raises(ValueError, match=r"no labelled rows to train on \(360 unlabelled rows\)"):
        fit_ranker(frame, labels * np.nan)


def test_train_beats_constant_and_random_order_on_the_back_test(world, engine, settings):
    report = train(engine, settings.models_dir)
    frame = load_frame(engine)
    labels = make_labels(frame)
    rows = frame["week"].isin(report.backtest_weeks) & labels.notna()
    base = pd.DataFrame({"week": frame.loc[rows, "week"], "label": labels[rows]})
    constant = ndcg_at_k(base.assign(score=0.0), 10)
    rng = np.random.default_rng(0)
    randomly = np.mean([ndcg_at_k(base.assign(score=rng.random(len(base))), 10) for _ in range(20)])
    model = report.metrics["model"]["ndcg@10"]
    assert model > constant + 0.1 and model > randomly + 0.1, (model, constant, randomly)
    assert report.metrics["model"]["p@10"] > 0.3
    # back-test: the weeks known at the first test week, the gap the labels look across, the test
    assert report.backtest_weeks == ["2026-W36", "2026-W37"]
    assert report.backtest_train_weeks == ["2026-W30", "2026-W31", "2026-W32"]
    assert report.train_weeks == [f"2026-W{n}" for n in range(30, 38)]


def test_train_writes_model_and_card_and_promotes_the_first(world, engine, settings):
    report = train(engine, settings.models_dir)
    folder = settings.models_dir / report.model_id
    assert report.model_dir == folder and report.promoted and "no model was promoted yet" in report.reason
    assert (folder / "model.txt").read_text().startswith("tree")
    card = json.loads((folder / "card.json").read_text(encoding="utf-8"))
    assert card["model_id"] == report.model_id and card["features"] == FEATURE_COLUMNS
    assert card["params"]["objective"] == "lambdarank" and card["horizon"] == 4
    assert card["training_weeks"] == report.train_weeks and card["backtest"]["weeks"] == report.backtest_weeks
    assert set(card["metrics"]) == {"model", "mentions", "growth", "demand_supply_ratio", "hand_weighted"}
    assert all(set(m) == {"ndcg@5", "ndcg@10", "map", "p@10"} for m in card["metrics"].values())
    assert len(card["code_version"]) >= 7 and len(card["data_fingerprint"]) == 64
    assert card["created_at"] and card["model_sha256"]
    (row,) = list_models(engine)
    assert row["model_id"] == report.model_id and row["status"] == "promoted"
    assert row["path"] == f"{report.model_id}/model.txt" and row["card"]["model_id"] == report.model_id
    assert report.model_id in report.summary() and "NDCG@10" in report.summary()


def test_retrain_promotes_only_a_clear_improvement(world, engine, settings):
    first = train(engine, settings.models_dir)
    same = train(engine, settings.models_dir)
    assert same.model_id != first.model_id and not same.promoted
    assert f"does not beat {first.model_id}" in same.reason and same.incumbent_id == first.model_id
    assert promoted_model(engine)["model_id"] == first.model_id
    assert (settings.models_dir / same.model_id / "model.txt").exists()
    # the same data fingerprints the same, and the same seed trains the same trees
    assert same.card["data_fingerprint"] == first.card["data_fingerprint"]
    assert same.card["model_sha256"] == first.card["model_sha256"]

    worse = {**first.metrics, "model": {**first.metrics["model"], "ndcg@10": 0.2}}
    with engine.begin() as conn:
        conn.execute(sa.update(models_table).where(models_table.c.model_id == first.model_id)
                     .values(metrics=worse))
    better = train(engine, settings.models_dir)
    assert better.promoted and f"beats {first.model_id}'s 0.200" in better.reason
    assert promoted_model(engine)["model_id"] == better.model_id


def test_too_few_labelled_weeks_says_how_many(engine, settings, make_world, insert_rows):
    rows, _ = make_world(weeks=[f"2026-W{n}" for n in range(30, 40)])
    insert_rows(rows)
    needed = r"only 6 labelled weeks \(2026-W30\.\.2026-W35\), training needs 8: 3 to train, 3 left out"
    with pytest.raises(OppradarError, match=needed):
        train(engine, settings.models_dir)
    assert list_models(engine) == [] and not any(settings.models_dir.glob("*"))


def test_empty_table_says_to_build(engine, settings):
    with pytest.raises(OppradarError, match="run `oppradar build` first"):
        train(engine, settings.models_dir)


def test_cap_groups_keeps_the_loudest_candidates_of_a_crowded_week():
    from models.train import cap_groups

    data = pd.DataFrame({"week": ["2026-W40"] * 5 + ["2026-W41"] * 2,
                         "opportunity_id": list("abcdefg"),
                         "mentions_4w": [1.0, 9.0, np.nan, 5.0, 9.0, 3.0, 1.0]})
    capped = cap_groups(data, max_rows=3)
    assert capped["opportunity_id"].tolist() == ["b", "d", "e", "f", "g"]
    assert group_sizes(capped["week"].tolist()) == [3, 2]
    assert cap_groups(data, max_rows=5) is data
    with pytest.raises(ValueError, match="max_rows must be positive"):
        cap_groups(data, max_rows=0)


def test_fit_ranker_caps_a_week_above_the_query_limit(monkeypatch, caplog):
    import models.train as train_module

    rng = np.random.default_rng(0)
    n = 300
    frame = pd.DataFrame(rng.random((n, len(FEATURE_COLUMNS))), columns=FEATURE_COLUMNS)
    frame.insert(0, "week", ["2026-W40"] * 200 + ["2026-W41"] * 100)
    frame.insert(1, "opportunity_id", [f"o{i:04d}" for i in range(n)])
    labels = pd.Series(rng.integers(0, 5, n).astype(float))
    monkeypatch.setattr(train_module, "MAX_GROUP_ROWS", 120)
    # one week of 200 rows would break a 120-row query limit; the cap keeps 120 of them
    booster = fit_ranker(frame, labels, {"num_iterations": 5, "early_stopping_round": 0})
    assert booster.num_trees() > 0
    assert "capped 1 weeks at 120 candidates each" in caplog.text and "80 of 300 rows left out" in caplog.text


def test_backtest_rolls_the_origin_week_by_week(world, engine, settings, monkeypatch):
    import models.train as train_module
    from store.weeks import shift_week

    seen, real = [], train_module.fit_ranker

    def spy(frame, labels, params=None):
        seen.append(sorted(frame.loc[labels.notna(), "week"].unique()))
        return real(frame, labels, params)

    monkeypatch.setattr(train_module, "fit_ranker", spy)
    report = train(engine, settings.models_dir)
    first, second, final = seen  # one fit per back-test week, then the served model
    assert first[-1] == shift_week(report.backtest_weeks[0], -4)
    assert second[-1] == shift_week(report.backtest_weeks[1], -4)
    assert final[-1] == report.train_weeks[-1] and "rolling origin" in report.card["backtest"]["scheme"]
