"""Map 1688 API items (search results, product details, scraped offer pages) to Offer records.

Field names from FORMATS.md. Where 1688 has no field the mapping infers one, documented per line:
customizable from words in the title and attributes (negations such as 不支持定制 excluded),
category from categoryName (search items carry ids only: CategoryNames names them), supplier_type
"factory" for super_factory / powerful_merchants sellers (else "unknown"), response_rate from
consultingExperienceScore (out of 5), ship_48h_rate from collect30DayWithin48HPercent or else
pickupWithin24hRate30d (a lower bound).
"""

from __future__ import annotations

import re
from typing import Any

from crawlers.importers.values import FieldError, convert, is_blank, parse_local_time, parse_rate, to_id

CUSTOM_WORDS = ("来图定制", "来样定制", "定制", "oem", "odm", "可印logo")
CUSTOM_ATTRIBUTES = ("定制", "加工")  # attribute names such as 是否支持定制, 加工定制
YES_VALUES = frozenset({"是", "支持", "可", "可以", "接受", "yes", "true", "1"})
# "不支持定制" and the like say the opposite; dropped before looking for the words
_NEGATED_RE = re.compile(r"(?:不支持|不接受|不提供|不可|不|无|非)(?:来图|来样)?定制")
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
        "supplier_id": convert(to_id, *_first(item, "sellerOpenId", "memberId", "company.memberId")),
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
    """Customisation said in the title, or an attribute: 加工定制 = 是, or a value naming OEM/来图定制."""
    title = " ".join(str(item.get(k) or "") for k in ("subject", "subjectTrans", "title"))
    if _says_custom(title):
        return True
    for attribute in item.get("productAttribute") or []:
        if not isinstance(attribute, dict):
            continue
        name = str(attribute.get("attributeName") or attribute.get("attributeNameTrans") or "")
        value = str(attribute.get("value") or attribute.get("valueTrans") or "").strip()
        if any(word in name for word in CUSTOM_ATTRIBUTES) and value.lower() in YES_VALUES:
            return True
        if _says_custom(value):
            return True
    return False


def _says_custom(text: str) -> bool:
    text = _NEGATED_RE.sub("", text.lower())
    return any(word in text for word in CUSTOM_WORDS)


class CategoryNames:
    """Search items carry category ids only; detail items in the same import name some of those ids."""

    def __init__(self) -> None:
        self.names: dict[str, str] = {}
        self._unnamed: list[tuple[dict[str, Any], list[str]]] = []

    def add(self, item: dict[str, Any], offer: dict[str, Any]) -> None:
        """Learn the item's categoryId -> categoryName; remember an unnamed offer's ids, narrowest first."""
        category_id = convert(to_id, item.get("categoryId"), "categoryId")
        name = str(item.get("categoryName") or "").strip()
        if category_id and name:
            self.names[category_id] = name
        if not offer["category"]:
            ids = [convert(to_id, item.get(k), k) for k in ("categoryId", "thirdCategoryId",
                                                             "secondCategoryId", "topCategoryId")]
            if any(ids):
                self._unnamed.append((offer, [i for i in ids if i]))

    def fill(self) -> int:
        """Name the unnamed offers whose ids a detail item named; how many got a name."""
        named = 0
        for offer, ids in self._unnamed:
            name = next((self.names[i] for i in ids if i in self.names), None)
            if name:
                offer["category"] = name
                named += 1
        return named


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
