"""Need extraction on hand-written posts the way people write on 小红书, 抖音 and B站."""

from __future__ import annotations

from collections import Counter

import pytest

from features.extract import extract_needs

CF, WI, PR = "complaint", "wish", "praise"

# (text, title, query, expected (product, aspect, polarity))
CASES = [
    ("车载冰箱用了一个月，制冷还行，就是没有杯架", "", None, ("车载冰箱", "杯架", CF)),
    ("要是车载冰箱有杯托就好了，开长途太需要了", "", None, ("车载冰箱", "杯架", WI)),
    ("这款车载冰箱连个放杯子的地方都没有，开长途太难受了", "", None, ("车载冰箱", "杯架", CF)),
    ("一刹车饮料全倒了，根本没地方放水杯", "", "车载冰箱", ("车载冰箱", "杯架", CF)),
    ("保温杯漏水，包里全湿了😭", "", None, ("保温杯", "漏水", CF)),
    ("这个保温杯一点都不漏，出门放包里很放心", "", None, ("保温杯", "漏水", PR)),
    ("保温杯不保温，早上装的热水中午就凉了", "", None, ("保温杯", "保温", CF)),
    ("求推荐不漏水的保温杯，通勤用", "", None, ("保温杯", "漏水", WI)),
    ("车载手机支架夹不紧，过个减速带手机就掉下来", "", None, ("车载手机支架", "稳固", CF)),
    ("车载手机支架很稳固，过坑也纹丝不动，推荐", "", None, ("车载手机支架", "稳固", PR)),
    ("车载吸尘器吸力小，座椅缝里的饼干渣吸不干净", "", None, ("车载吸尘器", "吸力", CF)),
    ("猫砂盆带砂太严重了，客厅全是砂子", "", None, ("猫砂盆", "防外溅", CF)),
    ("有没有防外溅的猫砂盆？家里猫刨砂太猛了", "", None, ("猫砂盆", "防外溅", WI)),
    ("宠物饮水机噪音大，晚上嗡嗡响睡不着", "", None, ("宠物饮水机", "静音", CF)),
    ("宠物饮水机难清洁，滤芯那里全是水垢", "", None, ("宠物饮水机", "清洗", CF)),
    ("拖把拧不干，拖完地上都是水", "", None, ("拖把", "拧干", CF)),
    ("晾衣架承重差，挂两件羽绒服就压弯了", "", None, ("晾衣架", "承重", CF)),
    ("空气炸锅的内胆不好洗，油污洗不干净", "", None, ("空气炸锅", "清洗", CF)),
    ("砧板用了两个月就长霉了，黑点洗不掉", "", None, ("砧板", "发霉", CF)),
    ("电煮锅没有防干烧，宿舍用有点怕", "", None, ("电煮锅", "防干烧", CF)),
    ("奶瓶容易胀气，宝宝喝完一直哭闹", "", None, ("奶瓶", "防胀气", CF)),
    ("婴儿推车折叠麻烦，一只手根本收不起来", "", None, ("婴儿推车", "折叠", CF)),
    ("儿童餐椅太重了，搬来搬去很累", "", None, ("儿童餐椅", "重量", CF)),
    ("牵引绳容易断，狗狗一挣就断线", "", None, ("牵引绳", "易断", CF)),
    ("手机壳用了一个月就变黄了", "", None, ("手机壳", "发黄", CF)),
    ("蓝牙耳机续航太短，听两首歌就没电", "", None, ("蓝牙耳机", "续航", CF)),
    ("数据线充电慢，还老是充不进", "", None, ("数据线", "充电", CF)),
    ("电动牙刷刷头挺软的，就是有点贵", "", None, ("电动牙刷", "价格", CF)),
    ("吹风机太烫手了，吹一会儿手柄就很烫", "", None, ("吹风机", "烫伤", CF)),
    ("双肩包肩带细，背一会儿就勒肩", "", None, ("双肩包", "肩带", CF)),
    ("雨伞一阵风就被风吹翻了", "", None, ("雨伞", "抗风", CF)),
    ("露营椅收起来还是占地方，后备箱塞不下", "", None, ("露营椅", "收纳", CF)),
    ("瑜伽垫一出汗就打滑，做动作很危险", "", None, ("瑜伽垫", "防滑", CF)),
    ("螺蛳粉味道大，整个楼道都是", "", None, ("螺蛳粉", "异味", CF)),
    ("这款零食太贵了，不值这个价", "", None, ("零食", "价格", CF)),
    ("头盔不透气，夏天戴着捂汗", "", None, ("头盔", "透气", CF)),
    ("收纳盒尺寸太小，放不下冬天的毛衣", "", None, ("收纳盒", "尺寸", CF)),
    ("车载冰箱难装，说明书也看不懂", "", None, ("车载冰箱", "安装", CF)),
    ("空气炸锅真的好用，清洗也方便，推荐给大家", "", None, ("空气炸锅", "清洗", PR)),
    ("没有异味，很满意的瑜伽垫", "", None, ("瑜伽垫", "异味", PR)),
    ("希望充电宝能出个带数显的", "", None, ("充电宝", "数显", WI)),
    ("要是有带加热功能的车载冰箱就好了", "", None, ("车载冰箱", "加热", WI)),
    ("电煮锅不能预约，早上起来还得自己煮", "", None, ("电煮锅", "预约", CF)),
    ("车载冰箱踩雷了，后悔买", "", None, ("车载冰箱", "其他", CF)),
    ("用了一周就不想用了。居然没有杯架", "车载冰箱真实测评", None, ("车载冰箱", "杯架", CF)),
    ("续航太短了，一天要充两次", "", "挂脖风扇 推荐", ("挂脖风扇", "续航", CF)),
    ("這個保溫杯漏水，太失望了", "", None, ("保温杯", "漏水", CF)),
    ("这个power bank太重了 so heavy", "", "充电宝", ("充电宝", "重量", CF)),
    ("Type-C数据线容易断，用一个月就不行了", "", None, ("数据线", "易断", CF)),
    ("ＵＳＢ款的车载冰箱没有杯架！！", "", None, ("车载冰箱", "杯架", CF)),
    ("<p>保温杯<b>漏水</b></p><script>alert('x')</script>", "", None, ("保温杯", "漏水", CF)),
    ("说实话别的都还行，就是噪音有点大", "", "宠物烘干箱测评", ("宠物烘干箱", "静音", CF)),
    ("露营车收不起来，塞不进后备箱", "", "折叠露营车", ("折叠露营车", "折叠", CF)),
    ("想换个拖把，最好是能轻松拧干的", "", None, ("拖把", "拧干", WI)),
    ("什么时候能出不容易断的数据线啊", "", None, ("数据线", "易断", WI)),
    ("猫一刨就外溅，拖鞋底全是砂粒", "", "猫砂盆", ("猫砂盆", "防外溅", CF)),
    ("猫砂盆的尺寸跟描述差很多。差评！", "", None, ("猫砂盆", "尺寸", CF)),
    ("大小一直不合适，换了两次最后还是退了", "", "卫衣", ("卫衣", "尺寸", CF)),
    ("洗完头特别痒，不建议买", "", "洗发水", ("洗发水", "过敏", CF)),
    ("用完头发很毛躁，不柔顺", "", "洗发水", ("洗发水", "柔顺", CF)),
    ("卫衣洗了一次就缩水了", "", None, ("卫衣", "变形", CF)),
    ("卫衣穿了几次就破了", "", None, ("卫衣", "耐用", CF)),
    ("打开箱子，瓶子都破了", "", "洗发水", ("洗发水", "破损", CF)),
    ("苹果特别小，跟图片差太多", "", "苹果", ("苹果", "尺寸", CF)),
    ("蓝牙音箱声音特别小，开到最大也听不清", "", None, ("蓝牙音箱", "音质", CF)),
    ("卫衣尺码不标准，没法穿", "", None, ("卫衣", "尺寸", CF)),
    ("卫衣太修身了，根本穿不上", "", None, ("卫衣", "尺寸", CF)),
    ("实物与图片相差太大", "", "卫衣", ("卫衣", "色差", CF)),
    ("苹果特别酸，一点都不甜", "", None, ("苹果", "口味", CF)),
    ("扫地机器人有噪音也没遥控器", "", None, ("扫地机器人", "静音", CF)),   # the 没 is the remote's
    ("卫衣线头也没处理", "", None, ("卫衣", "做工", CF)),
    ("卫衣一点线头都没有，很满意", "", None, ("卫衣", "做工", PR)),
    ("平板电脑分辨率太低，看视频不清楚", "", None, ("平板电脑", "屏幕", CF)),
    ("卫衣洗了一次就掉颜色", "", None, ("卫衣", "掉色", CF)),
    ("火龙果放了两天就长毛了", "", None, ("火龙果", "发霉", CF)),
    ("手机壳用了一周就翘边", "", None, ("手机壳", "变形", CF)),
    ("平板电脑玩个游戏卡的要死", "", None, ("平板电脑", "卡顿", CF)),
    ("买了三个，坏了两个", "", "水果", ("水果", "新鲜", CF)),        # food that goes bad is not fresh
    ("火龙果放了两天就坏了", "", None, ("火龙果", "新鲜", CF)),
    ("双肩包用了一个月就烂了", "", None, ("双肩包", "耐用", CF)),   # worn out, not rotten
    ("穿了两次就烂了", "", "衣服", ("衣服", "耐用", CF)),            # outside the taxonomy too
    ("买了三个，坏了两个", "", "苹果", ("苹果", "新鲜", CF)),          # named like a food
    ("火龙果个头太小了", "", None, ("火龙果", "尺寸", CF)),
    ("平板电脑老是自动关机", "", None, ("平板电脑", "死机", CF)),
    ("卫衣很容易粘毛", "", None, ("卫衣", "起球", CF)),
    ("洗发水包装没封好，全流出来了", "", None, ("洗发水", "漏水", CF)),
    ("卫衣就有味太大了", "", None, ("卫衣", "异味", CF)),     # a smell, not a size
    ("牛仔裤没有弹性", "", None, ("牛仔裤", "弹力", CF)),
    ("听筒太小声，听不清", "", "手机", ("手机", "音质", CF)),  # a volume, not a size
    ("火龙果又缺斤少两", "", None, ("火龙果", "分量", CF)),  # not a missing 斤少两
]


