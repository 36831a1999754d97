from datetime import datetime

import pytest
import sqlalchemy as sa
from scrapy.exceptions import DropItem
from scrapy.utils.test import get_crawler

from crawlers.items import OfferItem, PostItem
from crawlers.pipelines import DedupePipeline, StorePipeline, ValidatePipeline
from crawlers.spiders.sandbox_notes import SandboxNotesSpider
from store.archive import RawArchive
from store.records import hash_author
from store.schema import job_runs, offers, posts


def _crawler(settings=None):
    crawler = get_crawler(SandboxNotesSpider, settings)
    crawler.spider = SandboxNotesSpider.from_crawler(crawler, keywords="车载冰箱")
    return crawler


def _post(**kw):
    base = {"platform": "xhs", "post_id": "n1", "kind": "note", "text": "车载冰箱没有杯架",
            "published_at": datetime(2026, 5, 1, 12), "source": "sandbox_notes", "author_id": "u1",
            "query": "车载冰箱"}
    base.update(kw)
    return PostItem(**base)


def _offer(**kw):
    base = {"platform": "1688", "offer_id": "624358412345", "title": "车载冰箱 带杯架", "price_min": 100.0,
            "price_max": 120.0, "listed_at": datetime(2026, 4, 1)}
    base.update(kw)
    return OfferItem(**base)


def test_invalid_items_are_dropped_with_the_reason_counted():
    crawler = _crawler({"OPPRADAR_SALT": "pepper"})
    pipeline = ValidatePipeline.from_crawler(crawler)
    with pytest.raises(DropItem, match="kind"):
        pipeline.process_item(_post(kind="blog"))
    with pytest.raises(DropItem, match="published_at"):
        pipeline.process_item(_post(published_at=None))
    with pytest.raises(DropItem, match="price_min"):
        pipeline.process_item(_offer(price_min=None))
    with pytest.raises(DropItem, match="ship_48h_rate"):
        pipeline.process_item(_offer(ship_48h_rate=1.7))
    stats = crawler.stats
    for field in ("kind", "published_at", "price_min", "ship_48h_rate"):
        assert stats.get_value(f"oppradar/dropped/invalid_{field}") == 1, field


def test_valid_post_gets_hashed_author_and_no_raw_id():
    pipeline = ValidatePipeline.from_crawler(_crawler({"OPPRADAR_SALT": "pepper"}))
    item = pipeline.process_item(_post(tags="自驾游,好物"))
    assert item.author_hash == hash_author("u1", "pepper") and item.author_id is None
    assert item.tags == ["自驾游", "好物"] and item.crawled_at is not None
    offer = pipeline.process_item(_offer())
    assert (offer.supplier_type, offer.dropship, offer.price_max) == ("unknown", False, 120.0)


def test_repeats_within_a_run_are_dropped_and_counted():
    crawler = _crawler()
    pipeline = DedupePipeline.from_crawler(crawler)
    pipeline.process_item(_post())
    pipeline.process_item(_post(platform="bilibili"))
    pipeline.process_item(_offer())
    with pytest.raises(DropItem, match="duplicate"):
        pipeline.process_item(_post(text="changed"))
    with pytest.raises(DropItem, match="duplicate"):
        pipeline.process_item(_offer())
    assert crawler.stats.get_value("oppradar/dropped/duplicate") == 2


def test_store_pipeline_upserts_archives_and_records_the_run(home, settings, engine):
    crawler = _crawler({"OPPRADAR_STORE_BATCH": 2})
    validate, store = ValidatePipeline.from_crawler(crawler), StorePipeline.from_crawler(crawler)
    store.open_spider()
    for item in (_post(), _post(post_id="n2", kind="comment", parent_id="n1"), _offer()):
        store.process_item(validate.process_item(item))
    crawler.stats.inc_value("oppradar/dropped/invalid_kind")
    store.close_spider()
    store.spider_closed(crawler.spider, "finished")
    with engine.connect() as conn:
        post_rows = conn.execute(sa.select(posts)).mappings().all()
        offer_rows = conn.execute(sa.select(offers)).mappings().all()
        (run,) = conn.execute(sa.select(job_runs)).mappings().all()
    assert sorted(r["post_id"] for r in post_rows) == ["n1", "n2"] and len(offer_rows) == 1
    assert post_rows[0]["author_hash"] == hash_author("u1", settings.salt)
    assert (run["job"], run["status"]) == ("crawl:sandbox_notes", "ok")
    assert run["stats"]["items"] == 3 and run["stats"]["inserted"] == 3
    assert run["stats"]["dropped_by_reason"] == {"invalid_kind": 1} and run["stats"]["dropped"] == 1
    assert "stored 3" in run["message"]
    assert len(list(RawArchive(settings.raw_dir).read("sandbox_notes"))) == 3


def test_a_crawl_that_did_not_finish_is_recorded_as_failed(home, engine):
    crawler = _crawler()
    store = StorePipeline.from_crawler(crawler)
    store.open_spider()
    store.close_spider()
    store.spider_closed(crawler.spider, "shutdown")
    with engine.connect() as conn:
        (run,) = conn.execute(sa.select(job_runs)).mappings().all()
    assert run["status"] == "failed" and run["message"].startswith("shutdown")
