"""Supply matching: offers about a product, offers addressing the aspect, as of the end of a week."""

from __future__ import annotations

import pytest

from features.supply import SupplyIndex, load_offers
from store.weeks import shift_week
from tests.features.conftest import at, offer

T = "2026-W20"


@pytest.fixture
def fridge_offers(add_offers):
    add_offers(
        offer("o1", "车载冰箱12V 带杯架 工厂直销", at(shift_week(T, -10)), price=100, sales_30d=5,
              supplier_type="factory", dropship=True, customizable=True, moq=50, ship_48h_rate=0.9),
        offer("o2", "车用冰箱 压缩机制冷 批发", at(shift_week(T, -1)), price=200, sales_30d=500, moq=2,
              supplier_type="trading", repurchase_rate=0.3),
        offer("o3", "车载冰箱 配杯托 新款", at(T, day=6, hour=15), price=300, sales_30d=50),
        offer("o4", "车载冰箱 带杯架 爆款", at(shift_week(T, 1), day=0, hour=1), price=120),
        offer("o5", "保温杯 316不锈钢 带杯架挂绳", at(shift_week(T, -5)), price=20),
        offer("o6", "挂脖式风扇 USB充电 静音", at(shift_week(T, -2)), price=30),
        offer("o7", "落地风扇 家用", at(shift_week(T, -2)), price=90),
    )


def test_an_offer_listed_after_the_week_does_not_count(engine, fridge_offers):
    index = SupplyIndex(load_offers(engine))
    now, later = index.features("车载冰箱", "杯架", T), index.features("车载冰箱", "杯架", shift_week(T, 1))
    assert (now["matching_offers"], now["aspect_offers"]) == (3, 2)
    assert (later["matching_offers"], later["aspect_offers"]) == (4, 3)
    assert "o4" not in now["offer_ids"] and "o4" in later["offer_ids"]


def test_answering_offers_count_as_far_as_they_sell(engine, fridge_offers):
    index = SupplyIndex(load_offers(engine))
    # o1 sold 5 of the 10 that make a whole answering offer, o3 sold 50; o4 (next week) has no sales figure
    assert index.features("车载冰箱", "杯架", T)["aspect_offers_selling"] == 1.5
    assert index.features("车载冰箱", "杯架", shift_week(T, 1))["aspect_offers_selling"] == 2.5


def test_aspect_offers_first_then_best_sellers(engine, fridge_offers):
    feats = SupplyIndex(load_offers(engine)).features("车载冰箱", "杯架", T)
    assert feats["offer_ids"] == ["o3", "o1", "o2"]
    assert feats["aspect_offer_share"] == pytest.approx(2 / 3, abs=1e-4)


def test_supply_statistics(engine, fridge_offers):
    feats = SupplyIndex(load_offers(engine)).features("车载冰箱", "静音", T)
    assert feats["aspect_offers"] == 0 and feats["new_offers_4w"] == 2
    assert (feats["price_p25"], feats["price_p50"], feats["price_p75"]) == (150.0, 200.0, 250.0)
    assert feats["factory_share"] == pytest.approx(1 / 3, abs=1e-4)
    assert feats["dropship_share"] == pytest.approx(1 / 3, abs=1e-4)
    assert feats["customizable_share"] == pytest.approx(1 / 3, abs=1e-4)
    assert feats["min_moq"] == 2 and feats["ship_48h_rate"] == 0.9 and feats["repurchase_rate"] == 0.3


def test_a_product_name_never_addresses_an_aspect(engine, add_offers):
    add_offers(offer("b1", "保温杯 大容量", at(T)), offer("b2", "收纳盒 抽屉式", at(T)))
    index = SupplyIndex(load_offers(engine))
    assert index.features("保温杯", "保温", T)["aspect_offers"] == 0
    assert index.features("收纳盒", "收纳", T)["aspect_offers"] == 0


@pytest.mark.parametrize("aspect", ["其他", "价格"])
def test_an_aspect_no_title_can_claim_has_the_products_supply(engine, fridge_offers, aspect):
    # 「车载冰箱 · 其他问题」 and 太贵 are no unanswered gap just because no offer title says them
    feats = SupplyIndex(load_offers(engine)).features("车载冰箱", aspect, T)
    assert feats["aspect_offers"] == feats["matching_offers"] == 3
    assert feats["aspect_offer_share"] == 1.0 and feats["aspect_offers_selling"] == 2.5


def test_products_outside_the_taxonomy_match_by_their_words(engine, fridge_offers):
    index = SupplyIndex(load_offers(engine))
    feats = index.features("挂脖风扇", "静音", T)
    assert (feats["matching_offers"], feats["aspect_offers"], feats["offer_ids"]) == (1, 1, ["o6"])


def test_phrase_aspects_match_by_title_words(engine, add_offers):
    add_offers(offer("c1", "充电宝 数显 快充", at(T)), offer("c2", "充电宝 超薄", at(T)))
    feats = SupplyIndex(load_offers(engine)).features("充电宝", "数显", T)
    assert (feats["matching_offers"], feats["aspect_offers"]) == (2, 1)


def test_no_offers_gives_counts_of_zero_and_unknown_statistics(engine):
    feats = SupplyIndex(load_offers(engine)).features("车载冰箱", "杯架", T)
    assert feats["matching_offers"] == 0 and feats["aspect_offers"] == 0 and feats["offer_ids"] == []
    assert feats["price_p50"] is None and feats["factory_share"] is None and feats["min_moq"] is None
