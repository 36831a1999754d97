"""The product a sentence names when the taxonomy does not know it: the noun phrase that opens it.

People post 扫地机器人用了半年，噪音越来越大 or 烘鞋器太烫了: the product is the run of words before
the first verb, adverb or function word, less the part it complains about (投影仪散热风扇 → 投影仪)
and the words a title wraps around it (辅食碗真实测评 → 辅食碗).
"""

from __future__ import annotations

import re

from features.tokenize import tag

MAX_NOUN_CHARS = 10
MIN_NOUN_CHARS = 2
MIN_PRODUCT_LEFT = 3  # 投影仪散热风扇 → 投影仪, but 颈挂风扇 stays whole
# Openers before the product: 这个, 新买的, 家里的, 给宝宝买的.
_LEAD = frozenset((
    "这个 这款 那个 那款 这种 那种 这 那 这次 我的 我家 我家的 家里 家里的 "
    "新买 新买的 刚买 买的 刚买的 买回来 买回家 买来 入手的 新入的 我 俺 新 刚 刚刚 买 买了 入了 入手 "
    "入手了 的 了 一个 一款 一台 一只 个 款 台 自己 给 咱 咱家 之前 前段时间 "
    "最近 今年 去年 下次 上次 这回 网上 双十一 618 宝宝 给宝宝 朋友 同事 老公 老婆"
).split())
# Words that end the noun phrase: usage verbs, adverbs, particles.
_STOP = frozenset((
    "用 用了 使用 用着 买 买了 买的 测 测的 开 开着 插 放 装 坐 戴 穿 吃 "
    "喝 洗 拿 刚 才 就 都 也 还 又 太 很 真 真的 好 挺 老 老是 总是 总 "
    "一直 经常 根本 居然 竟然 实在 特别 非常 比较 有点 有些 是 在 被 把 给 "
    "让 会 能 要 到 上 里 时 每次 一 没 不 有 越来越 说 感觉 看 收到 到手 "
    "回来 之后 以后 后 前 和 跟 与 但 但是 可是 就是 只是 不过 而且 然后 "
    "所以 比 比起 一点 一点都 一点也 实物 一用 一开 一插 一按 第一次 半年 一年 一周 一天 两天 几天 一个月 "
    "两个月 三个月"
).split())
# A word starting with these ends it too (晾衣绳|太细, 收纳盒|不够大).
_STOP_CHARS = "的了太很不没超巨"
# Parts a sentence complains about after naming the product: 空气净化器滤网, 洗地机污水箱.
_PARTS = tuple((
    "散热风扇 风扇 散热 滤网 滤芯 污水箱 清水箱 水箱 集尘盒 尘盒 刷头 边刷 滚刷 "
    "轮子 盖子 手柄 把手 内胆 按键 按钮 屏幕 充电口 接口 拉链 链条 表带 电池 "
    "电机 底座 外壳 开关 推子 吸盘 遥控 遥控器 app 软件 说明书 包装"
).split())
_REJECT = frozenset((
    "东西 宝贝 质量 感觉 今天 昨天 时候 朋友 老公 老婆 宝宝 孩子 小孩 儿子 "
    "女儿 猫 狗 猫咪 狗狗 主子 家里 老人 我妈 妈妈 爸爸 客服 商家 卖家 店家 "
    "快递 物流 包装 颜值 外观 做工 整体 总体 其他 别的 说实话 天气 夏天 冬天 "
    "晚上 早上 后来 现在 之前 以前 这次 上次 价格 效果 味道 声音 体验 产品 "
    "商品 这家 店 一家 真的 确实 本来 我们 他们 大家 姐妹 姐妹们 家人们 兄弟们 "
    "宝子 宝子们 其实 反正 总之 结果 而且 服务 售后 师傅 京东 淘宝 天猫 拼多多 面料 布料 个头 系统 内存 "
    "分辨率 配置 优点 缺点 活动 发货 颜色 尺码 版型 材质 质地 手感 性能 速度 机子 机器 一段时间 试机 下单 "
    "购物 特地 自带 老妈 老爸 搞活动 实体店 降价 一共 京东自营 中肯 基本 个人感觉 品牌 型号 样式 关键 功能 "
    "反应 气味 极差 一分钱 机器配置 生鲜 整体感觉 总的来说 评价"
).split())
# What a review says of the product right after naming it: 裤子质量太差 is about 裤子.
_ATTRIBUTES = ("质量", "版型", "做工", "面料", "布料", "材质", "颜色", "尺码", "味道", "效果", "外观", "手感",
               "性能", "速度", "价格")
