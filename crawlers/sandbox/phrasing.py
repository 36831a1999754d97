"""How the sandbox's people write: note titles and bodies, comments, noise, nicknames and prices.

Templates are combined with the catalogue's aspect phrases and each need's own context, so that the
same need is voiced in many different sentences, the way posts on 小红书 and B站 read.
"""

from __future__ import annotations

import random

from crawlers.sandbox.catalog import ASPECTS, NeedPlan, Product

OPENERS = ("", "", "", "救命，", "真的服了，", "谁懂啊，", "姐妹们，", "说个真事，", "无语了，", "家人们，",
           "哭死，", "离谱，", "吐了，", "不吐不快，", "有点崩溃，")
CLOSERS = ("", "", "", "😭", "🙃", "[哭惹R]", "[捂脸R]", "😤", "…", "！", "有没有同款", "[失望R]", "🤯",
           "大家怎么解决的", "心累")
DURATIONS = ("两周", "一个月", "三个月", "半年", "不到十天", "一年多", "两个多月", "一个星期")
BRANDS = ("某东自营", "某宝爆款", "网红", "大牌", "直播间", "拼夕夕", "某猫旗舰店")

COMPLAINT_TEMPLATES = (
    "{o}{p}{c}，{k}{e}",
    "买了{dur}的{p}，{c}，{k}{e}",
    "{p}避雷‼️ {c}，{k}",
    "有没有人跟我一样，{p}{c}？{k}",
    "说实话{p}别的都还行，就是{c}。{k}",
    "第{n}次吐槽{p}：{c}，{k}{e}",
    "{p}用了{dur}，{c}，后悔没早点看评论区",
    "给大家避个雷，{brand}买的{p}，{c}，{k}",
    "{o}{c}！！{p}的设计师自己用过吗{e}",
    "吐槽一下刚入手的{p}，{c}，客服还说是正常现象",
    "家人们谁懂啊，{p}{c}，{k}{e}",
    "{p}真实测评：优点是颜值高，缺点是{c}，{k}",
)
WISH_TEMPLATES = (
    "要是有{wm}{p}就好了，{k}",
    "求推荐{wm}{p}！{k}{e}",
    "希望{p}能{wp}，{k}",
    "有没有{wm}{p}啊，预算{budget}以内",
    "蹲一个{wm}{p}，有的姐妹踢我一下",
    "想换个{p}，最好是{wm}，{k}",
    "什么时候能出{wm}{p}啊，出了我第一个买",
    "做{p}的厂家看看吧，能不能{wp}，{k}",
    "{p}要是能{wp}，多花点钱我也愿意",
    "许愿一个{wm}{p}🙏 {k}",
)
PRAISE_TEMPLATES = (
    "终于买到{om}的{p}了，{pr}{e}",
    "安利这款{p}，{pr}，真心推荐",
    "换了{om}款的{p}，{pr}，之前的问题全解决了",
    "{p}回购第二次了，{pr}",
    "{o}这个{p}是真的好用，{pr}",
    "给大家推荐一下我在用的{p}，{pr}",
    "{p}开箱｜{pr}",
    "{pr}，这个{p}我吹爆",
)
XHS_TITLES = (
    "{p}避雷", "{p}真实使用感受", "求推荐{p}", "谁懂{p}的痛", "{p}吐槽", "关于{p}的一点建议",
    "{p}｜用了{dur}的感受", "", "", "{p}选购心得", "{p}踩坑记录", "{c_title}", "{c_title}", "有点失望",
)
XHS_PRAISE_TITLES = ("{p}好物分享", "{p}回购", "挖到宝了", "{p}开箱", "", "真心推荐这个{p}")
BILI_TITLES = (
    "【避雷】{p}用了{dur}的真实体验", "{p}选购指南：这几个坑千万别踩", "{p}横评｜{n}款实测",
    "UP主吐槽{p}的设计", "{p}深度测评，说说缺点", "{price}买的{p}，说点大实话",
    "{p}到底怎么选？看完这期再下单", "【实测】{p}的{n}个问题",
)
BILI_PRAISE_TITLES = ("{p}开箱测评", "{p}使用{dur}的感受", "这款{p}解决了我的大问题", "{p}横评｜{n}款实测")

ECHO_COMMENTS = ("同求", "+1 我也是", "蹲", "一样一样", "我也遇到了", "太真实了", "同问", "+1", "蹲一个答案",
                 "mark", "求后续", "一模一样", "有被戳中", "码住")
