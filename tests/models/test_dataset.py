import math

import sqlalchemy as sa

from features.columns import FEATURE_COLUMNS, KEY_COLUMNS
from models.dataset import load_feedback, load_frame
from store.schema import feedback, opportunities


def test_frame_has_keys_and_float_features_sorted(world, engine):
    frame = load_frame(engine)
    assert list(frame.columns) == KEY_COLUMNS + FEATURE_COLUMNS
    assert len(frame) == 30 * 12
    assert all(frame[c].dtype == "float64" for c in FEATURE_COLUMNS)
    keys = list(zip(frame["week"], frame["opportunity_id"], strict=True))
    assert keys == sorted(keys)


def test_weeks_filter_and_missing_features_are_nan(world, engine, caplog):
    with engine.begin() as conn:
        row = conn.execute(sa.select(opportunities.c.week, opportunities.c.opportunity_id,
                                     opportunities.c.features).limit(1)).mappings().one()
        feats = dict(row["features"])
        del feats["price_p50"]
        feats["min_moq"] = "很多"
        conn.execute(sa.update(opportunities).where(
            (opportunities.c.week == row["week"]) & (opportunities.c.opportunity_id == row["opportunity_id"])
        ).values(features=feats))
    frame = load_frame(engine, weeks=[row["week"], "2026-W31"])
    assert set(frame["week"]) == {row["week"], "2026-W31"}
    hit = frame[frame["opportunity_id"] == row["opportunity_id"]].iloc[0]
    assert math.isnan(hit["price_p50"]) and math.isnan(hit["min_moq"])
    assert "1 missing names and 1 unreadable values" in caplog.text


def test_empty_table_gives_empty_frame(engine):
    frame = load_frame(engine)
    assert frame.empty and list(frame.columns) == KEY_COLUMNS + FEATURE_COLUMNS


def test_feedback_oldest_first(engine):
    from datetime import datetime

    with engine.begin() as conn:
        conn.execute(sa.insert(feedback), [
            {"week": "2026-W31", "opportunity_id": "a", "kind": "label", "value": 4,
             "created_at": datetime(2026, 8, 2)},
            {"week": "2026-W31", "opportunity_id": "a", "kind": "vote", "value": 1,
             "created_at": datetime(2026, 8, 1)},
            {"week": "2026-W31", "opportunity_id": "a", "kind": "label", "value": 1,
             "created_at": datetime(2026, 8, 1)},
        ])
    rows = load_feedback(engine)
    assert [r["value"] for r in rows] == [1, 4]