def _keys(needs):
    return {(n["product"], n["aspect"], n["polarity"]) for n in needs}


@pytest.mark.parametrize(("text", "title", "query", "expected"), CASES,
                         ids=[c[0][:14] for c in CASES])
def test_extracts_the_need(text, title, query, expected):
    needs = extract_needs({"text": text, "title": title, "query": query})
    assert expected in _keys(needs), _keys(needs)


@pytest.mark.parametrize("synonym", ["杯架", "杯托", "水杯架", "饮料架", "放杯子的地方"])
def test_synonyms_join_into_the_canonical_aspect(synonym):
    needs = extract_needs({"text": f"车载冰箱居然没有{synonym}，太不方便了"})
    assert ("车载冰箱", "杯架", CF) in _keys(needs)
    assert {n["aspect"] for n in needs} == {"杯架"}


@pytest.mark.parametrize("text", ["猫砂盆的尺寸刚好。差评，物流太慢",
                                  "猫砂盆的尺寸刚好。差评是因为客服一直不回",
                                  "猫砂盆的尺寸看着还行。后面的事让人失望"])
def test_a_verdict_is_borrowed_back_only_when_it_stands_alone_and_is_about_the_product(text):
    assert ("猫砂盆", "尺寸", CF) not in _keys(extract_needs({"text": text}))


