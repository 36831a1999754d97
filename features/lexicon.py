"""The words need extraction looks for: taxonomy products and aspects, plus cue words and negations.

A sentence is scanned twice, leftmost-longest each time: once for products and aspects, once for
cues; a cue that overlaps a product or an aspect's problem word is dropped (不好洗 is 清洗, not 不好),
so what the words are about wins over how they are said; one that overlaps a neutral aspect word
stays (很稳固 is 稳固, said with 很稳). Each scan is one pass of a compiled Aho-Corasick automaton.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from features.taxonomy import OTHER_ASPECT, Form, Taxonomy, WordScanner, load_taxonomy

# cue: (polarity, strong, phrase). A strong cue makes a need even when no aspect is named (aspect
# 其他); a phrase cue may name the aspect with the words that follow it (没有X, 要是有带X的).
CUES: dict[str, tuple[str, bool, bool]] = {}
# 烂 with a degree word is "terrible", said of anything (这酒店太烂了), not rot: a strong complaint cue,
# and a form word, so that no 烂了 (新鲜) is found inside it.
TERRIBLE_WORDS = "太烂 很烂 好烂 超烂 真烂 最烂 这么烂 那么烂 烂透了 烂到家 烂的要死 烂得要死".split()
# Not worth doing again or at all: a verdict on the whole, not on the price (不值得住第二次); a strong
# cue and a form word, like TERRIBLE_WORDS.
NOT_WORTH_WORDS = "不值得住 不值得去 不值得买 不值得购买 不值得推荐 不值得入手 不值得拥有".split()


def _cues(words: str, polarity: str, strong: bool, phrase: bool) -> None:
    for word in words.split():
        CUES[word] = (polarity, strong, phrase)


_cues("希望 希望能有 想要 想买", "wish", True, True)
_cues("求推荐 有没有推荐 有推荐的吗 跪求 哪里能买到 哪里有卖 许愿", "wish", True, False)
_cues("要是有 要是能有 要是能 要是 如果有 如果能有 如果能 求一个 求一款 求个 蹲一个 能不能出 可不可以出 "
      "能不能 可不可以 建议加 建议增加 建议出 出一个 出一款 出个 什么时候能出 什么时候出 想找 想换个 "
      "想换 最好是 最好能 最好有 厂家看看 都没找到 没找到 找了一圈", "wish", False, True)
_cues("就好了 该多好 期待 求 有没有 哪里有 谁知道 蹲", "wish", False, True)
_cues("没有 没得 没 缺少 缺乏 缺失 缺了 缺 少了 少个 不带 没带 不配 不能 不可以 无法 不支持", "complaint",
      False, True)
# A misfit says nothing by itself (这个价格不合适买), but judges the aspect next to it (大小不合适).
_cues("不合适 不太合适 不是很合适 不合身 不太合身 不标准", "complaint", False, False)
_cues("吐槽 踩雷 踩坑 避雷 后悔 别买 垃圾 失望 翻车 差评 槽点 缺点 毛病 不行 太差 很差 差劲 无语 气死 "
      "不推荐 不满意 不喜欢 不太好 不怎么样 退货 劝退 拉胯 太拉 心累 崩溃 坑人 坑爹 无力吐槽 没法用 用不了 "
      "有些差 有点差 比较差 较差 极差 超差 巨差 离谱 得可怜 太弱 虚标 形同虚设 摆设 没用 太窄 描述不符 "
      "和描述不一样 有没有人跟我一样 要半小时 要半天 半天 好几个小时 四五个小时 要好久 不能再差 不能再烂 "
      "没卵用 没屌用 没鸟用 错漏百出 "
      # refusing or warning others off the goods: 抵制蒙牛, 再也不喝了, 孩子不喝, 千万别喝
      "抵制 不喝 别喝 不敢喝 不敢买 不敢吃 不再喝 不再买 "
      + " ".join(TERRIBLE_WORDS + NOT_WORTH_WORDS),
      "complaint", True, False)
_cues("好用 推荐 满意 喜欢 不错 好评 回购 真香 绝了 爱了 值得 很好 很稳 稳稳的 yyds 宝藏 神器 省心 方便 "
      "实用 完美 惊喜 没毛病 没问题 没得说 没话说 五星 安利 种草 必入 闭眼入 超值 划算 给力 靠谱 强烈推荐 "
      "吹爆 省力 很省力 够用 很猛 很顶 耐用 很耐用 有用 舒服 很小巧 很快 很强 很久 刚好 很贴心 很安心 "
      "很灵 终于买到 全解决了 解决了 纹丝不动 很抓地 抓地 很宽 真的强 没说的 性价比高 性价比很高 性价比超高 "
      "性价比挺高 很便宜 便宜多了 真便宜 挺便宜 超便宜 好便宜 便宜又好 不会差 没发现毛病 没有发现毛病 "
      "没发现问题 没有发现问题 没发现什么问题 没发现什么毛病 不会后悔 不后悔 绝不后悔 没什么不满意 "
      "没有什么不满意 没啥不满意 没有不满意", "praise", True, False)
# Cheap said as a verdict praises the price (且价格又便宜), whatever cue came before it; bare 便宜 says
# too many other things (便宜没好货, 贪便宜, 超市都比它便宜) to be one.
_cues("又便宜 也便宜 价格便宜 价钱便宜 比较便宜 相对便宜 蛮便宜 便宜实惠 价格实惠 价格公道", "praise", False,
      False)
# Words that contain a cue but say nothing about the product.
IGNORE = ("没想到 如果有机会 有机会 有希望 不想换 有些差别 有点差别 要求 追求 请求 需求 求助 求生 寻求 恳求 "
          "有求必应 求医 没人 没关系 不得不说 没事 没用过 没买 没试过 没注意 没必要 没办法 "
          "没什么 没啥 没看 没收到 没几天 没多久 没过多久 没发现 有没有人 谁知道呢 不能说 没经验 有没有同款 "
          "有同款吗 没处 没地方 没法 没时间 能不能用 没过 还没 没有想到 没想象 没有想象 没有预想 没预想 "
          "没有后悔 没后悔 没有失望 没让我失望 没有让我失望 没有出现 没出现 没有发现 没有坏的 没坏的 "
          "没有烂的 没烂的 没有用过 没感觉 没有感觉出 没有仔细 没仔细 没有具体 不能再 主要是 只要是 "
          "本来想买 原本想买 原先想买 本想买 一直想买 早就想买 本来想要 原本想要 一直想要 早就想要 "
          "没多长时间 没多少时间 不缺 不缺少 想要的 想买者 想买的朋友 想买的亲 想买的人 没敢 不敢 "
          "不能要求 不能苛求 不算缺点 不会让您失望 不会让你失望 不会让人失望 不会失望 不让人失望 "
          # A or not A asks, it does not say: 满意不满意，看我买这么多就知道了
          "满意不满意 喜欢不喜欢 好用不好用 "
          # other drinks than the goods: 不喝酒的人
          "不喝酒 不喝茶 不喝咖啡 不喝饮料").split()
# Faults (and the feelings they cause: 厌烦), not features: 没有[冗余], 没有任何问题 and 没有磕磕碰碰 praise
# what they negate.
FAULT_WORDS = ("问题 毛病 瑕疵 冗余 延迟 磕碰 磕磕碰碰 影响 缺陷 异常 故障 bug 副作用 后顾之忧 顾虑 隐患 "
               "杂质 污渍 污点 坏点 死机 卡机 闪退 拖影 毛刺 压痕 不良反应 不适 不妥 差错 失误 "
               "误差 打蜡 上蜡 颗粒感 滞后 紧绷 压迫感 卫生死角 死角 过度包装 受伤 压伤 摔伤 破 伤 坏 "
               "烂 磕坏 摔坏 压坏 碰坏 挤压 厌烦 不耐烦 冗长").split()

# Fees name what a seller or fitter charges, not the aspect inside them: 安装费好贵 says nothing of how hard
# the product is to install, and 运费 is no product. Scanned as words so no aspect is found inside them.
FEE_WORDS = ("安装费 安装材料费 材料费 配件费 人工费 上门费 运费 邮费 快递费 服务费 手续费 包装费 "
             "调试费").split()
# Kinds of goods (手机配件, a top-level category's name in a hashtag: #数码配件) say nothing about a
# product's parts.
GOODS_WORDS = "手机配件 汽车配件 电脑配件 数码配件 配件类".split()
# A gap between two things, or many sizes, not a size: 和图片相差太大 has no 太大 in it, nor 大大小小六瓶
# (or 大小便) a 大小.
GAP_WORDS = ("大大小小 相差太大 差别太大 差距太大 区别太大 落差太大 出入太大 相差很大 差别很大 差距很大 "
             "区别很大 太大差别 太大区别 太大的差别 太大的区别 多大差别 多大区别 大小便").split()

# A scent that is strong is no heavy product (苹果香味很重), and fruit acid no sour taste.
SCENT_WORDS = "香味很重 果香很重 果味很重 奶香很重 香味很浓 果酸味 果酸".split()
# A child clamouring for the book, or a quarrel, is no noise: 孩子天天吵着要看.
NOT_NOISE_WORDS = "吵着 吵架 争吵".split()
# Cards are no jam: 凭房卡在餐厅吃饭 has no 卡在 in it.
CARD_WORDS = "房卡 银行卡 信用卡 会员卡 饭卡 公交卡 储值卡 购物卡 门卡".split()
# Weight words inside words about something else: 很重要 is no heavy product.
NOT_WEIGHT_WORDS = "很重要 太重要 超重要 挺重要 很重视 沉下心 沉下来 沉浸 深沉 沉稳 沉默 沉淀 沉迷".split()
# Cheap said with 不值 (虽然不值几个钱), and 贵 as an honorific (谢谢贵酒店): no price complaint.
NOT_PRICE_WORDS = ("不值几个钱 不值几个 不值几块钱 不值几块 不值什么钱 "
                   "贵酒店 贵店 贵司 贵方 贵宾馆 贵公司").split()
# A demand or a rate, not a height or an amount (不能要求太高, 使用率太高); lather, not bubbles under a film
# (起泡很多).
DEMAND_WORDS = "要求太高 要求太多 要求高 要求不高 要求不能太高 率太高 率很高 率偏高 率高".split()
LATHER_WORDS = "起泡很多 起泡多 起泡丰富 起泡很快 起泡快 起泡好 起泡很好 起泡效果".split()
# The trouble of sending it back, not of using it: 要不是嫌麻烦就退了; 给你们添麻烦了 is politeness.
NOT_USE_WORDS = "嫌麻烦 怕麻烦 退货麻烦 退换麻烦 添麻烦".split()
# 破 that breaks nothing the seller sent: 打破了以往的风格, 自己不小心剪破了.
NOT_DAMAGE_WORDS = "打破 突破 破解 破费 剪破 抓破".split()
# 烂, 过期, 臭 and 痛 that name no fault: 灿烂的童年, 书都翻烂了 (read to pieces, and loved), 超过期望, a
# waiter's 臭脸, 用起来好痛苦 (a bother, said of anything).
NOT_FAULT_WORDS = ("灿烂 绚烂 烂漫 翻烂 超过期望 超过期待 臭脸 脸很臭 脸臭 痛苦 好痛苦 很痛苦 太痛苦 "
                   "津津有味 有滋有味 "
                   # 坏 after a feeling is "very": 师傅装了一天累坏了
                   "累坏 累死 饿坏 乐坏 急坏 气坏 吓坏 高兴坏 想死").split()

# The seller's service, not the product: a complaint about these is no gap a product could fill.
SERVICE_WORDS = ("物流 快递 客服 售后 发货 送货 配送 快递员 小哥 卖家 商家 店家 掌柜 京东 淘宝 天猫 拼多多 "
                 "发票 赠品 退货 退款 换货 退换 服务态度 服务 态度 价保 保价 差价 降价 优惠券 运输 送达 "
                 "签收 携程 美团 饿了么").split()
SERVICE = re.compile("|".join(sorted(SERVICE_WORDS, key=len, reverse=True)))

# Single characters that are words only in some company (漏 yes, 遗漏 no; 滑 yes, 顺滑 no).
BAD_COMPOUNDS = frozenset(
    "顺滑 光滑 丝滑 润滑 爽滑 滑滑 滑溜 滑板 滑雪 滑轮 滑动 滑盖 滑梯 沉浸 沉默 深沉 沉香 沉醉 沉迷 沉淀 "
    "沉思 宝贵 可贵 珍贵 名贵 富贵 高贵 尊贵 华贵 金贵 贵重 贵气 贵宾 贵妃 贵子 贵人 贵店 贵司 贵州 贵族 "
    "贵妇 贵阳 潇洒 洒脱 挥洒 吵架 争吵 臭豆 遗漏 漏洞 漏掉 漏发 漏寄 "
    "漏斗 漏勺 疏漏 纰漏 错漏 漏接 地漏 缺货 蹲坑 没想 沉稳 贵公".split())
# Before a problem word these make it praise (不漏水, 没有异味, 防烫伤, 除异味); after it too (霉点都没有).
NEGATIONS = tuple("不 没 没有 无 不会 没什么 没啥 一点也不 一点都不 完全不 从不 并不 也不 都不 不再 毫无 "
                  "毫不 绝不 根本不 防 抗 除 避免 防止 低 闻不到 不起 都没 也没 不存在 不是 没了 不怎么 不太 "
                  "不大 很少 几乎不 基本不 基本没 没有那么 没那么 不那么 不算 不算太 不算很 不是很 不是太 "
                  "不是特别 不会很 不会太".split())
NEGATIONS_AFTER = tuple("都没有 也没有 都没 也没 一点都没".split())
QUESTIONS = ("会不会", "是不是", "有没有", "能不能", "会不")


_SEPARATOR = "\x00"
_NOT_IN_WORDS = (_SEPARATOR, ",", "，", "、", ":", "：")  # checked when the lexicon is built
_Found = tuple[int, int, Form, str]


class Hit:
    """A lexicon word found in a sentence: where it starts and ends, its form and the word as written."""

    # A plain class with its own __init__: compiled (make native), it is a C struct built without a Python
    # call, where a NamedTuple's __new__ stays a Python function; a sentence makes several of these.
    __slots__ = ("start", "end", "form", "text")

    def __init__(self, start: int, end: int, form: Form, text: str) -> None:
        self.start = start
        self.end = end
        self.form = form
        self.text = text

    def _key(self) -> tuple[int, int, Form, str]:
        return self.start, self.end, self.form, self.text

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Hit) and self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        return f"Hit({self.start}, {self.end}, {self.form!r}, {self.text!r})"


class Lexicon:
    """Taxonomy forms and cue words, compiled into two leftmost-longest scanners."""

    def __init__(self, taxonomy: Taxonomy) -> None:
        self.taxonomy = taxonomy
        self.forms: dict[str, Form] = dict(taxonomy.forms)
        categories = {p.category for p in taxonomy.products.values()}
        for word in (*FEE_WORDS, *GAP_WORDS, *GOODS_WORDS, *NOT_DAMAGE_WORDS, *SCENT_WORDS, *NOT_WEIGHT_WORDS,
                     *CARD_WORDS, *NOT_PRICE_WORDS, *NOT_NOISE_WORDS,
                     *NOT_USE_WORDS, *DEMAND_WORDS, *LATHER_WORDS, *NOT_FAULT_WORDS, *TERRIBLE_WORDS,
                     *NOT_WORTH_WORDS, *categories):
            self.forms.setdefault(word, Form("ignore", ""))
        self.cue_forms: dict[str, Form] = {w: Form("ignore", "") for w in IGNORE}
        for word, (polarity, strong, phrase) in CUES.items():
            self.cue_forms[word] = Form("cue", polarity, strong=strong, phrase=phrase)
        # 其他 and the generic aspects (耐用, 易用): a post's specific need of the same product outranks them.
        generic = [a for a, spec in taxonomy.aspects.items() if spec.generic]
        self.vague_aspects = frozenset(generic) | {OTHER_ASPECT}
        self.scanner = WordScanner(self.forms)
        self.cue_scanner = WordScanner(self.cue_forms)
        # The separator joins a post's sentences for one scan; extract.py relies on no word spanning a clause.
        for word in (*self.forms, *self.cue_forms):
            if any(mark in word for mark in _NOT_IN_WORDS):
                raise ValueError(f"lexicon word {word!r} contains one of {_NOT_IN_WORDS!r}")

    def scan(self, sentence: str) -> list[Hit]:
        """Product, aspect and cue hits in order of position; ignored words are left out."""
        return self.scan_many((sentence,))[0]

    def scan_many(self, sentences: Sequence[str]) -> list[list[Hit]]:
        """`scan` of each sentence, in one pass over them all: joined by a character no word contains, so no
        word runs from one sentence into the next."""
        if not sentences:
            return []
        found, found_cues = self._find(sentences[0] if len(sentences) == 1 else _SEPARATOR.join(sentences))
        out: list[list[Hit]] = []
        i = j = offset = 0
        for sentence in sentences:
            limit = offset + len(sentence)
            hits: list[Hit] = []
            while i < len(found) and found[i][0] < limit:
                start, end, form, word = found[i]
                if form.kind != "ignore":
                    hits.append(Hit(start - offset, end - offset, form, word))
                i += 1
            if j < len(found_cues) and found_cues[j][0] < limit:
                taken = [(h.start, h.end) for h in hits if h.form.kind == "product" or h.form.problem]
                while j < len(found_cues) and found_cues[j][0] < limit:
                    start, end, form, word = found_cues[j]
                    start, end = start - offset, end - offset
                    if form.kind == "cue" and not any(start < e and s < end for s, e in taken):
                        hits.append(Hit(start, end, form, word))
                    j += 1
                hits.sort(key=_start)
            out.append(hits)
            offset = limit + len(_SEPARATOR)
        return out

    def _find(self, text: str) -> tuple[list[_Found], list[_Found]]:
        """Leftmost-longest form words and, independently, leftmost-longest cue words."""
        forms, cue_forms = self.forms, self.cue_forms
        found = [(s, e, forms[w], w) for s, e, w in self.scanner.finditer(text)
                 if e - s > 1 or _single_char_ok(text, s)]
        cues = [(s, e, cue_forms[w], w) for s, e, w in self.cue_scanner.finditer(text)
                if e - s > 1 or _single_char_ok(text, s)]
        return found, cues


def _start(hit: Hit) -> int:
    return hit.start


def _single_char_ok(sentence: str, pos: int) -> bool:
    before, after = sentence[max(0, pos - 1):pos + 1], sentence[pos:pos + 2]
    return before not in BAD_COMPOUNDS and after not in BAD_COMPOUNDS


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    """The lexicon of the default taxonomy, built once per process."""
    return Lexicon(load_taxonomy())
