"""The candidate table: one opportunity row per need key and week, with demand, supply and economics.

A key is a candidate in week t when it was mentioned in t-3..t. Rebuilding a week deletes and inserts
that week's rows in one transaction and leaves other weeks alone; score and rank stay empty until
`oppradar rank`.
"""

from __future__ import annotations

import logging
import time
from typing import Any

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from features.columns import FEATURE_COLUMNS, opportunity_id
from features.economics import brand_signals, economics, load_brand_mentions
from features.extract import POLARITIES
from features.supply import SUPPLY_KEYS, SupplyIndex, load_offers
from features.taxonomy import OTHER_ASPECT, load_taxonomy
from features.trends import compute_trends, load_mentions
from store.schema import opportunities
from store.weeks import parse_week, shift_week, utcnow, week_end

log = logging.getLogger(__name__)

MAX_EVIDENCE = 10
WINDOW_WEEKS = 4
# A group leader sells to neighbours without stock: most factories must ship single pieces (一件代发)
# and the typical factory price must leave room under a 团购 price point of about 100 yuan.
GROUP_LEADER_DROPSHIP = 0.3
GROUP_LEADER_MAX_PRICE = 80.0
_DEMAND_INTS = ("mentions", "authors", "platforms", "mentions_4w", "weeks_seen", "mentions_8w", "burst_flag",
                "low_confidence")
_DEMAND = ("mentions", "authors", "engagement", "growth", "slope_4w", "burst", "platforms", "complaint_share",
           "wish_share", "mentions_4w", "weeks_seen", "mentions_8w", "growth_4w", "burst_flag",
           "seasonal_baseline", "vs_baseline", "low_confidence")
_TABLE_FEATURES = [c for c in FEATURE_COLUMNS if c in opportunities.c]


def build_opportunities(engine: Engine, weeks: list[str]) -> dict[str, Any]:
    """Replace the opportunity rows of each week in `weeks`; counts per week."""
    started = time.perf_counter()
    weeks = sorted({parse_week(w) for w in weeks})
    if not weeks:
        return {"weeks": 0, "opportunities_written": 0, "per_week": {}, "seconds": 0.0}
    last = weeks[-1]
    everything = load_mentions(engine, until_week=last)
    prices = _price_frame(everything)  # a product's price talk, whatever the aspect
    # Only keys mentioned in a requested week's window can be candidates: trends skip the others
    # (the candidates' whole history stays, for first-seen weeks and bursts).
    recent = everything["week"] >= shift_week(weeks[0], 1 - WINDOW_WEEKS)
    mentions = everything[everything["need_key"].isin(set(everything.loc[recent, "need_key"]))]
    trends = compute_trends(mentions, last_week=last, weeks=weeks)
    trends = trends[trends["mentions_4w"] > 0]
    supply = SupplyIndex(load_offers(engine, before=week_end(last)))
    brands = load_brand_mentions(engine, last, products=set(mentions["product"]))
    info = _key_info(mentions)
    built_at = utcnow()
    rows: list[dict[str, Any]] = []
    per_week: dict[str, int] = {}
    for week in weeks:
        current = trends[trends["week"] == week]
        evidence = _evidence(mentions, week) if len(current) else {}
        social = _social_prices(prices, week) if len(current) else {}
        named = brand_signals(brands, week) if len(current) else {}
        for rec in current.to_dict("records"):
            rows.append(_row(rec, info[rec["need_key"]], supply, evidence.get(rec["need_key"], ([], "")),
                             (social, named), built_at))
        per_week[week] = len(current)
    with engine.begin() as conn:
        conn.execute(sa.delete(opportunities).where(opportunities.c.week.in_(weeks)))
        for i in range(0, len(rows), 1_000):
            conn.execute(sa.insert(opportunities), rows[i:i + 1_000])
    seconds = time.perf_counter() - started
    log.info("opportunities: %d rows over %d weeks in %.1fs", len(rows), len(weeks), seconds)
    return {"weeks": len(weeks), "opportunities_written": len(rows), "per_week": per_week,
            "seconds": round(seconds, 3)}


def _key_info(mentions: pd.DataFrame) -> dict[str, dict[str, str]]:
    """Product, aspect, category and the most common need type of every need key."""
    if mentions.empty:
        return {}
    firsts = mentions.groupby("need_key")[["product", "aspect", "category"]].first()
    need_type = mentions.groupby("need_key")["need_type"].agg(lambda s: s.value_counts().index[0])
    return {key: {**firsts.loc[key].to_dict(), "need_type": need_type[key]} for key in firsts.index}


