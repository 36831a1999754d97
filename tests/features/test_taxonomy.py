"""The taxonomy file: ten categories, the required products, and the shared need catalogue."""

from __future__ import annotations

import pytest

from features.taxonomy import NEED_TYPES, Taxonomy, load_taxonomy, word_pattern

CATEGORIES = "家居日用 厨房 汽车用品 母婴 宠物 数码配件 个护 服饰鞋包 户外运动 食品".split()
REQUIRED = ("车载冰箱 车载手机支架 车载吸尘器 收纳盒 晾衣架 拖把 空气炸锅 保温杯 砧板 电煮锅 婴儿推车 "
            "奶瓶 儿童餐椅 猫砂盆 宠物饮水机 牵引绳 充电宝 手机壳 蓝牙耳机 数据线 电动牙刷 吹风机 卷发棒 "
            "双肩包 雨伞 露营椅 瑜伽垫 头盔 螺蛳粉 零食").split()
# The brief's shared need catalogue: canonical aspect -> synonyms that must join into it.
CATALOGUE = {
    "杯架": "杯托 水杯架 饮料架 放杯子的地方", "稳固": "松动 夹不紧 掉下来 不稳",
    "吸力": "吸不干净 吸力小", "透气": "闷热 不透气 捂汗", "尺寸": "太小 太大 放不下 尺码",
    "承重": "承重差 压弯 断了", "拧干": "拧不干 甩不干", "清洗": "难洗 不好洗 难清洁 清洁",
    "漏水": "漏 渗水 洒", "发霉": "霉点 长霉", "防干烧": "干烧", "折叠": "收不起来 折叠麻烦",
    "防胀气": "胀气", "防外溅": "外溅 带砂 漏砂", "静音": "噪音大 吵 声音大 噪音",
    "续航": "没电 不耐用电 电池", "重量": "太重 沉", "发黄": "变黄", "易断": "容易断 断线",
    "烫伤": "烫手 太烫", "肩带": "勒肩 肩带细", "抗风": "被风吹翻 吹坏", "收纳": "占地方 体积大",
    "防滑": "打滑 滑", "异味": "味道大 臭 有味", "价格": "太贵 不值 贵", "安装": "难装 不好装",
    "充电": "充不进 充电慢", "保温": "不保温 凉得快",
}


def test_ten_categories_with_15_to_40_products_each():
    tax = load_taxonomy()
    per_category = {c: [p for p in tax.products.values() if p.category == c] for c in CATEGORIES}
    assert {p.category for p in tax.products.values()} == set(CATEGORIES)
    for category, products in per_category.items():
        assert 15 <= len(products) <= 40, (category, len(products))
        assert all(p.path.startswith(f"{category}>") for p in products)


def test_required_products_are_canonical():
    tax = load_taxonomy()
    missing = [p for p in REQUIRED if p not in tax.products]
    assert not missing


def test_synonyms_join_into_one_product():
    tax = load_taxonomy()
    assert tax.canonical_product("车用冰箱") == "车载冰箱"
    assert tax.canonical_product("菜板") == "砧板"
    assert tax.canonical_product("遛狗绳") == "牵引绳"
    assert tax.category_of("车载冰箱") == "汽车用品" and tax.path_of("车载冰箱") == "汽车用品>车载电器"
    assert tax.category_of("不存在的东西") == ""


@pytest.mark.parametrize("aspect", sorted(CATALOGUE))
def test_catalogue_synonyms_join_into_the_canonical_aspect(aspect):
    tax = load_taxonomy()
    for word in [aspect, *CATALOGUE[aspect].split()]:
        assert tax.canonical_aspect(word) == aspect, word
    assert tax.aspects[aspect].need_type in NEED_TYPES


def test_amount_and_degree_aspects_are_marked_in_the_file():
    tax = load_taxonomy()
    # A degree word right after an amount belongs to it (价格偏高, 噪音太大): extract.py reads these flags.
    assert {a for a, spec in tax.aspects.items() if spec.amount} >= {"价格", "静音", "吸力"}
    assert {a for a, spec in tax.aspects.items() if spec.degree} == {"尺寸", "高度"}
    assert tax.forms["偏高"].degree and tax.forms["价格"].amount and not tax.forms["价格"].degree


