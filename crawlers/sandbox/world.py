"""The sandbox world: a seeded small market of social posts and 1688 offers over N weeks, with its truth.

Ground truth. For need k and week t the true opportunity value is

    value(k, t) = sum over u = t+1..t+4 of  expected need notes in week u  x  exp(-a(k, u) / (4 * s))

where expected need notes are the notes and videos that voice the need as a complaint or a wish (the
pattern's curve x the need's volume x scale; comments and praise come on top), a(k, u) is the number
of offers addressing the aspect listed by the end of week u (including offers planned after the
world's end, which the pipeline never sees), and s = offer_scale = sqrt(scale) (offers grow more slowly
with scale than posts). The second factor is the share of demand that supply does not answer in the
week a seller would sell into. Nothing in the pipeline reads this; tests and evaluation do.

What makes it as hard as a real market (see patterns.py for the curves): each seed deals the
patterns and volumes of the catalogue's needs afresh (only the star 车载冰箱|杯架 and the caught-up
猫砂盆|防外溅 keep theirs), jitters volumes, moves the events (a stall can come just before the end,
late supply can arrive only after it, a spike can be a few weeks old), and every need's weekly
demand carries its own shock (log-normal, sigma DEMAND_SHOCK) on top of Poisson counts, which the
truth, an expectation, does not know about. Large, well-supplied needs (misleading volume) and
one-week spikes are there to lure volume and growth chasers.

The last week is the week of `end` (default: today in Shanghai). Nothing is published after the end
of that day (or after the current hour when `end` is None), so a week still in progress holds a whole
week's demand in its first days: weekly counts stay comparable. With an explicit `end` the world is
deterministic for (seed, end, n_weeks, scale).
"""

from __future__ import annotations

import itertools
import math
import random
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta

import pandas as pd

from crawlers.sandbox import phrasing
from crawlers.sandbox.catalog import NEEDS, PRODUCTS, PRODUCTS_BY_NAME, NeedPlan, Product
from crawlers.sandbox.offers import instant_in, make_offer, offer_id, suppliers_for
from crawlers.sandbox.patterns import aspect_supply, demand, unanswered
from store.weeks import SHANGHAI, shift_week, utcnow, week_end, week_of, week_range, week_start

NOTES_PER_VOLUME = 0.5      # expected need notes a week per unit of a need's volume at scale 1
NOISE_NOTES_A_WEEK = 1.2    # notes per keyword and week that voice no need
GENERIC_OFFERS = 15.0       # offers of a product addressing none of its needs, listed before the world
XHS_SHARE = 0.65
HTML_SHARE = 0.01
DEMAND_SHOCK = 0.3          # sigma of each need's weekly log-normal demand shock
VOLUME_JITTER = 0.3         # sigma of the log-normal factor on each dealt need's volume
HORIZON = 4                 # weeks the truth looks ahead
FIXED_NEEDS = {"车载冰箱|杯架", "猫砂盆|防外溅"}  # planted as the catalogue says in every world
SHIFTS = {"stalled": (0, 1, 2, 3, 4, 5), "late_supply": (-1, 0, 1, 2, 3, 4), "spike": (0, 1, 2, 3),
          "rising_thin": (-2, -1, 0, 1, 2, 3)}
TRUTH_COLUMNS = ["need_key", "product", "aspect", "category", "pattern", "week", "value", "demand",
                 "aspect_offers"]
B58 = "fZodR9XQDSUm21yCkr6zBqiveYah8bt4xsWJEcgnLNpP7K5uFGHTV3wM"


@dataclass(frozen=True)
class NeedSpec:
    """A need planted in the world; `aspect` is the canonical name of the shared catalogue."""

    product: str
    aspect: str
    category: str
    pattern: str
    keyword: str
    volume: float = 1.0
    shift: int = 0  # weeks the pattern's event moves (patterns.py)

    @property
    def need_key(self) -> str:
        return f"{self.product}|{self.aspect}"


