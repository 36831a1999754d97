"""Needs in a post: which product, which aspect, complaint / wish / praise, and the words that say it.

Rules per sentence over the lexicon's hits (features/lexicon.py):
- an aspect's problem word (漏水, 松动, 太贵) is a complaint by itself; a wish when a wish cue comes
  before it or in its clause (希望不漏水); praise when negated (一点都不漏, 霉点都没有; how far a
  negation reaches is features/negation.py's to say), and a praise word turned round complains (不是很方便);
- a neutral aspect word (杯架, 静音) takes the polarity of the nearest cue (没有杯架, 要是有杯托就好了),
  or of the previous sentence's cue when that sentence named no aspect (避雷！清洁一次要半小时);
- a complaint or wish with no known aspect names it with the words after the cue (没有X, 要是有带X的),
  or, for strong cues (踩雷, 求推荐), the aspect 其他, dropped when the post has a specific need;
- the product is the one named before the aspect in the sentence (or after it, in its clause), else
  the product of the post's previous need, the title's, the tags', the parent note's (comments), the
  search keyword's, and last any product the post mentioned in passing.
- a neutral aspect word with no cue at all takes the complaint classifier's verdict (features/sentiment.py)
  when it is sure (P >= 0.85 complaint, <= 0.10 praise); every need carries the sentence's
  `complaint_score`;
- a product outside the taxonomy, when no keyword, title or tag names one, is the noun phrase that opens
  the sentence (features/nouns.py): 烤肠机加热太慢 → 烤肠机.
Body sentences decide a need's polarity before the title's. 其他 and the generic aspects (耐用, 易用)
are dropped when the post voices a specific need of the same product.
"""

from __future__ import annotations

import gc
import re
from collections import Counter
from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import Any

from features.lexicon import SERVICE, Hit, Lexicon, lexicon
from features.negation import NEGATING_CUES, asks_either_way, feared, live_cues, negated, no_more_feared
from features.nouns import product_noun
from features.phrases import names_service, phrase_after
from features.prices import may_mention_price, price_mentions
from features.sentiment import complaint_score, complaint_threshold, readable
from features.taxonomy import MAX_PRODUCT_CHARS, OTHER_ASPECT, Form, Taxonomy
from features.text import normalize, split_sentences
from features.tokenize import backend, tag

MAX_TEXT_CHARS = 5_000      # a 100k-character post is mostly noise; its head says what it is about
MAX_SENTENCES = 300
MAX_SPAN_CHARS = 24
SPAN_PAD = 2
MAX_ASPECT_CHARS = 32
NEXT_CLAUSE_CHARS = 8
# A sentence that is a verdict and nothing more (差评！, 真的很失望) judges the aspect of the sentence before.
VERDICT_PAD = 3
POLARITIES = ("complaint", "wish", "praise")
# Amounts whose size words (太大, 偏高) say how much, not how big: 噪音太大, 价格偏高, 吸力太小.
DEGREE_GAP = 2
# The classifier decides an aspect mentioned without any cue word only when it is sure.
COMPLAINT_AT = 0.85
PRAISE_AT = 0.10
PRAISE_SCORE = 0.30  # classify_sentence: below this a sentence without cues reads as praise
_CLAUSE = re.compile(r"[,，、:：]")
_TURN = re.compile(r"[,，]\s*(?:不过|但是|但|可是|只是|就是|可惜|然而)")
_CONCEDED = re.compile(r"虽然|虽|尽管")
_PRAISED_WORD = re.compile(r"(?:很|非常|挺|特别|超|真|蛮|十分|相当|超级|应该是|确实是)$")
_UNABLE_CUES = frozenset("不能 不可以 无法 不支持".split())
# Cues of lack, after which a product word is the thing missed (没有[耳机], 缺少[充电头]).
_LACK_CUES = NEGATING_CUES | frozenset("缺少 缺 缺了 少了 少个 不配".split())
# 比超市便宜, 价格比实体店便宜很多, 比去年便宜: cheaper than a shop or an earlier price, so praise; not
# 没有比超市便宜, nor 比你的背心便宜 or 比京东便宜 (something else is cheaper).
_CHEAPER_THAN = re.compile(r"(?<![没不])(?<!没有)比在?(?:超市|大超市|实体店|店里|商场|专柜|市场|外面|别家|"
                           r"别的地方|其他地方|其它地方|官网|线下|以前|之前|去年|平时|原价|水果摊|菜市场|街上|"
                           r"楼下)[^,，。!！?？;；]{0,5}$")
