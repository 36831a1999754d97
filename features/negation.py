"""How far a negation reaches: whether a problem word is denied (不漏水, 异味都没有, 没有超市的贵) or only
feared (怕买到假货, 如果漏水), a praise word turned round (不是很方便), a 没有 about something that did not
happen (没有开封过), a fault named after 没有 (没有任何问题), or a word asked about either way (好不好用).

Each case is a pattern next to the examples it was written for; extract.py asks and does not look at
characters itself.
"""

from __future__ import annotations

import re

from features.lexicon import FAULT_WORDS, NEGATIONS, NEGATIONS_AFTER, QUESTIONS, Form, Hit

NEGATING_CUES = frozenset("没有 没 没得 不带 没带".split())
_QUOTES = "\"'“”‘’「」『』"
_PRAISE_CUE = Form("cue", "praise", strong=True)
_COMPLAINT_CUE = Form("cue", "complaint", strong=True)
# Words between a negation and the problem it negates: 没有一个烂的, 没有多余的线头, 没出现卡顿, 没遇到拖影.
_FILLER = r"一个|一颗|一只|一瓶|一点|一丝|任何的?|什么|啥|多余的?|出现过?|发现|遇到过?|碰到过?|丝毫|明显的?"
_NEGATION_FILLER = re.compile(f"(?:{_FILLER})$")
_FAULT = re.compile(f"(?:{_FILLER})?(?:" + "|".join(sorted(FAULT_WORDS, key=len, reverse=True)) + ")")
# 异味都没有, 线头一点都没有, 头屑拜拜了, 头皮屑没了, 噪音也不大, 掉发少了, 死机问题从没遇到; a
# shorter 也没(有)/都没 only when nothing follows it: 有噪音也没手电筒 and 坏了也没有人处理 say the next
# thing is missing.
_NEGATED_AFTER = re.compile("(?:都没有|一点都没|拜拜|再见|消失了|不见了|没了"
                            "|(?:问题|现象|情况)?(?:从来|从|也|都|还)?没有?(?:遇到|遇见|碰到|出现)过?"
                            "|(?:影响|问题)?(?:也|都|并)?不(?:大|算大|是很大|太大|明显)|(?:也|都)?(?:少了|少多了|减少了)"
                            r"|(?:很|特别|非常|也)?少(?=$|[,，。!！?？~\s]))|(?:"
                            + "|".join(sorted(NEGATIONS_AFTER, key=len, reverse=True))
                            + r")有?(?=$|[了啊呀呢的吧哦,，.。!！?？~\s])")
# 不是烂的就是发黑, 不是偏大，是大两码: the fault is named, not denied.
_NOT_BUT = re.compile(r"[^,，。!！?？]{0,6}?(?:就是|而是|[,，]是)")
# 包装没有开封过, 没修过: what has not happened, not what the product lacks (过于, 过滤 are other words).
_NOT_HAPPENED = re.compile(r"[\u4e00-\u9fff]{1,3}?过(?![于度滤程敏量多])")
# Before a praise word these turn it round: 安装不是很方便, 不怎么好用, 价格不太划算, 没那么好用.
_PRAISE_NEGATED = re.compile(r"(?:不(?:太|怎么|大|够|算|很|是|是很|是太|是特别|是那么|那么|算很|算太)?"
                             r"|没(?:有)?(?:那么|很|特别|多))$")
# 不用担心漏接电话, 不怕质量问题: the fault will not come, so praise; but 不怕坏了吗 asks back (a complaint).
_NO_WORRY = re.compile(r"(?:(?:不用|不必|无需|不再|再也不用)(?:担心|怕)[^,，。!！?？;；]{0,6}"
                       r"|不怕[^,，。!！?？;；]{0,4})$")
# 怕买到假货, 担心屏幕不够大, 如果漏水, 不管多贵: a fault feared or supposed, not met; not 无论早晚都很吵.
_SUPPOSED = re.compile(r"(?:(?:怕|担心|生怕|万一|如果|假如|会不会)[^,，。!！?？;；]{0,6}"
                       r"|(?:不管|无论|不论|哪怕|即使|就算)(?:再|多|多么|怎么)?)$")
# 以前从来不起头皮屑, 本来不卡: a fault denied of the past is met now; not 没有以前那么吵 (a comparison).
_PAST = re.compile(r"(?<!没有)(?<![比没如])(?:以前|本来|原来|原本|之前|平时)[^,，。!！?？;；]*$")
PAST_REACH = 10
# 掉头发不知道了, 漏水还不清楚: whether the fault comes is not known yet (not 划痕不知道是谁弄的).
_UNKNOWN = re.compile(r"(?:还|就)?(?:不知道|不清楚|未知)(?=了|呢|啊|吧|$|[,，。!！?？~\s])")
_LESS_THAN = re.compile(r"(?:没有|没(?!有))(?![一有人])(?P<thing>[\u4e00-\u9fffa-z0-9]{1,6}?)"
                        r"(?:的|那么|这么|那样)$")