RESTATE_COMMENTS = (
    ("我家的也是{c}", "complaint"), ("+1，{c}，{k}", "complaint"), ("真的，{c}", "complaint"),
    ("我也是{c}，已经退了", "complaint"), ("同款{p}，{c}", "complaint"), ("我买的也是{c}，{k}", "complaint"),
    ("求{wm}链接！", "wish"), ("有没有{wm}啊，跪求", "wish"), ("真的希望能{wp}", "wish"),
    ("找了一圈都没找到{wm}{p}", "wish"),
)
ANSWER_COMMENTS = ("我买的是{om}款的，{pr}", "可以试试{om}的，{pr}", "换{om}的吧，{pr}",
                   "我家用的{om}款，{pr}")
OFFTOPIC_COMMENTS = (
    "博主的车好好看", "这是什么颜色的", "求链接", "主页有吗", "好的谢谢", "哈哈哈哈哈", "已关注",
    "UP主讲得好清楚", "下期测测别的吧", "封面好好看", "看完了，学到了", "三连了", "第一", "来晚了",
    "请问在哪买的", "点赞收藏了",
)
NOISE_NOTES = (
    ("{p}到了", "{p}到了，颜值在线，先用几天看看{e}"),
    ("开箱", "开箱新买的{p}，包装挺用心的，{price}入手"),
    ("{p}好物分享", "{p}好物分享，{price}入手的，目前体验还可以"),
    ("", "618囤的{p}终于到了，等我用一阵再来更新"),
    ("今日份分享", "今天天气真好，出去逛了一圈，顺便看了看{p}"),
    ("周末日常", "周末去朋友家玩，她家的{p}看着挺高级"),
    ("", "有人知道{p}哪个牌子好吗？第一次买没经验"),
    ("{p}", "{p}厂家直供 全网最低 需要的私信"),
    ("", "{p}批发 支持一件代发 私我"),
    ("随便聊聊", "最近在追的剧太上头了，一边看一边研究{p}"),
    ("{p}对比", "{p}和隔壁那款怎么选？纠结一周了"),
    ("生活碎片", "打卡新开的咖啡店，和这篇的{p}没关系哈哈"),
)
NOISE_COMMENTS = ("好看", "哈哈哈哈", "求链接", "在哪买的", "路过", "已关注", "同款", "好的", "谢谢分享")
HTML_BITS = ("<script>alert(1)</script>", "<b>重点</b>", "<img src=x onerror=alert(1)>",
             "<a href=\"javascript:alert(1)\">点我</a>", "</div><h1>大字</h1>")

NICK_HEADS = ("小", "阿", "是", "一只", "爱吃", "不吃", "今天也要", "努力的", "开车的", "养猫的", "带娃的",
              "", "", "")
NICK_CORES = ("鱼干", "橘子", "momo", "芋圆", "桃桃", "阿布", "团子", "喵", "木木", "土豆", "小熊", "可乐",
              "豆豆", "嘉嘉", "Lily", "Coco", "奶盖", "大白", "柚子", "栗子", "阿伟", "老张", "西瓜", "麦兜")
NICK_TAILS = ("", "", "酱", "呀", "_", "233", "の日常", "妈妈", "爸爸", "同学", "不加糖", "2018", "本人")
CATEGORY_TAGS = {
    "汽车用品": ("自驾游", "车载好物", "新能源车", "汽车用品", "用车日常"),
    "宠物": ("铲屎官", "养猫日常", "宠物好物", "猫咪", "狗狗"),
    "家居日用": ("家居好物", "整理", "租房改造", "居家日常", "好物分享"),
    "厨房": ("厨房好物", "做饭日常", "小家电", "一人食"),
    "母婴": ("新手妈妈", "育儿日常", "母婴好物", "宝宝"),
    "数码配件": ("数码", "手机配件", "好物推荐", "学生党"),
    "个护": ("个护好物", "变美", "护理", "好物推荐"),
    "服饰鞋包": ("穿搭", "通勤", "夏日穿搭", "好物分享"),
    "户外运动": ("露营", "户外", "健身", "周末去哪儿"),
    "食品": ("零食", "宿舍美食", "吃货", "懒人美食"),
}


def price_phrase(rng: random.Random, product: Product) -> str:
    """A retail price the way people write it: 188元, ¥59.9, 不到100块."""
    lo, hi = product.retail
    price = rng.uniform(lo, hi)
    nice = int(round(price, -1 if price > 50 else 0)) - (1 if rng.random() < 0.4 and price > 20 else 0)
    forms = (f"{nice}元", f"¥{nice}", f"不到{int(round(price * 1.1, -1))}块", f"{nice}块钱",
             f"{nice}.9元", f"花了{nice}")
    return rng.choice(forms)


