"""The offers_1688 spider against a local server in the 1688 open platform's JSON shapes."""

import json

import sqlalchemy as sa

from crawlers.runner import run_spider
from crawlers.spiders.offers_1688 import aop_signature
from store.schema import offers
from tests.crawlers.fixtures.site import FAST, FixtureSite, Reply, file_reply

API = "/openapi/param2/1/com.alibaba.fenxiao.crossborder/"


def test_aop_signature_is_hmac_sha1_of_path_and_sorted_params():
    sig = aop_signature("param2/1/ns/api/123", {"b": "2", "a": "1"}, "secret")
    assert sig == aop_signature("param2/1/ns/api/123", {"a": "1", "b": "2"}, "secret")
    assert len(sig) == 40 and sig == sig.upper() and sig != aop_signature("param2/1/ns/api/123", {}, "secret")


def _search(req):
    page = json.loads(req.form["offerQueryParam"])["beginPage"]
    assert req.form.get("_aop_signature") and req.form.get("access_token") == "tok"
    return file_reply(f"offers_1688/search_p{page}.json")


def _detail(answers):
    def answer(req):
        oid = str(json.loads(req.form["offerDetailParam"])["offerId"])
        queue = answers[oid]
        return queue.pop(0) if len(queue) > 1 else queue[0]

    return answer


def test_offer_search_with_details(home, engine):
    details = {
        "745120330011": [file_reply("offers_1688/detail_011.json")],
        "745120330022": [Reply(b"", 500, "text/plain"), file_reply("offers_1688/detail_022.json")],
        "745120330033": [file_reply("offers_1688/detail_gone.json")],
    }
    site = FixtureSite()
    site.add("search", API + "product.search.keywordQuery/7001", _search)
    site.add("detail", API + "product.search.queryProductDetail/7001", _detail(details))
    with site:
        stats = run_spider(
            "offers_1688",
            {
                "keywords": "车载冰箱",
                "base_url": site.base_url,
                "app_key": "7001",
                "app_secret": "s3cret",
                "access_token": "tok",
            },
            FAST,
        )
    with engine.connect() as conn:
        rows = {r["offer_id"]: r for r in conn.execute(sa.select(offers)).mappings()}
    assert set(rows) == {"745120330011", "745120330022", "745120330033"}
    a = rows["745120330011"]
    assert (a["price_min"], a["price_max"], a["moq"], a["unit"]) == (205.0, 258.0, 2, "台")
    assert (a["province"], a["city"], a["category"]) == ("浙江省", "金华市", "车载冰箱")
    assert (a["supplier_type"], a["dropship"], a["customizable"]) == ("factory", True, True)
    assert (a["ship_48h_rate"], a["repurchase_rate"], a["sales_30d"]) == (0.93, 0.4666, 412)
    b = rows["745120330022"]  # detail after a 500
    assert (b["price_min"], b["price_max"], b["moq"], b["unit"], b["city"]) == (
        82.5,
        89.0,
        10,
        "个",
        "深圳市",
    )
    assert (b["supplier_type"], b["customizable"], b["sales_30d"], b["ship_48h_rate"]) == (
        "trading",
        False,
        12000,
        0.6,
    )
    c = rows["745120330033"]  # detail refused: the search item alone
    assert (c["price_min"], c["price_max"], c["moq"], c["customizable"], c["unit"]) == (
        3.5,
        5.0,
        100,
        True,
        None,
    )
    assert stats["items"] == 3 and stats["offers"] == 3 and stats["dropped"] == 0
    assert stats["skipped"]["duplicate_offer"] == 1  # on pages 1 and 2
    assert stats["api_errors"] == {"500_004": 1} and stats["skipped"]["detail_failed"] == 1
    assert stats["retries"] == 1 and stats["responses_by_status"]["500"] == 1 and stats["errors"] == 0
