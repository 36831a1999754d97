"""Synthetic opportunity tables for the model tests: needs that grow unanswered, get supplied, fade."""

from __future__ import annotations

from datetime import datetime

import numpy as np
import pytest

from features.columns import FEATURE_COLUMNS, need_key, opportunity_id
from store.db import upsert
from store.schema import opportunities
from store.weeks import week_range

WEEKS = week_range("2026-W30", "2026-W41")  # 12 weeks
NEEDS = [
    ("车载冰箱", "杯架", "汽车用品"), ("车载手机支架", "稳固", "汽车用品"),
    ("无线吸尘器", "吸力", "家居日用"),
    ("婴儿背带", "透气", "母婴"), ("猫砂盆", "防外溅", "宠物"), ("平板拖把", "拧干", "家居日用"),
    ("宝宝奶瓶", "防胀气", "母婴"), ("电热水壶", "防干烧", "厨房"), ("折叠晾衣架", "承重", "家居日用"),
    ("保温杯", "保温", "厨房"), ("加湿器", "发霉", "家居日用"), ("宠物饮水机", "静音", "宠物"),
    ("充电宝", "续航", "数码配件"), ("雨伞", "抗风", "户外运动"), ("双肩包", "肩带", "服饰鞋包"),
    ("数据线", "易断", "数码配件"), ("电动牙刷", "充电", "个护"), ("露营椅", "收纳", "户外运动"),
    ("手机壳", "发黄", "数码配件"), ("砧板", "发霉", "厨房"), ("保鲜盒", "漏水", "厨房"),
    ("婴儿推车", "折叠", "母婴"), ("瑜伽垫", "防滑", "户外运动"), ("空气炸锅", "清洗", "厨房"),
    ("狗窝", "异味", "宠物"), ("拖鞋", "防滑", "服饰鞋包"), ("吹风机", "静音", "个护"),
    ("落地扇", "静音", "家居日用"), ("儿童水杯", "漏水", "母婴"), ("暖手宝", "烫伤", "个护"),
]
KINDS = ("rising_gap", "flat_gap", "supplied", "crowded", "fading")
BUILT_AT = datetime(2026, 10, 12, 2, 0)


