"""Names of the opportunity columns the ranker sees; the one list models and the site share.

models/ imports these names only (DESIGN.md: arrows point down), never the code that fills them.
"""

from __future__ import annotations

import hashlib

DEMAND_FEATURES = [
    "mentions",          # posts voicing the need this week
    "authors",           # unique authors this week
    "engagement",        # engagement-weighted mentions (likes, comments, shares, collects)
    "growth",            # week-over-week growth of mentions, smoothed: (m_t + 1) / (m_{t-1} + 1) - 1
    "slope_4w",          # least-squares slope of mentions over the last 4 weeks, per week
    "burst",             # robust z-score of mentions against the need's own history
    "platforms",         # distinct platforms voicing it this week
    "complaint_share",   # share of this week's mentions that are complaints
    "wish_share",        # share that are wishes
    "mentions_4w",       # mentions over the last 4 weeks
    "weeks_seen",        # weeks since first seen
    "mentions_8w",       # mentions over the last 8 weeks (volume beside growth)
    "growth_4w",         # last 4 weeks against the 4 before, smoothed: (m4 + 2) / (prev4 + 2) - 1
    "burst_flag",        # 1 when burst >= 3 with at least 5 mentions and 5 weeks of history
    "seasonal_baseline",  # expected mentions: last year's same weeks rescaled, else the 8-week mean
    "vs_baseline",       # (mentions + 1) / (seasonal_baseline + 1) - 1
    "low_confidence",    # 1 when mentions_4w < 6 or fewer than 2 authors this week
]
SUPPLY_FEATURES = [
    "matching_offers",     # offers about the product, listed by the end of the week
    "aspect_offers",       # of those, offers that already address the aspect
    "aspect_offer_share",  # aspect_offers / matching_offers
    "new_offers_4w",       # matching offers listed in the last 4 weeks
    "price_p25", "price_p50", "price_p75",
    "factory_share", "customizable_share", "dropship_share",
    "min_moq", "ship_48h_rate", "repurchase_rate",
    "demand_supply_ratio",  # mentions_4w / (aspect_offers + 1)
    "aspect_new_offers_4w",  # offers addressing the aspect listed in the last 4 weeks (supply catching up)
    "new_offers_1w",         # matching offers listed this week
    "aspect_price_p50",      # median price of the offers that address the aspect
    "aspect_offers_selling",  # aspect offers weighted by 30-day sales: min(1, sold / 10) each, unknown = 1
]
ECONOMIC_FEATURES = [
    "social_price",  # median price people mention for the product (CNY)
    "est_margin",    # social_price - price_p50 (CNY per unit)
    "margin_rate",   # est_margin / social_price
    "break_even_units",  # units to sell to recover a 500-yuan sample fee at est_margin
    "brand_price",       # median price of the brand most named in the product's posts
    "price_vs_brand",    # price_p50 / brand_price
    "pingti",            # 1 when factories sell the product at <= 30% of the named brand's price
    "pingti_mentions",   # posts about the product that say 平替 / 大牌同款
]
FEATURE_COLUMNS = DEMAND_FEATURES + SUPPLY_FEATURES + ECONOMIC_FEATURES

KEY_COLUMNS = ["week", "opportunity_id", "need_key", "product", "aspect", "category", "title"]


def need_key(product: str, aspect: str) -> str:
    return f"{product}|{aspect}"


def opportunity_id(key: str) -> str:
    """Stable id of a need key: the same need has the same id every week and on every machine."""
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]
