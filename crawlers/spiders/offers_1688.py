"""1688 offers: keyword search then each offer's detail, through the open platform's JSON APIs.

Search is `com.alibaba.fenxiao.crossborder/product.search.keywordQuery` (form field `offerQueryParam`,
answer `result.result.data[]` with offerId, subject, priceInfo, monthSold, sellerIdentities, ...);
detail is `product.search.queryProductDetail` (form field `offerDetailParam`, answer `result.result`
with productSaleInfo.priceRangeList, minOrderQuantity, unitInfo, categoryName, productAttribute,
productShippingInfo.sendGoodsAddressText, sellerDataInfo). The offer stored is the search item
completed by its detail; when the detail fails it is the search item alone (counted).

Live calls need an app key and secret (`_aop_signature`, HMAC-SHA1 of the URL path and the sorted
parameters) and an access token: `-a app_key=... -a app_secret=... -a access_token=...`.

    scrapy crawl offers_1688 -a keywords=车载冰箱,收纳 [-a max_pages=5] [-a max_items=500] \
        [-a since=2026-01-01] [-a details=1] [-a base_url=http://127.0.0.1:8000]
"""

from __future__ import annotations

import dataclasses
import hashlib
import hmac
import json
from collections.abc import AsyncIterator, Iterator
from typing import Any

import scrapy
from scrapy.http import FormRequest, Response
from twisted.python.failure import Failure

from crawlers.items import OfferItem
from crawlers.spiders.base import PublicSpider
from crawlers.spiders.fields import beijing_time, customizable, parse_count, parse_rate
from store.weeks import utcnow

OPEN_API = "https://gw.open.1688.com"
NAMESPACE = "param2/1/com.alibaba.fenxiao.crossborder"
FACTORY_IDENTITIES = {"super_factory", "powerful_merchants"}
PAGE_SIZE = 50


def aop_signature(path: str, params: dict[str, str], secret: str) -> str:
    """1688 open platform signature: HMAC-SHA1(secret, path + sorted key+value pairs), upper-case hex."""
    message = path + "".join(k + v for k, v in sorted(params.items()))
    return hmac.new(secret.encode(), message.encode("utf-8"), hashlib.sha1).hexdigest().upper()


