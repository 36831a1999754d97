"""1688 offers through the cross-border distribution search (`product.search.keywordQuery`).

The live open-platform call needs an app key, an access token and an `_aop_signature`, which this
spider does not make: it runs against the sandbox (`-a base_url=http://127.0.0.1:PORT`). For real
offers, import a supplier export (`oppradar import offers FILE`).

    scrapy crawl sandbox_offers -a keywords=车载冰箱,猫砂盆 -a base_url=http://127.0.0.1:8000 \
        [-a max_pages=50] [-a since=2026-01-01] [-a page_size=50]
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterator
from typing import Any

import scrapy
from scrapy.http import FormRequest, Response

from crawlers.items import OfferItem
from crawlers.spiders.fields import (
    beijing_time,
    customizable,
    parse_count,
    parse_keywords,
    parse_positive,
    parse_rate,
    parse_since,
    rebase,
)
from crawlers.spiders.sandbox_notes import SANDBOX_SETTINGS
from store.weeks import utcnow

OPEN_API = "https://gw.open.1688.com"
SEARCH_PATH = "/openapi/param2/1/com.alibaba.fenxiao.crossborder/product.search.keywordQuery/{app_key}"
FACTORY_IDENTITIES = {"super_factory", "powerful_merchants"}


class SandboxOffersSpider(scrapy.Spider):
    name = "sandbox_offers"
    custom_settings = SANDBOX_SETTINGS

    def __init__(self, keywords: str | None = None, max_pages: str = "50", since: str | None = None,
                 base_url: str | None = None, page_size: str = "50", app_key: str = "sandbox",
                 **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.keywords = parse_keywords(keywords, self.name)
        self.max_pages = parse_positive(max_pages, "max_pages")
        self.page_size = min(parse_positive(page_size, "page_size"), 50)
        self.since = parse_since(since)
        self.url = rebase(OPEN_API + SEARCH_PATH.format(app_key=app_key), base_url)

    async def start(self) -> AsyncIterator[scrapy.Request]:
        for keyword in self.keywords:
            yield self.search(keyword, 1)

    def search(self, keyword: str, page: int) -> FormRequest:
        query = {"keyword": keyword, "beginPage": page, "pageSize": self.page_size, "country": "zh"}
        return FormRequest(self.url, formdata={"offerQueryParam": json.dumps(query, ensure_ascii=False)},
                           callback=self.parse_search, cb_kwargs={"keyword": keyword, "page": page})

    def parse_search(self, response: Response, keyword: str, page: int) -> Iterator[Any]:
        result = ((response.json().get("result") or {}).get("result")) or {}
        for item in result.get("data") or []:
            offer = self.offer(item)
            if self.since and offer.listed_at and offer.listed_at < self.since:
                self.crawler.stats.inc_value("oppradar/skipped/before_since")
                continue
            yield offer
        if page < int(result.get("totalPage") or 0):
            if page < self.max_pages:
                yield self.search(keyword, page + 1)
            else:
                self.crawler.stats.inc_value("oppradar/skipped/max_pages_reached")

    def offer(self, item: dict) -> OfferItem:
        prices = [p for p in (_price((item.get("priceInfo") or {}).get(k)) for k in ("price", "consignPrice"))
                  if p is not None]
        seller = item.get("sellerDataInfo") or {}
        identities = set(item.get("sellerIdentities") or [])
        place = (item.get("sendGoodsAddressText") or "").split()
        oid = str(item.get("offerId") or "")
        return OfferItem(
            platform="1688", offer_id=oid, url=f"https://detail.1688.com/offer/{oid}.html",
            title=item.get("subject") or "", category=item.get("categoryName") or "",
            price_min=min(prices) if prices else None, price_max=max(prices) if prices else None,
            moq=parse_count(item.get("minOrderQuantity")),
            unit=((item.get("productSaleInfo") or {}).get("unitInfo") or {}).get("unit"),
            supplier_id=item.get("sellerOpenId"), supplier_name=item.get("companyName"),
            supplier_type="factory" if identities & FACTORY_IDENTITIES else "trading",
            province=place[0] if place else None, city=place[1] if len(place) > 1 else None,
            dropship=bool(item.get("isOnePsale")), customizable=customizable(item.get("subject") or ""),
            ship_48h_rate=parse_rate(seller.get("collect30DayWithin48HPercent")),
            repurchase_rate=parse_rate(item.get("repurchaseRate") or seller.get("repeatPurchasePercent")),
            sales_30d=parse_count(item.get("monthSold")),
            rating=_price(seller.get("compositeServiceScore") or item.get("tradeScore")),
            listed_at=beijing_time(item.get("createDate")), crawled_at=utcnow(),
            image_url=item.get("imageUrl"))


def _price(value: Any) -> float | None:
    try:
        return float(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None