# 没有实体店便宜, 没感觉便宜: not cheap after all; 第二天就便宜了, 现在便宜了100: cheaper only after
# buying. Both complain, though 便宜 alone praises. Not 没想到这么便宜.
_NOT_CHEAP = re.compile(r"没(?!想到|发现)[^,，。!！?？;；]{0,6}$")
_CHEAP_LATER = re.compile(r"(?:就|又|马上|立马|立刻|现在|后来|第二天|没几天)[^,，。!！?？;；]{0,2}$")
_CHEAP_BY = re.compile(r"了|[0-9几一两二三四五六七八九十百]")
# 没有 X (的) ADJ: "not as ADJ as X". The quality says which aspect falls short; 大, 小 and 好 compare too
# many things (没有原来优惠力度大) to name one, so those make no need at all rather than a phrase "X大".
_COMPARED_ASPECTS = {"甜": "口味", "好吃": "口味", "好喝": "口味", "新鲜": "新鲜", "便宜": "价格"}
_COMPARISON = re.compile(r"(?P<thing>[\u4e00-\u9fffa-z0-9]{2,8}?)(?:的|那么|这么|那样)?"
                         r"(?P<quality>好吃|好喝|好看|好用|新鲜|便宜|甜|大|小|好)(?=[的了呢啊吧,，.。!！?？~]|$)")
# Tags of a word that names a thing the verdict could be about. Narrower than nouns.NAME_TAGS: the 个 of
# 给个差评 (q) can end a product's name but names nothing here.
_GOODS_TAGS = ("n", "vn", "eng")


def extract_needs(post: dict[str, Any], parent: dict[str, Any] | None = None, *,
                  stats: Counter | None = None) -> list[dict[str, Any]]:
    """The needs a post voices, one per (product, aspect); `stats` counts what was dropped and why."""
    stats = stats if stats is not None else Counter()
    lex = lexicon()
    title_text, body_text = _clean(post.get("title")), _clean(post.get("text"))
    title, body = split_sentences(title_text), split_sentences(body_text)
    priced = may_mention_price(title_text) or may_mention_price(body_text)
    context = _Context(lex, post, parent, title)
    if len(title) + len(body) > MAX_SENTENCES:
        stats["sentences_capped"] += 1
        body = body[:max(0, MAX_SENTENCES - len(title))]
    found: list[tuple[bool, dict[str, Any]]] = []
    prices: dict[str | None, list[float]] = {}
    pending: Hit | None = None
    undecided: tuple[str, list[Hit]] | None = None  # the sentence before, when it named an unjudged aspect
    sentences = title + body
    # One scan of the whole post: most posts have a few short sentences, and each scan has a fixed cost.
    for i, (sentence, hits) in enumerate(zip(sentences, lex.scan_many(sentences), strict=True)):
        in_title = i < len(title)
        context.before = sentences[i - 1] if i else ""
        amounts = price_mentions(sentence) if priced else []
        if amounts:
            product = context.nearest(hits, 0, sentence, later_clauses=True) or context.product()
            prices.setdefault(product, []).extend(amounts)
        if not hits:
            pending = undecided = None  # no aspect and no cue: no need, and nothing to borrow or lend
            continue
        needs, pending = _sentence_needs(sentence, hits, context, pending, stats)
        if (pending and undecided and len(sentence) - len(pending.text) <= VERDICT_PAD
                and needs and all(n["aspect"] == OTHER_ASPECT for n in needs)):
            # 尺码完全不一样。差评！: a verdict standing alone judges the aspect named just before it; its
            # 其他 folds into that need in _finish
            needs += _sentence_needs(*undecided, context, pending, Counter())[0]
            stats["verdict_borrowed_back"] += 1
        undecided = None if needs or in_title or not _names_aspect(hits) else (sentence, hits)
        pending = None if in_title else pending  # a headline's 求推荐 is not the body's complaint
        found.extend((in_title, need) for need in needs)
        context.seen(hits)
    merged: dict[tuple[str, str], dict[str, Any]] = {}
    for _, need in sorted(found, key=lambda item: item[0]):  # body first, then title (stable)
        _merge(merged, need)
    return _finish(merged, prices, lex, stats)


