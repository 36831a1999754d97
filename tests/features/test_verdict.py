"""A post's verdict: the classifier and the cue rules' needs together."""

from __future__ import annotations

import pytest

from features.extract import extract_needs
from features.sentiment import SentimentModel, complaint_score, complaint_threshold, scoring_with
from features.text import normalize
from features.verdict import PRICE_COMPLAINT_FLOOR, RULE_COMPLAINT_AT, voices_complaint

PRICE = {"product": "热水器", "aspect": "价格", "polarity": "complaint"}
LEAK = {"product": "热水器", "aspect": "漏水", "polarity": "complaint"}
PRAISE = {"product": "热水器", "aspect": "加热", "polarity": "praise"}


def _verdict(text: str, query: str) -> bool:
    return voices_complaint(complaint_score(normalize(text)), extract_needs({"text": text, "query": query}))


@pytest.mark.parametrize(("score", "needs", "expected"), [
    (0.30, [PRICE], True),                            # the price hurts, between compliments
    (PRICE_COMPLAINT_FLOOR / 2, [PRICE], False),      # the classifier is sure it is praise
    (RULE_COMPLAINT_AT + 0.01, [LEAK], True),         # a rule's complaint lowers the bar
    (RULE_COMPLAINT_AT + 0.01, [PRAISE], False),
    (RULE_COMPLAINT_AT - 0.01, [LEAK], False),
    (0.60, [], True),                                 # no rule spoke: the classifier decides
    (0.45, [], False),
])
def test_the_rules_move_the_classifiers_bar(score, needs, expected):
    assert voices_complaint(score, needs) is expected


def test_a_price_complaint_inside_praise_is_a_complaint():
    assert _verdict("热水器不错，安装的师傅也很好，就是安装费好贵", "热水器")
    assert not _verdict("热水器不错，安装的师傅也很好，加热很快", "热水器")


def test_scoring_with_swaps_the_model_inside_the_block_only():
    shipped = complaint_score("好")
    other = SentimentModel({"好": 50.0}, bias=0.0, threshold=0.7)
    with scoring_with(other):
        assert complaint_score("好") > 0.99
        assert complaint_threshold() == 0.7
        assert extract_needs({"text": "杯架好", "query": "车载冰箱"})[0]["complaint_score"] > 0.99
    assert complaint_score("好") == shipped