def alias(rng: random.Random, product: Product) -> str:
    """What a post calls the product; uncommon products mostly go by a short name."""
    if product.uncommon:
        return rng.choice(product.aliases[1:])
    return product.name if rng.random() < 0.7 else rng.choice(product.aliases)


def _fill(rng: random.Random, template: str, product: Product, plan: NeedPlan | None,
          p: str | None = None) -> str:
    words = ASPECTS[plan.aspect] if plan else None
    values = {
        "o": rng.choice(OPENERS), "e": rng.choice(CLOSERS), "dur": rng.choice(DURATIONS),
        "brand": rng.choice(BRANDS), "p": p or alias(rng, product), "n": rng.randint(3, 9),
        "price": price_phrase(rng, product), "budget": price_phrase(rng, product).lstrip("花了不到"),
    }
    if words and plan:
        complaint = rng.choice(words.complaints)
        values.update(c=complaint, c_title=f"{values['p']}{complaint}", wm=rng.choice(words.wish_mods),
                      wp=rng.choice(words.wish_preds), pr=rng.choice(words.praises),
                      om=rng.choice(words.offer_words).split()[0],
                      k=rng.choice(plan.context) if plan.context else "")
    return template.format(**values)


def need_note(rng: random.Random, product: Product, plan: NeedPlan, polarity: str,
              platform: str) -> tuple[str, str]:
    """Title and body of a note or video that voices a need (complaint, wish or praise)."""
    templates = {"complaint": COMPLAINT_TEMPLATES, "wish": WISH_TEMPLATES,
                 "praise": PRAISE_TEMPLATES}[polarity]
    p = alias(rng, product)
    text = _fill(rng, rng.choice(templates), product, plan, p)
    if polarity != "praise" and rng.random() < 0.3:
        text += f"（{price_phrase(rng, product)}买的）" if polarity == "complaint" else ""
    if rng.random() < 0.25:
        # a second sentence of the same need, so bodies are not one template long
        second = _fill(rng, rng.choice(COMPLAINT_TEMPLATES if polarity == "complaint" else WISH_TEMPLATES),
                       product, plan, p) if polarity != "praise" else ""
        text = f"{text}\n{second}".strip()
    if platform == "bilibili":
        titles = BILI_PRAISE_TITLES if polarity == "praise" else BILI_TITLES
    else:
        titles = XHS_PRAISE_TITLES if polarity == "praise" else XHS_TITLES
    title = _fill(rng, rng.choice(titles), product, plan, p)
    return title, text


def noise_note(rng: random.Random, product: Product) -> tuple[str, str]:
    """A note found by the product's keyword that voices no need."""
    title, body = rng.choice(NOISE_NOTES)
    return _fill(rng, title, product, None), _fill(rng, body, product, None)


def comment(rng: random.Random, kind: str, product: Product,
            plan: NeedPlan | None) -> tuple[str, str | None]:
    """A comment and its polarity: echo (同求), restate (the need), answer (praise), offtopic, noise."""
    if kind == "restate" and plan:
        template, polarity = rng.choice(RESTATE_COMMENTS)
        return _fill(rng, template, product, plan), polarity
    if kind == "answer" and plan:
        return _fill(rng, rng.choice(ANSWER_COMMENTS), product, plan), "praise"
    if kind == "echo":
        return rng.choice(ECHO_COMMENTS), None
    if kind == "offtopic":
        return rng.choice(OFFTOPIC_COMMENTS), None
    return rng.choice(NOISE_COMMENTS), None


def with_html(rng: random.Random, text: str) -> str:
    """Text with markup or a script in it, as careless or hostile users post it."""
    bit = rng.choice(HTML_BITS)
    return f"{text} {bit}" if rng.random() < 0.7 else f"{bit}{text}"


def nickname(rng: random.Random) -> str:
    return f"{rng.choice(NICK_HEADS)}{rng.choice(NICK_CORES)}{rng.choice(NICK_TAILS)}"


def tags(rng: random.Random, product: Product, polarity: str | None) -> list[str]:
    """Hashtags of a note: the product, its category's usual tags, sometimes 避雷 or 好物推荐."""
    chosen = [product.name] + rng.sample(CATEGORY_TAGS[product.category], k=rng.randint(0, 2))
    if polarity == "complaint" and rng.random() < 0.4:
        chosen.append("避雷")
    elif polarity == "praise" and rng.random() < 0.5:
        chosen.append("好物推荐")
    return chosen