def _names_aspect(hits: list[Hit]) -> bool:
    return any(h.form.kind == "aspect" for h in hits)


def _clean(value: Any) -> str:
    """Normalised text, capped before (HTML shrinks when stripped) and after normalising."""
    return "" if value is None else normalize(str(value)[:MAX_TEXT_CHARS * 4])[:MAX_TEXT_CHARS]


def _finish(merged: dict[tuple[str, str], dict[str, Any]], prices: dict[str | None, list[float]],
            lex: Lexicon, stats: Counter) -> list[dict[str, Any]]:
    vague = lex.vague_aspects
    specific = {product for product, aspect in merged if aspect not in vague}
    out = []
    for need in merged.values():
        if need["aspect"] in vague and need["product"] in specific:
            # 漏水！踩雷了: the 踩雷 is about the leak already counted, not a second need.
            stats["vague_folded"] += 1
            continue
        need["price_mentions"] = sorted(set(prices.get(need["product"], [])))[:10]
        need["category"] = lex.taxonomy.category_of(need["product"])
        out.append(need)
    return out


@lru_cache(maxsize=1024)
def _read_query(tax: Taxonomy, query: str) -> tuple[str | None, str | None, str | None]:
    """A search keyword cleaned, the product it names, and the taxonomy product a more specific keyword
    contains (折叠露营车 → 露营车). Posts come in by the thousand per keyword, and reading one costs a
    fifth of extracting a post."""
    query = normalize(query)
    cleaned = tax.clean_query(query)
    return cleaned, tax.query_product(query), tax.find_product(cleaned) if cleaned else None


class _Context:
    """Products the post has named so far, then its tags' and parent's, then its search keyword."""

    def __init__(self, lex: Lexicon, post: dict[str, Any], parent: dict[str, Any] | None,
                 title: list[str]) -> None:
        self.lex, self.post, self.parent, self.title = lex, post, parent, title
        self.subject: str | None = None        # the product of the post's latest need
        self.mentioned: str | None = None      # the latest product named in passing
        self.incidental: str | None = None
        self.before = ""                       # the sentence before the one being read
        self._outside: tuple[str | None] | None = None
        query = post.get("query") or (parent or {}).get("query")
        self.query, self.query_product, self.query_base = (
            _read_query(lex.taxonomy, str(query)) if query else (None, None, None))

    def refine(self, product: str) -> str:
        """The keyword's product when it is a more specific name of the product the post named:
        a post found by 折叠露营车 that says 营地车 (露营车) is about the 折叠露营车."""
        if self.query_product and product == self.query_base and product != self.query_product:
            return self.query_product
        return product

    def nearest(self, hits: list[Hit], anchor: int, sentence: str, incidental: bool = False,
                later_clauses: bool = False) -> str | None:
        """The (non-)incidental product named nearest the anchor: before it or in its clause, or, with
        `later_clauses`, also in the clauses after it."""
        best: Hit | None = None
        for hit in hits:
            if hit.form.kind != "product" or hit.form.incidental != incidental:
                continue
            if not later_clauses and hit.start >= anchor and _CLAUSE.search(sentence, anchor, hit.start):
                continue  # 猫一刨就外溅，拖鞋底全是砂粒: the slippers are not what splashes
            if best is None or abs(hit.start - anchor) < abs(best.start - anchor):
                best = hit
        return self.refine(best.form.value) if best else None

    def seen(self, hits: list[Hit]) -> None:
        for hit in hits:
            if hit.form.kind == "product":
                if hit.form.incidental:
                    self.incidental = self.refine(hit.form.value)
                else:
                    self.mentioned = self.refine(hit.form.value)

    def product(self) -> str | None:
        """The product a sentence that names none is about."""
        if self.subject:
            return self.subject
        if self._outside is None:
            self._outside = (self._outside_product(),)
        return self._outside[0] or self.mentioned or self.incidental

    def _outside_product(self) -> str | None:
        # A parent's text names things in passing (装了奶瓶尿不湿), so it comes after the keyword that
        # found the thread; its title and tags say what the thread is about.
        parent = self.parent or {}
        texts = [" ".join(self.title), " ".join(str(t) for t in self.post.get("tags") or []),
                 f"{parent.get('title') or ''} {' '.join(map(str, parent.get('tags') or []))}"]
        for text in texts:
            found = self._find(text)
            if found:
                return found
        if self.query_product:
            return self.query_product
        # A title or parent title that names a product the taxonomy does not know: 辅食碗真实测评.
        for title in (self.title[:1], split_sentences(normalize(parent.get("title") or ""))[:1]):
            noun = self.noun(title[0]) if title else None
            if noun:
                return noun
        return self._find((parent.get("text") or "")[:MAX_TEXT_CHARS])

    def noun(self, text: str, hits: list[Hit] | None = None) -> str | None:
        """The noun phrase opening the text, up to its first product, aspect or cue word or clause end;
        `hits` are the text's own (no word spans a clause mark, so its first clause's hits are a prefix)."""
        head = _CLAUSE.split(text, 1)[0]
        if hits is None:
            hits = self.lex.scan(head)
        within = [h for h in hits if h.start < len(head)]
        if within and within[0].start == 0 and within[0].form.kind == "cue":
            # 希望下次的芒果能新鲜一点: a cue opening the sentence comes before the product
            head = head[within[0].end:within[1].start] if len(within) > 1 else head[within[0].end:]
        elif within:
            head = head[:within[0].start]
        noun = product_noun(head, self._is_lexicon_word)
        return self.lex.taxonomy.clean_query(noun) if noun else None  # 家用投影仪 → 投影仪

    def _is_lexicon_word(self, word: str) -> bool:
        return word in self.lex.forms or word in self.lex.cue_forms

    def _find(self, text: str) -> str | None:
        found = self.lex.taxonomy.find_product_word(normalize(text)) if text.strip() else None
        if found and not self.lex.forms[found[1]].incidental:
            return self.refine(found[0])
        return None