@pytest.mark.parametrize("text", ["这款耳机打破了以往的风格", "卫衣的扣眼是我自己不小心剪破了"])
def test_a_break_the_seller_did_not_send_is_no_damage(text):
    assert not {k for k in _keys(extract_needs({"text": text})) if k[1] in ("破损", "耐用")}


def test_need_fields_and_types():
    [need] = extract_needs({"text": "这个保温杯漏水了，188元买的"})
    assert need == {"product": "保温杯", "aspect": "漏水", "category": "厨房", "polarity": CF,
                    "need_type": "quality", "span": need["span"], "price_mentions": [188.0],
                    "complaint_score": need["complaint_score"]}
    assert "漏水" in need["span"] and len(need["span"]) <= 24
    assert 0.0 <= need["complaint_score"] <= 1.0


@pytest.mark.parametrize(("text", "need_type"), [
    ("车载冰箱没有杯架", "missing_feature"), ("保温杯漏水", "quality"), ("零食太贵了", "price"),
    ("收纳盒太小了", "size"), ("瑜伽垫打滑", "safety"), ("拖把拧不干", "usability"),
])
def test_need_types_come_from_the_lexicon(text, need_type):
    [need] = extract_needs({"text": text})
    assert need["need_type"] == need_type


def test_comment_takes_the_product_from_its_parent_note():
    parent = {"title": "车载冰箱使用一个月的真实感受", "text": "整体还可以"}
    needs = extract_needs({"kind": "comment", "text": "同款，我的也没有杯托"}, parent)
    assert _keys(needs) == {("车载冰箱", "杯架", CF)}


def test_comment_falls_back_to_the_parent_keyword_not_things_named_in_passing():
    parent = {"title": "", "text": "妈咪包装了奶瓶尿不湿就更重了", "query": "妈咪包"}
    needs = extract_needs({"kind": "comment", "text": "我的也是勒肩"}, parent)
    assert _keys(needs) == {("妈咪包", "肩带", CF)}


def test_product_outside_the_taxonomy_comes_from_the_query():
    needs = extract_needs({"text": "宝宝一听见声音就哭，噪音大", "query": " 婴儿理发器测评 "})
    assert _keys(needs) == {("婴儿理发器", "静音", CF)}
    assert needs[0]["category"] == ""


def test_one_need_per_product_and_aspect_first_complaint_wins():
    needs = extract_needs({"text": "车载冰箱没有杯架。杯托是真的需要。要是有水杯架就好了。"})
    assert len(needs) == 1 and needs[0]["polarity"] == CF


def test_the_body_decides_polarity_before_the_title():
    needs = extract_needs({"title": "求推荐拖把", "text": "现在这个拖把拧不干，地上全是水"})
    assert _keys(needs) == {("拖把", "拧干", CF)}


