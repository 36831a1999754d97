"""The thing a cue is about, asked of features/phrases.py directly."""

from __future__ import annotations

import pytest

from features.lexicon import lexicon
from features.phrases import names_service, phrase_after


@pytest.mark.parametrize(("sentence", "cue", "expected"), [
    ("手机没有usb接口", "没有", "usb接口"),
    ("要是有带加热功能的就好了", "要是有", "加热"),      # the lead 带 and the tail 功能 go
    ("电煮锅不能预约", "不能", "预约"),
    ("这个收纳盒没想象中好", "没", None),               # how the post goes on
    ("这个手机没进过灰", "没", None),                   # what did not happen
    ("苹果都没发育好", "没", None),                     # a result, not a feature
    ("售后态度让人不能接受", "不能", None),
])
def test_the_words_after_a_cue(sentence, cue, expected):
    assert phrase_after(sentence, sentence.index(cue) + len(cue), lexicon()) == expected


def test_the_sellers_service_and_a_gift_left_out():
    assert names_service("发票") and names_service("送皮套") and names_service("赠送保护膜")
    assert not names_service("杯架")