def _sentence_needs(sentence: str, hits: list[Hit], context: _Context, pending: Hit | None,
                    stats: Counter) -> tuple[list[dict[str, Any]], Hit | None]:
    """The sentence's needs, and the cue the next sentence may borrow (this one's, if it named no aspect)."""
    # 不知道好不好用, 怕买到假货: a question or a fear says nothing of the aspect
    aspects = _degrees_of_their_noun(sentence, [
        h for h in hits if h.form.kind == "aspect" and not asks_either_way(sentence, h)
        and not (h.form.problem and feared(sentence, h))])
    cues = live_cues(sentence, hits)
    specific = [h for h in aspects if not h.form.generic]
    if specific:
        # 杯架不好用: the generic problem word is a complaint cue for the specific aspect.
        cues += [Hit(h.start, h.end, Form("cue", "complaint", strong=True), h.text)
                 for h in aspects if h.form.generic and h.form.problem]
        aspects = specific
    # The classifier runs only where its verdict is needed or a need is kept: most sentences have neither,
    # and in posts without a keyword or title, half of those that name an aspect find no product for it.
    score: float | None = None
    found: list[tuple[int, str, str, str, str]] = []
    judged = [(hit, *_aspect_polarity(sentence, hit, cues, pending)) for hit in aspects]
    if judged and all(polarity is None for _, polarity, _ in judged):
        score = complaint_score(sentence)
        # 杯架设计得跟摆设一样: no cue word, but the sentence reads as a complaint (or as praise); the
        # verdict is the first aspect's, and only when no rule spoke about another aspect.
        verdict = "complaint" if score >= COMPLAINT_AT else "praise" if score <= PRAISE_AT else None
        judged[0] = (judged[0][0], verdict, None)
    # an aspect named twice (价格 … 好贵) is judged by its problem word before a cue from afar
    problem_said = {h.form.value for h in aspects if h.form.problem}
    judged.sort(key=lambda j: j[0].form.value in problem_said and not j[0].form.problem)
    for hit, polarity, cue in judged:
        if polarity is None or any(f[1] == hit.form.value for f in found):
            continue  # 吸力太弱，饼干渣吸不起来: one aspect, said twice, is one need of the first product
        aspect = context.lex.taxonomy.aspects[hit.form.value]
        found.append((hit.start, aspect.name, aspect.need_type, polarity, _span(sentence, hit, cue)))
    if not aspects:
        found.extend(_cue_only_needs(sentence, cues, context.lex, stats, context.before))
    needs = []
    for anchor, aspect_name, need_type, polarity, span in found:
        # 手机没有[耳机]: the thing missed is the need, not the product that misses it
        others = [h for h in hits if h.form.kind != "product" or h.text != aspect_name]
        product = (context.nearest(others, anchor, sentence) or context.product()
                   or context.nearest(others, anchor, sentence, later_clauses=True)
                   or context.noun(sentence, others)
                   or context.nearest(others, anchor, sentence, incidental=True, later_clauses=True))
        if not product:
            stats["dropped_no_product"] += 1
            continue
        context.subject = product
        word = next((h.text for h in hits if h.start == anchor and h.form.kind == "aspect"), "")
        read_as = context.lex.taxonomy.aspect_of(product, aspect_name, word)
        if read_as != aspect_name:
            aspect_name, need_type = read_as, context.lex.taxonomy.aspects[read_as].need_type
        if score is None:
            score = complaint_score(sentence)
        needs.append({"product": product[:MAX_PRODUCT_CHARS], "aspect": aspect_name[:MAX_ASPECT_CHARS],
                      "polarity": polarity, "need_type": need_type, "span": span,
                      "complaint_score": round(score, 3)})
    voiced = [c for c in cues if c.form.value in ("complaint", "wish") and c.form.strong]
    return needs, (voiced[0] if voiced and not aspects else None)