def test_vague_complaints_fold_into_the_specific_need():
    needs = extract_needs({"text": "保温杯漏水！！踩雷了，质量差"})
    assert _keys(needs) == {("保温杯", "漏水", CF)}


@pytest.mark.parametrize("text", ["", "😭😭😭🙃", "[哭惹R][捂脸R]", "   \n\n  ", "今天天气真好，出去逛了一圈",
                                  "车载冰箱到了，颜值在线，先用几天看看"])
def test_posts_without_a_need(text):
    assert extract_needs({"text": text, "query": "车载冰箱"}) == []


def test_none_fields_are_empty():
    assert extract_needs({"title": None, "text": None, "query": None, "tags": None}) == []


def test_needs_without_a_product_are_dropped_and_counted():
    stats: Counter = Counter()
    assert extract_needs({"text": "居然没有杯架"}, stats=stats) == []
    assert stats["dropped_no_product"] == 1


def test_praise_without_an_aspect_is_not_a_need():
    stats: Counter = Counter()
    assert extract_needs({"text": "车载冰箱真的好用，推荐"}, stats=stats) == []
    assert stats["praise_without_aspect"] >= 1


def test_huge_post_is_capped_and_still_read():
    text = "车载冰箱没有杯架。" + "哈哈哈，今天也是开心的一天，" * 10_000
    assert len(text) > 100_000
    needs = extract_needs({"text": text, "title": "x" * 100_000})
    assert ("车载冰箱", "杯架", CF) in _keys(needs)


def test_price_mentions_attach_to_the_needs_of_their_product():
    needs = extract_needs({"text": "花了两百多买的车载冰箱，没有杯架。另外买了3块砧板，都长霉了"})
    by_key = {(n["product"], n["aspect"]): n["price_mentions"] for n in needs}
    assert by_key == {("车载冰箱", "杯架"): [200.0], ("砧板", "发霉"): []}


def test_tags_name_the_product_when_the_text_does_not():
    needs = extract_needs({"text": "漏水漏了一包", "tags": ["保温杯", "通勤"]})
    assert _keys(needs) == {("保温杯", "漏水", CF)}


@pytest.mark.parametrize(("text", "expected"), [
    ("东西不错，就是价格好贵", {("热水器", "价格", "complaint")}),
    ("东西很好，就是价钱太贵了", {("热水器", "价格", "complaint")}),
    ("价格不贵，挺好", {("热水器", "价格", "praise")}),
])
def test_a_reservation_about_an_aspect_is_judged_by_its_problem_word(text, expected):
    # 价格 is named twice: its plain word would take the earlier 不错 as praise; the problem word decides
    assert _heater_review(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("东西不错，就是安装费好贵", {("热水器", "价格", "complaint")}),
    ("安装费比别家贵了一百", {("热水器", "价格", "complaint")}),
    ("运费太贵了", {("热水器", "价格", "complaint")}),
    ("安装很麻烦", {("热水器", "安装", "complaint")}),
    ("和店里的价格相差太大", {("热水器", "价格", "complaint")}),
])
def test_a_fee_is_a_price_not_the_aspect_it_is_named_after(text, expected):
    # 安装费 is what the fitter charges, not how hard the heater is to install; 运费 is no product;
    # 相差太大 is a gap, not a size
    assert _heater_review(text) == expected


def _heater_review(text: str) -> set[tuple[str, str, str]]:
    """The need keys of a review found with the keyword 热水器."""
    return _keys(extract_needs({"text": text, "title": "", "query": "热水器"}))


@pytest.mark.parametrize(("text", "expected"), [
    ("苹果很新鲜，没有一个烂的", {("苹果", "新鲜", "praise")}),
    ("裤子没有多余的线头", {("裤子", "做工", "praise")}),
    ("手机用了半年也没出现卡顿", {("手机", "卡顿", "praise")}),
    ("苹果有一个烂的", {("苹果", "新鲜", "complaint")}),
])
def test_a_negation_reaches_its_problem_word_across_a_quantifier(text, expected):
    assert _keys(extract_needs({"text": text, "title": ""})) == expected


@pytest.mark.parametrize("text", ["这个收纳盒没想象中好", "这个烤肠机没让我失望", "售后态度让人不能接受",
                                  "烤肠机没有以前好用了", "这个手机没进过灰", "笔记本电脑看来没有拆过",
                                  "手机壳现在没拿到货", "苹果都没发育好就摘了", "平板电脑装了一晚上也没装好",
                                  "笔记本电脑买来送人，没有拆包", "平板电脑希望不要让我失望",
                                  "衣服没有图片上的感觉", "平板电脑买之前问有没有优惠",
                                  "想买的朋友不要犹豫，衣服很好", "手机还没敢刷机"])
