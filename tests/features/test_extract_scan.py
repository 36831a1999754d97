"""The one-pass lexicon scan finds what two leftmost-longest scans find, per post or per sentence."""

from __future__ import annotations

from collections import Counter

import pytest

from features.extract import extract_many, extract_needs
from features.lexicon import Hit, Lexicon, _single_char_ok, lexicon
from features.prices import price_mentions
from features.taxonomy import Taxonomy, WordScanner
from features.text import normalize, split_sentences

SENTENCES = [
    "车载冰箱没有杯架，放杯子的地方都没有",
    "不好洗，清洗一次要半小时",
    "很稳固，一点都不漏，霉点都没有",
    "希望能有带加热功能的烤肠机",
    "猫一刨就外溅，拖鞋底全是砂粒",
    "吸尘器吸力太弱，饼干渣吸不起来，后悔了",
    "顺滑好用，没想到这么好，求推荐同款",
    "漏", "滑", "没", "",
    "保温杯真的不保温，凉得快，太贵了不值",
    "这个power bank太重了, so heavy",
    "功能太少连基本的都没",  # a one-character word ending the text, after the start of a longer one
]


def _leftmost_longest(words: dict, text: str) -> list[tuple[int, int, str]]:
    """Brute force: at each position not yet covered, the longest word starting there."""
    found, i, longest = [], 0, max(map(len, words), default=0)
    while i < len(text):
        word = next((text[i:i + n] for n in range(longest, 0, -1) if text[i:i + n] in words), None)
        if word:
            found.append((i, i + len(word), word))
        i += len(word) if word else 1
    return found


def _reference(lex: Lexicon, sentence: str) -> list[Hit]:
    """The scan as two separate brute-force leftmost-longest passes (forms, then cues)."""
    def find(words: dict) -> list[Hit]:
        return [Hit(s, e, words[w], w) for s, e, w in _leftmost_longest(words, sentence)
                if e - s > 1 or _single_char_ok(sentence, s)]

    hits = find(lex.forms)
    taken = [(h.start, h.end) for h in hits if h.form.kind == "product" or h.form.problem]
    hits += [c for c in find(lex.cue_forms)
             if c.form.kind == "cue" and not any(c.start < e and s < c.end for s, e in taken)]
    return sorted(hits, key=lambda h: h.start)


@pytest.mark.parametrize("sentence", SENTENCES)
def test_scan_matches_two_separate_scans(sentence):
    lex = lexicon()
    assert lex.scan(sentence) == _reference(lex, sentence)


@pytest.mark.parametrize("text", ["杯架水杯架杯", "水杯", "杯", "", "水杯架子", "x水杯架"])
def test_word_scanner_is_leftmost_longest(text):
    words = {"杯架", "水杯架", "水杯", "杯", "架子"}
    assert list(WordScanner(words).finditer(text)) == _leftmost_longest(words, text)
    assert list(WordScanner([]).finditer(text)) == []
    assert list(WordScanner({"没", "没有"}).finditer("都没")) == [(1, 2, "没")]  # a word that ends the text


def test_scan_many_is_scan_of_each_sentence():
    lex = lexicon()
    assert lex.scan_many([]) == []
    assert lex.scan_many(SENTENCES) == [lex.scan(s) for s in SENTENCES]
    # A word is never read across two sentences: 杯 ends one, 架 opens the next.
    assert [h.text for h in lex.scan_many(["没有杯", "架子很稳"])[0]] == ["没有"]


def test_a_word_with_a_clause_mark_is_refused():
    data = {"categories": {"家居日用": {"收纳": {"收纳盒": ["收纳,盒"]}}}, "aspects": {}}
    with pytest.raises(ValueError, match="收纳,盒"):
        Lexicon(Taxonomy(data))


def test_whole_posts_read_the_same_with_two_workers():
    texts = [normalize(s) for s in SENTENCES] + ["买了个车载冰箱，没有杯架。花了两百多，不值"] * 3
    posts = [{"text": "。".join(texts[i:i + 3])} for i in range(len(texts))]
    one, two = Counter(), Counter()
    assert extract_many(posts, stats=one) == extract_many(posts, workers=2, chunk=4, stats=two)
    assert one == two
    assert extract_many(posts) == [extract_needs(p) for p in posts]


def test_each_post_is_read_with_its_parent_whatever_the_workers():
    posts = [{"text": "同款，也是没有杯托"}, {"text": "我的也漏水"}, {"text": "拧不干"}] * 4
    titles = ["车载冰箱测评", "保温杯避雷", "拖把开箱"] * 4
    parents = [{"title": t} if i % 4 else None for i, t in enumerate(titles)]
    done: list[int] = []
    two = extract_many(posts, workers=2, chunk=5, parents=parents, progress=done.append)
    assert two == [extract_needs(p, q) for p, q in zip(posts, parents, strict=True)]
    assert done == [5, 10, 12] and any(two) and not all(two)
    with pytest.raises(ValueError, match="2 parents for 12 posts"):
        extract_many(posts, parents=parents[:2])


@pytest.mark.parametrize(("text", "amounts"), [
    ("一共花了两百多", [200.0]), ("到手价59", [59.0]), ("拿下只要一百二", [120.0]),
    ("3块砧板", []), ("一个两个三个", []), ("入手1.2k", [1200.0]), ("39包邮", [39.0]),
])
def test_prices_after_the_cheaper_money_word_test(text, amounts):
    assert price_mentions(split_sentences(normalize(text))[0]) == amounts
