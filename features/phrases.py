"""The thing a cue is about, in the words after it: 没有[usb接口], 要是有带[加热]功能的就好了, 不能[调节角度];
and what such words cannot be (没[想象中好], 没[进过灰], 没有[送皮套]).

Each case is a table or a pattern next to the examples it was written for; extract.py only asks.
"""

from __future__ import annotations

import re

from features.lexicon import SERVICE, Lexicon
from features.nouns import NAME_TAGS
from features.text import tokenize
from features.tokenize import tag

MAX_PHRASE_CHARS = 8
_PHRASE_END = re.compile(r"\.(?!\d)|[,，。!?！？;；:：、\s\"'“”()（）\[\]【】/]|的|了|吗|呢|吧|啊|呀|哦|嘛|"
                         r"就|也|还|只能|只好|而且|但|所以|真的|太|很|都|又|然后|可是|不过|怎么|为什么|为啥|是|这样|一样|不应|不说|比较|非常|特别|有点|有些|啥|呗|(?<![什那这怎多])么|咋样|怎样")
# 加, 做 stay: they start words (加热, 加厚, 做工); only 加个, 做个 are filler.
_PHRASE_LEAD = re.compile(r"^(?:是|能|可以|可|有|带|\d+个|个|一个|一款|款|出|加个|做个|些|那种|这种|"
                          r"一些|再|把|什么|任何|一种|种|个人|人|使用|一点点|一点|多大的?|点)+")
_WORDY = re.compile(r"[\u4e00-\u9fff]|[a-z]{2}")  # a word, not a stray letter or digit
_PHRASE_TAIL = re.compile(r"(?:功能|的话|一点|一些|点|些|设计|之类|其他|其它)+$")
# Whole phrases that name no feature; one opening with a word of _NOT_A_THING_HEADS is refused there.
_PHRASE_REJECT = frozenset(
    "什么 这个 那个 东西 问题 办法 时间 必要 意思 感觉 一下 地方 用 买 钱 啥 任何 "
    "哪个 怎么 货 反应 效果 区别 想到 找到 看到 注意 发现 用过 买过 试过 看过 多久 "
    "几天 多少 结果 回复 链接 图 评论 人 一样 这么 那么 多 过 到 完 好 好看 错 "
    "买到 用了 见到 有 一个 后悔 关系 理由 必要性 所谓 道理 特别 特别的 准 错过 法子 "
    "经验 答案 后续 同款 下文 消息 回音 人买 使用 正常使用 差别 分别 如愿 睡醒 更多 "
    "说法 不好 成功 好吃 多少钱 诚信 良心 宣传 保障 多大 信用 零星 对比 合理 优惠 "
    "活动 图片 图片上 图上 洗头 东西送 选择 改变 意义 容忍 形容 提供 挑剔 面子 实现 "
    "帮助 变化 自拔 释怀 平静 恭维 好感 特殊 华丽 概念 诚意 意见 发给我 去吃 东西吃 "
    "剩下 剩下的 剩余 其余".split())  # 其他 alone: _PHRASE_TAIL strips it to nothing
# A phrase opening with a pronoun, time, number, measure word, preposition, conjunction or particle (jieba's
# tags), or with one of these verbs of feeling and dealing, is how the post goes on, not a feature.
_NOT_A_THING_TAGS = frozenset("rtmqpcuyeof")  # not d: jieba tags 定时 an adverb
_NOT_A_THING_HEADS = frozenset(
    "让 叫 使 给 接受 忍受 理解 相信 解决 处理 回答 答复 回应 理 在意 想象 想像 见过 评价 改进 改善 "
    "打电话 联系 发货 送到 收到 打开 检查 解释 商量 保证 兑现 介绍 给过 穿过 以前 以后 下次 上次 问 记住 "
    "拆 拆包 拆开 拆封 不要 别 搞错 解决问题 "
    "见 听 想 觉得 认为 知道 看 说 讲 告诉 通知 提醒 退 退货 换货 退换 退款 答应 承认 怪 不会 "
    "遇到 一直 忘怀 忍住 反映 投诉 装好 越做越好 越来越好 恢复 您 来得及 体会 听见 看见 推荐 明显 所有 "
    "大家 京东 朋友 客服 商家 卖家 店家 超市 实体店 自己 别人 人家 "
    # what the writer did not do or have: 没有[去住], 没[吃晚饭], 没[耐心], 不能[指望]
    "去 吃 拿 赶上 耐心 心机 指望".split())
# 没有送皮套, 没赠送保护膜: a gift the seller left out is service, not a feature the product lacks.
_GIFT_LEADS = ("送", "赠", "附赠", "附送")
# Result complements: 没[发育好], 没[洗干净], 不能[说清楚] tell how something went, not a feature.
_RESULTS = ("好", "完", "干净", "清楚", "明白", "死", "出来", "起来", "下来")


def phrase_after(sentence: str, end: int, lex: Lexicon, *, lacked: bool = False) -> str | None:
    """The thing a cue is about: 没有[usb接口], 要是有带[加热]功能的就好了, 不能[调节角度]; after a cue of
    lack (`lacked`: 没有, 缺少), a product opening the words is the thing missed: 手机没有[耳机]."""
    rest = sentence[end:end + 24]
    stop = _PHRASE_END.search(rest)
    phrase = rest[:stop.start()] if stop else rest
    for hit in lex.scan(phrase):
        if lacked and hit.form.kind == "product" and hit.start == 0:
            phrase = hit.text
            break
        if hit.form.kind in ("cue", "product"):
            # 求推荐车载冰箱: the product is not the aspect, nor is a cue that follows.
            phrase = phrase[:hit.start] if hit.start > 0 else phrase[hit.end:]
            break
    phrase = _PHRASE_TAIL.sub("", _PHRASE_LEAD.sub("", phrase.strip())).strip(" .…·")
    if len(phrase) > MAX_PHRASE_CHARS:
        kept = ""
        for word in tokenize(phrase):
            if len(kept) + len(word) > MAX_PHRASE_CHARS:
                break
            kept += word
        phrase = kept or phrase[:MAX_PHRASE_CHARS]
    if len(phrase) < 2 or phrase in _PHRASE_REJECT or not _WORDY.search(phrase):
        return None
    return phrase if _names_a_thing(phrase) else None


def _names_a_thing(phrase: str) -> bool:
    """Whether a phrase can name a feature: 没[想象中好], 不能[接受], 没[让我失望] and 最差的[之一] cannot."""
    words = tag(phrase)
    word, flag = words[0]
    if word in _NOT_A_THING_HEADS or word.startswith("到"):
        return False
    if any(w.endswith(("过", "到")) for w, _ in words) or phrase.endswith(_RESULTS):
        return False  # 没进过灰, 没有玩到, 没发育好: what did not happen, not what the product lacks
    if flag == "eng":  # usb, 5g, 3.5mm
        return True
    if flag[:1] in "mq":  # 没有[两个] names nothing, 没有[3个接口] does
        return any(f.startswith(NAME_TAGS) for _, f in words[1:])
    return flag[:1] not in _NOT_A_THING_TAGS


def names_service(phrase: str) -> bool:
    """Whether the phrase names the seller's service (没有[发票], 不给[退货]) or a gift left out
    (没有[送皮套])."""
    return bool(SERVICE.search(phrase)) or phrase.startswith(_GIFT_LEADS)
