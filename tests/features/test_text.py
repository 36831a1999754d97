"""Normalisation, sentence splitting and jieba tokens with the taxonomy's user words."""

from __future__ import annotations

import pytest

from features.text import char_bigrams, normalize, split_sentences, tokenize


def test_full_width_becomes_half_width_and_lower_case():
    assert normalize("ＵＳＢ接口，１８８元！") == "usb接口,188元!"


def test_the_full_width_table_gives_what_nfkc_gives():
    import unicodedata

    wide = "".join(chr(c) for c in range(0xFF01, 0xFF5F) if chr(c - 0xFEE0).isalnum())
    assert normalize(wide) == unicodedata.normalize("NFKC", wide).lower()
    # what only NFKC knows still goes through it: ①, ㎡, a letter with a combining accent
    assert normalize("①号仓，面积１０㎡，Ａ\u0301") == "1号仓,面积10m2,á"


def test_every_full_width_form_is_made_half_width_among_other_text():
    from features.text import _FULL_WIDTH

    for code, narrow in _FULL_WIDTH.items():
        text = f"车载冰箱，没有杯架{chr(code)}太贵！"
        assert normalize(text) == normalize(f"车载冰箱,没有杯架{chr(narrow)}太贵!"), hex(code)


def test_urls_mentions_emoji_and_topic_markers_go():
    text = normalize("车载冰箱@小红薯 看这里 https://xhslink.com/a/Bc1?x=1 😭#车载好物[话题]# [哭惹R]")
    assert "http" not in text and "@" not in text and "😭" not in text
    assert "[话题]" not in text and "#" not in text
    assert "车载冰箱" in text and "车载好物" in text


def test_html_becomes_text_and_scripts_disappear():
    text = normalize("<p>保温杯&lt;漏水&gt;</p><script>alert('x')</script><br>第二行<b>重点</b>")
    assert "script" not in text and "alert" not in text and "<" not in text.replace("<漏水>", "")
    assert text.splitlines()[0].startswith("保温杯")
    assert "第二行" in text and "重点" in text


def test_traditional_characters_become_simplified():
    assert normalize("這個車載冰箱沒有杯架，價錢太貴") == "这个车载冰箱没有杯架,价钱太贵"
    # rarer characters the old hand-made table lacked, from a 香港 post
    assert normalize("洗不乾淨，於是退貨，嬰兒車輪子鬆脫") == "洗不干净,于是退货,婴儿车轮子松脱"


def test_every_traditional_character_of_the_table_is_found():
    from features.t2s import TABLE, to_simplified

    # The quick check before the translate must see each one, inside the BMP and beyond it.
    for code, simplified in TABLE.items():
        assert to_simplified(f"好用{chr(code)}的") == f"好用{simplified}的", hex(code)
    assert any(code > 0xFFFF for code in TABLE)


def test_characters_that_are_simplified_too_stay():
    assert normalize("著名品牌，瞭望台，杯盘狼藉，覆盖全屋") == "著名品牌,瞭望台,杯盘狼藉,覆盖全屋"


def test_empty_and_none():
    assert normalize(None) == "" and normalize("") == "" and normalize("😭🙃") == ""


def test_emoji_break_sentences():
    assert split_sentences(normalize("没有杯架😭真的无语")) == ["没有杯架", "真的无语"]


def test_sentences_split_on_stops_and_long_ones_on_commas():
    text = ("买了一个车载冰箱，用了一个月，整体还不错，制冷很快，就是没有杯架，放饮料很不方便，"
            "而且噪音有点大，晚上睡觉的时候特别明显。要是有杯托就好了！真的吗?好的;行\n下一行…再见")
    parts = split_sentences(text)
    assert parts[-6:] == ["要是有杯托就好了", "真的吗", "好的", "行", "下一行", "再见"]
    assert len(parts) > 6 and all(len(p) <= 40 for p in parts[:-6])
    assert "".join(parts[:-6]).replace("，", "") == text.split("。")[0].replace("，", "")


@pytest.mark.parametrize(("text", "sentences"), [
    ("太差了...再也不买", ["太差了", "再也不买"]), ("屏幕3.5寸..还行", ["屏幕3.5寸..还行"]),
    ("好评。...差评", ["好评", "差评"]), ("价格1.5元", ["价格1.5元"]),
])
def test_three_dots_end_a_sentence_and_one_or_two_do_not(text, sentences):
    assert split_sentences(text) == sentences


def test_short_sentences_keep_their_commas():
    assert split_sentences("买了车载冰箱，没有杯架") == ["买了车载冰箱，没有杯架"]


def test_jieba_keeps_taxonomy_words_whole(home):
    words = tokenize("车载冰箱没有放杯子的地方，猫砂盆漏砂")
    assert "车载冰箱" in words and "放杯子的地方" in words and "猫砂盆" in words and "漏砂" in words
    assert "，" not in words


def test_character_bigrams():
    assert char_bigrams("挂脖风扇 usb") == {"挂脖", "脖风", "风扇", "us", "sb"}
