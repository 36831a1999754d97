"""Map 1688 API items (search results, product details, scraped offer pages) to Offer records.

Field names from FORMATS.md. Where 1688 has no field the mapping infers one, documented per line:
customizable from words in the title and attributes, supplier_type "factory" for super_factory /
powerful_merchants sellers (else "unknown"), response_rate from consultingExperienceScore (out of 5),
ship_48h_rate from collect30DayWithin48HPercent or else pickupWithin24hRate30d (a lower bound).
"""

from __future__ import annotations

import re
from typing import Any

from crawlers.importers.values import FieldError, convert, is_blank, parse_local_time, parse_rate, to_id

CUSTOM_WORDS = ("来图定制", "来样定制", "定制", "oem", "odm", "可印logo")
FACTORY_IDENTITIES = frozenset({"super_factory", "powerful_merchants"})
_PRICE_RE = re.compile(r"\d+(?:\.\d+)?")


def is_1688_item(row: dict[str, Any]) -> bool:
    return "offerId" in row


def _get(obj: Any, dotted: str) -> Any:
    for key in dotted.split("."):
        if not isinstance(obj, dict):
            return None
        obj = obj.get(key)
    return obj


def _first(item: dict[str, Any], *paths: str) -> tuple[Any, str]:
    """The first non-blank value among dotted paths, and the path it came from (for errors)."""
    for path in paths:
        value = _get(item, path)
        if not is_blank(value):
            return value, path
    return None, paths[0]


def offer_from_1688(item: dict[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    """The loose Offer dict of an item, and which 1688 key each Offer field came from."""
    offer_id = convert(to_id, item.get("offerId"), "offerId")
    title, title_key = _first(item, "subject", "subjectTrans", "title")
    price_min, price_max, price_key = _prices(item)
    moq, moq_key = _first(item, "minOrderQuantity", "quantityBegin")
    ranges = _get(item, "productSaleInfo.priceRangeList")
    if is_blank(moq) and isinstance(ranges, list) and ranges:
        moq, moq_key = ranges[0].get("startQuantity"), "priceRangeList.startQuantity"
    listed, listed_key = _first(item, "createDate", "gmtCreate")
    repurchase, repurchase_key = _first(item, "sellerDataInfo.repeatPurchasePercent", "repurchaseRate",
                                        "company.repurchaseRate")
    ship48, ship_key = _first(item, "sellerDataInfo.collect30DayWithin48HPercent",
                              "productSimpleShippingInfo.pickupWithin24hRate30d")
    consulting, consulting_key = _first(item, "sellerDataInfo.consultingExperienceScore")
    rating, rating_key = _first(item, "tradeScore", "sellerDataInfo.compositeServiceScore")
    province, city = _place(item)
    offer = {
        "platform": "1688", "offer_id": offer_id, "title": title,
        "url": _first(item, "detailUrl")[0] or f"https://detail.1688.com/offer/{offer_id}.html",
        "category": _first(item, "categoryName")[0] or "",
        "price_min": price_min, "price_max": price_max, "moq": moq,
        "unit": _first(item, "productSaleInfo.unitInfo.unit", "unit")[0],
        "supplier_id": to_id(_first(item, "sellerOpenId", "memberId", "company.memberId")[0]),
        "supplier_name": _first(item, "companyName", "company.name")[0],
        "supplier_type": "factory" if _identities(item) & FACTORY_IDENTITIES else "unknown",
        "province": province, "city": city, "dropship": _dropship(item),
        "customizable": _customizable(item),
        "ship_48h_rate": convert(parse_rate, ship48, ship_key),
        "repurchase_rate": convert(parse_rate, repurchase, repurchase_key),
        "response_rate": _score_share(consulting, consulting_key),
        "sales_30d": _first(item, "monthSold", "sales30d")[0],
        "rating": rating,
        "listed_at": convert(parse_local_time, listed, listed_key),
        "image_url": _first(item, "imageUrl")[0] or _first_image(item),
    }
    sources = {"offer_id": "offerId", "title": title_key, "price_min": price_key, "price_max": price_key,
               "moq": moq_key, "listed_at": listed_key, "rating": rating_key, "sales_30d": "monthSold"}
    return offer, sources


def _prices(item: dict[str, Any]) -> tuple[float | None, float | None, str]:
    ranges = _get(item, "productSaleInfo.priceRangeList")
    if isinstance(ranges, list) and ranges:
        prices = [convert(_one_price, r.get("price"), "priceRangeList.price") for r in ranges]
        return min(prices), max(prices), "priceRangeList.price"
    value, key = _first(item, "priceInfo.price", "price", "priceInfo.consignPrice",
                        "productSaleInfo.retailPrice")
    if is_blank(value):
        return None, None, key
    if isinstance(value, (int, float)):
        return float(value), float(value), key
    found = [float(p) for p in _PRICE_RE.findall(str(value))]
    if not found:
        raise FieldError(key, f"not a price: {value!r}")
    return min(found), max(found), key


def _one_price(value: Any) -> float:
    if isinstance(value, (int, float)):
        return float(value)
    return float(str(value).strip().lstrip("¥￥"))


def _identities(item: dict[str, Any]) -> set[str]:
    found: set[str] = set()
    for key in ("sellerIdentities", "offerIdentities"):
        value = item.get(key) or []
        found.update([value] if isinstance(value, str) else map(str, value))
    return found


def _dropship(item: dict[str, Any]) -> bool:
    flag = item.get("isOnePsale")
    if not is_blank(flag):
        return str(flag).strip().lower() in ("true", "1", "yes")
    return not is_blank(_get(item, "productSaleInfo.fenxiaoSaleInfo.onePiecePrice"))


def _customizable(item: dict[str, Any]) -> bool:
    words = [str(item.get("subject") or ""), str(item.get("subjectTrans") or "")]
    for attribute in item.get("productAttribute") or []:
        if isinstance(attribute, dict):
            words.extend(str(v) for v in attribute.values())
    text = " ".join(words).lower()
    return any(word in text for word in CUSTOM_WORDS)


def _place(item: dict[str, Any]) -> tuple[str | None, str | None]:
    if not is_blank(item.get("province")):
        return str(item["province"]).strip(), (str(item.get("city") or "").strip() or None)
    address = _get(item, "productShippingInfo.sendGoodsAddressText")
    parts = str(address or "").split()
    return (parts[0] if parts else None), (parts[1] if len(parts) > 1 else None)


def _score_share(value: Any, key: str) -> float | None:
    """A 0..5 service score as a 0..1 share; 1688 gives reply quality only as such a score."""
    if is_blank(value):
        return None
    score = convert(float, value, key)
    if not 0 <= score <= 5:
        raise FieldError(key, f"score {value!r} is outside 0..5")
    return round(score / 5, 4)


def _first_image(item: dict[str, Any]) -> str | None:
    images = _get(item, "productImage.images")
    return str(images[0]) if isinstance(images, list) and images else None
