"""Training on a Dask LocalCluster through lightgbm.dask gives a usable, registered ranker."""

import pandas as pd
import pytest

pytest.importorskip("distributed", reason="dask[distributed] is not installed")
pytest.importorskip("sklearn", reason="lightgbm.dask needs scikit-learn")

from distributed import LocalCluster  # noqa: E402

from features.columns import FEATURE_COLUMNS  # noqa: E402
from models.dataset import load_frame  # noqa: E402
from models.distributed import fit_ranker_dask  # noqa: E402
from models.labels import make_labels  # noqa: E402
from models.metrics import ndcg_at_k  # noqa: E402
from models.registry import load_promoted  # noqa: E402
from models.train import train  # noqa: E402


@pytest.fixture(scope="module")
def cluster():
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None) as c:
        yield c


def test_dask_ranker_orders_needs_better_than_their_reverse(world, engine, cluster):
    frame = load_frame(engine)
    labels = make_labels(frame)
    booster = fit_ranker_dask(frame, labels, cluster.scheduler_address, {"num_iterations": 30})
    assert booster.feature_name() == list(FEATURE_COLUMNS) and booster.num_trees() > 0
    rows = labels.notna()
    scored = pd.DataFrame({"week": frame.loc[rows, "week"], "label": labels[rows],
                           "score": booster.predict(frame.loc[rows, FEATURE_COLUMNS].to_numpy())})
    assert ndcg_at_k(scored, 10) > ndcg_at_k(scored.assign(score=-scored["score"]), 10)


def test_train_with_a_dask_scheduler_writes_card_and_promotes(world, engine, settings, cluster):
    report = train(engine, settings.models_dir, dask_address=cluster.scheduler_address)
    assert report.promoted and (report.model_dir / "card.json").is_file()
    assert report.card["trained_on"] == f"dask {cluster.scheduler_address}"
    assert load_promoted(engine).model_id == report.model_id
