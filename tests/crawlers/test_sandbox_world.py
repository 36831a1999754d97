from collections import Counter
from datetime import date

from crawlers.sandbox.catalog import CATEGORIES, PATTERNS, PRODUCTS, aspects_in
from crawlers.sandbox.world import TRUTH_COLUMNS, generate_world
from store.weeks import week_end, week_of, week_start

END = date(2026, 5, 20)
STAR, CAUGHT_UP = "车载冰箱|杯架", "猫砂盆|防外溅"


def _digest(world):
    return ([(p["platform"], p["post_id"], p["text"], p["published_at"], p["likes"]) for p in world.posts],
            [(o["offerId"], o["subject"], o["createDate"]) for o in world.offers])


def _demand(world, weeks):
    """Posts voicing each need (complaints and wishes) in the given week indexes."""
    index = {w: i for i, w in enumerate(world.weeks)}
    return Counter(p["truth_need"] for p in world.posts
                   if p["truth_need"] and p["truth_polarity"] in ("complaint", "wish")
                   and index.get(week_of(p["published_at"])) in weeks)


def test_deterministic_per_seed():
    a, b = generate_world(5, end=END, scale=0.2), generate_world(5, end=END, scale=0.2)
    other = generate_world(6, end=END, scale=0.2)
    assert _digest(a) == _digest(b)
    assert _digest(a) != _digest(other)
    assert a.truth_frame().equals(b.truth_frame())


def test_weeks_end_at_the_given_day(sandbox_world):
    assert len(sandbox_world.weeks) == 12
    assert sandbox_world.weeks[-1] == "2026-W21"
    assert sandbox_world.weeks == sorted(sandbox_world.weeks)


def test_every_pattern_is_planted_over_every_category(sandbox_world):
    for pattern in PATTERNS:
        assert sandbox_world.planted(pattern), pattern
    assert sandbox_world.planted("star") == [STAR]
    assert CAUGHT_UP in sandbox_world.planted("caught_up")
    assert len(sandbox_world.needs) >= 30
    assert {n.category for n in sandbox_world.needs} == set(CATEGORIES)
    assert len(sandbox_world.keywords) == len(set(sandbox_world.keywords)) == len(PRODUCTS)


def test_star_demand_grows_most(sandbox_world):
    first, last = _demand(sandbox_world, range(0, 4)), _demand(sandbox_world, range(8, 12))
    growth = {k: last[k] - first[k] for k in set(first) | set(last)}
    ranked = sorted(growth, key=growth.get, reverse=True)
    assert ranked[0] == STAR
    assert growth[STAR] > 1.5 * growth[ranked[1]]


def test_star_stays_unsupplied_while_caught_up_gets_supplied(sandbox_world):
    def addressing(need):
        product, aspect = need.split("|")
        return sorted(o["listed_at"] for o in sandbox_world.offers
                      if o["product"] == product and aspect in o["aspects"])

    weeks = sandbox_world.weeks
    assert addressing(STAR) == []
    fridge_titles = [o["subject"] for o in sandbox_world.offers if o["product"] == "车载冰箱"]
    assert len(fridge_titles) > 10
    assert not any("杯架" in aspects_in(t) for t in fridge_titles)
    caught = addressing(CAUGHT_UP)
    assert len(caught) >= 5
    assert all(week_start(weeks[4]) <= when < week_end(weeks[8]) for when in caught)
    truth = sandbox_world.truth_frame().set_index(["need_key", "week"])
    assert truth.loc[(CAUGHT_UP, weeks[-1]), "value"] < 0.1 * truth.loc[(CAUGHT_UP, weeks[3]), "value"]


def test_truth_frame_ranks_the_star_first(sandbox_world):
    truth = sandbox_world.truth_frame()
    assert list(truth.columns) == TRUTH_COLUMNS
    assert len(truth) == len(sandbox_world.needs) * len(sandbox_world.weeks)
    assert truth["value"].ge(0).all()
    last = truth[truth["week"] == sandbox_world.weeks[-1]].sort_values("value", ascending=False)
    assert last.iloc[0]["need_key"] == STAR
    assert last.iloc[0]["value"] > 2 * last.iloc[1]["value"]
    assert truth.loc[truth["need_key"] == STAR, "aspect_offers"].eq(0).all()


def test_uncommon_products_go_by_short_names(sandbox_world):
    assert 3 <= len(sandbox_world.uncommon_products) <= 6
    for product in sandbox_world.uncommon_products:
        assert product in sandbox_world.keywords
        notes = [p for p in sandbox_world.posts if p["keyword"] == product and p["kind"] != "comment"]
        named = sum(product in p["title"] + p["text"] for p in notes)
        assert notes and named < 0.3 * len(notes)


