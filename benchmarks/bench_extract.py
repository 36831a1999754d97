"""Throughput of the extraction stage over the 62,774 real reviews, beside plain jieba.lcut.

Extraction = normalise, split, scan the lexicon, classify the sentences that name an aspect or a cue,
tokenise where a phrase or an unknown product noun must be cut, extract (product, aspect, polarity,
need_type, prices). Run with one worker and with two; the outputs must be identical. Also: the
compiled tokeniser's agreement with jieba on the same reviews, and that it applies the user dictionary; and
how many of the reviews of the eight product categories yield a need with a specific aspect, complaint
reviews (label 0) against praise reviews (label 1) as the check on over-reading.
"""

from __future__ import annotations

import csv
import logging
import os
import platform
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from features.extract import extract_many
from features.lexicon import lexicon
from features.native import active
from features.taxonomy import OTHER_ASPECT, load_taxonomy
from features.tokenize import available, backend

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "data"
DATA = SHARED / "reviews" / "online_shopping_10_cats.csv"


# The search keyword each product category of online_shopping_10_cats would have been found with.
QUERY = {"平板": "平板电脑", "手机": "手机", "水果": "水果", "洗发水": "洗发水", "热水器": "热水器",
         "衣服": "衣服", "计算机": "笔记本电脑", "蒙牛": "牛奶"}


def _reviews() -> list[str]:
    with DATA.open(encoding="utf-8-sig", newline="") as f:
        return [(r["review"] or "").replace("\ufeff", "") for r in csv.DictReader(f)]


def _categories() -> list[str]:
    with DATA.open(encoding="utf-8-sig", newline="") as f:
        return [r["cat"] for r in csv.DictReader(f)]


def _rate(n: int, seconds: float) -> str:
    return f"{n / seconds:,.0f} posts/s ({seconds:.1f}s)"


ROUNDS = 3  # each figure is the best of its rounds: other tenants of a shared host only ever slow a run


def _timed(run) -> tuple[float, float, object]:
    """Wall seconds, CPU seconds of this process and its joined workers, and the run's result."""
    started, before = time.perf_counter(), os.times()
    result = run()
    wall, after = time.perf_counter() - started, os.times()
    return wall, sum(after[k] - before[k] for k in range(4)), result


@pytest.mark.skipif(not DATA.exists(), reason=f"real reviews not found at {DATA}")
def bench_extract_throughput():
    import jieba

    texts = _reviews()
    posts = [{"text": t} for t in texts]
    # As a crawl delivers them: each review with the search keyword its category would be found by.
    keyed = [{"text": t, "query": QUERY.get(c, c)} for t, c in zip(texts, _categories(), strict=True)]
    print(f"\nworkload: {len(texts)} reviews of online_shopping_10_cats, {sum(map(len, texts)):,} chars; "
          f"machine: {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}, "
          f"{platform.python_implementation()} {platform.python_version()}; extraction modules "
          f"{'compiled (make native)' if active() else 'plain Python (make native compiles them)'}")
    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    extract_many(posts[:200])  # load the lexicon, the model and the tokeniser outside the clock
    rounds = []
    for n in range(ROUNDS):
        # Interleaved, so a slow spell of the host falls on all three alike.
        baseline, _, _ = _timed(lambda: [jieba.lcut(t) for t in texts])
        single, single_cpu, one = _timed(lambda: extract_many(posts, workers=1))
        double, double_cpu, two = _timed(lambda: extract_many(posts, workers=2))
        with_keyword, _, found = _timed(lambda: extract_many(keyed, workers=2))
        assert one == two
        rounds.append((baseline, single, double, with_keyword))
        print(f"round {n + 1}: jieba.lcut 1 core {_rate(len(texts), baseline)}; extraction 1 worker "
              f"{_rate(len(texts), single)}, {len(texts) / single_cpu:,.0f} posts per CPU second; 2 workers "
              f"{_rate(len(texts), double)}, {len(texts) / double_cpu:,.0f} posts per CPU second over the "
              f"parent and both workers; 2 workers with keywords {_rate(len(texts), with_keyword)}; "
              f"load {os.getloadavg()[0]:.1f}")
    baseline, single, double, with_keyword = (min(r[k] for r in rounds) for k in range(4))
    print(f"best of {ROUNDS}: plain jieba.lcut, 1 core:  {_rate(len(texts), baseline)}")
    print(f"best of {ROUNDS}: extraction, 1 worker:      {_rate(len(texts), single)}")
    print(f"best of {ROUNDS}: extraction, 2 workers:     {_rate(len(texts), double)}; "
          f"{baseline / double:.1f}x jieba.lcut")
    print(f"best of {ROUNDS}: extraction, 2 workers, each review with its category's keyword: "
          f"{_rate(len(texts), with_keyword)}")
    print(f"needs found: {sum(map(len, one))} in {sum(1 for n in one if n)} reviews without a keyword (no "
          f"title either: the product must be in the text), {sum(map(len, found))} in "
          f"{sum(1 for n in found if n)} with it; 1 and 2 workers gave identical outputs in every round")
    if active():
        plain = _plain_rate()
        print(f"plain Python modules, 1 worker (a subprocess, OPPRADAR_NATIVE=0): {plain:,.0f} posts per CPU "
              f"second; compiled vs plain: {len(texts) / single / plain:.2f}x")