def _evidence(mentions: pd.DataFrame, week: str) -> dict[str, tuple[list[str], str]]:
    """Per key: the most engaged post ids of weeks t-3..t, and the window's dominant polarity."""
    window = mentions[(mentions["week"] >= shift_week(week, 1 - WINDOW_WEEKS)) & (mentions["week"] <= week)]
    window = window.sort_values(["engagement", "published_at", "post_id"], ascending=[False, False, True],
                                kind="mergesort")
    ids = window.groupby("need_key", sort=False).head(MAX_EVIDENCE).groupby("need_key")["post_id"].agg(list)
    counts = window.groupby(["need_key", "polarity"]).size().unstack(fill_value=0)
    counts = counts.reindex(columns=list(POLARITIES), fill_value=0)
    return {key: (ids[key], _dominant(*counts.loc[key])) for key in ids.index}


def _dominant(complaints: int, wishes: int, praises: int) -> str:
    if praises > complaints + wishes:
        return "praise"
    return "wish" if wishes > complaints else "complaint"


def _price_frame(mentions: pd.DataFrame) -> pd.DataFrame:
    """One row per price a post mentions about a product (a post's needs share its prices)."""
    if mentions.empty:
        return pd.DataFrame(columns=["product", "week", "price"])
    posts = mentions.drop_duplicates(["platform", "post_id", "product"])
    exploded = posts[["product", "week", "price_mentions"]].explode("price_mentions")
    exploded = exploded.dropna(subset=["price_mentions"])
    return exploded.rename(columns={"price_mentions": "price"}).astype({"price": "float64"})


def _social_prices(prices: pd.DataFrame, week: str) -> dict[str, float]:
    """Median price people mention per product in posts up to and including the week."""
    upto = prices[prices["week"] <= week]
    return {k: round(float(v), 2) for k, v in upto.groupby("product")["price"].median().items()}


def need_title(product: str, aspect: str, need_type: str, polarity: str = "complaint") -> str:
    """「车载冰箱 · 缺杯架」, 「保温杯 · 漏水」, 「充电宝 · 想要无线充」: how the list names a need."""
    known = load_taxonomy().aspects.get(aspect)
    if polarity == "praise":
        label = f"{aspect}好评"
    elif known:
        label = known.label
    elif aspect == OTHER_ASPECT:
        label = "其他需求" if polarity == "wish" else "其他问题"
    elif polarity == "wish":
        label = f"想要{aspect}"
    elif need_type == "missing_feature":
        label = f"缺{aspect}"
    elif need_type == "usability":
        label = f"不能{aspect}"
    else:
        label = aspect
    return f"{product} · {label}"


def _row(rec: dict[str, Any], info: dict[str, str], supply: SupplyIndex, evidence: tuple[list[str], str],
         prices: tuple[dict[str, float], dict[str, dict[str, Any]]], built_at: Any) -> dict[str, Any]:
    week, key = rec["week"], rec["need_key"]
    product, aspect = info["product"], info["aspect"]
    sup = supply.features(product, aspect, week)
    feats: dict[str, Any] = {}
    for name in _DEMAND:
        feats[name] = int(rec[name]) if name in _DEMAND_INTS else round(float(rec[name]), 4)
    feats.update({k: sup[k] for k in SUPPLY_KEYS})
    feats["demand_supply_ratio"] = round(feats["mentions_4w"] / (feats["aspect_offers"] + 1), 4)
    social, named = prices
    feats.update(economics(social.get(product), sup["price_p50"], named.get(product)))
    missing = [c for c in FEATURE_COLUMNS if c not in feats]
    if missing:
        raise RuntimeError(f"opportunity row for {key} lacks features {missing}: features/columns.py and "
                           "features/candidates.py disagree")
    post_ids, polarity = evidence
    feats["offer_category"] = sup["offer_category"]
    # a product outside the taxonomy takes the category its offers are listed under
    category = info["category"] or load_taxonomy().category_of(product) or sup["offer_category"].split(">")[0]
    row = {"week": week, "opportunity_id": opportunity_id(key), "need_key": key, "product": product,
           "aspect": aspect, "category": category,
           "title": need_title(product, aspect, info["need_type"], polarity or "complaint"),
           "first_seen_week": rec["first_seen_week"], "features": feats, "evidence": post_ids,
           "offers": sup["offer_ids"], "segments": _segments(sup), "built_at": built_at,
           "score": None, "rank": None, "explanation": None, "model_id": None, "ranked_at": None}
    row.update({c: feats[c] for c in _TABLE_FEATURES})
    return row


def _segments(sup: dict[str, Any]) -> list[str]:
    segments = ["creator"]
    dropship, price = sup["dropship_share"], sup["price_p50"]
    if dropship is not None and price is not None and dropship >= GROUP_LEADER_DROPSHIP \
            and price <= GROUP_LEADER_MAX_PRICE:
        segments.append("group-leader")
    return segments
