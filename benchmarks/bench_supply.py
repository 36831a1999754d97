"""Supply matching at scale: 10,000 needs against 1,000,000 offers, top 20 per need, with listing cutoffs.

Baseline in the same run: brute force (every offer scored exactly) on a sample of needs, for the
top-20 recall of the index and the time the brute force would take for all needs.
"""

from __future__ import annotations

import os
import platform
import resource
import time

import numpy as np
import pytest

from features.offer_index import OfferIndex, query_of
from features.taxonomy import load_taxonomy

N_OFFERS = int(os.environ.get("BENCH_OFFERS", 1_000_000))
N_NEEDS = int(os.environ.get("BENCH_NEEDS", 10_000))
K = 20
SAMPLE = 100
WORKERS = min(2, os.cpu_count() or 1)
WEEKS = 52
FILLER = ["工厂直销", "一件代发", "批发", "新款", "2026", "家用", "大号", "小号", "定制", "来图定制", "跨境",
          "爆款", "现货", "厂家", "包邮", "加厚", "便携", "多功能", "ins风", "网红", "北欧", "简约", "创意",
          "oem", "可印logo", "源头工厂", "亚马逊", "外贸", "礼品", "学生", "宿舍", "办公室", "户外"]


def _world(seed: int = 7) -> tuple[list[str], np.ndarray, list[tuple[str, str]], np.ndarray]:
    """Seeded offer titles (a product form, aspect words, filler, a model code) and needs with cutoffs."""
    rng = np.random.default_rng(seed)
    tax = load_taxonomy()
    forms = [f for f, form in tax.forms.items() if form.kind == "product"]
    aspects = list(tax.aspects.values())
    offer_words = [w for a in aspects for w in a.offer_words]
    p = rng.integers(0, len(forms), N_OFFERS)
    a = rng.integers(0, len(offer_words), (N_OFFERS, 2))
    f = rng.integers(0, len(FILLER), (N_OFFERS, 3))
    code = rng.integers(0, 5000, N_OFFERS)
    keep_aspect = rng.random(N_OFFERS) < 0.4
    titles = [f"{forms[p[i]]} {offer_words[a[i, 0]] if keep_aspect[i] else ''} {FILLER[f[i, 0]]} "
              f"{FILLER[f[i, 1]]} {offer_words[a[i, 1]]} {FILLER[f[i, 2]]} X{code[i]}"
              for i in range(N_OFFERS)]
    listed = rng.integers(0, WEEKS * 7 * 86_400, N_OFFERS)
    products = list(tax.products)
    # a third of the needs are about products outside the taxonomy, named by two taxonomy words
    needs = []
    for i in range(N_NEEDS):
        product = products[rng.integers(len(products))]
        if i % 3 == 0:
            product = f"{FILLER[rng.integers(len(FILLER))]}{product}"
        needs.append((product, aspects[rng.integers(len(aspects))].name))
    cutoffs = rng.integers(4 * 7 * 86_400, WEEKS * 7 * 86_400, N_NEEDS)
    return titles, listed, needs, cutoffs


def _query(tax, product: str, aspect: str):
    known = tax.aspects.get(aspect)
    words = known.offer_words if known else ()
    return query_of([(product, 1.0), (aspect, 0.5), *((w, 0.5) for w in words)])


def _rss_gb(who: int = resource.RUSAGE_SELF) -> float:
    return resource.getrusage(who).ru_maxrss / 1024 ** 2


@pytest.mark.filterwarnings("ignore")
def bench_match_needs_against_offers(tmp_path, monkeypatch):
    monkeypatch.setenv("OPPRADAR_HOME", str(tmp_path))
    tax = load_taxonomy()
    started = time.perf_counter()
    titles, listed, needs, cutoffs = _world()
    world_s = time.perf_counter() - started
    started = time.perf_counter()
    index = OfferIndex(titles, listed)
    build_s = time.perf_counter() - started
    started = time.perf_counter()
    queries = [_query(tax, p, a) for p, a in needs]
    rows, scores = index.top_k(queries, K, before=cutoffs, workers=WORKERS)
    match_s = time.perf_counter() - started
    rng = np.random.default_rng(1)
    sample = rng.choice(N_NEEDS, size=min(SAMPLE, N_NEEDS), replace=False)
    started = time.perf_counter()
    recalls = []
    for i in sample:
        exact_rows, exact_scores = index.brute_force(queries[i], K, before=int(cutoffs[i]))
        if not len(exact_rows):
            continue
        # ties at the 20th score make several top-20 sets equally right: count a hit by its exact score
        floor = exact_scores[-1] - 1e-4
        full = index.scores(queries[i], rows[i][rows[i] >= 0])
        recalls.append(min(1.0, float((full >= floor).sum()) / len(exact_rows)))
    brute_s = (time.perf_counter() - started) / len(sample) * N_NEEDS
    recall = float(np.mean(recalls))
    peak, workers_peak = _rss_gb(), _rss_gb(resource.RUSAGE_CHILDREN)
    print(f"\nbench_supply: {N_OFFERS:,} offers ({index.n_terms:,} terms, {index.weights.nnz:,} postings) × "
          f"{N_NEEDS:,} needs, top {K}, listing cutoffs per need; machine {platform.machine()} "
          f"{os.cpu_count()} cpus, load {os.getloadavg()[0]:.1f}, python {platform.python_version()}")
    print(f"  synthetic world {world_s:.1f}s; index build (jieba words + bigrams, BM25) {build_s:.1f}s")
    print(f"  match {N_NEEDS:,} needs: {match_s:.1f}s ({match_s / N_NEEDS * 1e3:.2f} ms/need, {WORKERS} "
          f"forked workers); build + match {build_s + match_s:.1f}s")
    print(f"  baseline brute force (every offer scored): {brute_s / N_NEEDS * 1e3:.1f} ms/need, "
          f"{brute_s:.0f}s for all needs (measured on {len(sample)})")
    print(f"  top-{K} recall vs brute force: {recall:.4f} over {len(recalls)} needs; peak RSS {peak:.2f} GB "
          f"(a worker: {workers_peak:.2f} GB, mostly pages shared with the parent)")
    assert recall >= 0.95
    assert match_s < 60 and peak < 4.0
