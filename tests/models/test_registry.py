import shutil

import lightgbm as lgb
import pytest
import sqlalchemy as sa

from models.registry import list_models, load_promoted, model_file, promote, promoted_model, rollback
from models.train import train
from store.errors import OppradarError
from store.schema import models as models_table


@pytest.fixture
def two_models(world, engine, settings):
    """Two trained models on the same data: the first promoted, the second a candidate."""
    first = train(engine, settings.models_dir)
    second = train(engine, settings.models_dir)
    assert first.promoted and not second.promoted
    return first.model_id, second.model_id


def _statuses(engine):
    return {row["model_id"]: row["status"] for row in list_models(engine)}


def test_list_models_newest_first(two_models, engine):
    first, second = two_models
    assert [row["model_id"] for row in list_models(engine)] == [second, first]
    assert _statuses(engine) == {first: "promoted", second: "candidate"}


def test_promote_then_rollback(two_models, engine):
    first, second = two_models
    assert promote(engine, second)["status"] == "promoted"
    assert _statuses(engine) == {first: "retired", second: "promoted"}
    assert promote(engine, second)["model_id"] == second  # promoting the promoted one changes nothing
    assert rollback(engine)["model_id"] == first
    assert _statuses(engine) == {first: "promoted", second: "rolled_back"}
    with pytest.raises(OppradarError, match=f"cannot roll back: {first} is the only model"):
        rollback(engine)
    assert load_promoted(engine).model_id == first


def test_promote_unknown_model_names_the_known_ones(two_models, engine):
    newest = rf"no model 'nope' in the registry; newest are \['{two_models[1]}'"
    with pytest.raises(OppradarError, match=newest):
        promote(engine, "nope")
    assert promoted_model(engine)["model_id"] == two_models[0]


def test_rollback_without_any_model(engine):
    with pytest.raises(OppradarError, match="no promoted model to roll back"):
        rollback(engine)
    with pytest.raises(OppradarError, match="no promoted model yet; run `oppradar train`"):
        load_promoted(engine)


@pytest.mark.parametrize("action", ["promote", "rollback"])
def test_promote_and_rollback_are_one_transaction(two_models, engine, action):
    first, second = two_models
    if action == "rollback":
        promote(engine, second)
    before = _statuses(engine)
    updates = []

    def fail_on_second_update(conn, cursor, statement, parameters, context, executemany):
        if statement.startswith("UPDATE models"):
            updates.append(statement)
            if len(updates) == 2:
                raise RuntimeError("disk full")

    sa.event.listen(engine, "before_cursor_execute", fail_on_second_update)
    try:
        with pytest.raises(RuntimeError, match="disk full"):
            promote(engine, second) if action == "promote" else rollback(engine)
    finally:
        sa.event.remove(engine, "before_cursor_execute", fail_on_second_update)
    assert len(updates) == 2  # the promoted model was demoted inside the transaction, then undone
    assert _statuses(engine) == before
    assert list(before.values()).count("promoted") == 1


def test_corrupted_model_file_is_refused_and_the_promoted_one_stays(two_models, engine):
    first, second = two_models
    path = model_file(promoted_model(engine)).parent.parent / second / "model.txt"
    path.write_text(path.read_text()[:500])  # truncated mid-file
    with pytest.raises(OppradarError, match=rf"model file {path} is corrupted"):
        promote(engine, second)
    assert _statuses(engine) == {first: "promoted", second: "candidate"}


def test_corrupted_promoted_file_is_refused_without_demoting_it(two_models, engine):
    first, _ = two_models
    path = model_file(promoted_model(engine))
    path.write_text("不是模型\n")
    with pytest.raises(OppradarError, match=rf"model file {path} is corrupted"):
        load_promoted(engine)
    assert promoted_model(engine)["model_id"] == first


def test_rollback_to_a_missing_file_is_refused(two_models, engine):
    first, second = two_models
    promote(engine, second)
    model_file(list_models(engine)[1]).unlink()
    with pytest.raises(OppradarError, match=r"model file .*model\.txt is missing"):
        rollback(engine)
    assert _statuses(engine) == {first: "retired", second: "promoted"}


def test_unreadable_file_without_a_checksum_is_refused_by_lightgbm(two_models, engine):
    first, _ = two_models
    row = promoted_model(engine)
    card = {k: v for k, v in row["card"].items() if k != "model_sha256"}
    with engine.begin() as conn:
        conn.execute(sa.update(models_table).where(models_table.c.model_id == first).values(card=card))
    model_file(row).write_text("tree\nversion=v4\nnum_class=oops\n")
    with pytest.raises(OppradarError, match=r"model file .*model\.txt cannot be loaded by LightGBM"):
        load_promoted(engine)


def test_loaded_model_matches_its_card(two_models, engine):
    model = load_promoted(engine)
    assert isinstance(model.booster, lgb.Booster)
    assert model.model_id == two_models[0] and model.card["features"] == model.booster.feature_name()


def test_a_moved_home_still_serves_its_models(two_models, engine, settings, tmp_path, monkeypatch):
    first, second = two_models
    assert {row["path"] for row in list_models(engine)} == {f"{first}/model.txt", f"{second}/model.txt"}
    moved = tmp_path / "moved"
    shutil.copytree(settings.home, moved)
    shutil.rmtree(settings.models_dir)  # nothing may still be read from the old place
    monkeypatch.setenv("OPPRADAR_HOME", str(moved))
    assert load_promoted(engine).model_id == first
    assert promote(engine, second)["model_id"] == second