def test_posts_name_exactly_their_aspect(sandbox_world):
    aliases = sorted({a for p in PRODUCTS for a in p.aliases}, key=len, reverse=True)
    for post in sandbox_world.posts:
        text = f"{post['title']} {post['text']}"
        for alias in aliases:  # product names like 保温杯 contain aspect words themselves
            text = text.replace(alias, "#")
        wanted = {post["truth_need"].split("|")[1]} if post["truth_need"] else set()
        assert aspects_in(text) == wanted, (post["truth_need"], post["text"])


def test_posts_are_varied_and_consistent(sandbox_world):
    posts = sandbox_world.posts
    star_notes = [p["text"] for p in posts if p["truth_need"] == STAR and p["kind"] != "comment"]
    assert len(set(star_notes)) > 0.9 * len(star_notes)
    assert len({(p["platform"], p["post_id"]) for p in posts}) == len(posts)
    notes = {(p["platform"], p["post_id"]): p for p in posts if p["kind"] != "comment"}
    comments = [p for p in posts if p["kind"] == "comment"]
    assert len(comments) > 0.3 * len(notes)
    for c in comments:
        parent = notes[(c["platform"], c["parent_id"])]
        assert c["published_at"] > parent["published_at"] and c["keyword"] == parent["keyword"]
    authors = Counter(p["author_id"] for p in posts)
    assert authors.most_common(1)[0][1] >= 5  # authors repeat
    html = [p for p in posts if "<" in p["text"]]
    assert 0.002 * len(posts) < len(html) < 0.03 * len(posts)
    assert any("<script>alert(1)</script>" in p["text"] for p in generate_world(7, end=END).posts)
    assert any(("元" in p["text"] or "¥" in p["text"] or "块" in p["text"]) for p in posts)
    assert {p["platform"] for p in posts} == {"xhs", "bilibili"}
    first, last = week_start(sandbox_world.weeks[0]), week_end(sandbox_world.weeks[-1])
    assert all(first <= p["published_at"] < last for p in posts)


def test_offers_have_the_1688_shape(sandbox_world):
    offer = sandbox_world.offers[0]
    for key in ("offerId", "subject", "imageUrl", "priceInfo", "repurchaseRate", "monthSold", "isOnePsale",
                "sellerIdentities", "minOrderQuantity", "createDate", "sellerDataInfo",
                "productSimpleShippingInfo"):
        assert key in offer
    assert isinstance(offer["offerId"], str) and offer["offerId"].isdigit()
    assert offer["repurchaseRate"].endswith("%")
    assert all(o["listed_at"] < week_end(sandbox_world.weeks[-1]) for o in sandbox_world.offers)
    unrelated = [o for o in sandbox_world.offers if o["product"] is None]
    # loosely related goods; a few are accessories that name the product (空气炸锅专用纸)
    assert unrelated and sum(o["keyword"] not in o["subject"] for o in unrelated) > 0.7 * len(unrelated)
    factories = {bool({"super_factory", "powerful_merchants"} & set(o["sellerIdentities"]))
                 for o in sandbox_world.offers}
    assert factories == {True, False}


def test_full_scale_size():
    world = generate_world(7, end=END, scale=1.0)
    assert 4000 <= len(world.posts) <= 8000
    assert 1000 <= len(world.offers) <= 2000


def test_each_seed_deals_patterns_afresh_but_keeps_the_star_and_caught_up():
    from crawlers.sandbox.catalog import NEEDS
    from crawlers.sandbox.world import deal_needs

    one, two = deal_needs(1), deal_needs(2)
    assert [(p.product, p.aspect) for p, _ in one] == [(p.product, p.aspect) for p in NEEDS]
    assert sorted(p.pattern for p, _ in one) == sorted(p.pattern for p in NEEDS)
    assert [p.pattern for p, _ in one] != [p.pattern for p, _ in two]
    dealt = {f"{p.product}|{p.aspect}": p.pattern for p, _ in one}
    fixed = {key: dealt[key] for key in (STAR, CAUGHT_UP)}
    assert fixed == {STAR: "star", CAUGHT_UP: "caught_up"}
    assert deal_needs(1) == one


def test_supply_planned_after_the_end_is_in_the_truth_but_never_listed():
    world = generate_world(2, end=END, scale=0.2)  # seed 2 deals 天幕|抗风 late supply 3 weeks late
    need = next(n for n in world.needs if n.need_key == "天幕|抗风")
    assert need.pattern == "late_supply" and need.shift == 3
    listed = [o for o in world.offers if o["product"] == "天幕" and "抗风" in o["aspects"]]
    assert listed == []
    truth = world.truth_frame().set_index(["need_key", "week"])
    last = truth.loc[("天幕|抗风", world.weeks[-1])]
    assert last["aspect_offers"] == 0
    assert last["value"] < 0.5 * 4 * last["demand"]  # offers arriving next weeks eat most of what is ahead
