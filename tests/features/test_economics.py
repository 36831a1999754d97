"""Economics: margin and break-even units, brand lexicon, 平替 signal."""

from __future__ import annotations

import pandas as pd
import pytest

from features.economics import (
    BRAND_COLUMNS,
    SAMPLE_COST,
    brand_price,
    brand_signals,
    economics,
    find_brands,
    load_brand_mentions,
)


def test_margin_and_break_even_units():
    out = economics(128.0, 50.0, None)
    assert out["est_margin"] == 78.0 and out["margin_rate"] == pytest.approx(78 / 128, abs=1e-4)
    assert out["break_even_units"] == 7 == -(-SAMPLE_COST // 78)
    assert economics(40.0, 50.0, None)["break_even_units"] is None  # no margin, never breaks even
    assert economics(None, 50.0, None)["est_margin"] is None


def test_pingti_needs_a_brand_and_cheap_factories():
    brand = {"brand_price": 2999.0, "brand_mentions": 3, "pingti_mentions": 1}
    assert economics(300.0, 120.0, brand)["pingti"] == 1
    assert economics(300.0, 1200.0, brand)["pingti"] == 0
    assert economics(300.0, 120.0, None)["pingti"] == 0


@pytest.mark.parametrize(("text", "brands"), [
    ("戴森吹风机太贵了，有没有平替", ["戴森"]),
    ("Dyson和飞利浦比起来哪个好", ["戴森", "飞利浦"]),
    ("STANLEY保温杯漏水", ["stanley"]),
    ("露露乐蒙的瑜伽垫有味道", ["lululemon"]),
    ("普通的保温杯", []),
])
def test_brands_and_their_aliases(text, brands):
    assert find_brands(text) == brands


def test_brand_price_by_product_else_default():
    assert brand_price("象印", "保温杯") == 269 and brand_price("象印", "拖把") == 399


def test_brand_signals_only_read_posts_up_to_the_week():
    frame = pd.DataFrame([
        {"product": "保温杯", "week": "2026-W10", "brand": "象印", "brand_price": 269.0, "pingti_word": 0},
        {"product": "保温杯", "week": "2026-W11", "brand": "象印", "brand_price": 299.0, "pingti_word": 1},
        {"product": "保温杯", "week": "2026-W12", "brand": "", "brand_price": None, "pingti_word": 1},
    ], columns=BRAND_COLUMNS)
    assert brand_signals(frame, "2026-W10")["保温杯"] == {"brand": "象印", "brand_price": 269.0,
                                                         "brand_mentions": 1, "pingti_mentions": 0}
    later = brand_signals(frame, "2026-W12")["保温杯"]
    assert later["brand_price"] == 284.0 and later["pingti_mentions"] == 2


def test_load_brand_mentions_uses_the_posts_price_when_plausible(engine, add_posts):
    from features.needs import build_needs
    from tests.features.conftest import post

    add_posts(post("2026-W10", "象印保温杯漏水，花了280买的"), post("2026-W10", "象印保温杯漏水，才5块"),
              post("2026-W10", "保温杯漏水"))
    build_needs(engine)
    frame = load_brand_mentions(engine, "2026-W10")
    assert sorted(frame["brand_price"]) == [269.0, 280.0]