# jieba tags that end a product's name: adverb, conjunction, preposition, pronoun, particles, direction,
# time (简直, 虽然, 经过, 我, 之内, 半年); before it, numerals and measure words are skipped too (两个月).
# Not measure words once it has begun: jieba tags the 碗 of 辅食碗 one.
_NOT_NOUN_TAGS = frozenset("d c p r u uj ul uz uv ud ug y e f t".split())
_LEAD_TAGS = _NOT_NOUN_TAGS | {"m", "q"}
# Tags of a word that can end a product's name (jieba tags 无人机 'l', an idiom).
NAME_TAGS = ("n", "eng", "vn", "l", "j", "q")  # q: the 碗 of 辅食碗
_TITLE_TAIL = re.compile(
    r"(?:真实|使用|用后|入手|上手|开箱|测评|评测|体验|感受|分享|避雷|避坑|"
    r"踩雷|踩坑|吐槽|心得|记录|总结|指南|攻略|推荐|合集|清单|好物|种草|"
    r"拔草|一个月|半年|一年|\d+天|\d+个月|了|后)+$")
_NOT_NOUN = re.compile(r"[^\u4e00-\u9fffa-z0-9]")
# A verb with 个 that jieba tags a measure word (平板电脑|玩个|游戏): the name ended before it.
_VERB_GE = re.compile(r"[^一两几每各这那整半]个")


def product_noun(text: str, is_lexicon_word=None) -> str | None:
    """The noun phrase opening the text (a clause, or the part of it before the first cue), or None."""
    text = text.strip()
    if not text:
        return None
    words = [(w, f) for w, f in tag(text[:40]) if w.strip()]
    i = 0
    while i < len(words) and (words[i][0] in _LEAD or _NOT_NOUN.search(words[i][0])
                              or words[i][1] in _LEAD_TAGS):
        i += 1
    phrase: list[tuple[str, str]] = []
    for word, flag in words[i:]:
        if (word in _STOP or _NOT_NOUN.search(word) or word[0].isdigit() or flag in _NOT_NOUN_TAGS
                or (phrase and (word[0] in _STOP_CHARS or flag in ("a", "ad") or _VERB_GE.fullmatch(word)))):
            break
        phrase.append((word, flag))
    noun = _TITLE_TAIL.sub("", "".join(w for w, _ in phrase))
    while noun.endswith(_PARTS):  # one C-level test first: most nouns end in no part
        part = next((p for p in _PARTS if noun.endswith(p) and len(noun) - len(p) >= MIN_PRODUCT_LEFT), None)
        if part is None:
            break
        noun = noun[:-len(part)]
    noun = next((noun[:-len(a)] for a in _ATTRIBUTES if noun.endswith(a) and len(noun) > len(a)), noun)
    if not MIN_NOUN_CHARS <= len(noun) <= MAX_NOUN_CHARS or noun in _REJECT or noun.isdigit():
        return None
    if not _ends_in_a_name(phrase, len(noun)):
        return None  # 买回来, 牌子相比: no noun at the end, no product
    if is_lexicon_word is not None and is_lexicon_word(noun):
        return None
    return noun


def _ends_in_a_name(phrase: list[tuple[str, str]], length: int) -> bool:
    """Whether the last word within the first `length` characters of the phrase can carry a name."""
    last, used = None, 0
    for word, flag in phrase:
        used += len(word)
        if used > length:
            break
        last = flag
    return last is not None and last.startswith(NAME_TAGS)
