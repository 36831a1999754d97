"""What a seller could earn: social price against factory cost, break-even units, and 平替 signals.

A 平替 (affordable alternative) signal is raised when posts about a product name a brand (戴森, 象印,
Stanley …) and factories offer the same product type for a fraction of the brand's price.
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from features.taxonomy import word_pattern
from features.text import normalize
from store.schema import needs, posts
from store.weeks import parse_week

# Typical retail prices (CNY, 2026 official stores) by product; "*" when the product type is not listed.
BRANDS: dict[str, dict[str, float]] = {
    "戴森": {"吹风机": 2999, "卷发棒": 3999, "直板夹": 3499, "*": 3000},
    "小米": {"电动牙刷": 199, "充电宝": 129, "台灯": 169, "加湿器": 199, "电热水壶": 99, "*": 199},
    "苹果": {"蓝牙耳机": 1899, "充电器": 149, "数据线": 145, "无线充电器": 329, "*": 999},
    "飞利浦": {"剃须刀": 799, "电动牙刷": 599, "吹风机": 399, "台灯": 299, "*": 499},
    "象印": {"保温杯": 269, "电饭煲": 1599, "饭盒": 299, "*": 399},
    "膳魔师": {"保温杯": 229, "饭盒": 259, "*": 249},
    "stanley": {"保温杯": 350, "运动水壶": 350, "*": 350},
    "始祖鸟": {"冲锋衣": 4500, "双肩包": 1800, "帽子": 600, "*": 3000},
    "lululemon": {"瑜伽垫": 680, "打底裤": 850, "双肩包": 780, "*": 750},
    "松下": {"吹风机": 899, "剃须刀": 999, "电饭煲": 1299, "*": 699},
    "博朗": {"剃须刀": 1299, "*": 999},
    "欧乐b": {"电动牙刷": 699, "*": 599},
    "摩飞": {"电煮锅": 499, "榨汁杯": 299, "电热水壶": 399, "*": 399},
    "九阳": {"破壁机": 599, "电热水壶": 129, "*": 299},
    "美的": {"空气炸锅": 399, "电饭煲": 399, "*": 399},
    "科沃斯": {"*": 2999},
    "nike": {"运动鞋": 899, "*": 699},
    "迪卡侬": {"帐篷": 499, "露营椅": 129, "*": 199},
    "牧高笛": {"帐篷": 899, "天幕": 599, "露营椅": 299, "*": 499},
}
ALIASES = {"dyson": "戴森", "apple": "苹果", "iphone": "苹果", "airpods": "苹果", "philips": "飞利浦",
           "zojirushi": "象印", "thermos": "膳魔师", "斯坦利": "stanley", "arcteryx": "始祖鸟",
           "lulu": "lululemon", "露露乐蒙": "lululemon", "panasonic": "松下", "braun": "博朗",
           "oral-b": "欧乐b", "morphy richards": "摩飞", "xiaomi": "小米", "米家": "小米"}
PINGTI_RATIO = 0.3        # factories at under 30% of the brand price make an affordable alternative
PINGTI_WORDS = ("平替", "替代款", "大牌同款")
SAMPLE_COST = 500.0       # CNY a factory asks for a sample or small mould (打样费): the fixed cost to recover
BRAND_COLUMNS = ["product", "week", "brand", "brand_price", "pingti_word"]
_PATTERN = word_pattern([*BRANDS, *ALIASES])


def brand_price(brand: str, product: str) -> float:
    """The lexicon's typical price of a brand's product (its default when the type is not listed)."""
    prices = BRANDS[brand]
    return float(prices.get(product, prices["*"]))


def find_brands(text: str) -> list[str]:
    """Canonical brands named in the text, in order of appearance, each once."""
    found = (m.group() for m in _PATTERN.finditer(normalize(text)))
    return list(dict.fromkeys(ALIASES.get(b, b) for b in found))


def load_brand_mentions(engine: Engine, until_week: str, products: set[str] | None = None) -> pd.DataFrame:
    """One row per post and product (of `products`, if given) whose text names a brand or says 平替,
    up to `until_week`."""
    # No SQL DISTINCT: PostgreSQL has no equality for json columns; a post repeats once per need.
    stmt = (sa.select(needs.c.platform, needs.c.post_id, needs.c.product, needs.c.week,
                      needs.c.price_mentions, posts.c.title, posts.c.text)
            .join(posts, sa.and_(posts.c.platform == needs.c.platform, posts.c.post_id == needs.c.post_id))
            .where(needs.c.week <= parse_week(until_week)))
    rows, seen = [], set()
    with engine.connect() as conn:
        for platform, post_id, product, week, prices, title, text in conn.execute(stmt):
            if (products is not None and product not in products) or (platform, post_id, product) in seen:
                continue
            seen.add((platform, post_id, product))
            body = f"{title or ''} {text or ''}"
            brands = find_brands(body)
            pingti = any(w in body for w in PINGTI_WORDS)
            if not brands and not pingti:
                continue
            brand = brands[0] if brands else ""
            rows.append({"product": product, "week": week, "brand": brand,
                         "brand_price": _post_brand_price(brand, product, prices or []) if brand else None,
                         "pingti_word": int(pingti)})
    return pd.DataFrame(rows, columns=BRAND_COLUMNS)


def _post_brand_price(brand: str, product: str, prices: list[float]) -> float:
    """The price a post gives the brand (its highest mention, when plausible), else the lexicon's."""
    typical = brand_price(brand, product)
    highest = max(prices, default=0.0)
    return float(highest) if 0.5 * typical <= highest <= 2.0 * typical else typical


def brand_signals(frame: pd.DataFrame, week: str) -> dict[str, dict[str, Any]]:
    """Per product, posts up to the week: the most named brand, its median price, brand and 平替 posts."""
    upto = frame[frame["week"] <= week]
    out: dict[str, dict[str, Any]] = {}
    for product, group in upto.groupby("product"):
        named = group[group["brand"] != ""]
        top = named["brand"].value_counts().index[0] if len(named) else None
        price = named.loc[named["brand"] == top, "brand_price"].median() if top else None
        out[str(product)] = {"brand": top, "brand_price": None if price is None else round(float(price), 2),
                             "brand_mentions": int(len(named)),
                             "pingti_mentions": int(group["pingti_word"].sum())}
    return out


def economics(social_price: float | None, supply_cost: float | None, brand: dict[str, Any] | None
              ) -> dict[str, Any]:
    """Margin per unit and rate, break-even units for a sample fee, and the 平替 signal."""
    brand = brand or {}
    out: dict[str, Any] = {"social_price": social_price, "est_margin": None, "margin_rate": None,
                           "break_even_units": None, "brand": brand.get("brand"),
                           "brand_price": brand.get("brand_price"),
                           "brand_mentions": brand.get("brand_mentions", 0),
                           "pingti_mentions": brand.get("pingti_mentions", 0), "pingti": 0,
                           "price_vs_brand": None}
    if social_price is not None and supply_cost is not None:
        margin = round(social_price - supply_cost, 2)
        out["est_margin"] = margin
        out["margin_rate"] = round(margin / social_price, 4) if social_price > 0 else None
        out["break_even_units"] = math.ceil(SAMPLE_COST / margin) if margin > 0 else None
    if out["brand_price"] and supply_cost is not None:
        ratio = supply_cost / out["brand_price"]
        out["price_vs_brand"] = round(ratio, 4)
        out["pingti"] = int(ratio <= PINGTI_RATIO)
    return out