def test_a_form_with_two_owners_is_refused():
    data = {"categories": {"厨房": {"杯": {"保温杯": ["杯托"]}}},
            "aspects": {"杯架": {"need_type": "missing_feature", "words": ["杯托"]}}}
    with pytest.raises(ValueError, match="杯托"):
        Taxonomy(data)


def test_an_aspect_flag_that_is_no_boolean_is_refused():
    data = {"categories": {}, "aspects": {"价格": {"need_type": "price", "amount": "yes"}}}
    with pytest.raises(ValueError, match="价格.*amount 'yes'"):
        Taxonomy(data)


def test_a_bad_need_type_is_refused():
    data = {"categories": {}, "aspects": {"杯架": {"need_type": "feature"}}}
    with pytest.raises(ValueError, match="need_type"):
        Taxonomy(data)


def test_unreadable_file_names_itself(tmp_path):
    bad = tmp_path / "taxonomy.json"
    bad.write_text("{not json", encoding="utf-8")
    with pytest.raises(ValueError, match="taxonomy.json"):
        load_taxonomy(str(bad))


@pytest.mark.parametrize(("query", "product"), [
    ("车载冰箱推荐", "车载冰箱"), (" 车载冰箱 测评 ", "车载冰箱"), ("车用冰箱", "车载冰箱"),
    ("2026保温杯怎么选", "保温杯"), ("挂脖风扇推荐", "挂脖风扇"), ("折叠露营车", "折叠露营车"),
    ("车载冰箱 杯架", "车载冰箱"), ("推荐", None), ("", None), (None, None),
])
def test_query_product(query, product):
    assert load_taxonomy().query_product(query) == product


def test_word_pattern_is_leftmost_longest():
    pattern = word_pattern(["漏", "漏砂", "防漏砂", "砂"])
    assert [m.group() for m in pattern.finditer("漏砂防漏砂漏砂子")] == ["漏砂", "防漏砂", "漏砂"]
    assert word_pattern([]).search("anything") is None


def test_a_word_names_another_aspect_in_a_category():
    tax = load_taxonomy()
    assert tax.aspect_of("火龙果", "耐用", "坏了") == "新鲜"     # fruit that goes bad is not fresh
    assert tax.aspect_of("火龙果", "耐用", "质量太差") == "耐用"
    assert tax.aspect_of("充电宝", "耐用", "坏了") == "耐用"
    assert tax.aspect_of("不存在的东西", "耐用", "坏了") == "耐用"
    assert tax.aspect_of("双肩包", "新鲜", "烂了") == "耐用"     # a bag that 烂了 is worn out, not rotten
    assert tax.aspect_of("火龙果", "新鲜", "烂了") == "新鲜"
    # outside the taxonomy: named like a food, read as 食品; otherwise as goods that are not food
    assert tax.aspect_of("苹果", "耐用", "坏了") == "新鲜"
    assert tax.aspect_of("衣服", "新鲜", "烂了") == "耐用"
    assert tax.aspect_of("衣服", "新鲜", "过期") == "新鲜"


@pytest.mark.parametrize(("named", "match"), [({"厨具": {"新鲜": ["坏了"]}}, "no category"),
                                              ({"食品": {"新鲜": ["坏透了"]}}, "aspect word"),
                                              ({"食品": {"鲜度": ["坏了"]}}, "aspect word")])
def test_a_category_aspect_that_names_nothing_is_refused(named, match):
    data = {"categories": {"食品": {"生鲜": {"水果": []}}},
            "aspects": {"新鲜": {"need_type": "quality"},
                        "耐用": {"need_type": "quality", "problems": ["坏了"]}},
            "category_aspects": named}
    with pytest.raises(ValueError, match=match):
        Taxonomy(data)


def test_a_non_food_reading_that_names_nothing_is_refused():
    data = {"categories": {"食品": {"生鲜": {"水果": []}}},
            "aspects": {"耐用": {"need_type": "quality", "problems": ["坏了"]}},
            "non_food": {"food_endings": "果", "aspects": {"耐用": ["烂透了"]}}}
    with pytest.raises(ValueError, match="non_food gives '烂透了'"):
        Taxonomy(data)