def _degrees_of_their_noun(sentence: str, aspects: list[Hit]) -> list[Hit]:
    """A degree word right after an amount's word measures that amount: 噪音太大 is 静音, 价格还是偏高 价格,
    吸力太小 吸力; not 尺寸 (taxonomy.json marks the aspects `degree` and `amount`)."""
    out = []
    for hit in aspects:
        owner = None
        if hit.form.degree and hit.form.problem:
            owner = _degree_owner(sentence, hit, aspects)
        if owner is not None:
            hit = Hit(hit.start, hit.end, Form("aspect", owner, problem=True, amount=True), hit.text)
        out.append(hit)
    return out


def _degree_owner(sentence: str, hit: Hit, aspects: list[Hit]) -> str | None:
    for a in aspects:
        if (a.form.amount and a.end <= hit.start and hit.start - a.end <= DEGREE_GAP
                and not _CLAUSE.search(sentence, a.end, hit.start)):
            return a.form.value
    return None


def _aspect_polarity(sentence: str, hit: Hit, cues: list[Hit],
                     pending: Hit | None) -> tuple[str | None, Hit | None]:
    for cue in cues:
        if cue.form.value == "wish" and (_same_clause(sentence, hit, cue) or (
                cue.start < hit.start and not _TURN.search(sentence, cue.end, hit.start))):
            # 希望不漏水; 希望能方便清洁一些: the wish, not the 方便; but 希望好用，就是太贵了 complains
            return "wish", cue
    if hit.form.problem:
        praised = no_more_feared(sentence, hit) or negated(sentence, hit)
        return ("praise" if praised else "complaint"), None
    cheap = _cheap_said(sentence, hit) if hit.text == "便宜" else None
    if cheap:
        return cheap, None
    same = [c for c in cues if _same_clause(sentence, hit, c)]
    if not same and _turn_after_praise(sentence, hit, cues):
        return "complaint", None  # 东西不错，就是价格偏高: what follows the turn is the reservation
    near = (same or [c for c in cues if c.end <= hit.start and not _turned_from(sentence, c, hit)]
            or [c for c in cues if _next_clause(sentence, hit, c)])
    if not near:
        return (pending.form.value, None) if pending else (None, None)
    cue = min(near, key=lambda c: max(c.start - hit.end, hit.start - c.end, 0))
    return cue.form.value, cue