def _price(value: Any) -> float | None:
    try:
        return float(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


def _place(text: str | None) -> tuple[str | None, str | None]:
    parts = (text or "").split()
    return (parts[0] if parts else None), (parts[1] if len(parts) > 1 else None)


def search_offer(item: dict) -> OfferItem:
    """An OfferItem from a keywordQuery result item."""
    prices = [
        p
        for p in (
            _price((item.get("priceInfo") or {}).get(k)) for k in ("price", "consignPrice", "promotionPrice")
        )
        if p is not None
    ]
    seller = item.get("sellerDataInfo") or {}
    shipping = item.get("productSimpleShippingInfo") or {}
    identities = set(item.get("sellerIdentities") or [])
    province, city = _place(item.get("sendGoodsAddressText"))
    oid = str(item.get("offerId") or "")
    return OfferItem(
        platform="1688",
        offer_id=oid,
        url=f"https://detail.1688.com/offer/{oid}.html",
        title=item.get("subject") or "",
        category=item.get("categoryName") or "",
        price_min=min(prices) if prices else None,
        price_max=max(prices) if prices else None,
        moq=parse_count(item.get("minOrderQuantity")),
        supplier_id=item.get("sellerOpenId"),
        supplier_name=item.get("companyName"),
        supplier_type="factory"
        if identities & FACTORY_IDENTITIES
        else ("trading" if identities else "unknown"),
        province=province,
        city=city,
        dropship=bool(item.get("isOnePsale")),
        customizable=customizable(item.get("subject") or ""),
        ship_48h_rate=parse_rate(
            seller.get("collect30DayWithin48HPercent")
            or (1.0 if shipping.get("shippingTimeGuarantee") in ("shipIn24Hours", "shipIn48Hours") else None)
        ),
        repurchase_rate=parse_rate(item.get("repurchaseRate") or seller.get("repeatPurchasePercent")),
        response_rate=_score(seller.get("consultingExperienceScore")),
        sales_30d=parse_count(item.get("monthSold")),
        rating=_price(seller.get("compositeServiceScore") or item.get("tradeScore")),
        listed_at=beijing_time(item.get("createDate")),
        crawled_at=utcnow(),
        image_url=item.get("imageUrl"),
    )


def _score(value: Any) -> float | None:
    """A 0..5 service score as a 0..1 rate (1688 has no reply rate; consulting experience stands in)."""
    score = _price(value)
    return None if score is None else min(max(score / 5.0, 0.0), 1.0)


def with_detail(offer: OfferItem, d: dict) -> OfferItem:
    """The search offer completed (and corrected) by its queryProductDetail answer."""
    sale = d.get("productSaleInfo") or {}
    ranges = [r for r in sale.get("priceRangeList") or [] if _price(r.get("price")) is not None]
    prices = [_price(r["price"]) for r in ranges]
    one_piece = _price((sale.get("fenxiaoSaleInfo") or {}).get("onePiecePrice"))
    if one_piece is not None:
        prices.append(one_piece)
    attrs = " ".join(
        f"{a.get('attributeName', '')} {a.get('value', '')}" for a in d.get("productAttribute") or []
    )
    province, city = _place((d.get("productShippingInfo") or {}).get("sendGoodsAddressText"))
    seller = d.get("sellerDataInfo") or {}
    moq = parse_count(d.get("minOrderQuantity")) or (
        parse_count(ranges[0].get("startQuantity")) if ranges else None
    )
    identities = set(d.get("offerIdentities") or [])
    changes: dict[str, Any] = {
        "title": d.get("subject") or offer.title,
        "category": d.get("categoryName") or offer.category,
        "price_min": min(prices) if prices else offer.price_min,
        "price_max": max(prices) if prices else offer.price_max,
        "moq": moq or offer.moq,
        "unit": (sale.get("unitInfo") or {}).get("unit") or offer.unit,
        "supplier_name": d.get("companyName") or offer.supplier_name,
        "province": province or offer.province,
        "city": city or offer.city,
        "customizable": offer.customizable or customizable(f"{d.get('subject', '')} {attrs}"),
        "ship_48h_rate": parse_rate(seller.get("collect30DayWithin48HPercent")) or offer.ship_48h_rate,
        "repurchase_rate": parse_rate(seller.get("repeatPurchasePercent")) or offer.repurchase_rate,
        "listed_at": beijing_time(d.get("createDate")) or offer.listed_at,
    }
    if identities & FACTORY_IDENTITIES:
        changes["supplier_type"] = "factory"
    if (sale.get("fenxiaoSaleInfo") or {}).get("onePiecePrice") is not None:
        changes["dropship"] = True
    return dataclasses.replace(offer, **changes)


class Offers1688Spider(PublicSpider):
    name = "offers_1688"

    def __init__(
        self,
        app_key: str = "0",
        app_secret: str | None = None,
        access_token: str | None = None,
        details: str = "1",
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.app_key, self.app_secret, self.access_token = app_key, app_secret, access_token
        self.details = details.strip().lower() not in ("0", "false", "no")
        self.requested: set[str] = set()

    async def start(self) -> AsyncIterator[scrapy.Request]:
        for keyword in self.keywords:
            yield self.search(keyword, 1)

    def call(self, api: str, params: dict[str, str], **kwargs: Any) -> FormRequest:
        """A POST to an open-platform API, signed when an app secret is given."""
        path = f"{NAMESPACE}/{api}/{self.app_key}"
        form = dict(params)
        if self.access_token:
            form["access_token"] = self.access_token
        if self.app_secret:
            form["_aop_signature"] = aop_signature(path, form, self.app_secret)
        return FormRequest(self.live(f"{OPEN_API}/openapi/{path}"), formdata=form, **kwargs)

    def search(self, keyword: str, page: int) -> FormRequest:
        query = {"keyword": keyword, "beginPage": page, "pageSize": PAGE_SIZE, "country": "zh"}
        return self.call(
            "product.search.keywordQuery",
            {"offerQueryParam": json.dumps(query, ensure_ascii=False)},
            callback=self.parse_search,
            cb_kwargs={"keyword": keyword, "page": page},
        )

    def parse_search(self, response: Response, keyword: str, page: int) -> Iterator[Any]:
        result = ((response.json().get("result") or {}).get("result")) or {}
        for item in result.get("data") or []:
            offer = search_offer(item)
            if self.since and offer.listed_at and offer.listed_at < self.since:
                self.count("skipped/before_since")
                continue
            if self.full():
                self.count("skipped/max_items_reached")
                continue
            if self.details and offer.offer_id in self.requested:
                # its detail is on the way; yielding the search item too would race the detailed one
                self.count("skipped/duplicate_offer")
                continue
            if self.details and offer.offer_id:
                self.requested.add(offer.offer_id)
                self.emitted += 1  # reserved now: the detail (or its errback) yields it
                yield self.detail(offer)
            else:
                yield from self.emit(offer)
        if page < int(result.get("totalPage") or 0) and self.next_page(page):
            yield self.search(keyword, page + 1)

    def detail(self, offer: OfferItem) -> FormRequest:
        param = json.dumps(
            {"offerId": int(offer.offer_id) if offer.offer_id.isdigit() else offer.offer_id, "country": "zh"}
        )
        return self.call(
            "product.search.queryProductDetail",
            {"offerDetailParam": param},
            callback=self.parse_detail,
            errback=self.detail_failed,
            cb_kwargs={"offer": offer},
        )

    def parse_detail(self, response: Response, offer: OfferItem) -> Iterator[OfferItem]:
        detail = ((response.json().get("result") or {}).get("result")) or {}
        if str(detail.get("offerId") or offer.offer_id) != offer.offer_id:
            self.count("skipped/detail_of_another_offer")
            yield offer
            return
        yield with_detail(offer, detail)

    def detail_failed(self, failure: Failure) -> Iterator[OfferItem]:
        """The detail could not be had: keep the search item, counted."""
        offer = failure.request.cb_kwargs["offer"]
        self.count("skipped/detail_failed")
        self.logger.info(
            "detail of offer %s failed (%s); keeping the search item",
            offer.offer_id,
            failure.value.__class__.__name__,
        )
        yield offer
