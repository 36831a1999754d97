"""Fixtures for the site: an app on a temporary SQLite database, its test client, a published list."""

from __future__ import annotations

import re
from datetime import datetime

import pytest

from store.db import upsert
from store.schema import models, offers, posts, weekly_lists
from web import create_app

WEEK, OLD_WEEK = "2026-W47", "2026-W46"
PUBLISHED_AT = datetime(2026, 11, 23, 2, 0, 0)
PASSWORD = "团长也要赚钱-2026"
SCRIPT_TEXT = "<script>alert(1)</script><b>x</b>"


@pytest.fixture
def app(settings):
    """The site on the test's own SQLite database, with a plain analyst password."""
    return create_app({"TESTING": True, "SECRET_KEY": "test-secret", "DATABASE_URL": settings.database_url,
                       "ANALYST_PASSWORD": PASSWORD, "ANALYST_PASSWORD_HASH": None})


@pytest.fixture
def client(app):
    return app.test_client()


def reason(feature, value, contribution, text):
    return {"feature": feature, "value": value, "contribution": contribution, "text": text}


def payload(rank, oid, title, product, aspect, category, segment="creator", week=WEEK, **extra):
    """A payload shaped like recommender.publish makes them; every figure filled unless overridden."""
    base = {
        "rank": rank, "opportunity_id": oid, "week": week, "segment": segment, "title": title,
        "product": product, "aspect": aspect, "category": category, "score": 2.5 - rank * 0.4,
        "mentions": 120 - rank * 10, "authors": 80, "engagement": 35678.0, "growth": 2.1, "slope_4w": 0.8,
        "burst": 3.2, "platforms": 3, "complaint_share": 0.62, "wish_share": 0.3, "matching_offers": 14,
        "aspect_offers": 2, "price_p25": 18.5, "price_p50": 26.0, "price_p75": 39.9, "factory_share": 0.57,
        "customizable_share": 0.43, "dropship_share": 0.71, "min_moq": 2, "ship_48h_rate": 0.88,
        "repurchase_rate": 0.21, "social_price": 79.0, "est_margin": 53.0, "margin_rate": 0.67,
        "evidence": [], "offers": [], "segments": ["creator"], "model_id": "m-20261120",
        "published_at": "2026-11-23T02:00:00Z",
        "explanation": [reason("growth", 2.1, 0.91, "近一周提及翻了三倍"),
                        reason("aspect_offers", 2, 0.55, "对口货源只有2家")],
    }
    base.update(extra)
    return base


FRIDGE = payload(1, "opp-fridge", "车载冰箱 · 缺杯架", "车载冰箱", "杯架", "汽车用品>车载冰箱",
                 evidence=["xhs-1", "dy-2", "missing-post"], offers=["of-1", "of-2"],
                 segments=["creator", "group-leader"])
BOTTLE = payload(2, "opp-bottle", "奶瓶 · 防胀气", "奶瓶", "防胀气", "母婴", evidence=["xhs-3"],
                 growth=None, est_margin=None, price_p50=None)
# A title starting with = would run as a formula in Excel; the CSV must keep it text.
LITTER = payload(3, "opp-litter", "=猫砂盆 · 防外溅", "猫砂盆", "防外溅", "宠物", explanation=[])


def _post(platform, post_id, title, text, url, likes):
    return {"platform": platform, "post_id": post_id, "kind": "note", "parent_id": None, "url": url,
            "author_hash": "a1b2c3", "title": title, "text": text, "published_at": datetime(2026, 11, 18, 12),
            "crawled_at": datetime(2026, 11, 20), "likes": likes, "comments": 12, "shares": 3, "collects": 45,
            "tags": ["车载"], "query": "车载冰箱", "source": "test"}


def _offer(offer_id, title, price_min, price_max, supplier_type, dropship, customizable, url):
    return {"platform": "1688", "offer_id": offer_id, "url": url, "title": title,
            "category": "汽车用品>车载电器>车载冰箱", "price_min": price_min, "price_max": price_max,
            "moq": 2,
            "unit": "件", "supplier_id": "s-" + offer_id, "supplier_name": "义乌市好物工艺品厂",
            "supplier_type": supplier_type, "province": "浙江", "city": "金华", "dropship": dropship,
            "customizable": customizable, "ship_48h_rate": 0.9, "repurchase_rate": 0.2,
            "response_rate": 0.95, "sales_30d": 320, "rating": 4.8, "listed_at": datetime(2026, 10, 1),
            "crawled_at": datetime(2026, 11, 20), "image_url": None}


def _rows(week, segment, items):
    return [{"week": week, "segment": segment, "rank": p["rank"], "opportunity_id": p["opportunity_id"],
             "score": p["score"], "model_id": p["model_id"], "published_at": PUBLISHED_AT, "payload": p}
            for p in items]


@pytest.fixture
def published(engine):
    """Two published weeks: three creator picks and one group-leader pick this week, posts and offers."""
    leader = {**FRIDGE, "segment": "group-leader"}
    old = payload(1, "opp-old", "晾衣架 · 承重", "晾衣架", "承重", "家居日用", week=OLD_WEEK)
    with engine.begin() as conn:
        upsert(conn, weekly_lists, _rows(WEEK, "creator", [FRIDGE, BOTTLE, LITTER])
               + _rows(WEEK, "group-leader", [leader]) + _rows(OLD_WEEK, "creator", [old]))
        upsert(conn, posts, [
            _post("xhs", "xhs-1", "车载冰箱居然没有放杯子的地方", SCRIPT_TEXT, "javascript:alert(2)", 15321),
            _post("douyin", "dy-2", "自驾必备？", "冰箱里饮料架太少了，杯托也没有，谁做一个我立刻买",
                  "https://www.douyin.com/video/2", 980),
            _post("xhs", "xhs-3", "宝宝喝奶老胀气", "换了三个奶瓶还是胀气，求推荐防胀气的",
                  "https://www.xiaohongshu.com/explore/3", 77),
        ])
        upsert(conn, offers, [
            _offer("of-1", "车载冰箱专用杯架 支持来图定制", 12.5, 18.0, "factory", True, True,
                   "https://detail.1688.com/offer/1.html"),
            _offer("of-2", "通用车载杯托 批发", 6.8, 6.8, "trading", False, False, "https://detail.1688.com/offer/2.html"),
        ])
    return engine


@pytest.fixture
def with_models(engine):
    """Two models in the registry, one promoted."""
    with engine.begin() as conn:
        upsert(conn, models, [
            {"model_id": "m-20261120", "created_at": datetime(2026, 11, 20), "path": "models/m-20261120.txt",
             "status": "promoted", "promoted_at": datetime(2026, 11, 21), "metrics": {"ndcg@10": 0.71},
             "card": {}},
            {"model_id": "m-20261001", "created_at": datetime(2026, 10, 1), "path": "models/m-20261001.txt",
             "status": "retired", "promoted_at": None, "metrics": {"ndcg@10": 0.64}, "card": {}},
        ])
    return engine


def csrf_from(html: str) -> str:
    """The CSRF token of the first form on a page."""
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, "page has no CSRF token"
    return match.group(1)


@pytest.fixture
def csrf():
    """Read the CSRF token out of a page's HTML."""
    return csrf_from


@pytest.fixture
def login(client):
    """Log in through the real form, token included; returns the POST response."""
    def do_login(password: str = PASSWORD):
        token = csrf_from(client.get("/login").get_data(as_text=True))
        return client.post("/login", data={"csrf_token": token, "password": password})
    return do_login
