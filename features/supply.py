"""Match supplier offers to needs by the words of their titles, as of the end of a week.

An offer is about a product when its title names the product or a synonym (for a product outside
the taxonomy: all its jieba words, or three quarters of its character bigrams, found through the BM25
index of features/offer_index.py). Among those, it addresses the aspect when the title says so
(带杯架, 防外溅, 静音). An aspect no title can claim to fix (其他, 价格: no offer words) is
addressed by every offer of the product, so a vague need is never thinner in supply than its product. Offers
are shown in BM25 order of product and aspect words. For week t only
offers listed before week_end(t) count, so a week never sees supply that appeared later.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import numpy as np
import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from features.offer_index import OfferIndex, query_of
from features.taxonomy import OTHER_ASPECT, Taxonomy, load_taxonomy, word_pattern
from features.text import char_bigrams, normalize, tokenize
from store.schema import offers
from store.weeks import shift_week, week_end, week_start

MAX_OFFER_IDS = 10
BIGRAM_COVERAGE = 0.75
ASPECT_WEIGHT = 0.5   # in the ranking query, aspect words count half as much as product words
# An offer answers buyers as far as it sells: at SOLD_TO_ANSWER units in 30 days it counts as one whole
# answering offer, one that sells nothing as none; unknown sales count whole (we cannot tell).
SOLD_TO_ANSWER = 10.0
OFFER_COLUMNS = ["platform", "offer_id", "title", "category", "price_min", "moq", "supplier_type", "dropship",
                 "customizable", "ship_48h_rate", "repurchase_rate", "sales_30d", "listed_at"]
SUPPLY_KEYS = ["matching_offers", "aspect_offers", "aspect_offer_share", "new_offers_4w", "price_p25",
               "price_p50", "price_p75", "factory_share", "customizable_share", "dropship_share", "min_moq",
               "ship_48h_rate", "repurchase_rate", "aspect_new_offers_4w", "new_offers_1w",
               "aspect_price_p50", "aspect_offers_selling", "offer_category"]


def load_offers(engine: Engine, before: datetime | None = None) -> pd.DataFrame:
    """Offers (the columns supply features use), listed before `before` if given."""
    stmt = sa.select(*(offers.c[c] for c in OFFER_COLUMNS))
    if before is not None:
        stmt = stmt.where(offers.c.listed_at < before)
    with engine.connect() as conn:
        frame = pd.DataFrame(conn.execute(stmt).mappings().all(), columns=OFFER_COLUMNS)
    return frame


class SupplyIndex:
    """Offers indexed by the products and aspects their titles name; features per need and week."""

    def __init__(self, offers_frame: pd.DataFrame, taxonomy: Taxonomy | None = None) -> None:
        self.taxonomy = taxonomy or load_taxonomy()
        frame = offers_frame.reset_index(drop=True).copy()
        frame["listed_at"] = pd.to_datetime(frame["listed_at"])
        frame["norm_title"] = [normalize(t) for t in frame["title"].fillna("")]
        self.offers = frame
        self._products: dict[str, np.ndarray] = {}
        self._product_cache: dict[str, pd.DataFrame] = {}
        self._array_cache: dict[str, _Arrays] = {}
        self._hit_cache: dict[tuple[str, str], np.ndarray] = {}
        self._week_cache: dict[tuple[str, str], dict[str, Any]] = {}
        self._offer_word_aspects: dict[str, set[str]] = {}
        for aspect in self.taxonomy.aspects.values():
            for word in aspect.offer_words:
                self._offer_word_aspects.setdefault(word.lower(), set()).add(aspect.name)
        self._offer_pattern = word_pattern(self._offer_word_aspects)
        self._index_taxonomy_products()
        self._bm25: OfferIndex | None = None

    @property
    def bm25(self) -> OfferIndex:
        """The BM25 index of the offer titles, built on first use."""
        if self._bm25 is None:
            listed = self.offers["listed_at"].to_numpy(dtype="datetime64[ns]").astype("int64")
            self._bm25 = OfferIndex(self.offers["title"].fillna("").tolist(), listed)
        return self._bm25

    def ranked(self, product: str, aspect: str, week: str | None = None) -> pd.DataFrame:
        """Offers about the product (listed by the end of `week`), best BM25 match of product and aspect
        first, with columns `addresses` and `bm25`."""
        sub = self.offers_about(product).copy()
        sub["addresses"] = self.addresses(product, aspect)
        if week is not None:
            sub = sub[sub["listed_at"] < pd.Timestamp(week_end(week))]
        if sub.empty:
            return sub.assign(bm25=np.zeros(0))
        parts = [(product, 1.0)] + ([(aspect, ASPECT_WEIGHT)] if aspect != OTHER_ASPECT else [])
        known = self.taxonomy.aspects.get(aspect)
        if known:
            parts += [(w, ASPECT_WEIGHT) for w in known.offer_words]
        sub["bm25"] = self.bm25.scores(query_of(parts), sub.index.to_numpy())
        return sub.sort_values(["addresses", "bm25", "offer_id"], ascending=[False, False, True])

    def _index_taxonomy_products(self) -> None:
        found: dict[str, list[int]] = {}
        aspects: list[frozenset[str]] = []
        for i, title in enumerate(self.offers["norm_title"]):
            pattern = self.taxonomy.product_pattern
            named = {self.taxonomy.forms[m.group()].value for m in pattern.finditer(title)}
            for product in named:
                found.setdefault(product, []).append(i)
            # 保温杯 says 保温 and 收纳盒 says 收纳: the product's own name never addresses an aspect.
            rest = pattern.sub(" ", title)
            aspects.append(frozenset(a for m in self._offer_pattern.finditer(rest)
                                     for a in self._offer_word_aspects[m.group()]))
        self.offers["aspects"] = aspects
        self._products = {p: np.asarray(rows, dtype="int64") for p, rows in found.items()}

    def offers_about(self, product: str) -> pd.DataFrame:
        """The offers about a product, oldest listing first."""
        if product not in self._product_cache:
            if product in self.taxonomy.products:
                rows = self._products.get(product, np.empty(0, dtype="int64"))
            else:
                rows = self._fuzzy_rows(product)
            self._product_cache[product] = self.offers.iloc[rows].sort_values("listed_at", kind="mergesort")
        return self._product_cache[product]

    def _arrays(self, product: str) -> _Arrays:
        if product not in self._array_cache:
            self._array_cache[product] = _Arrays.of(self.offers_about(product))
        return self._array_cache[product]

    def _fuzzy_rows(self, product: str) -> np.ndarray:
        """Offers for a product outside the taxonomy: its name, all its words, or most of its bigrams."""
        name = normalize(product)
        if not name:
            return np.empty(0, dtype="int64")
        words = tokenize(name) or [name]
        grams = char_bigrams(name)
        titles = self.offers["norm_title"]
        # the index narrows the titles to those sharing a bigram with the name; the rule decides
        multi = [g for g in grams if len(g) == 2]
        candidates = self.bm25.containing(grams=multi, min_grams=1) if multi else range(len(titles))
        rows = []
        for i in candidates:
            title = titles.iat[i]
            if name in title or all(w in title for w in words) or (
                    len(grams) >= 2 and sum(g in title for g in grams) >= BIGRAM_COVERAGE * len(grams)):
                rows.append(i)
        return np.asarray(rows, dtype="int64")

    def addresses(self, product: str, aspect: str) -> np.ndarray:
        """Which offers about the product (oldest first) already address the aspect, by title words."""
        key = (product, aspect)
        if key not in self._hit_cache:
            sub = self.offers_about(product)
            if sub.empty:
                hits = np.zeros(0, dtype=bool)
            elif not self.taxonomy.offers_can_name(aspect):
                # 「衣服 · 其他问题」 and 太贵 name nothing a title could claim to fix: each offer of the
                # product answers them as much as any, so their supply is the product's, not none.
                hits = np.ones(len(sub), dtype=bool)
            elif aspect in self.taxonomy.aspects:
                hits = np.fromiter((aspect in a for a in sub["aspects"]), dtype=bool, count=len(sub))
            else:
                phrase = normalize(aspect)
                words = tokenize(phrase) or [phrase]
                hits = np.fromiter((phrase in t or all(w in t for w in words) for t in sub["norm_title"]),
                                   dtype=bool, count=len(sub))
            self._hit_cache[key] = hits
        return self._hit_cache[key]

    def features(self, product: str, aspect: str, week: str) -> dict[str, Any]:
        """Supply features of a need for a week, and the matched offer ids (aspect offers first)."""
        arrays = self._arrays(product)
        n = int(np.searchsorted(arrays.listed, np.datetime64(week_end(week), "ns"), side="left"))
        out = dict(self._product_features(product, week, arrays, n))
        hits = self.addresses(product, aspect)[:n]
        out["aspect_offers"] = int(hits.sum())
        sold = arrays.sales[:n][hits]  # -1: sales unknown
        answering = np.where(sold < 0, 1.0, np.minimum(1.0, sold / SOLD_TO_ANSWER))
        out["aspect_offers_selling"] = round(float(answering.sum()), 2)
        out["aspect_offer_share"] = _round(hits.mean()) if n else None
        # aspect offers first, then the best sellers, then by id so ties are stable
        order = np.lexsort((arrays.offer_id[:n], -arrays.sales[:n], ~hits))
        out["offer_ids"] = [str(x) for x in arrays.offer_id[:n][order[:MAX_OFFER_IDS]]]
        recent = np.datetime64(week_start(shift_week(week, -3)), "ns")
        out["aspect_new_offers_4w"] = int((hits & (arrays.listed[:n] >= recent)).sum())
        aspect_prices = arrays.price[:n][hits & ~np.isnan(arrays.price[:n])]
        out["aspect_price_p50"] = round(float(np.median(aspect_prices)), 2) if len(aspect_prices) else None
        return out

    def _product_features(self, product: str, week: str, a: _Arrays, n: int) -> dict[str, Any]:
        key = (product, week)
        if key not in self._week_cache:
            recent = np.datetime64(week_start(shift_week(week, -3)), "ns")
            this_week = np.datetime64(week_start(week), "ns")
            out: dict[str, Any] = {"matching_offers": n, "new_offers_4w": int((a.listed[:n] >= recent).sum()),
                                   "new_offers_1w": int((a.listed[:n] >= this_week).sum()),
                                   "offer_category": _top(a.category[:n])}
            for q, name in ((0.25, "price_p25"), (0.5, "price_p50"), (0.75, "price_p75")):
                out[name] = round(float(np.quantile(a.price[:n], q)), 2) if n else None
            out["factory_share"] = _round(a.factory[:n].mean()) if n else None
            out["customizable_share"] = _round(a.customizable[:n].mean()) if n else None
            out["dropship_share"] = _round(a.dropship[:n].mean()) if n else None
            moq = a.moq[:n][~np.isnan(a.moq[:n])]
            out["min_moq"] = int(moq.min()) if len(moq) else None
            for name in ("ship_48h_rate", "repurchase_rate"):
                values = getattr(a, name)[:n]
                values = values[~np.isnan(values)]
                out[name] = _round(np.median(values)) if len(values) else None
            self._week_cache[key] = out
        return self._week_cache[key]


@dataclass(frozen=True)
class _Arrays:
    """One product's offers as numpy columns, oldest listing first."""

    listed: np.ndarray
    price: np.ndarray
    factory: np.ndarray
    customizable: np.ndarray
    dropship: np.ndarray
    moq: np.ndarray
    ship_48h_rate: np.ndarray
    repurchase_rate: np.ndarray
    sales: np.ndarray
    offer_id: np.ndarray
    category: np.ndarray

    @classmethod
    def of(cls, sub: pd.DataFrame) -> _Arrays:
        def num(name: str) -> np.ndarray:
            return pd.to_numeric(sub[name], errors="coerce").to_numpy(dtype="float64", na_value=np.nan)

        return cls(listed=sub["listed_at"].to_numpy(dtype="datetime64[ns]"), price=num("price_min"),
                   factory=(sub["supplier_type"] == "factory").to_numpy(dtype=bool),
                   customizable=sub["customizable"].fillna(False).to_numpy(dtype=bool),
                   dropship=sub["dropship"].fillna(False).to_numpy(dtype=bool), moq=num("moq"),
                   ship_48h_rate=num("ship_48h_rate"), repurchase_rate=num("repurchase_rate"),
                   sales=np.nan_to_num(num("sales_30d"), nan=-1.0),
                   offer_id=sub["offer_id"].astype(str).to_numpy(dtype=object),
                   category=sub["category"].fillna("").astype(str).to_numpy(dtype=object))


def _top(values: np.ndarray) -> str:
    """The most common non-empty value (ties: the first in sorted order), or ""."""
    values = [v for v in values if v]
    if not values:
        return ""
    uniq, counts = np.unique(np.asarray(values, dtype=object).astype(str), return_counts=True)
    return str(uniq[np.argmax(counts)])


def _round(value: Any, digits: int = 4) -> float | None:
    if value is None or pd.isna(value):
        return None
    return round(float(value), digits)
