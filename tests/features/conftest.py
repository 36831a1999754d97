"""Helpers for the features tests: posts and offers written through the store's real cleaning and upsert."""

from __future__ import annotations

from datetime import timedelta
from itertools import count

import pytest

from store.db import upsert
from store.records import clean_offer, clean_post
from store.schema import offers, posts
from store.weeks import week_start

_ids = count(1)


@pytest.fixture(autouse=True)
def _own_home(home):
    """Every test gets a temporary OPPRADAR_HOME, so jieba's cache never lands in ./var."""
    return home


def at(week: str, day: int = 2, hour: int = 12):
    """A naive-UTC instant inside a Shanghai week (day 0 = Monday)."""
    return week_start(week) + timedelta(days=day, hours=hour)


def post(week: str, text: str, *, title: str = "", query: str | None = None, kind: str = "note",
         parent_id: str | None = None, post_id: str | None = None, likes: int = 0, author: str | None = None,
         platform: str = "xhs", day: int = 2, **extra) -> dict:
    pid = post_id or f"p{next(_ids)}"
    return {"platform": platform, "post_id": pid, "kind": kind, "parent_id": parent_id, "title": title,
            "text": text, "published_at": at(week, day), "query": query, "likes": likes,
            "author_id": author or f"author-{pid}", "source": "test", **extra}


def offer(offer_id: str, title: str, listed_at, *, price: float = 50.0, **extra) -> dict:
    return {"offer_id": offer_id, "title": title, "price_min": price, "listed_at": listed_at, **extra}


@pytest.fixture
def add_posts(engine):
    def add(*rows: dict) -> None:
        with engine.begin() as conn:
            upsert(conn, posts, [clean_post(r, salt="test-salt") for r in rows])
    return add


@pytest.fixture
def add_offers(engine):
    def add(*rows: dict) -> None:
        with engine.begin() as conn:
            upsert(conn, offers, [clean_offer(r) for r in rows])
    return add
