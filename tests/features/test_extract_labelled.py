"""(product, aspect) precision and recall on hand-written, hand-labelled sentences (tests/data)."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

from features.extract import extract_needs
from features.taxonomy import NEED_TYPES, load_taxonomy

LABELLED = Path(__file__).resolve().parents[1] / "data" / "need_sentences.tsv"
CATEGORIES = "家居日用 厨房 汽车用品 母婴 宠物 数码配件 个护 服饰鞋包 户外运动 食品".split()


def _rows() -> list[dict[str, str]]:
    with LABELLED.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f, delimiter="\t"))


def _gold(row: dict[str, str]) -> set[tuple[str, str]]:
    """A sentence that voices two aspects lists both, separated by ';'."""
    return {(row["product"], aspect) for aspect in row["aspect"].split(";")}


def test_the_labelled_set_covers_categories_need_types_and_unknown_products():
    rows = _rows()
    tax = load_taxonomy()
    assert len(rows) >= 200
    assert set(CATEGORIES) <= {r["category"] for r in rows}
    assert set(NEED_TYPES) <= {r["need_type"] for r in rows}
    assert {r["polarity"] for r in rows} == {"complaint", "wish", "praise"}
    outside = [r for r in rows if r["product"] not in tax.products]
    assert len(outside) / len(rows) >= 0.25


def test_product_aspect_precision_and_recall():
    tp = fp = fn = 0
    misses = []
    for row in _rows():
        needs = extract_needs({"text": row["text"], "query": row["query"] or None, "title": row["title"]})
        found = {(n["product"], n["aspect"]) for n in needs}
        gold = _gold(row)
        tp, fp, fn = tp + len(found & gold), fp + len(found - gold), fn + len(gold - found)
        if found != gold:
            misses.append((row["text"], sorted(gold), sorted(found)))
    precision, recall = tp / (tp + fp), tp / (tp + fn)
    assert precision >= 0.85 and recall >= 0.75, (precision, recall, misses)


def test_polarity_of_the_found_pairs():
    agree = Counter()
    for row in _rows():
        needs = extract_needs({"text": row["text"], "query": row["query"] or None, "title": row["title"]})
        for need in needs:
            if (need["product"], need["aspect"]) in _gold(row):
                agree[need["polarity"] == row["polarity"]] += 1
    assert agree[True] / sum(agree.values()) >= 0.9, agree