def test_words_after_a_cue_that_name_no_feature_make_no_need(text):
    # 没[想象中好], 没[让我失望], 不能[接受], 没[进过灰]: how the post goes on, not a missing feature
    assert all(n["aspect"] in ("其他",) for n in extract_needs({"text": text, "title": ""}))


@pytest.mark.parametrize("text", ["平板电脑主要是老人用", "本来想买灰色的平板电脑，最后选了白色",
                                  "平板电脑用了没多长时间就降价了"])
def test_words_that_contain_a_cue_are_no_cue(text):
    # 主要是 holds 要是, 本来想买 is a wish already given up
    assert extract_needs({"text": text, "title": ""}) == []


@pytest.mark.parametrize(("text", "expected"), [
    ("安装系统没有任何问题", {("笔记本电脑", "安装", PR)}),   # 没有 a fault praises
    ("功能上没有冗余，该要的功能都有了", set()),                     # 冗余 is no missing feature
    ("价格便宜没说的", {("笔记本电脑", "价格", PR)}),
    ("没有外套，感觉不需要了，性价比很高", {("笔记本电脑", "价格", PR)}),
    ("不知道好不好用", set()),                                        # A-not-A: a question
    ("漏不漏水还不知道", set()),
    ("电脑很好用，只是没有看到发票", set()),   # 发票: the seller's service, no gap
    ("外观沉稳大气", set()),                                          # 沉稳 says nothing of weight
    ("电脑比实体店便宜多了", {("笔记本电脑", "价格", PR)}),
    ("个个新鲜，没烂没破", {("笔记本电脑", "新鲜", PR)}),             # 没烂, 没破: faults negated
    ("没有打蜡，酸酸甜甜的", set()),                                  # 打蜡 is a fault, not a feature
    ("目前没发现毛病", set()),
    ("简直不能再开心", set()),                                        # 不能再: as much as can be
    ("用着明显没了头皮屑", {("笔记本电脑", "去屑", PR)}),
    ("屏幕一段时间后变暗，而不是黑屏", {("笔记本电脑", "死机", PR)}),
    ("香味很重，好吃", set()),                                        # a strong scent weighs nothing
    ("不是烂的就是发黑", {("笔记本电脑", "耐用", CF)}),               # either-or names both faults
    ("号码不是偏大，是整整大两码", {("笔记本电脑", "尺寸", CF)}),
    ("噪音控制的很好，基本听不见", {("笔记本电脑", "静音", PR)}),
    ("穿着没有紧绷的感觉", set()),
    ("朋友穿上有一种贵公子的气质", set()),                            # 贵 of 贵公子 is no price
    ("价格没有实体店那么贵", {("笔记本电脑", "价格", PR)}),            # less of the fault than elsewhere
    ("没有以前那么吵", {("笔记本电脑", "静音", PR)}),
    ("从来没吃过这么难吃的", {("笔记本电脑", "口味", CF)}),            # never had worse
    ("全是没处理好的线头", {("笔记本电脑", "做工", CF)}),
    ("洗了也不怎么掉色", {("笔记本电脑", "掉色", PR)}),
    ("送给很重要的人", set()),                                        # 很重要 weighs nothing
    ("难免有疏漏", set()),                                            # 疏漏 leaks nothing
    ("正品，包装没有开封过", set()),                                  # what has not happened
    ("看上了就买吧，不会后悔的！", set()),
    ("暂时没什么不满意的", set()),
    ("虽然家里不缺充电线，还是买了", set()),
    ("用了一周头皮屑没了", {("笔记本电脑", "去屑", PR)}),              # a fault gone after it
    ("用了以后头屑拜拜了", {("笔记本电脑", "去屑", PR)}),
    ("没有受伤的，包装很好", set()),                                  # 受伤 is a fault, no feature
    ("要不是嫌麻烦就退了", set()),                                    # the trouble of a return
    ("包装很好，没有挤坏", {("笔记本电脑", "破损", PR)}),
    ("没有沫，不过比超市便宜啊", {("笔记本电脑", "价格", PR)}),        # cheaper than elsewhere
    ("别家比京东便宜几十元", set()),                                  # someone else is cheaper
    ("放冰箱了，夏天太热了怕坏了", set()),                            # a fault feared, not met
    ("当时担心有坏点，收到后很放心", set()),
    ("可以放心购买，不用担心质量问题", {("笔记本电脑", "耐用", PR)}),
    ("包装这么简陋，就不怕摔坏啊", {("笔记本电脑", "破损", CF)}),     # asked back: a complaint
    ("用了以后掉头发也少了", {("笔记本电脑", "防脱", PR)}),            # 少了 is the denial, not a cue
    ("风扇噪音也不大", {("笔记本电脑", "静音", PR)}),
    ("头发没那么干枯了", {("笔记本电脑", "柔顺", PR)}),
    ("难能可贵的是客服很耐心", set()),                                # 贵 of 可贵, 贵宾 is no price
    ("这次住的贵宾楼", set()),
    ("价格不算贵，约60元", {("笔记本电脑", "价格", PR)}),
    ("价格不是很贵", {("笔记本电脑", "价格", PR)}),
    ("画面都没得挑，且价格又便宜", {("笔记本电脑", "价格", PR)}),      # a verdict on the price itself
    ("毕竟是上网本，不能要求太高", set()),                            # a demand, no height
    ("孩子几乎把书翻烂了", set()),                                    # read to pieces, and loved
    ("阳光灿烂，效果超过期望", set()),
    ("别的网友说的死机问题从没遇到", {("笔记本电脑", "死机", PR)}),   # a fault never met
    ("双层包装，避免碰伤", {("笔记本电脑", "破损", PR)}),
    ("跟想象之中没分别", set()),                                      # 没分别: as imagined, no gap
    ("相信下次也不会让您失望", set()),
    ("不管多贵都买", set()),                                          # a price supposed, not paid
    ("洗完头发很柔顺，起泡很多很快", {("笔记本电脑", "柔顺", PR)}),     # lather, no bubbles under a film
    ("入住率太高，等打扫的时间长", set()),                            # a rate, no height
    ("也没有感觉出太大差别", set()),                                  # a gap, no size
    ("服务员一张臭脸", set()),                                        # a sulk, no smell
    ("好评，没遇到拖影问题，运行流畅", {("笔记本电脑", "卡顿", PR)}),   # a fault never met
    ("有苹果香味及果酸味", set()),
    ("看着一本本的书，有的沉醉了", set()),                            # 沉 of 沉醉 weighs nothing
    ("所以噪音影响不是很大", {("笔记本电脑", "静音", PR)}),
    ("如果有机会还会来", set()),
    ("头发也滑滑的不枯燥", set()),                                    # smooth hair, no slippery floor
    ("套装不错，大大小小六瓶", set()),
    ("没有附赠背包", set()),                                          # a gift left out: the seller's
    ("面对生活的求生欲望", set()),                                    # 求 of 求生 wishes nothing
    ("浴盆的地漏不畅", set()),                                        # a floor drain, no leak
    ("止痒还可以，掉头发不知道了", set()),                            # a fault not known yet
    ("洗过都不想换牌子了", set()),                                    # loyal, no wish
    ("头发不“打结”，柔顺多了", {("笔记本电脑", "打结", PR)}),          # quotes keep the negation
    ("这么便宜会不会是快过期的", set()),                              # asked, not met
    ("因为办事延误了，没有来得及退房", set()),
    ("原著小说和电影略有些差别的", set()),
    ("整个贵阳的建筑都很旧", set()),                                  # 贵 of 贵阳 is no price
    ("只好寻求媒体的帮助", set()),                                    # 求 of 寻求 wishes nothing
    ("让人看得津津有味", set()),                                      # 有味 of 津津有味 smells of nothing
    ("前天找客服，到今天都没人回我", set()),                          # nobody: the seller's business
    ("待机耗电少", {("笔记本电脑", "续航", PR)}),                      # less of the fault
    ("洗完不起头皮屑", {("笔记本电脑", "去屑", PR)}),
    ("读后陷入沉思，许久不能自拔", set()),                            # idioms after a cue name nothing
    ("服务员均热情和蔼，有求必应", set()),
    ("没有明显的噪点", set()),
])
def test_what_praises_or_asks_is_no_complaint(text, expected):
    assert _keys(extract_needs({"text": text, "title": "", "query": "笔记本电脑"})) == expected