def _cheap_said(sentence: str, hit: Hit) -> str | None:
    """How 便宜 at `hit` is meant, when its words say: cheaper than a shop (praise), not cheap after all or
    cheaper only after buying (complaint)."""
    if _CHEAPER_THAN.search(sentence, max(0, hit.start - 10), hit.start):
        return "praise"
    if (_NOT_CHEAP.search(sentence, max(0, hit.start - 8), hit.start)
            or (_CHEAP_BY.match(sentence, hit.end) and _CHEAP_LATER.search(sentence, 0, hit.start))):
        return "complaint"
    return None


def _turned_from(sentence: str, cue: Hit, hit: Hit) -> bool:
    """Praise said before a turn does not carry past it: 整体不错，不过屏幕中间可以按下去."""
    return cue.form.value == "praise" and bool(_TURN.search(sentence, cue.end, hit.start))


def _turn_after_praise(sentence: str, hit: Hit, cues: list[Hit]) -> bool:
    """The aspect's clause opens with a turn right after praise, so it is the reservation: 质量还不错，就是
    配件太少; not 虽然有点小，但是新鲜 (the turn leads back to praise), nor 不错，不过很新鲜."""
    start = max(sentence.rfind(mark, 0, hit.start) for mark in ",，")
    if start <= 0 or not _TURN.match(sentence, start) or _CONCEDED.search(sentence, 0, start):
        return False
    before = [c for c in cues if c.end <= start]
    if not before or before[-1].form.value != "praise":
        return False
    # 但是非常新鲜, 不过应该是正品: the word said as praise (the classifier cannot tell: its training
    # labels call the reservation after a turn praise).
    return not _PRAISED_WORD.search(sentence, max(0, hit.start - 4), hit.start)


def _next_clause(sentence: str, hit: Hit, cue: Hit) -> bool:
    """The cue opens the clause right after the aspect's: 单手一秒折叠，太方便了."""
    between = sentence[hit.end:cue.start]
    return 0 < len(between) <= NEXT_CLAUSE_CHARS and len(_CLAUSE.findall(between)) == 1


def _same_clause(sentence: str, a: Hit, b: Hit) -> bool:
    lo, hi = (a.end, b.start) if a.start < b.start else (b.end, a.start)
    return lo >= hi or not _CLAUSE.search(sentence, lo, hi)




def _span(sentence: str, hit: Hit, cue: Hit | None) -> str:
    """The cue and the aspect words with a couple of characters around them (没有杯架, 漏水了)."""
    start, end = hit.start, hit.end
    if cue is not None and max(end, cue.end) - min(start, cue.start) <= MAX_SPAN_CHARS:
        start, end = min(start, cue.start), max(end, cue.end)
    return sentence[max(0, start - SPAN_PAD):end + SPAN_PAD].strip(" ,")[:MAX_SPAN_CHARS]


def _cue_only_needs(sentence: str, cues: list[Hit], lex: Lexicon, stats: Counter,
                    before: str = "") -> list[tuple[int, str, str, str, str]]:
    """A complaint or wish without a known aspect: the words after the cue, or 其他 for strong cues."""
    voiced = [c for c in cues if c.form.value in ("complaint", "wish")]
    if not voiced:
        if cues:
            stats["praise_without_aspect"] += 1
        return []
    polarity = "wish" if any(c.form.value == "wish" for c in voiced) else "complaint"
    for cue in voiced:
        if cue.text in NEGATING_CUES:
            compared = _COMPARISON.match(sentence, cue.end)
            if compared:
                # 没有冰糖心的甜, 没有桃子大: "not as sweet as X", about sweetness, not a lack of X
                stats["comparison"] += 1
                aspect = _COMPARED_ASPECTS.get(compared["quality"])
                if aspect is None or aspect not in lex.taxonomy.aspects:
                    return []
                span = sentence[cue.start:compared.end()][:MAX_SPAN_CHARS]
                return [(cue.start, aspect, lex.taxonomy.aspects[aspect].need_type, "complaint", span)]
        phrase = (phrase_after(sentence, cue.end, lex, lacked=cue.text in _LACK_CUES) if cue.form.phrase
                  else None)
        if phrase and (names_service(phrase) or _service_before(sentence, cue)):
            # 没有[发票], 不给[退货], 物流没有[动态]: the seller's service, not the product
            stats["service_complaint"] += 1
            return []
        if phrase:
            aspect = lex.taxonomy.canonical_aspect(phrase)
            if aspect:
                need_type = lex.taxonomy.aspects[aspect].need_type
            else:
                aspect = phrase
                need_type = "usability" if cue.text in _UNABLE_CUES else "missing_feature"
            span = sentence[cue.start:cue.end + len(phrase) + SPAN_PAD + 2][:MAX_SPAN_CHARS]
            return [(cue.start, aspect, need_type, polarity, span)]
    strong = [c for c in voiced if c.form.strong]
    if not strong:
        stats["cue_without_aspect"] += 1
        return []
    if _about_service(sentence, strong[0], lex, before):
        stats["service_complaint"] += 1  # 物流太慢，差评: no product gap
        return []
    return [(strong[0].start, OTHER_ASPECT, "other", polarity, _span(sentence, strong[0], None))]