def need_rows(product: str, aspect: str, category: str, mentions, aspect_offers, weeks=WEEKS,
              matching_offers=None, new_offers=None, seed: int = 0) -> list[dict]:
    """Rows of one need for `weeks`, features derived from weekly series that may start earlier.

    Series longer than `weeks` begin with history from before the first built week (the need was
    talked about before oppradar looked), so growth and trends are not cold-started.
    """
    rng = np.random.default_rng(seed)
    m = np.asarray(mentions, dtype=float)
    a = np.asarray(aspect_offers, dtype=float)
    new = np.zeros(len(m)) if new_offers is None else np.asarray(new_offers, dtype=float)
    match = np.full(len(m), 20.0) + np.cumsum(new) if matching_offers is None else np.asarray(matching_offers)
    match = np.maximum(match, a)
    key = need_key(product, aspect)
    social, cost = rng.uniform(60, 160), rng.uniform(15, 50)
    rows = []
    first = len(m) - len(weeks)
    for t, week in zip(range(first, len(m)), weeks, strict=True):
        last4 = m[max(0, t - 3):t + 1]
        history = m[:t + 1]
        feats = {
            "mentions": m[t], "authors": round(m[t] * 0.85), "engagement": m[t] * rng.uniform(5, 20),
            "growth": (m[t] + 1) / ((m[t - 1] if t else m[t]) + 1) - 1,
            "slope_4w": float(np.polyfit(np.arange(len(last4)), last4, 1)[0]) if len(last4) > 1 else 0.0,
            "burst": (m[t] - np.median(history)) / (np.median(np.abs(history - np.median(history))) + 1),
            "platforms": min(7, 1 + int(m[t]) // 4), "complaint_share": rng.uniform(0.4, 0.8),
            "wish_share": rng.uniform(0.1, 0.4), "mentions_4w": last4.sum(), "weeks_seen": t + 1,
            "matching_offers": match[t], "aspect_offers": a[t], "aspect_offer_share": a[t] / max(match[t], 1),
            "new_offers_4w": new[max(0, t - 3):t + 1].sum(),
            "price_p25": cost * 0.8, "price_p50": cost, "price_p75": cost * 1.3,
            "factory_share": rng.uniform(0.3, 0.8), "customizable_share": rng.uniform(0.1, 0.6),
            "dropship_share": rng.uniform(0.2, 0.9), "min_moq": float(rng.integers(1, 50)),
            "ship_48h_rate": rng.uniform(0.6, 0.98), "repurchase_rate": rng.uniform(0.05, 0.4),
            "demand_supply_ratio": last4.sum() / (a[t] + 1), "social_price": social,
            "est_margin": social - cost, "margin_rate": (social - cost) / social,
        }
        # features added to FEATURE_COLUMNS later are unknown here (NaN), as after a partial build
        feats = {name: float(feats.get(name, float("nan"))) for name in FEATURE_COLUMNS}
        rows.append({
            "week": week, "opportunity_id": opportunity_id(key), "need_key": key, "product": product,
            "aspect": aspect, "category": category, "title": f"{product} · 缺{aspect}",
            **{c: feats[c] for c in ("engagement", "growth", "slope_4w", "burst", "complaint_share",
                                     "wish_share", "price_p25", "price_p50", "price_p75", "factory_share",
                                     "customizable_share", "dropship_share", "ship_48h_rate",
                                     "repurchase_rate", "social_price", "est_margin", "margin_rate")},
            **{c: int(feats[c]) for c in ("mentions", "authors", "platforms", "matching_offers",
                                          "aspect_offers", "min_moq")},
            "first_seen_week": weeks[0], "features": feats, "evidence": [], "offers": [], "segments": [],
            "built_at": BUILT_AT,
        })
    return rows


def world_rows(seed: int = 7, weeks=WEEKS, warmup: int = 6) -> tuple[list[dict], dict[str, dict]]:
    """30 needs of five kinds over `weeks`; returns the rows and each need's kind and supply arrival.

    Each need's story starts at its own week (some before the first built week), so every built
    week mixes needs in every phase, as a real table would.
    """
    rng = np.random.default_rng(seed)
    t = np.arange(warmup + len(weeks))
    rows, meta = [], {}
    for i, (product, aspect, category) in enumerate(NEEDS):
        kind = KINDS[i % len(KINDS)]
        start = int(rng.integers(0, warmup + len(weeks) // 2))
        since = np.clip(t - start, 0, None)
        new = rng.poisson(0.5, len(t)).astype(float)
        aspect_offers = np.zeros(len(t))
        arrival = None
        if kind == "rising_gap":
            lam = rng.uniform(2, 5) * 1.25 ** since
        elif kind == "flat_gap":
            lam = np.full(len(t), rng.uniform(5, 15))
        elif kind == "supplied":
            lam = rng.uniform(2, 5) * 1.25 ** since
            arrival = warmup + int(rng.integers(2, len(weeks) - 2))
            aspect_offers = np.where(t >= arrival, 2.0 * (t - arrival + 3), 0.0)
            new = new + np.where((t >= arrival - 3) & (t < arrival + 2), 4.0, 0.0)  # factories gear up first
            arrival = weeks[arrival - warmup]
        elif kind == "crowded":
            lam = rng.uniform(4, 15) * 1.1 ** since
            aspect_offers = np.full(len(t), float(rng.integers(6, 15)))
        else:
            lam = rng.uniform(8, 30) * 0.8 ** since
        mentions = rng.poisson(np.minimum(lam, 80))
        rows += need_rows(product, aspect, category, mentions, aspect_offers, weeks=weeks,
                          new_offers=new, seed=seed * 100 + i)
        meta[opportunity_id(need_key(product, aspect))] = {"kind": kind, "arrival": arrival}
    return rows, meta


def insert(engine, rows: list[dict]) -> None:
    with engine.begin() as conn:
        upsert(conn, opportunities, rows)


@pytest.fixture
def make_need_rows():
    return need_rows


@pytest.fixture
def insert_rows(engine):
    return lambda rows: insert(engine, rows)


@pytest.fixture
def world(engine):
    """The 30-need, 12-week synthetic world in the opportunities table; returns each need's kind."""
    rows, meta = world_rows()
    insert(engine, rows)
    return meta


@pytest.fixture
def make_world():
    return world_rows
