"""How far a negation reaches, asked of features/negation.py directly."""

from __future__ import annotations

import pytest

from features.lexicon import Form, Hit, lexicon
from features.negation import (
    asks_either_way,
    fault_after,
    feared,
    live_cues,
    negated,
    negates,
    no_more_feared,
    not_happened,
    praise_turned,
)

PROBLEM = Form("aspect", "漏水", problem=True)
PRAISE = Form("cue", "praise", strong=True)


def _hit(sentence: str, word: str, form: Form = PROBLEM) -> Hit:
    start = sentence.index(word)
    return Hit(start, start + len(word), form, word)


@pytest.mark.parametrize(("sentence", "word", "expected"), [
    ("杯子不漏水", "漏水", True),
    ("一个烂的都没有", "烂的", True),               # denied after it
    ("没有一个烂的", "烂的", True),                 # across a quantifier
    ("头皮屑没了", "头皮屑", True),
    ("价格没有超市的贵", "贵", True),               # less of the fault than elsewhere
    ("是不是漏水", "漏水", False),                  # a question
    ("不是烂的就是发黑", "烂的", False),            # either-or names the fault
    ("从来没吃过这么难吃的", "难吃", False),        # never had worse
    ("杯子漏水", "漏水", False),
])
def test_a_problem_word_is_denied_or_not(sentence, word, expected):
    assert negated(sentence, _hit(sentence, word)) is expected


def test_a_negation_reaches_its_problem_word_only_across_filler():
    assert negates("没有异味", 2, 2) and negates("没有一个烂的", 2, 4)
    assert not negates("没有杯架，漏水", 2, 5)


def test_a_fault_after_a_negation_and_what_did_not_happen():
    assert fault_after("没有任何问题", 2) == 6
    assert fault_after("没有杯架", 2) == -1
    assert not_happened("包装没有开封过", 4) and not not_happened("没有过滤网", 2)


@pytest.mark.parametrize(("sentence", "word", "start"), [
    ("安装不是很方便", "方便", 2), ("价格不太划算", "划算", 2), ("没那么好用", "好用", 0),
    ("安装很方便", "方便", -1), ("不得不说很方便", "很方便", -1),
])
def test_a_praise_word_turned_round(sentence, word, start):
    assert praise_turned(sentence, _hit(sentence, word, PRAISE)) == start


@pytest.mark.parametrize(("sentence", "word", "expected"), [
    ("不知道好不好用", "好用", True), ("漏不漏水", "漏水", True), ("漏不漏水", "漏", True),
    ("方不方便", "不方便", True), ("好用", "好用", False),
])
def test_an_a_not_a_question(sentence, word, expected):
    assert asks_either_way(sentence, _hit(sentence, word)) is expected


@pytest.mark.parametrize(("sentence", "word", "expected"), [
    ("不用担心漏水", "漏水", "praise"), ("买大件也不怕质量问题", "质量问题", "praise"),
    ("就不怕摔坏啊", "摔坏", ""),                    # asked back
    ("怕买到假货", "假货", "feared"), ("如果漏水就麻烦了", "漏水", "feared"), ("漏水了", "漏水", ""),
    ("掉头发不知道了", "掉头发", "feared"),          # not known yet
])
def test_a_fault_feared_or_no_more_feared(sentence, word, expected):
    hit = _hit(sentence, word)
    assert feared(sentence, hit) is (expected == "feared")
    assert no_more_feared(sentence, hit) is (expected == "praise")


@pytest.mark.parametrize(("sentence", "expected"), [
    ("没有杯架", [("没有", "complaint")]),
    ("没有异味", []),                                     # the 没有 negates the problem word
    ("没有任何问题", [("没有任何问题", "praise")]),       # a fault after 没有 praises
    ("包装没有开封过", []),                               # what did not happen
    ("安装不是很方便", [("不是很方便", "complaint")]),    # a praise word turned round
    ("不知道好不好用", []),                               # asked either way
    ("掉头发也少了", []),                                 # 少了 belongs to the denial
])
def test_the_cues_that_count(sentence, expected):
    cues = live_cues(sentence, lexicon().scan(sentence))
    assert [(c.text, c.form.value) for c in cues] == expected
