"""Whether a whole post voices a complaint: the classifier's reading of the text and the cue rules' needs
together.

The classifier (features/sentiment.py) learned from reviews where "不错，就是安装费好贵" is praise in one
shop's labels and a complaint in another's; the rules (features/extract.py) say what hurts need by need.
A post is a complaint when
- the rules found a price complaint (太贵, 不值, 安装费好贵) and the classifier is not sure it is praise:
  whoever says the price hurts complains, even between two compliments;
- the rules found any other complaint and the classifier leans that way (P >= 0.40 rather than 0.50);
- otherwise, when the classifier says so.
benchmarks/bench_sentiment.py measures this against the classifier alone, category by category.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from features.sentiment import complaint_threshold

# P(complaint) below which even a price complaint is read as an aside in praise (the classifier is sure).
PRICE_COMPLAINT_FLOOR = 0.05
# The classifier's bar when the rules found a complaint of their own.
RULE_COMPLAINT_AT = 0.40
PRICE_ASPECT = "价格"


def voices_complaint(score: float, needs: Iterable[Mapping[str, Any]]) -> bool:
    """Whether a post with P(complaint) `score` (of its whole text) and these extracted needs complains; for
    a post that sentiment.readable finds nothing in (empty, emoji, 还没安装), the answer is no, whatever
    this says of its undecided 0.5."""
    complaints = [n for n in needs if n.get("polarity") == "complaint"]
    if any(n.get("aspect") == PRICE_ASPECT for n in complaints) and score >= PRICE_COMPLAINT_FLOOR:
        return True
    return score >= (RULE_COMPLAINT_AT if complaints else complaint_threshold())
