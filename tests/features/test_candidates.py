"""The candidate table: one row per need key and week, every feature, weeks rebuilt independently."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from features.build import build
from features.candidates import build_opportunities, need_title
from features.columns import FEATURE_COLUMNS, KEY_COLUMNS, opportunity_id
from features.needs import build_needs
from store.schema import opportunities
from store.weeks import shift_week
from tests.features.conftest import at, offer, post

W1 = "2026-W30"
W = {i: shift_week(W1, i - 1) for i in range(1, 8)}


@pytest.fixture
def world(add_posts, add_offers):
    add_posts(
        post(W[1], "保温杯漏水，包里全湿了，花了99元", post_id="cup1"),
        post(W[2], "车载冰箱没有杯架，188元买的", post_id="f1", likes=5),
        post(W[2], "车载冰箱居然没有杯托", post_id="f2", likes=50),
        post(W[4], "要是车载冰箱有杯架就好了", post_id="f3", likes=500, author="author-f1"),
        post(W[4], "车载冰箱没有饮料架，不到300块", post_id="f4", likes=1),
        post(W[6], "开长途想放杯水都没地方，车载冰箱没有杯架", post_id="f5"),
        post(W[7], "今天天气真好", post_id="noise", query="车载冰箱"),
    )
    add_offers(
        offer("o1", "车载冰箱 12V 工厂直销", at(W[1]), price=60, dropship=True, supplier_type="factory"),
        offer("o2", "车载冰箱 带杯架 一件代发", at(W[3]), price=70, dropship=True),
        offer("o3", "车载冰箱 压缩机 大容量", at(W[5]), price=150),
        offer("o4", "保温杯 防漏水 316", at(W[1]), price=20),
    )


def _rows(engine, week=None):
    stmt = sa.select(opportunities).order_by(opportunities.c.week, opportunities.c.need_key)
    if week:
        stmt = stmt.where(opportunities.c.week == week)
    with engine.connect() as conn:
        return [dict(r) for r in conn.execute(stmt).mappings()]


def _row(engine, week, key):
    return next(r for r in _rows(engine, week) if r["need_key"] == key)


def test_a_key_is_a_candidate_while_mentioned_in_the_last_four_weeks(engine, world):
    stats = build(engine)
    assert stats["opportunities"]["weeks"] == 7
    keys = {w: [r["need_key"] for r in _rows(engine, W[w])] for w in W}
    assert keys[1] == ["保温杯|漏水"]
    assert keys[4] == ["保温杯|漏水", "车载冰箱|杯架"]
    assert keys[5] == ["车载冰箱|杯架"]
    quiet = _row(engine, W[3], "车载冰箱|杯架")
    assert quiet["mentions"] == 0 and quiet["features"]["mentions_4w"] == 2


def test_rows_carry_every_feature_and_the_keys(engine, world):
    build(engine)
    for row in _rows(engine):
        assert set(FEATURE_COLUMNS) <= set(row["features"]), row["need_key"]
        assert all(row[c] is not None for c in KEY_COLUMNS)
        for name in FEATURE_COLUMNS:
            if name in opportunities.c:
                assert row[name] == row["features"][name], name
        assert row["score"] is None and row["rank"] is None and row["explanation"] is None
        assert row["model_id"] is None and row["built_at"] is not None


def test_demand_supply_and_economics_of_a_row(engine, world):
    build(engine)
    row = _row(engine, W[4], "车载冰箱|杯架")
    assert row["opportunity_id"] == opportunity_id("车载冰箱|杯架")
    assert (row["product"], row["aspect"], row["category"]) == ("车载冰箱", "杯架", "汽车用品")
    assert row["title"] == "车载冰箱 · 缺杯架"
    assert (row["mentions"], row["authors"], row["first_seen_week"]) == (2, 2, W[2])
    assert row["features"]["mentions_4w"] == 4 and row["wish_share"] == 0.5
    assert (row["matching_offers"], row["aspect_offers"]) == (2, 1)  # o3 comes later
    assert row["features"]["demand_supply_ratio"] == pytest.approx(4 / 2)
    assert row["price_p50"] == 65.0
    assert row["social_price"] == 244.0  # median of 188 and 300, mentioned up to W4
    assert row["est_margin"] == 179.0 and row["margin_rate"] == pytest.approx(179 / 244, abs=1e-4)
    assert row["evidence"] == ["f3", "f2", "f1", "f4"]  # most engaged first, weeks t-3..t
    assert row["offers"] == ["o2", "o1"]
    assert row["segments"] == ["creator", "group-leader"]


def test_rebuilding_a_week_leaves_other_weeks_untouched(engine, world, add_posts):
    build(engine)
    before = {w: _rows(engine, W[w]) for w in W}
    add_posts(post(W[4], "车载冰箱没有放杯子的地方", post_id="f6"))
    build_needs(engine, [W[4]])
    stats = build_opportunities(engine, [W[4]])
    assert stats["per_week"] == {W[4]: 2}
    for w in W:
        if w != 4:
            assert _rows(engine, W[w]) == before[w]
    rebuilt = _row(engine, W[4], "车载冰箱|杯架")
    assert rebuilt["mentions"] == 3 and rebuilt["built_at"] >= before[4][0]["built_at"]


def test_rebuilding_a_week_with_no_candidates_clears_it(engine, world):
    build(engine)
    with engine.begin() as conn:
        conn.execute(sa.text("DELETE FROM needs"))
    build_opportunities(engine, [W[4]])
    assert _rows(engine, W[4]) == [] and _rows(engine, W[5])


def test_empty_database_and_no_weeks(engine):
    assert build(engine)["opportunities"]["opportunities_written"] == 0
    assert build_opportunities(engine, [])["weeks"] == 0


@pytest.mark.parametrize(("args", "title"), [
    (("车载冰箱", "杯架", "missing_feature"), "车载冰箱 · 缺杯架"),
    (("保温杯", "漏水", "quality"), "保温杯 · 漏水"),
    (("车载手机支架", "稳固", "quality"), "车载手机支架 · 不稳固"),
    (("充电宝", "数显", "missing_feature", "wish"), "充电宝 · 想要数显"),
    (("充电宝", "数显", "missing_feature"), "充电宝 · 缺数显"),
    (("电煮锅", "预约", "usability"), "电煮锅 · 不能预约"),
    (("车载冰箱", "其他", "other"), "车载冰箱 · 其他问题"),
    (("空气炸锅", "清洗", "usability", "praise"), "空气炸锅 · 清洗好评"),
])
def test_titles_read_well(args, title):
    assert need_title(*args) == title


def test_social_price_counts_every_aspect_of_the_product(engine, world, add_posts):
    add_posts(post(W[1], "车载冰箱太吵了，花了400", post_id="loud"))
    build(engine)
    build_opportunities(engine, [W[5]])
    row = _row(engine, W[5], "车载冰箱|杯架")
    assert row["social_price"] == 300.0  # median of 188, 300 and 400 (the noise complaint of W1)
    assert "车载冰箱|静音" not in [r["need_key"] for r in _rows(engine, W[5])]
