"""Prices people mention, in CNY."""

from __future__ import annotations

import pytest

from features.prices import cn_number, may_mention_price, price_mentions
from features.text import normalize


@pytest.mark.parametrize(("text", "prices"), [
    ("188元买的", [188.0]), ("¥50包邮", [50.0]), ("￥59.9到手", [59.9]), ("50块", [50.0]),
    ("不到100块", [100.0]), ("花了两百多", [200.0]), ("两百多块买的", [200.0]), ("预算1.2k", [1200.0]),
    ("才三十块钱", [30.0]), ("原价299现在199元", [299.0, 199.0]), ("价格是1w", [10000.0]),
    ("RMB 88", [88.0]), ("一百二十元", [120.0]), ("99元包邮", [99.0]),
    ("1000mAh的充电宝", []), ("买了3块砧板", []), ("花了2天", []), ("买了2个", []), ("长2米", []),
    ("100ml的杯子", []), ("", []),
    ("三块五一包", [3.5]), ("才9块9", [9.9]), ("5块5毛", [5.5]), ("买了3块5个", []), ("两块五花肉", []),
    ("￥1,299", [1299.0]), ("1,299元", [1299.0]), ("¥2,499.00", [2499.0]), ("买了2,3个", []),
])
def test_price_mentions(text, prices):
    assert price_mentions(normalize(text)) == prices
    if prices:  # the post-level test extraction runs first must never rule a price out
        assert may_mention_price(normalize(text))


@pytest.mark.parametrize("text", ["没有杯架", "质量很好", "", "3.5mm接口"])
def test_a_text_without_a_number_or_money_word_cannot_hold_a_price(text):
    assert not may_mention_price(normalize(text))


@pytest.mark.parametrize(("text", "value"), [
    ("一百二", 120), ("两百", 200), ("三十五", 35), ("一千五", 1500), ("两万三", 23000), ("一百零五", 105),
    ("十", 10), ("十五", 15), ("八", 8), ("abc", None),
])
def test_chinese_numbers(text, value):
    assert cn_number(text) == value