@dataclass
class World:
    """Posts, offers and the truth of one seeded market (see the module doc for the value)."""

    seed: int
    end: date
    scale: float
    weeks: list[str]
    needs: list[NeedSpec]
    posts: list[dict]
    offers: list[dict]
    keywords: list[str]
    uncommon_products: list[str]
    _truth: pd.DataFrame = field(repr=False, default_factory=pd.DataFrame)

    def truth_frame(self) -> pd.DataFrame:
        """need_key, product, aspect, category, pattern, week, value (plus demand and aspect_offers)."""
        return self._truth.copy()

    def planted(self, pattern: str) -> list[str]:
        """Need keys planted with a pattern."""
        return [n.need_key for n in self.needs if n.pattern == pattern]

    def posts_for(self, keywords: list[str] | None = None) -> list[dict]:
        wanted = set(keywords or self.keywords)
        return [p for p in self.posts if p["keyword"] in wanted]

    def offers_for(self, keywords: list[str] | None = None) -> list[dict]:
        wanted = set(keywords or self.keywords)
        return [o for o in self.offers if o["keyword"] in wanted]


def poisson(rng: random.Random, lam: float) -> int:
    """A Poisson draw (Knuth below 30, a rounded normal above)."""
    if lam <= 0:
        return 0
    if lam > 30:
        return max(0, round(rng.gauss(lam, math.sqrt(lam))))
    limit, k, p = math.exp(-lam), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


def _xhs_count(n: int) -> int:
    """The count xhs can show: exact below 1万, tenths of 万 up to 10万, then 10万+."""
    if n < 10_000:
        return n
    if n < 100_000:
        return round(n / 1000) * 1000
    return 100_000


@dataclass
class _Authors:
    ids: list[str]
    names: list[str]
    weights: list[float]

    def pick(self, rng: random.Random) -> tuple[str, str]:
        i = rng.choices(range(len(self.ids)), cum_weights=self.weights)[0]
        return self.ids[i], self.names[i]


def _authors(rng: random.Random, platform: str, size: int) -> _Authors:
    ids, names, cum, total = [], [], [], 0.0
    for i in range(size):
        if platform == "xhs":
            ids.append("".join(rng.choice("0123456789abcdef") for _ in range(24)))
        else:
            ids.append(str(rng.randint(10_000_000, 3_999_999_999)))
        names.append(phrasing.nickname(rng))
        total += 1.0 / (i + 1) ** 0.8  # a few authors post a lot, most post once
        cum.append(total)
    return _Authors(ids, names, cum)