_PLAIN = """
import csv, sys, time
from features.extract import extract_many
from features.native import active
assert not active()
with open(sys.argv[1], encoding="utf-8-sig", newline="") as f:
    posts = [{"text": (r["review"] or "").replace("\ufeff", "")} for r in csv.DictReader(f)]
extract_many(posts[:200])
started = time.process_time()
extract_many(posts)
print(len(posts) / (time.process_time() - started))
"""


def _plain_rate() -> float:
    """Posts per CPU second of the plain (uncompiled) modules, one worker, in a fresh process."""
    env = os.environ | {"OPPRADAR_NATIVE": "0"}
    done = subprocess.run([sys.executable, "-c", _PLAIN, str(DATA)], capture_output=True, text=True,
                          env=env, cwd=Path(__file__).resolve().parents[1], check=True)
    return float(done.stdout.strip().splitlines()[-1])


@pytest.mark.skipif(not DATA.exists() or not available("rjieba"), reason="needs the reviews and rjieba")
def bench_tokenizer_agreement():
    texts = _reviews()
    fast, ref = backend("rjieba"), backend("jieba")
    started = time.perf_counter()
    a = [fast.cut(t) for t in texts]
    t_fast = time.perf_counter() - started
    started = time.perf_counter()
    b = [ref.cut(t) for t in texts]
    t_ref = time.perf_counter() - started
    same = sum(x == y for x, y in zip(a, b, strict=True)) / len(texts)
    print(f"\nrjieba vs jieba, both with the taxonomy user dictionary, {len(texts)} reviews: "
          f"identical tokens on {same:.2%}; rjieba {_rate(len(texts), t_fast)}, "
          f"jieba {_rate(len(texts), t_ref)}")
    assert same >= 0.98
    for word in ("放杯子的地方", "车载冰箱", "防外溅"):
        assert word in fast.cut(f"这个{word}真的不行")


@pytest.mark.skipif(not DATA.exists(), reason=f"real reviews not found at {DATA}")
def bench_aspect_coverage_on_real_reviews():
    with DATA.open(encoding="utf-8-sig", newline="") as f:
        rows = [r for r in csv.DictReader(f) if r["cat"] in QUERY]
    posts = [{"text": (r["review"] or "").replace("\ufeff", ""), "query": QUERY[r["cat"]]} for r in rows]
    found = extract_many(posts, workers=2)
    tax = load_taxonomy()
    vague = lexicon().vague_aspects
    print(f"\nworkload: {len(rows)} reviews of the 8 product categories, each with its category's keyword")
    for label, name in (("0", "complaint reviews"), ("1", "praise reviews")):
        idx = [i for i, r in enumerate(rows) if r["label"] == label]
        complaints = [[n for n in found[i] if n["polarity"] == "complaint"] for i in idx]
        specific = sum(any(n["aspect"] in tax.aspects and n["aspect"] not in vague for n in c)
                       for c in complaints)
        phrase = sum(any(n["aspect"] not in tax.aspects and n["aspect"] != OTHER_ASPECT for n in c)
                     for c in complaints)
        top = Counter(n["aspect"] for c in complaints for n in c).most_common(8)
        n = len(idx)
        print(f"{name:<18} {n:>6}: a complaint need {sum(map(bool, complaints)) / n:.1%}, "
              f"with a taxonomy aspect {specific / n:.1%}, with a phrase aspect {phrase / n:.1%}; "
              f"top {' '.join(f'{a}:{k}' for a, k in top)}")
