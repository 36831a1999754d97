import re

import pytest

from models.dataset import load_frame
from models.explain import feature_text
from models.predict import ranker_feature_names, score_frame
from models.registry import load_promoted
from models.train import train
from store.errors import OppradarError

CHINESE = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture
def model(world, engine, settings):
    train(engine, settings.models_dir)
    return load_promoted(engine)


def test_scores_ranks_and_chinese_explanations(model, engine):
    frame = load_frame(engine)
    scored = score_frame(model, frame)
    assert list(scored.index) == list(frame.index) and scored["score"].notna().all()
    for _, week in scored.groupby("week"):
        assert sorted(week["rank"]) == list(range(1, len(week) + 1))
        assert week.sort_values("rank")["score"].is_monotonic_decreasing
    for reasons in scored["explanation"]:
        assert 1 <= len(reasons) <= 3
        assert all(set(r) == {"feature", "value", "contribution", "text"} for r in reasons)
        assert all(CHINESE.search(r["text"]) for r in reasons)
        signs = [r["contribution"] > 0 for r in reasons]
        assert signs == sorted(signs, reverse=True)  # positive reasons come first
    top = scored[scored["rank"] == 1].iloc[-1]["explanation"][0]
    assert top["contribution"] > 0 and top["feature"] in model.booster.feature_name()


def test_score_frame_is_stable_and_leaves_its_input_alone(model, engine):
    frame = load_frame(engine)
    one, two = score_frame(model, frame), score_frame(model, frame)
    assert one["rank"].tolist() == two["rank"].tolist()
    assert "score" not in frame.columns


def test_a_need_measured_against_its_whole_product_is_explained_so(model, engine):
    # 其他问题 and 太贵: every offer of the product counts as answering them (features/supply.py), so the
    # reasons speak of the product's offers, never of offers "带该功能"
    frame = load_frame(engine)
    frame = frame.assign(aspect=["其他" if i % 2 else a for i, a in enumerate(frame["aspect"])])
    scored = score_frame(model, frame)
    wide = scored[scored["aspect"] == "其他"]["explanation"].explode().dropna()
    assert not any("带该功能" in r["text"] for r in wide)
    assert any(r["feature"].startswith("aspect_") or r["feature"] == "demand_supply_ratio" for r in wide)


@pytest.mark.parametrize(("feature", "value", "text"), [
    ("aspect_offers", 12, "该品已有 12 家在售"),
    ("aspect_offers", 0, "该品还没有在售货源"),
    ("aspect_offer_share", 1.0, "按该品全部货源计"),
    ("growth", 0.5, "近一周提及量增长50%"),  # not about supply: the usual phrase
])
def test_product_wide_feature_texts(feature, value, text):
    assert feature_text(feature, value, product_wide=True) == text


def test_missing_features_are_named(model, engine):
    frame = load_frame(engine).drop(columns=["aspect_offers", "est_margin"])
    with pytest.raises(OppradarError, match=r"needs 2 features the frame lacks: aspect_offers, est_margin"):
        ranker_feature_names(model, frame)
    with pytest.raises(OppradarError, match="aspect_offers"):
        score_frame(model, frame)


def test_empty_frame_scores_to_empty(model, engine):
    scored = score_frame(model, load_frame(engine).iloc[:0])
    assert scored.empty and {"score", "rank", "explanation"} <= set(scored.columns)


@pytest.mark.parametrize(("feature", "value", "text"), [
    ("growth", 3.2, "近一周提及量增长320%"),
    ("growth", -0.35, "近一周提及量下降35%"),
    ("mentions_4w", 56, "近4周提及 56 次"),
    ("aspect_offers", 2, "仅 2 家在售带该功能款"),
    ("aspect_offers", 0, "还没有在售带该功能款"),
    ("aspect_offers", 12, "已有 12 家在售带该功能款"),
    ("factory_share", 0.6, "工厂货源占 60%"),
    ("est_margin", 78, "预估每件毛利 ¥78.00"),
    ("price_p50", None, "货源价格暂无数据"),
    ("price_p50", float("nan"), "货源价格暂无数据"),
])
def test_feature_texts(feature, value, text):
    assert feature_text(feature, value) == text


def test_every_feature_has_a_chinese_phrase():
    from features.columns import FEATURE_COLUMNS
    from models.explain import TEXTS, feature_text

    assert [c for c in FEATURE_COLUMNS if c not in TEXTS] == []
    for name in FEATURE_COLUMNS:
        for value in (0.0, 1.0, 3.2, None):
            text = feature_text(name, value)
            assert name not in text and any("\u4e00" <= ch <= "\u9fff" for ch in text), (name, value, text)
    assert feature_text("growth_4w", 2.2) == "近4周提及量是前4周的 3.2 倍"
    assert feature_text("growth_4w", 0.5) == "近4周提及量增长50%"