class _Builder:
    """Writes the posts and offers of one world; one instance per generate_world call."""

    def __init__(self, seed: int, weeks: list[str], cap: datetime, scale: float) -> None:
        self.seed, self.weeks, self.cap, self.scale = seed, weeks, cap, scale
        self.offer_scale = math.sqrt(scale)
        self.posts: list[dict] = []
        self.offers: list[dict] = []
        self.post_ids: set[tuple[str, str]] = set()
        self.offer_ids: set[str] = set()
        rng = self.rng("authors")
        size = max(60, int(1800 * scale))
        self.authors = {"xhs": _authors(rng, "xhs", size), "bilibili": _authors(rng, "bilibili", size // 2)}

    def rng(self, *parts: object) -> random.Random:
        return random.Random(":".join(str(p) for p in (self.seed, *parts)))

    def window(self, t: int) -> tuple[datetime, datetime]:
        """When week t's posts can be published: the week, cut at the world's end (minus room for replies)."""
        start = week_start(self.weeks[t])
        end = min(week_end(self.weeks[t]), self.cap - timedelta(hours=2))
        return start, max(end, start + timedelta(hours=1))

    # --- offers -------------------------------------------------------------------------------
    def product_offers(self, product: Product, plans: list[NeedPlan],
                       shifts: dict[str, int]) -> dict[str, list[int]]:
        """List the product's offers; returns, per aspect, offers addressing it by the end of each week
        0..n-1+HORIZON (the last HORIZON counting offers planned after the end, never listed)."""
        rng = self.rng("offers", product.name)
        sellers = suppliers_for(rng, product.category)
        first = week_start(self.weeks[0])
        batches: list[tuple[list[str], datetime]] = []
        grows = any(p.pattern in ("star", "rising_thin") for p in plans)
        for _ in range(round(GENERIC_OFFERS * self.offer_scale)):
            batches.append(([], instant_in(rng, first - timedelta(weeks=60), first)))
        for t in range(len(self.weeks)):
            for _ in range(poisson(rng, (1.2 if grows else 0.6) * self.offer_scale)):
                batches.append(([], instant_in(rng, *self.window(t))))
        planned: dict[str, list[int]] = {}
        for plan in plans:
            n = len(self.weeks)
            pre, weekly = aspect_supply(plan.pattern, n, shifts[plan.aspect], ahead=HORIZON)
            carry, later = 0.0, []
            for _ in range(round(pre * self.offer_scale)):
                batches.append(([plan.aspect], instant_in(rng, first - timedelta(weeks=40), first)))
            for t, expected in enumerate(weekly):
                carry += expected * self.offer_scale
                count, carry = int(carry), carry - int(carry)
                if t >= n:
                    later.append(count)
                    continue
                for _ in range(count):
                    batches.append(([plan.aspect], instant_in(rng, *self.window(t))))
            planned[plan.aspect] = list(itertools.accumulate(later))
        for aspects, listed in batches:
            self.offers.append(make_offer(rng, offer_id(rng, self.offer_ids), product, product.keyword,
                                          aspects, listed, rng.choice(sellers)))
        for related in product.related:
            for _ in range(rng.randint(2, 4)):
                listed = instant_in(rng, first - timedelta(weeks=50), self.window(len(self.weeks) - 1)[1])
                self.offers.append(make_offer(rng, offer_id(rng, self.offer_ids), product, product.keyword,
                                              [], listed, rng.choice(sellers), related=related))
        out = {}
        for plan in plans:
            listed = self._addressing(product.name, plan.aspect)
            out[plan.aspect] = listed + [listed[-1] + extra for extra in planned[plan.aspect]]
        return out

    def _addressing(self, product: str, aspect: str) -> list[int]:
        listed = sorted(o["listed_at"] for o in self.offers
                        if o["product"] == product and aspect in o["aspects"])
        return [sum(1 for when in listed if when < week_end(w)) for w in self.weeks]

    # --- posts --------------------------------------------------------------------------------
    def _post_id(self, rng: random.Random, platform: str, when: datetime, comment: bool) -> str:
        while True:
            if platform == "xhs":
                ts = int(when.replace(tzinfo=UTC).timestamp())
                pid = f"{ts:08x}" + "".join(rng.choice("0123456789abcdef") for _ in range(16))
            else:
                pid = str(rng.randint(200_000_000_000, 299_999_999_999) if comment
                          else rng.randint(100_000_000, 999_999_999_999))
            if (platform, pid) not in self.post_ids:
                self.post_ids.add((platform, pid))
                return pid

    def note(self, rng: random.Random, product: Product, plan: NeedPlan | None, polarity: str | None,
             when: datetime, boost: float = 1.0) -> None:
        """One note (xhs) or video (bilibili) and its comments."""
        platform = "xhs" if rng.random() < XHS_SHARE else "bilibili"
        if plan and polarity:
            title, text = phrasing.need_note(rng, product, plan, polarity, platform)
        else:
            title, text = phrasing.noise_note(rng, product)
        if rng.random() < HTML_SHARE:
            text = phrasing.with_html(rng, text)
        author, nick = self.authors[platform].pick(rng)
        likes = int(math.exp(rng.gauss(3.0, 1.5)) * boost)
        pid = self._post_id(rng, platform, when, comment=False)
        post = {
            "platform": platform, "post_id": pid, "kind": "note" if platform == "xhs" else "video",
            "parent_id": None, "author_id": author, "author_name": nick, "title": title, "text": text,
            "published_at": when, "likes": likes, "comments": 0,
            "shares": int(likes * rng.uniform(0.02, 0.15)) if platform == "xhs" else None,
            "collects": int(likes * rng.uniform(0.2, 0.9)),
            "tags": phrasing.tags(rng, product, polarity), "keyword": product.keyword,
            "truth_need": plan and f"{plan.product}|{plan.aspect}", "truth_polarity": polarity,
        }
        if platform == "xhs":
            post["url"] = f"https://www.xiaohongshu.com/explore/{pid}"
            post["xsec_token"] = "AB" + "".join(rng.choice(B58) for _ in range(42))
            post["note_type"] = "video" if rng.random() < 0.2 else "normal"
            for key in ("likes", "shares", "collects"):
                post[key] = _xhs_count(post[key])
        else:
            post["bvid"] = "BV1" + "".join(rng.choice(B58) for _ in range(9))
            post["url"] = f"https://www.bilibili.com/video/{post['bvid']}"
            post["plays"] = int(likes * rng.uniform(10, 40)) + rng.randint(50, 500)
        self.posts.append(post)
        count = poisson(rng, min(5.0, 0.2 + (likes + 1) ** 0.25 * 0.25))
        for _ in range(count):
            self.comment(rng, post, product, plan)
        post["comments"] = _xhs_count(count) if platform == "xhs" else count

    def comment(self, rng: random.Random, note: dict, product: Product, plan: NeedPlan | None) -> None:
        if plan:
            kind = rng.choices(("restate", "echo", "offtopic", "answer"), weights=(35, 35, 20, 10))[0]
        else:
            kind = rng.choice(("offtopic", "noise", "noise"))
        text, polarity = phrasing.comment(rng, kind, product, plan)
        if rng.random() < HTML_SHARE:
            text = phrasing.with_html(rng, text)
        room = max(60.0, (self.cap - note["published_at"]).total_seconds() - 1)
        delay = min(room, 60 + rng.expovariate(1 / 86_400))
        when = note["published_at"] + timedelta(seconds=int(delay))
        platform = note["platform"]
        author, nick = self.authors[platform].pick(rng)
        likes = int(math.exp(rng.gauss(1.0, 1.3)))
        self.posts.append({
            "platform": platform, "post_id": self._post_id(rng, platform, when, comment=True),
            "kind": "comment", "parent_id": note["post_id"], "author_id": author, "author_name": nick,
            "title": "", "text": text, "published_at": when,
            "likes": _xhs_count(likes) if platform == "xhs" else likes,
            "comments": None, "shares": None, "collects": None, "tags": [], "keyword": note["keyword"],
            "url": note["url"], "truth_need": plan and polarity and f"{plan.product}|{plan.aspect}",
            "truth_polarity": polarity if plan else None,
        })

    def need_posts(self, plan: NeedPlan, addressing: list[int], shift: int) -> None:
        rng = self.rng("need", plan.product, plan.aspect)
        product = PRODUCTS_BY_NAME[plan.product]
        n = len(self.weeks)
        for t in range(n):
            shock = math.exp(rng.gauss(-DEMAND_SHOCK ** 2 / 2, DEMAND_SHOCK))
            lam = NOTES_PER_VOLUME * plan.volume * demand(plan.pattern, t, n, shift) * self.scale * shock
            covered = 1 - unanswered(addressing[t], self.offer_scale)
            boost = 4.0 if plan.pattern == "spike" and t == n - 2 - shift else 1.0
            for _ in range(poisson(rng, lam)):
                polarity = "complaint" if rng.random() < 0.62 else "wish"
                self.note(rng, product, plan, polarity, instant_in(rng, *self.window(t)), boost)
            for _ in range(poisson(rng, lam * 0.2 * covered)):
                self.note(rng, product, plan, "praise", instant_in(rng, *self.window(t)))

    def noise_posts(self, product: Product) -> None:
        rng = self.rng("noise", product.name)
        for t in range(len(self.weeks)):
            for _ in range(poisson(rng, NOISE_NOTES_A_WEEK * self.scale)):
                self.note(rng, product, None, None, instant_in(rng, *self.window(t)))


def _end_and_cap(end: date | None) -> tuple[date, datetime]:
    """The world's last day and the instant nothing is published after (naive UTC)."""
    if end is None:
        now = utcnow()
        end = now.replace(tzinfo=UTC).astimezone(SHANGHAI).date()
        last_day = datetime.combine(end + timedelta(days=1), time.min, SHANGHAI)
        cap = min(last_day.astimezone(UTC).replace(tzinfo=None), now.replace(minute=0, second=0,
                                                                              microsecond=0))
        return end, cap
    last_day = datetime.combine(end + timedelta(days=1), time.min, SHANGHAI)
    return end, last_day.astimezone(UTC).replace(tzinfo=None)


def _truth(needs: list[NeedSpec], weeks: list[str], addressing: dict[str, list[int]],
           scale: float) -> pd.DataFrame:
    rows, n, offer_scale = [], len(weeks), math.sqrt(scale)
    for need in needs:
        supply = addressing[need.need_key]

        def notes(t: int, need: NeedSpec = need) -> float:
            return NOTES_PER_VOLUME * need.volume * demand(need.pattern, t, n, need.shift) * scale

        for t, week in enumerate(weeks):
            value = sum(notes(u) * unanswered(supply[u], offer_scale) for u in range(t + 1, t + HORIZON + 1))
            rows.append({"need_key": need.need_key, "product": need.product, "aspect": need.aspect,
                         "category": need.category, "pattern": need.pattern, "week": week,
                         "value": value, "demand": notes(t), "aspect_offers": supply[t]})
    return pd.DataFrame(rows, columns=TRUTH_COLUMNS)


def deal_needs(seed: int) -> list[tuple[NeedPlan, int]]:
    """The catalogue's needs with this seed's patterns, volumes and event shifts (FIXED_NEEDS kept)."""
    rng = random.Random(f"{seed}:deal")
    free = [p for p in NEEDS if f"{p.product}|{p.aspect}" not in FIXED_NEEDS]
    # a pattern travels with its volume: misleading volume stays loud, a rising need starts small
    hands = [(p.pattern, p.volume) for p in free]
    rng.shuffle(hands)
    dealt = iter(hands)
    out = []
    for plan in NEEDS:
        if f"{plan.product}|{plan.aspect}" in FIXED_NEEDS:
            out.append((plan, 0))
            continue
        pattern, volume = next(dealt)
        volume = round(volume * math.exp(rng.gauss(0.0, VOLUME_JITTER)), 3)
        shift = rng.choice(SHIFTS.get(pattern, (0,)))
        out.append((replace(plan, pattern=pattern, volume=volume), shift))
    return out


def generate_world(seed: int = 7, end: date | None = None, n_weeks: int = 12, scale: float = 1.0) -> World:
    """Build the market deterministically for (seed, end, n_weeks, scale); end defaults to today."""
    if n_weeks < 4:
        raise ValueError(f"n_weeks must be at least 4 (growth needs history), got {n_weeks}")
    if not 0 < scale <= 20:
        raise ValueError(f"scale must be in (0, 20], got {scale}")
    end, cap = _end_and_cap(end)
    last = week_of(cap - timedelta(seconds=1))
    weeks = week_range(shift_week(last, -(n_weeks - 1)), last)
    builder = _Builder(seed, weeks, cap, scale)
    dealt = deal_needs(seed)
    needs = [NeedSpec(p.product, p.aspect, PRODUCTS_BY_NAME[p.product].category, p.pattern,
                      PRODUCTS_BY_NAME[p.product].keyword, p.volume, shift) for p, shift in dealt]
    shifts = {f"{p.product}|{p.aspect}": shift for p, shift in dealt}
    addressing: dict[str, list[int]] = {}
    for product in PRODUCTS:
        plans = [p for p, _ in dealt if p.product == product.name]
        by_aspect = {p.aspect: shifts[f"{p.product}|{p.aspect}"] for p in plans}
        for aspect, counts in builder.product_offers(product, plans, by_aspect).items():
            addressing[f"{product.name}|{aspect}"] = counts
        builder.noise_posts(product)
    for plan, shift in dealt:
        key = f"{plan.product}|{plan.aspect}"
        builder.need_posts(plan, addressing[key], shift)
    posts = sorted(builder.posts, key=lambda p: (p["published_at"], p["platform"], p["post_id"]))
    offers = sorted(builder.offers, key=lambda o: (o["listed_at"], o["offerId"]))
    return World(seed=seed, end=end, scale=scale, weeks=weeks, needs=needs, posts=posts, offers=offers,
                 keywords=[p.keyword for p in PRODUCTS],
                 uncommon_products=[p.name for p in PRODUCTS if p.uncommon],
                 _truth=_truth(needs, weeks, addressing, scale))