@pytest.mark.parametrize("text", ["本来没有头皮屑，洗完又有了", "以前从来不起头皮屑，用了这个以后满头都是"])
def test_a_fault_denied_of_the_past_is_met_now(text):
    assert _keys(extract_needs({"text": text, "title": "", "query": "洗发水"})) == {("洗发水", "去屑", CF)}


@pytest.mark.parametrize(("text", "aspect"), [("携程的价格还是偏高", "价格"), ("空调噪音太大", "静音"),
                                             ("吸力太小", "吸力"), ("屏幕太小", "尺寸")])
def test_a_size_word_after_an_amount_measures_the_amount(text, aspect):
    needs = extract_needs({"text": text, "title": "", "query": "笔记本电脑"})
    assert _keys(needs) == {("笔记本电脑", aspect, CF)}


@pytest.mark.parametrize(("text", "expected"), [
    ("质量还不错，就是配件太少", {("笔记本电脑", "配件不全", CF)}),   # the turn after praise: a reservation
    ("机器很好，就是有点发热", {("笔记本电脑", "发热", CF)}),
    ("希望能用久一点，就是太贵了", {("笔记本电脑", "价格", CF)}),      # the wish does not reach past the turn
    ("整体不错，不过屏幕中间好像可以按下去", {("笔记本电脑", "屏幕", CF)}),
    ("虽然有点重，但是屏幕清晰", {("笔记本电脑", "重量", CF)}),        # a concession turns back
    ("还没用，不过看包装应该是正品", set()),
])
def test_what_follows_a_turn_after_praise_is_the_reservation(text, expected):
    assert _keys(extract_needs({"text": text, "title": "", "query": "笔记本电脑"})) == expected