def live_cues(sentence: str, hits: list[Hit]) -> list[Hit]:
    """The sentence's cues as they count. Dropped: a 没有 that negates a problem word (没有异味, 没有一个烂的)
    or tells what did not happen (没有开封过), a praise word asked either way (好不好用), a cue inside a
    denial after a problem word (掉发也少了). Turned: 没有 before a fault praises (没有任何问题), a praise
    word after a negation complains (不是很方便)."""
    problems = [h for h in hits if h.form.kind == "aspect" and h.form.problem]
    denials = [(h.end, denial_after(sentence, h.end)) for h in problems]
    live = []
    for h in hits:
        if h.form.kind != "cue" or any(start <= h.start < end for start, end in denials):
            continue
        if h.text in NEGATING_CUES:
            if not_happened(sentence, h.end) or any(negates(sentence, h.end, p.start) for p in problems):
                continue
            fault_end = fault_after(sentence, h.end)
            if fault_end > 0:
                h = Hit(h.start, fault_end, _PRAISE_CUE, sentence[h.start:fault_end])
        elif h.form.value == "praise":
            start = praise_turned(sentence, h)
            if start > 0 and sentence[start - 1] == h.text[0]:
                continue  # 好不好用, 方不方便: a question, no verdict
            if start >= 0:
                h = Hit(start, h.end, _COMPLAINT_CUE, sentence[start:h.end])
        live.append(h)
    return live


def negated(sentence: str, hit: Hit) -> bool:
    """Whether the problem word at `hit` is denied: 不漏水, 没有一个烂的, 霉点都没有, 没有超市的贵."""
    before = sentence[max(0, hit.start - 6):hit.start].rstrip(_QUOTES)  # 头发不“打结”
    if before.endswith(QUESTIONS):
        return False
    filler = _NEGATION_FILLER.search(sentence, max(0, hit.start - 4), hit.start)
    if filler and filler.end() == hit.start:
        before = sentence[max(0, filler.start() - 5):filler.start()]
    if before.endswith("不是") and _NOT_BUT.match(sentence, hit.end):
        return False
    if _PAST.search(sentence, max(0, hit.start - PAST_REACH), hit.start):
        return False  # 以前从来不起头皮屑: the fault is now, after this product
    return (before.endswith(NEGATIONS) or bool(_NEGATED_AFTER.match(sentence, hit.end))
            or _less_than(sentence, hit.start))


def _less_than(sentence: str, start: int) -> bool:
    """没有超市的贵, 没有以前那么吵: less of the fault than something else has. Not 没吃过这么难吃的 (never
    had worse, 没吃到), nor 没处理好的线头, 没人要的次品."""
    compared = _LESS_THAN.search(sentence, max(0, start - 12), start)
    if not compared:
        return False
    thing = compared["thing"]
    return not ("过" in thing or "到" in thing or thing.endswith("好"))


def denial_after(sentence: str, end: int) -> int:
    """Where a denial right after a problem word ends (异味都没有, 掉发也少了), or -1: a cue inside it (少了,
    没有) belongs to the denial, not to another aspect."""
    found = _NEGATED_AFTER.match(sentence, end)
    return found.end() if found else -1


def negates(sentence: str, negation_end: int, start: int) -> bool:
    """Whether a 没有 ending at `negation_end` reaches the problem word starting at `start` (没有异味,
    没有一个烂的)."""
    between = sentence[negation_end:start]
    return start >= negation_end and (not between or bool(_NEGATION_FILLER.fullmatch(between)))


def fault_after(sentence: str, negation_end: int) -> int:
    """Where a fault named right after a 没有 ends (没有任何问题, 没有冗余), or -1."""
    fault = _FAULT.match(sentence, negation_end)
    return fault.end() if fault else -1


def not_happened(sentence: str, negation_end: int) -> bool:
    """Whether a 没有 is about something that did not happen (没有开封过, 没死过机)."""
    return bool(_NOT_HAPPENED.match(sentence, negation_end))


def praise_turned(sentence: str, hit: Hit) -> int:
    """Where a negation that turns the praise word at `hit` round starts (不是很方便), or -1."""
    negation = _PRAISE_NEGATED.search(sentence, max(0, hit.start - 4), hit.start)
    return negation.start() if negation else -1


def asks_either_way(sentence: str, hit: Hit) -> bool:
    """An A-not-A question around the word: 好不好用, 方不方便, 漏不漏水."""
    if hit.text.startswith("不"):
        return hit.start > 0 and sentence[hit.start - 1] == hit.text[1:2]
    return (sentence[max(0, hit.start - 2):hit.start] == hit.text[0] + "不"
            or sentence.startswith("不" + hit.text[0], hit.end))  # the 漏 of 漏不漏水


def feared(sentence: str, hit: Hit) -> bool:
    """Whether the problem word is a fault feared, supposed or not yet known, not met: 怕买到假货, 如果漏水,
    掉头发不知道了 (not 不怕…)."""
    window = max(0, hit.start - 10)
    if _UNKNOWN.match(sentence, hit.end):
        return True
    return (not _NO_WORRY.search(sentence, window, hit.start)
            and bool(_SUPPOSED.search(sentence, window, hit.start)))


def no_more_feared(sentence: str, hit: Hit) -> bool:
    """Whether the problem word is a fault no more to fear, so praise: 不用担心漏水, 不怕质量问题; not
    不怕坏了吗, asked back (a complaint)."""
    if not _NO_WORRY.search(sentence, max(0, hit.start - 10), hit.start):
        return False
    rest = sentence[hit.end:hit.end + 4]
    return "吗" not in rest and "啊" not in rest
