"""Why a row ranks where it does: top feature contributions, each with a short Chinese phrase."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

MAX_REASONS = 3


def _pct(v: float) -> str:
    return f"{v * 100:.0f}%"


def _count(v: float) -> str:
    return f"{v:.0f}"


def _yuan(v: float) -> str:
    return f"¥{v:.2f}"


def _change(word: str) -> Callable[[float], str]:
    return lambda v: f"{word}增长{_pct(v)}" if v >= 0 else f"{word}下降{_pct(-v)}"


def _slope(v: float) -> str:
    return f"近4周每周多 {v:.1f} 次提及" if v >= 0 else f"近4周每周少 {-v:.1f} 次提及"


def _times(v: float) -> str:
    """growth_4w is (now + 2) / (before + 2) - 1: from doubling on, say how many times."""
    return f"近4周提及量是前4周的 {v + 1:.1f} 倍" if v >= 1 else _change("近4周提及量")(v)


def _flag(yes: str, no: str) -> Callable[[float], str]:
    return lambda v: yes if v >= 0.5 else no


def _aspect_offers(v: float) -> str:
    if v < 0.5:
        return "还没有在售带该功能款"
    return f"仅 {v:.0f} 家在售带该功能款" if v <= 3 else f"已有 {v:.0f} 家在售带该功能款"


# feature -> (phrase for a known value, what to say when the value is unknown)
TEXTS: dict[str, tuple[Callable[[float], str], str]] = {
    "mentions": (lambda v: f"本周提及 {_count(v)} 次", "本周提及量"),
    "authors": (lambda v: f"{_count(v)} 位不同用户提到", "提及人数"),
    "engagement": (lambda v: f"点赞评论收藏加权互动 {_count(v)}", "互动量"),
    "growth": (_change("近一周提及量"), "提及量增长"),
    "slope_4w": (_slope, "近4周趋势"),
    "burst": (lambda v: f"热度比往常高 {v:.1f} 个标准差" if v >= 0 else f"热度低于往常 {-v:.1f} 个标准差",
              "热度突增"),
    "platforms": (lambda v: f"{_count(v)} 个平台都有人提", "平台数"),
    "complaint_share": (lambda v: f"{_pct(v)} 是吐槽", "吐槽占比"),
    "wish_share": (lambda v: f"{_pct(v)} 在求购许愿", "许愿占比"),
    "mentions_4w": (lambda v: f"近4周提及 {_count(v)} 次", "近4周提及量"),
    "weeks_seen": (lambda v: f"已持续被讨论 {_count(v)} 周", "讨论周数"),
    "matching_offers": (lambda v: f"1688 相关货源 {_count(v)} 款", "相关货源"),
    "aspect_offers": (_aspect_offers, "带该功能的货源"),
    "aspect_offer_share": (lambda v: f"带该功能的货源仅占 {_pct(v)}", "带该功能货源占比"),
    "new_offers_4w": (lambda v: f"近4周新上架货源 {_count(v)} 款", "新上架货源"),
    "price_p25": (lambda v: f"低价位货源 {_yuan(v)}", "货源价格"),
    "price_p50": (lambda v: f"货源价中位 {_yuan(v)}", "货源价格"),
    "price_p75": (lambda v: f"高价位货源 {_yuan(v)}", "货源价格"),
    "factory_share": (lambda v: f"工厂货源占 {_pct(v)}", "工厂货源占比"),
    "customizable_share": (lambda v: f"支持来图定制的占 {_pct(v)}", "可定制货源占比"),
    "dropship_share": (lambda v: f"支持一件代发的占 {_pct(v)}", "一件代发占比"),
    "min_moq": (lambda v: f"最低 {_count(v)} 件起批", "起批量"),
    "ship_48h_rate": (lambda v: f"48小时发货率 {_pct(v)}", "48小时发货率"),
    "repurchase_rate": (lambda v: f"回头率 {_pct(v)}", "回头率"),
    "demand_supply_ratio": (lambda v: f"每款带该功能货源对应 {v:.1f} 次提及", "供需比"),
    "social_price": (lambda v: f"用户心理价 {_yuan(v)}", "用户心理价"),
    "est_margin": (lambda v: f"预估每件毛利 {_yuan(v)}", "预估毛利"),
    "margin_rate": (lambda v: f"毛利率 {_pct(v)}", "毛利率"),
    "mentions_8w": (lambda v: f"近8周提及 {_count(v)} 次", "近8周提及量"),
    "growth_4w": (_times, "近4周提及量增长"),
    "burst_flag": (_flag("本周热度突增", "热度平稳，没有突增"), "热度突增"),
    "seasonal_baseline": (lambda v: f"往常每周约提及 {v:.1f} 次", "往常提及量"),
    "vs_baseline": (_change("提及量比往常"), "提及量与往常相比"),
    "low_confidence": (_flag("提及还少，结论仅供参考", "提及量足够下结论"), "样本量"),
    "aspect_new_offers_4w": (lambda v: f"近4周新上架带该功能款 {_count(v)} 款", "新上架带该功能货源"),
    "new_offers_1w": (lambda v: f"本周新上架货源 {_count(v)} 款", "本周新上架货源"),
    "aspect_price_p50": (lambda v: f"带该功能款货源价中位 {_yuan(v)}", "带该功能款货源价"),
    "break_even_units": (lambda v: f"卖出 {_count(v)} 件即可收回打样费", "回本件数"),
    "brand_price": (lambda v: f"大牌同款价 {_yuan(v)}", "大牌价格"),
    "price_vs_brand": (lambda v: f"货源价仅为大牌的 {_pct(v)}", "与大牌比价"),
    "pingti": (_flag("已有工厂做大牌平替", "还没有明显的平替货源"), "平替货源"),
    "pingti_mentions": (lambda v: f"{_count(v)} 条帖子在找平替", "平替讨论"),
    "aspect_offers_selling": (lambda v: f"带该功能款中真正在卖的约 {v:.0f} 款", "在卖的带该功能货源"),
}


def _product_offers(v: float) -> str:
    return "该品还没有在售货源" if v < 0.5 else f"该品已有 {v:.0f} 家在售"


# A need no offer title can claim to fix (其他问题, 太贵) is measured against all of its product's offers
# (features/supply.py): its aspect_* features speak of the product, not of a feature.
PRODUCT_WIDE_TEXTS: dict[str, tuple[Callable[[float], str], str]] = {
    "aspect_offers": (_product_offers, "该品货源"),
    "aspect_offer_share": (lambda v: "按该品全部货源计", "该品货源"),
    "aspect_offers_selling": (lambda v: f"该品真正在卖的约 {v:.0f} 款", "该品在卖货源"),
    "aspect_new_offers_4w": (lambda v: f"近4周该品新上架 {_count(v)} 款", "该品新上架货源"),
    "aspect_price_p50": (lambda v: f"该品货源价中位 {_yuan(v)}", "该品货源价"),
    "demand_supply_ratio": (lambda v: f"每款该品货源对应 {v:.1f} 次提及", "供需比"),
}


def feature_text(feature: str, value: float | None, product_wide: bool = False) -> str:
    """A short Chinese phrase saying what the feature's value means for the seller; `product_wide` for a
    need whose supply is its product's (其他问题, 太贵)."""
    texts = PRODUCT_WIDE_TEXTS if product_wide and feature in PRODUCT_WIDE_TEXTS else TEXTS
    phrase, unknown = texts.get(feature, (lambda v: f"{feature} = {v:g}", feature))
    if value is None or not math.isfinite(value):
        return f"{unknown}暂无数据"
    return phrase(float(value))


def explain_row(features: Sequence[str], values: Sequence[float], contributions: Sequence[float],
                limit: int = MAX_REASONS, product_wide: bool = False) -> list[dict[str, Any]]:
    """Up to `limit` reasons: positive contributions largest first, then the largest negative ones."""
    contrib = np.asarray(contributions, dtype="float64")
    nonzero = [i for i in range(len(features)) if contrib[i] != 0.0]
    positive = sorted((i for i in nonzero if contrib[i] > 0), key=lambda i: (-contrib[i], i))
    negative = sorted((i for i in nonzero if contrib[i] < 0), key=lambda i: (contrib[i], i))
    reasons = []
    for i in (positive + negative)[:limit]:
        value = float(values[i])
        known = math.isfinite(value)
        reasons.append({"feature": features[i], "value": round(value, 4) if known else None,
                        "contribution": round(float(contrib[i]), 4),
                        "text": feature_text(features[i], value if known else None, product_wide)})
    return reasons