@pytest.mark.parametrize(("text", "aspect"), [("就是缺乏重庆特色", "重庆特色"), ("没有早餐比较遗憾", "早餐"),
                                             ("房间没有遵守时间.我提前1小时确认过", "遵守时间")])
def test_the_words_after_a_cue_name_the_missing_thing(text, aspect):
    assert _keys(extract_needs({"text": text, "title": "", "query": "酒店"})) == {("酒店", aspect, CF)}


@pytest.mark.parametrize("text", ["这个笔记本电脑太烂了", "笔记本电脑最烂的一次购物", "笔记本电脑好烂",
                                  "笔记本电脑较差", "笔记本电脑不值得买", "这种笔记本电脑不值得推荐"])
def test_terrible_is_a_complaint_not_rot(text):
    assert _keys(extract_needs({"text": text, "title": "", "query": "笔记本电脑"})) == {
        ("笔记本电脑", "其他", CF)}


@pytest.mark.parametrize("text", ["价格昂贵", "没有实体店便宜", "没感觉便宜", "前天买的，今天就便宜100多",
                                  "买好第二天就便宜了50，不开心"])
def test_cheap_that_is_not_or_came_too_late_complains(text):
    assert _keys(extract_needs({"text": text, "title": "", "query": "笔记本电脑"})) == {
        ("笔记本电脑", "价格", CF)}


@pytest.mark.parametrize(("text", "expected"), [
    ("安装不是很方便", {("笔记本电脑", "安装", CF)}),
    ("续航不算很好", {("笔记本电脑", "续航", CF)}),
    ("价格不太划算", {("笔记本电脑", "价格", CF)}),
    ("屏幕一点都不好用", {("笔记本电脑", "屏幕", CF)}),
    ("散热没那么给力", {("笔记本电脑", "发热", CF)}),   # 散热 names the heat aspect
    ("不是很满意", {("笔记本电脑", "其他", CF)}),
    ("屏幕好不好用还不知道", set()),                 # A-not-A: a question, no verdict
    ("不得不说屏幕很好用", {("笔记本电脑", "屏幕", PR)}),
    ("价格不贵很实用", {("笔记本电脑", "价格", PR)}),
])
def test_a_negated_praise_word_complains(text, expected):
    assert _keys(extract_needs({"text": text, "title": "", "query": "笔记本电脑"})) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("这批苹果没有冰糖心的甜", {("苹果", "口味", CF)}),   # not as sweet as: a taste complaint
    ("这次的苹果没市场上的新鲜", {("苹果", "新鲜", CF)}),
    ("这苹果还真的没有桃子大！", set()),                   # not 「苹果 · 缺桃子大」
    ("苹果没有图片上好看", set()),
])
def test_not_as_good_as_something_else_is_no_missing_feature(text, expected):
    assert _keys(extract_needs({"text": text, "title": "", "query": "苹果"})) == expected


def test_a_feature_after_a_cue_is_kept_whatever_jieba_tags_it():
    # jieba tags 定时 an adverb; it is still the feature 没有 is about
    assert _keys(extract_needs({"text": "烤肠机没有定时功能", "title": ""})) == {("烤肠机", "定时", CF)}


@pytest.mark.parametrize(("text", "expected"), [
    ("这个手机没有nfc", {("手机", "nfc", CF)}),
    ("扩展坞没有3个usb接口", {("扩展坞", "usb接口", CF)}),
    ("待机时间根本没有120小时", {("手机", "续航", CF)}),
])
def test_latin_and_numbered_features_after_a_cue(text, expected):
    assert _keys(extract_needs({"text": text, "title": "", "query": "手机"})) == expected


def test_the_opening_noun_outranks_a_product_named_in_passing_inside_the_feature():
    # 耳机 is a product named in passing (incidental); the phone is what lacks the jack
    assert _keys(extract_needs({"text": "手机没有3.5mm耳机孔", "title": ""})) == {("手机", "3.5mm", CF)}


@pytest.mark.parametrize("text", ["物流太慢，差评", "快递很慢，差评！！", "没有发票，差评",
                                  "发货慢，太失望了", "才几天就降价！差评！", "垃圾，刚买几天就降价",
                                  "唯一不足就是没有送保护膜和耳机", "货没按时送达"])
