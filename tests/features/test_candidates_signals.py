"""Planted patterns through the whole build: bursts, supply catching up, synonyms, late offers, 平替."""

from __future__ import annotations

import sqlalchemy as sa

from features.build import build
from store.schema import opportunities
from store.weeks import shift_week
from tests.features.conftest import at, offer, post

W1 = "2026-W10"
W = {i: shift_week(W1, i - 1) for i in range(1, 11)}
GRIPES = ["车载冰箱没有杯架，真的不方便", "车载冰箱居然没有杯托", "要是车载冰箱有杯架就好了",
          "车载冰箱没有饮料架，开车喝水好麻烦", "车载冰箱没有放杯子的地方"]


def _features(engine, key):
    stmt = sa.select(opportunities.c.week, opportunities.c.features).where(opportunities.c.need_key == key)
    with engine.connect() as conn:
        return {w: f for w, f in conn.execute(stmt.order_by(opportunities.c.week))}


def _gripes(week, n, start=0):
    return [post(week, GRIPES[(start + i) % len(GRIPES)], author=f"{week}-{i}") for i in range(n)]


def test_a_burst_is_flagged_in_its_week_and_not_before(engine, add_posts):
    for i in range(1, 9):
        add_posts(*_gripes(W[i], 3, i))
    add_posts(*_gripes(W[9], 20))
    build(engine)
    feats = _features(engine, "车载冰箱|杯架")
    assert [feats[W[i]]["burst_flag"] for i in range(1, 10)] == [0] * 8 + [1]
    assert feats[W[9]]["mentions"] == 20 and feats[W[9]]["mentions_8w"] == 20 + 7 * 3


def test_a_need_whose_supply_catches_up_loses_its_gap(engine, add_posts, add_offers):
    for i in range(1, 9):
        add_posts(*_gripes(W[i], 4, i))
    add_offers(offer("plain", "车载冰箱 12V 压缩机", at(W[1])),
               *(offer(f"cup{i}", f"车载冰箱 带杯架 款{i}", at(W[6], day=i % 7)) for i in range(6)))
    build(engine)
    feats = _features(engine, "车载冰箱|杯架")
    before, after = feats[W[5]], feats[W[8]]
    assert (before["aspect_offers"], after["aspect_offers"]) == (0, 6)
    assert before["demand_supply_ratio"] >= 4 * after["demand_supply_ratio"]
    assert after["aspect_new_offers_4w"] == 6 and feats[W[6]]["new_offers_1w"] == 6


def test_synonyms_join_in_posts_and_offers(engine, add_posts, add_offers):
    add_posts(*_gripes(W[1], 5))
    add_offers(offer("o1", "车用冰箱 配杯托", at(W[1])), offer("o2", "车载小冰箱 饮料架款", at(W[1])))
    build(engine)
    feats = _features(engine, "车载冰箱|杯架")[W[1]]
    assert feats["mentions"] == 5
    assert (feats["matching_offers"], feats["aspect_offers"]) == (2, 2)


def test_an_offer_listed_the_next_week_does_not_count(engine, add_posts, add_offers):
    add_posts(*_gripes(W[1], 3), *_gripes(W[2], 3))
    add_offers(offer("late", "车载冰箱 带杯架", at(W[2], day=0, hour=0)))
    build(engine)
    feats = _features(engine, "车载冰箱|杯架")
    assert feats[W[1]]["matching_offers"] == 0 and feats[W[2]]["aspect_offers"] == 1


def test_pingti_when_posts_name_a_brand_and_factories_are_cheap(engine, add_posts, add_offers):
    add_posts(post(W[1], "戴森吹风机太贵了，噪音还大，想找个平替", author="x1"),
              post(W[1], "吹风机噪音大，吵得要命", author="x2"))
    add_offers(offer("h1", "高速吹风机 负离子", at(W[1]), price=80),
               offer("h2", "吹风机 家用", at(W[1]), price=60))
    build(engine)
    feats = _features(engine, "吹风机|静音")[W[1]]
    assert feats["brand_price"] == 2999 and feats["pingti"] == 1 and feats["pingti_mentions"] == 1
    assert feats["price_vs_brand"] < 0.05


def test_a_product_outside_the_taxonomy_takes_its_offers_category(engine, add_posts, add_offers):
    add_posts(*(post(W[1], "挂脖风扇噪音大，吵得睡不着", query="挂脖风扇", author=f"u{i}") for i in range(3)))
    add_offers(*(offer(f"f{i}", "挂脖风扇 静音 usb", at(W[1]), category="家居日用>家电>风扇")
                 for i in range(2)))
    build(engine)
    with engine.connect() as conn:
        rows = conn.execute(sa.select(opportunities.c.need_key, opportunities.c.category)).all()
    assert ("挂脖风扇|静音", "家居日用") in rows