def _names_goods(text: str, lex: Lexicon) -> bool:
    """Whether the text has a noun that is no cue or aspect word (those are user words tagged n)."""
    for word, flag in tag(text):
        if flag.startswith(_GOODS_TAGS) and word not in lex.cue_forms:
            form = lex.forms.get(word)
            if form is None or form.kind == "product":
                return True
    return False


def _service_before(sentence: str, cue: Hit) -> bool:
    """Whether the cue's clause names the seller's service before the cue: 物流没有动态, 客服不能退."""
    return bool(SERVICE.search(sentence, _clause_starts(sentence, cue.start)[-1], cue.start))


def _clause_starts(sentence: str, end: int) -> list[int]:
    """Where the clauses that begin before `end` begin."""
    return [0] + [m.end() for m in _CLAUSE.finditer(sentence, 0, end)]


def _about_service(sentence: str, cue: Hit, lex: Lexicon, before: str = "") -> bool:
    """Whether the cue's clause names the seller's service (物流, 客服, 京东…), or names no thing and the
    clause next to it does: the one before (物流太慢，差评; from the sentence `before` when the cue opens
    its sentence: 才几天就降价！差评！) or after (垃圾，刚买几天就降价). Not 客服态度差，衣服也不行, nor
    快递很快，东西不行."""
    starts = _clause_starts(sentence, cue.start)
    ends = [m.start() for m in _CLAUSE.finditer(sentence, cue.end)] + [len(sentence)]
    if SERVICE.search(sentence, starts[-1], ends[0]):
        return True
    rest = sentence[starts[-1]:cue.start] + "，" + sentence[cue.end:ends[0]]
    if _names_goods(rest, lex):
        return False  # 衣服也不行, 东西不行: the clause names a thing, and that thing is no service
    previous = sentence[starts[-2]:starts[-1]] if len(starts) > 1 else _CLAUSE.split(before)[-1]
    following = sentence[ends[0]:ends[1]] if len(ends) > 1 else ""
    return bool(SERVICE.search(previous) or SERVICE.search(following))


def _merge(needs: dict[tuple[str, str], dict[str, Any]], need: dict[str, Any]) -> None:
    """One need per (product, aspect) per post: the first complaint or wish wins over praise."""
    key = (need["product"], need["aspect"])
    old = needs.get(key)
    if old is None or (old["polarity"] == "praise" and need["polarity"] != "praise"):
        needs[key] = need


Pair = tuple[dict[str, Any], dict[str, Any] | None]  # a post and its parent context


