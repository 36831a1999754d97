import sqlalchemy as sa

from store.db import upsert
from store.records import clean_offer, clean_post
from store.schema import KEYS, offers, posts


def _post(**kw):
    base = {"platform": "xhs", "post_id": "n1", "kind": "note", "published_at": 1763000000000,
            "text": "车载冰箱没有杯架", "source": "test", "author_id": "u1"}
    base.update(kw)
    return clean_post(base, salt="s")


def test_contract_keys():
    assert KEYS["posts"] == ("platform", "post_id")
    assert KEYS["offers"] == ("platform", "offer_id")
    assert KEYS["opportunities"] == ("week", "opportunity_id")


def test_upsert_twice_changes_nothing(engine):
    with engine.begin() as conn:
        first = upsert(conn, posts, [_post(), _post(post_id="n2")])
        again = upsert(conn, posts, [_post(), _post(post_id="n2")])
        rows = conn.execute(sa.select(posts)).mappings().all()
    assert (first.inserted, first.updated) == (2, 0)
    assert (again.inserted, again.updated) == (0, 2)
    assert len(rows) == 2
    assert rows[0]["author_hash"] and rows[0]["author_hash"] != "u1"


def test_offer_rates_and_prices(engine):
    offer = clean_offer({"offer_id": "123456789012345678", "title": "车载冰箱杯架", "price_min": "12.5",
                         "price_max": "", "dropship": "是", "listed_at": "2026-11-01T00:00:00Z",
                         "ship_48h_rate": "0.9"})
    assert offer["price_max"] == 12.5 and offer["dropship"] is True
    with engine.begin() as conn:
        upsert(conn, offers, [offer])
        assert conn.execute(sa.select(offers.c.offer_id)).scalar() == "123456789012345678"
