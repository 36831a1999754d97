"""Hard inputs through the whole extraction: empty, huge, emoji only, mixed scripts, traditional."""

from __future__ import annotations

import pytest

from features.extract import extract_many, extract_needs
from features.nouns import product_noun
from features.sentiment import complaint_score
from features.text import normalize, split_sentences, tokenize
from features.tokenize import available, backend, default_backend_name


@pytest.mark.parametrize("text", ["", None, " ", "\n\n", "。。。！！", "[哭惹R]"])
def test_empty_text(text):
    assert normalize(text) in ("", "。。。!!")
    assert extract_needs({"text": text, "title": text}) == []
    assert complaint_score(normalize(text)) == 0.5 or normalize(text)


def test_a_100k_character_post_is_capped_and_still_read():
    text = "保温杯漏水了。" + "今天也是普通的一天，没什么特别的。" * 6_000
    assert len(text) > 100_000
    needs = extract_needs({"text": text})
    assert [(n["product"], n["aspect"], n["polarity"]) for n in needs] == [("保温杯", "漏水", "complaint")]
    assert 0.0 <= complaint_score(text) <= 1.0


def test_emoji_only():
    text = "😭😭😭🙃👍🏻❤️‍🔥🇨🇳"
    assert normalize(text) == ""
    assert split_sentences(normalize(text)) == []
    assert extract_needs({"text": text, "query": "保温杯"}) == []


def test_mixed_chinese_and_english():
    needs = extract_needs({"text": "这个power bank太重了, so heavy!!! 续航也不行 #旅行", "query": "充电宝"})
    assert {(n["product"], n["aspect"]) for n in needs} == {("充电宝", "重量"), ("充电宝", "续航")}
    needs = extract_needs({"text": "这个power bank太重了, so heavy!!!"})
    assert {(n["product"], n["aspect"]) for n in needs} == {("powerbank", "重量")}
    assert "power" in tokenize(normalize("这个power bank太重了"))


def test_traditional_characters():
    needs = extract_needs({"text": "這個保溫杯漏水，價錢還這麼貴，太失望了"})
    assert {(n["product"], n["aspect"], n["polarity"]) for n in needs} == {
        ("保温杯", "漏水", "complaint"), ("保温杯", "价格", "complaint")}


def test_urls_and_mentions_do_not_become_products_or_prices():
    needs = extract_needs({"text": "@小红薯188 车载冰箱没有杯架 https://xhslink.com/a/99元"})
    assert [(n["product"], n["aspect"], n["price_mentions"]) for n in needs] == [("车载冰箱", "杯架", [])]


def test_one_worker_and_two_give_the_same_output():
    texts = ["车载冰箱没有杯托，要是有杯架就好了", "保温杯漏水😭踩雷了", "分享一下今天的穿搭",
             "扫地机器人用了半年，噪音越来越大", "這個吹風機太燙手", "", "求推荐不漏水的保温杯，预算100左右"]
    posts = [{"text": texts[i % len(texts)] * (1 + i % 3)} for i in range(120)]
    one = extract_many(posts, workers=1)
    two = extract_many(posts, workers=2, chunk=25)
    assert one == two and len(one) == 120 and sum(map(len, one)) > 60


@pytest.mark.parametrize(("text", "noun"), [
    ("扫地机器人用了半年", "扫地机器人"), ("投影仪散热风扇", "投影仪"), ("洗地机的污水箱", "洗地机"),
    ("新买的烘鞋器", "烘鞋器"), ("颈挂风扇", "颈挂风扇"), ("辅食碗真实测评", "辅食碗"),
    ("今天", None), ("宝宝", None), ("", None), ("这个东西", None),
    # what real reviews open with: an attribute after the product, adverbs, verbs, the shop
    ("裤子质量", "裤子"), ("无人机", "无人机"), ("一次性手套", "手套"), ("总体来说", None), ("简直", None),
    ("买回来", None), ("牌子相比", None), ("外观漂亮", None), ("京东", None), ("两个月之内必须返修", None),
])
def test_product_noun(text, noun):
    assert product_noun(text) == noun


def test_products_outside_the_taxonomy_come_from_the_sentence_or_the_title():
    needs = extract_needs({"text": "烤肠机加热太慢，摆摊的时候客人等不及"})
    assert [(n["product"], n["aspect"], n["category"]) for n in needs] == [("烤肠机", "加热", "")]
    needs = extract_needs({"text": "吸盘吸不住，宝宝一拍就掉", "title": "辅食碗真实测评"})
    assert [(n["product"], n["aspect"]) for n in needs] == [("辅食碗", "稳固")]


@pytest.mark.parametrize("name", ["jieba", "rjieba"])
def test_both_tokenizers_apply_the_user_dictionary(name):
    if not available(name):
        pytest.skip(f"{name} is not installed")
    words = backend(name).cut("车载冰箱没有放杯子的地方,猫砂盆防外溅")
    assert {"车载冰箱", "放杯子的地方", "猫砂盆", "防外溅"} <= set(words)


def test_the_tokenizer_can_be_forced(monkeypatch):
    monkeypatch.setenv("OPPRADAR_TOKENIZER", "jieba")
    assert default_backend_name() == "jieba"
    monkeypatch.setenv("OPPRADAR_TOKENIZER", "nope")
    with pytest.raises(ValueError, match="OPPRADAR_TOKENIZER"):
        default_backend_name()
