"""Matching quality on hand-labelled need/offer pairs (tests/data/need_offer_pairs.tsv).

Every offer of the file is in the pool of every need; a returned offer without a label for the need is
counted wrong. P@5 of "about the product" reads each need's top 5 offers; P@5 of "addresses the aspect"
reads the top 5 of those the matcher says address the aspect.
"""

from __future__ import annotations

import csv
from datetime import datetime
from pathlib import Path

import pandas as pd
import pytest

from features.supply import OFFER_COLUMNS, SupplyIndex

PAIRS = Path(__file__).parents[1] / "data" / "need_offer_pairs.tsv"
K = 5


def _labelled() -> tuple[pd.DataFrame, dict[str, dict[str, tuple[int, int]]]]:
    with PAIRS.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    labels: dict[str, dict[str, tuple[int, int]]] = {}
    titles: dict[str, str] = {}
    for r in rows:
        labels.setdefault(r["need_key"], {})[r["offer_id"]] = (int(r["about"]), int(r["addresses"]))
        titles[r["offer_id"]] = r["title"]
    pool = pd.DataFrame([{c: None for c in OFFER_COLUMNS} | {"platform": "1688", "offer_id": oid, "title": t,
                                                               "price_min": 10.0, "supplier_type": "unknown",
                                                               "listed_at": datetime(2026, 1, 5)}
                         for oid, t in titles.items()], columns=OFFER_COLUMNS)
    return pool, labels


def precision_at_k(index: SupplyIndex, labels: dict[str, dict[str, tuple[int, int]]], k: int = K
                   ) -> dict[str, float]:
    """Macro P@k over needs with at least one returned offer, for both decisions, and how many needs."""
    about, aspect = [], []
    for key, truth in labels.items():
        product, asp = key.split("|")
        ranked = index.ranked(product, asp)
        top = ranked["offer_id"].head(k).tolist()
        if top:
            about.append(sum(truth.get(o, (0, 0))[0] for o in top) / len(top))
        hits = ranked.loc[ranked["addresses"], "offer_id"].head(k).tolist()
        if hits:
            aspect.append(sum(truth.get(o, (0, 0))[1] for o in hits) / len(hits))
    return {"about_p5": sum(about) / len(about), "aspect_p5": sum(aspect) / len(aspect),
            "needs": len(labels), "needs_with_offers": len(about), "needs_with_aspect_offers": len(aspect)}


def test_the_labelled_file_is_big_enough():
    pool, labels = _labelled()
    assert sum(len(v) for v in labels.values()) >= 150 and len(labels) >= 25
    assert len(pool) == pool["offer_id"].nunique()


def test_precision_at_5_on_labelled_pairs(capsys):
    pool, labels = _labelled()
    figures = precision_at_k(SupplyIndex(pool), labels)
    with capsys.disabled():
        print(f"\nmatching on {PAIRS.name}: {figures}")
    assert figures["about_p5"] >= 0.8
    assert figures["aspect_p5"] >= 0.7
    # the matcher must find something for almost every need, or precision alone means little
    assert figures["needs_with_offers"] >= 0.9 * figures["needs"]
    assert figures["needs_with_aspect_offers"] >= 0.8 * figures["needs"]


@pytest.mark.parametrize(("product", "aspect", "expected"), [
    ("车载冰箱", "杯架", {"L001", "L002"}),       # 车用冰箱 … 杯托 is a synonym on both sides
    ("挂脖风扇", "续航", {"L065", "L067"}),        # outside the taxonomy, by its words
])
def test_synonyms_join(product, aspect, expected):
    pool, _ = _labelled()
    ranked = SupplyIndex(pool).ranked(product, aspect)
    assert set(ranked.loc[ranked["addresses"], "offer_id"]) == expected


def test_sandbox_spec_words_never_claim_an_aspect_the_offer_does_not_address():
    """A generic 1688 title is stuffed with the product's spec words (电热水壶自动断电); if the taxonomy
    counted one of them as answering a planted aspect, every generic offer would look like supply for
    it and the sandbox's truth, which counts only offers planted so, would disagree with every ranking.
    恒温 answering 保温 is left on purpose: a real 恒温 kettle or milk warmer does keep warm."""
    from crawlers.sandbox.catalog import NEEDS, PRODUCTS_BY_NAME
    from features.taxonomy import load_taxonomy

    taxonomy = load_taxonomy()
    allowed = {("温奶器", "保温", "恒温")}
    clashes = [(plan.product, plan.aspect, spec)
               for plan in NEEDS if plan.aspect in taxonomy.aspects
               for spec in PRODUCTS_BY_NAME[plan.product].specs
               for word in taxonomy.aspects[plan.aspect].offer_words
               if word in spec and (plan.product, plan.aspect, spec) not in allowed]
    assert clashes == []
