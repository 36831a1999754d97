"""1688 offers of the sandbox market, in the search-item shape of FORMATS.md.

Besides the 1688 keys each offer carries its truth: `keyword` (the search that returns it), `product`
(None for the loosely related goods a search also returns), `aspects` (canonical aspects its title
addresses) and `listed_at` (naive UTC; `createDate` is the same instant in Beijing time, as 1688
writes it). The server strips these before answering.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from crawlers.sandbox.catalog import ASPECTS, REGIONS, TRADES, Product
from store.weeks import SHANGHAI

TRUTH_KEYS = ("keyword", "product", "aspects", "listed_at")
MARKETING = ("工厂直销", "源头工厂", "批发", "跨境专供", "爆款", "新款", "厂家直供", "现货速发", "亚马逊热卖",
             "外贸", "热销")
CUSTOM_WORDS = ("支持定制logo", "来图定制", "来样定制", "OEM", "ODM", "可印logo")
NAME_CORES = ("佳美", "锐驰", "优品", "鑫源", "恒达", "美途", "晨光", "宏泰", "嘉禾", "优家", "乐享", "盛世",
              "金辉", "远航", "新锐", "聚鑫", "华宇", "博远", "永盛", "欣然", "德润", "启航", "百川", "安达")


@dataclass(frozen=True)
class Supplier:
    seller_id: str
    name: str
    factory: bool
    province: str
    city: str
    tp_year: int


def suppliers_for(rng: random.Random, category: str, count: int = 24) -> list[Supplier]:
    """Makers and traders of a category, placed where that trade clusters."""
    out = []
    for i in range(count):
        province, city = rng.choice(REGIONS[category])
        factory = rng.random() < 0.55
        trade = rng.choice(TRADES[category])
        core = NAME_CORES[(i + rng.randint(0, 5)) % len(NAME_CORES)]
        city_name = city if city.endswith("市") else f"{city}市"
        if factory:
            name = f"{city_name}{core}{trade}{rng.choice(('有限公司', '厂', '制品有限公司'))}"
        else:
            name = f"{city_name}{core}{trade}{rng.choice(('商行', '贸易有限公司', '电子商务有限公司'))}"
        seller_id = "b2b-" + "".join(rng.choice("0123456789abcdef") for _ in range(12))
        out.append(Supplier(seller_id, name, factory, province, city, rng.randint(1, 14)))
    return out


def _title(rng: random.Random, product: Product, aspects: list[str], customizable: bool,
           dropship: bool) -> str:
    specs = rng.sample(product.specs, k=rng.randint(1, 3))
    parts = [f"{rng.choice(('', '', '2026新款', '跨境'))}{product.name}{specs[0]}", *specs[1:]]
    parts += [rng.choice(ASPECTS[a].offer_words) for a in aspects]
    parts += rng.sample(MARKETING, k=rng.randint(1, 3))
    if customizable:
        parts.append(rng.choice(CUSTOM_WORDS))
    if dropship and rng.random() < 0.5:
        parts.append("一件代发")
    head, tail = parts[0], parts[1:]
    rng.shuffle(tail)
    return " ".join([head, *tail]).strip()


def _rate(rng: random.Random, lo: float, hi: float) -> float:
    return rng.uniform(lo, hi)


def make_offer(rng: random.Random, offer_id: str, product: Product, keyword: str, aspects: list[str],
               listed_at: datetime, supplier: Supplier, related: str | None = None) -> dict:
    """One 1688 search item (plus its truth keys)."""
    customizable = (supplier.factory and rng.random() < 0.6) or rng.random() < 0.1
    lo, hi = product.wholesale
    price = rng.uniform(lo, hi) * (0.9 if supplier.factory else 1.0) * (1.1 if aspects else 1.0)
    dropship = rng.random() < (0.45 if supplier.factory else 0.85)
    if related:
        title = f"{related} {' '.join(rng.sample(MARKETING, k=2))}"
        price = rng.uniform(max(1.0, lo * 0.2), max(2.0, lo * 0.8))
    else:
        title = _title(rng, product, aspects, customizable, dropship)
    consign = price * rng.uniform(1.08, 1.3) if dropship else price
    moq = rng.choice((2, 10, 50, 100, 500)) if supplier.factory else rng.choice((1, 1, 2, 3, 5))
    identities = ([rng.choice(("super_factory", "powerful_merchants")), "tp_member"] if supplier.factory
                  else rng.choice((["tp_member"], [])))
    created = listed_at.replace(tzinfo=UTC).astimezone(SHANGHAI)
    ship48 = _rate(rng, 0.6, 0.99)
    return {
        "offerId": offer_id,
        "subject": title,
        "imageUrl": f"https://cbu01.alicdn.com/img/ibank/O1CN01{offer_id[-8:]}{supplier.seller_id[-6:]}_!!0-0-cib.jpg",
        "priceInfo": {"price": f"{price:.2f}", "consignPrice": f"{consign:.2f}"},
        "repurchaseRate": f"{rng.randint(4, 48)}%",
        "monthSold": int(math.exp(rng.gauss(4.0, 1.4))),
        "isOnePsale": dropship,
        "sellerIdentities": identities,
        "tradeScore": f"{rng.uniform(3.8, 5.0):.1f}",
        "minOrderQuantity": moq,
        "topCategoryId": 10000 + sum(map(ord, product.category)) % 9000,
        "secondCategoryId": 100000 + sum(map(ord, product.name)) % 90000,
        "thirdCategoryId": 0,
        "categoryName": f"{product.category}>{product.name}",
        "createDate": created.strftime("%Y-%m-%d %H:%M:%S"),
        "companyName": supplier.name,
        "sellerOpenId": supplier.seller_id,
        "sendGoodsAddressText": f"{supplier.province} {supplier.city}",
        "productSaleInfo": {"unitInfo": {"unit": product.unit}},
        "sellerDataInfo": {
            "compositeServiceScore": f"{rng.uniform(3.5, 5.0):.1f}",
            "logisticsExperienceScore": f"{rng.uniform(3.5, 5.0):.1f}",
            "consultingExperienceScore": f"{rng.uniform(3.0, 5.0):.1f}",
            "repeatPurchasePercent": f"{_rate(rng, 0.05, 0.6):.4f}",
            "tpYear": supplier.tp_year,
            "collect30DayWithin48HPercent": f"{round(ship48 * 100)}%",
        },
        "productSimpleShippingInfo": {
            "shippingTimeGuarantee": "shipIn48Hours" if ship48 > 0.8 else rng.choice(("shipIn24Hours", "")),
            "pickupWithin24hRate30d": f"{_rate(rng, 0.5, 0.99):.2f}",
            "perfectFulfillmentRate30d": f"{_rate(rng, 0.8, 1.0):.2f}",
            "qualityReturnRate30d": f"{_rate(rng, 0.0, 0.05):.3f}",
        },
        "keyword": keyword,
        "product": None if related else product.name,
        "aspects": list(aspects),
        "listed_at": listed_at,
    }


def offer_id(rng: random.Random, taken: set[str]) -> str:
    """A 12-digit 1688 offer id (a long, kept as a string), unique in the world."""
    while True:
        oid = str(rng.randint(600_000_000_000, 799_999_999_999))
        if oid not in taken:
            taken.add(oid)
            return oid


def instant_in(rng: random.Random, start: datetime, end: datetime) -> datetime:
    """A whole-second instant in [start, end)."""
    span = max(1, int((end - start).total_seconds()) - 1)
    return start + timedelta(seconds=rng.randrange(span))