def test_a_complaint_about_the_sellers_service_is_no_product_need_and_is_counted(text):
    stats = Counter()
    assert extract_needs({"text": text, "title": "", "query": "衣服"}, stats=stats) == []
    assert stats["service_complaint"] == 1


@pytest.mark.parametrize("text", ["客服态度差，衣服也不行", "客服态度差，衣服不行", "快递很快。东西不行",
                                  "物流很快，东西太差了"])
def test_a_product_complaint_next_to_a_service_one_stays(text):
    needs = extract_needs({"text": text, "title": "", "query": "衣服"})
    assert _keys(needs) == {("衣服", "其他", CF)}


def test_a_category_hashtag_is_no_aspect():
    # #数码配件 names a kind of goods; 配件 inside it is not a complaint about missing parts
    needs = extract_needs({"text": "#数码配件 #手机配件 吐槽一下这个数据线，用两个月就断线了", "title": ""})
    assert _keys(needs) == {("数据线", "易断", CF)}


@pytest.mark.parametrize(("text", "expected"), [
    ("隔音效果太差，吵死了", {("酒店", "静音", CF)}),  # soundproofing: quiet, not 音效 (sound quality)
    ("房间隔音效果不好", {("酒店", "静音", CF)}),
    ("一点都不隔音", {("酒店", "静音", CF)}),
    ("干净整洁，隔音效果好", {("酒店", "静音", PR)}),
    ("乱七八糟，错漏百出", {("酒店", "其他", CF)}),              # 错漏 is errors, no leak
    ("满意不满意，看我买这么多就知道了", set()),                # A or not A asks, it does not judge
])
def test_hotel_reviews_read_as_meant(text, expected):
    assert _keys(extract_needs({"text": text, "title": "", "query": "酒店"})) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("物流没有动态，也没有任何人联系", set()),               # the service before the cue, in its clause
    ("希望携程将酒店的信息表更新一下", set()),               # a booking platform is the seller's side
    ("客服没有回复", set()),
    ("周边没有饭店只能在酒店里吃", {("酒店", "饭店", CF)}),  # the phrase ends where the clause goes on
    ("不能下载其他功能", {("酒店", "下载", CF)}),
    ("买回来没有遥控器", {("酒店", "遥控器", CF)}),
])
def test_a_phrase_after_a_cue_is_the_thing_missed_not_the_service(text, expected):
    assert _keys(extract_needs({"text": text, "title": "", "query": "酒店"})) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("早就不喝蒙牛了", {("牛奶", "其他", CF)}),      # refusing the goods complains of them
    ("抵制蒙牛全系产品", {("牛奶", "其他", CF)}),
    ("宝宝不喝，退了", {("牛奶", "其他", CF)}),
    ("真心不敢喝了", {("牛奶", "其他", CF)}),
    ("不喝酒的人也可以去", set()),                  # another drink
])
def test_refusing_the_goods_is_a_complaint(text, expected):
    assert _keys(extract_needs({"text": text, "title": "", "query": "牛奶"})) == expected


def test_a_word_with_daxiao_inside_is_no_size():
    needs = extract_needs({"text": "吃过后，连大小便都是那个颜色", "title": "", "query": "火龙果"})
    assert all(n["aspect"] != "尺寸" for n in needs)


@pytest.mark.parametrize("text", ["苹果都没有磕坏的,包装的很好", "很快就来了,没有厌烦,很好的",
                                  "凭房卡在餐厅吃饭还可以打8折", "虽然不值几个钱,但是很好用",
                                  "对于贵酒店的服务我很满意", "就不给京东添麻烦了", "请沉下心来读",
                                  "书很好,孩子天天吵着要看", "包装很好,没有挤压痕迹", "没有去住,住了两晚",
                                  "你不能拿它和cd相比", "没赶上加一元送内存的活动",
                                  "安装师傅帮我装了接近一天累坏了"])
def test_no_fault_denied_or_card_is_a_complaint(text):
    needs = extract_needs({"text": text, "title": "", "query": "酒店"})
    assert not [n for n in needs if n["polarity"] == "complaint"]


@pytest.mark.parametrize(("text", "query", "expected"), [
    ("手机没有耳机", "手机", {("手机", "耳机", CF)}),        # the accessory missed is the need
    ("这个手机没有数据线", "", {("手机", "数据线", CF)}),
    ("浴室没有防滑垫,床头柜只有一个", "酒店", {("酒店", "防滑垫", CF)}),
    ("早餐没有牛奶,勉强可以吃几片面包", "酒店", {("酒店", "牛奶", CF)}),  # not a need of 牛奶 itself
    ("没有送耳机", "手机", set()),                              # a gift left out is service
])
def test_a_product_missed_after_a_cue_of_lack_is_the_need(text, query, expected):
    assert _keys(extract_needs({"text": text, "title": "", "query": query})) == expected
