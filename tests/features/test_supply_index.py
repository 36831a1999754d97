"""The BM25 offer index: exact top k against brute force, listing cutoffs, word and bigram terms."""

from __future__ import annotations

import numpy as np
import pytest

from features import offer_index
from features.offer_index import OfferIndex, query_of

TITLES = ["车载冰箱12V 带杯架 工厂直销", "车用冰箱 压缩机制冷 批发", "车载冰箱 配杯托 新款",
          "保温杯 316不锈钢 带杯架挂绳", "挂脖式风扇 USB充电 静音", "落地风扇 家用", "车载冰箱 静音 家用"]


def test_top_k_follows_bm25_and_listing_cutoffs():
    index = OfferIndex(TITLES, np.arange(len(TITLES)))
    q = query_of([("车载冰箱", 1.0), ("杯架", 0.5)])
    rows, scores = index.top_k([q, q], 3, before=np.array([100, 2]))
    assert rows[0][0] == 0 and set(rows[0]) == {0, 2, 6}
    assert scores[0][0] >= scores[0][1] >= scores[0][2] > 0
    # listed at 0 and 1 only: offer 2 (listed at 2) is not seen, and there are fewer than k matches
    assert rows[1].tolist() == [0, 1, -1]


def test_bigrams_join_what_words_miss():
    index = OfferIndex(TITLES, np.zeros(len(TITLES)))
    rows, _ = index.top_k([query_of([("车用小冰箱", 1.0)])], 2)
    assert rows[0][0] == 1  # 车用冰箱 shares 车用 and 冰箱 with 车用小冰箱, though no jieba word
    assert index.containing(words=["风扇"]).tolist() == [4, 5]
    assert index.containing(grams=["挂脖", "脖风", "风扇"], min_grams=2).tolist() == [4]


@pytest.mark.parametrize("max_df", [0.02, 0.3, 1.0])
def test_pruned_top_k_equals_brute_force(monkeypatch, max_df):
    monkeypatch.setattr(offer_index, "MAX_DF_SHARE", max_df)
    monkeypatch.setattr(offer_index, "BATCH", 7)
    rng = np.random.default_rng(5)
    words = ["车载冰箱", "保温杯", "杯架", "静音", "折叠", "家用", "工厂直销", "一件代发", "加厚", "猫砂盆",
             "防外溅"]
    titles = [" ".join(rng.choice(words, 4)) for _ in range(400)]
    listed = rng.integers(0, 100, 400)
    index = OfferIndex(titles, listed)
    queries = [query_of([(rng.choice(words), 1.0), (rng.choice(words), 0.5)]) for _ in range(20)]
    cutoffs = rng.integers(10, 100, 20)
    rows, scores = index.top_k(queries, 10, before=cutoffs)
    for i, q in enumerate(queries):
        exact_rows, exact_scores = index.brute_force(q, 10, before=int(cutoffs[i]))
        assert np.allclose(scores[i][:len(exact_scores)], exact_scores, atol=1e-4)
        assert all(listed[r] < cutoffs[i] for r in rows[i] if r >= 0)


def test_forked_workers_give_the_same_answer(monkeypatch):
    monkeypatch.setattr(offer_index, "BATCH", 2)
    index = OfferIndex(TITLES, np.arange(len(TITLES)))
    queries = [query_of([(t.split()[0], 1.0)]) for t in TITLES]
    one, one_scores = index.top_k(queries, 3, before=5)
    two, two_scores = index.top_k(queries, 3, before=5, workers=2)
    assert one.tolist() == two.tolist() and np.allclose(one_scores, two_scores)


def test_an_empty_index_and_mismatched_lengths():
    index = OfferIndex([], np.zeros(0))
    rows, _ = index.top_k([query_of([("保温杯", 1.0)])], 3)
    assert rows.tolist() == [[-1, -1, -1]]
    with pytest.raises(ValueError, match="2 titles but 1 listing"):
        OfferIndex(["a", "b"], np.zeros(1))


def test_titles_normalised_in_blocks_equal_one_by_one():
    from features.offer_index import normalize_titles
    from features.text import normalize

    titles = ["車載冰箱 帶杯架", "保温杯😭防漏", "<b>猫砂盆</b> 全封闭", "", "@某某 充电宝",
              "ＵＳＢ风扇 &amp; 静音", "  拖把  免手洗 ", "雨伞\n抗风"]
    for block in ([t for t in titles if t and "\n" not in t and "😭" not in t], titles):
        assert normalize_titles(block, chunk=3) == [normalize(t) for t in block]