def extract_many(posts: Sequence[dict[str, Any]], workers: int = 1, chunk: int = 2_000,
                 stats: Counter | None = None, parents: Sequence[dict[str, Any] | None] | None = None,
                 progress: Callable[[int], None] | None = None) -> list[list[dict[str, Any]]]:
    """`extract_needs` of every post (with `parents[i]` as post i's parent context), in order; `workers` > 1
    splits the posts over processes, with the same output as one worker (each post is extracted on its
    own). `progress` hears how many posts are done after each chunk."""
    stats = stats if stats is not None else Counter()
    if parents is not None and len(parents) != len(posts):
        raise ValueError(f"extract_many: {len(parents)} parents for {len(posts)} posts")
    pairs: list[Pair] = list(zip(posts, parents if parents is not None else [None] * len(posts), strict=True))
    lexicon(), complaint_score(""), backend()  # built before forking, so the workers share them
    # Frozen objects are left alone by the collector: the model's weights, the tokeniser's dictionary and
    # the posts are not traversed again and again while extraction allocates, and forked workers keep
    # sharing the parent's heap instead of copying it page by page.
    gc.freeze()
    try:
        if workers <= 1 or len(posts) <= chunk:
            return _extract_here(pairs, chunk, stats, progress)
        return _extract_forked(pairs, workers, chunk, stats, progress)
    finally:
        gc.unfreeze()


def _extract_here(pairs: list[Pair], chunk: int, stats: Counter,
                  progress: Callable[[int], None] | None) -> list[list[dict[str, Any]]]:
    out: list[list[dict[str, Any]]] = []
    for i in range(0, len(pairs), chunk):
        out.extend(_extract_pairs(pairs[i:i + chunk], stats))
        if progress:
            progress(len(out))
    return out


def _extract_forked(pairs: list[Pair], workers: int, chunk: int, stats: Counter,
                    progress: Callable[[int], None] | None) -> list[list[dict[str, Any]]]:
    import multiprocessing as mp

    out: list[list[dict[str, Any]]] = []
    forking = "fork" in mp.get_all_start_methods()
    bounds = [(i, min(i + chunk, len(pairs))) for i in range(0, len(pairs), chunk)]
    # Forked workers get the posts with the memory they share with this process (a forked worker's
    # initializer arguments are not pickled): only each chunk's bounds and needs go through the pipes.
    tasks: list[tuple[int, int] | list[Pair]] = list(bounds) if forking else [pairs[i:j] for i, j in bounds]
    shared = (pairs,) if forking else (None,)
    with mp.get_context("fork" if forking else None).Pool(workers, _share_posts, shared) as pool:
        for needs, counts in pool.imap(_extract_chunk, tasks):
            out.extend(needs)
            stats.update(counts)
            if progress:
                progress(len(out))
    return out


_SHARED_PAIRS: list[Pair] | None = None  # set in forked workers only


def _share_posts(pairs: list[Pair] | None) -> None:
    global _SHARED_PAIRS
    _SHARED_PAIRS = pairs


def _extract_chunk(task: tuple[int, int] | list[Pair]) -> tuple[list[list[dict[str, Any]]], Counter]:
    """Needs of a chunk of posts: (start, end) of the posts a forked worker shares with its parent, or the
    (post, parent context) pairs themselves."""
    if isinstance(task, tuple):
        if _SHARED_PAIRS is None:
            raise RuntimeError("a chunk by bounds needs a worker forked by extract_many")
        task = _SHARED_PAIRS[task[0]:task[1]]
    stats: Counter = Counter()
    return _extract_pairs(task, stats), stats


def _extract_pairs(pairs: list[Pair], stats: Counter) -> list[list[dict[str, Any]]]:
    return [extract_needs(post, parent, stats=stats) for post, parent in pairs]


def classify_sentence(sentence: str) -> tuple[str, float]:
    """complaint, wish, praise or neutral for one normalised sentence, and its P(complaint): wish cues
    first (要是有…就好了, 求推荐, 希望), then an aspect's problem word said plainly (漏水, 太贵), then the
    classifier's verdict, with praise cues or a low score for praise."""
    hits = lexicon().scan(sentence)
    cues = live_cues(sentence, hits)
    score = complaint_score(sentence)
    if any(c.form.value == "wish" for c in cues):
        return "wish", score
    if any(h.form.kind == "aspect" and h.form.problem and not negated(sentence, h) for h in hits):
        return "complaint", score
    if not readable(sentence):
        return "neutral", score  # 还没安装: nothing said of the goods yet
    if score >= complaint_threshold():
        return "complaint", score
    if score <= PRAISE_SCORE or any(c.form.value == "praise" for c in cues):
        return "praise", score
    return "neutral", score
