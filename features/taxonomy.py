"""The product taxonomy and aspect lexicon (features/data/taxonomy.json): surface forms → canonical names.

Every surface form (canonical name or synonym) maps to exactly one product or aspect; loading fails
with the form and both owners when two claim the same words, so the lexicon stays unambiguous.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from features import DATA_DIR

TAXONOMY_PATH = DATA_DIR / "taxonomy.json"
NEED_TYPES = ("missing_feature", "quality", "price", "size", "usability", "safety", "other")
OTHER_ASPECT = "其他"
FOOD = "食品"  # the category whose goods rot; non_food's words apply to every other

# Objects people mention in passing ("没地方放水杯"): a need is pinned on them only when the post
# names no other product, so a car-fridge post about cups stays a car-fridge need.
INCIDENTAL_FORMS = frozenset({"水杯", "杯子", "玻璃杯", "咖啡杯", "垃圾桶", "毛巾", "湿巾", "耳机", "音箱",
                              "手机支架", "背包", "书包", "伞", "梳子", "眼罩", "桌垫", "地垫", "推车",
                              "充电线", "充电头", "底料", "燕麦", "零食", "咖啡"})

# Words a search keyword carries around its product ("车载冰箱推荐", "2026保温杯测评").
_QUERY_NOISE = re.compile(r"[\s\"'“”#]+")
_QUERY_AFFIXES = re.compile(
    r"^(?:求|求推荐|推荐|好用的|最好用的|平价|网红|家用|20\d\d年?)+|"
    r"(?:真实测评|推荐|测评|评测|怎么选|哪个好|哪款好|哪个牌子好|什么牌子好|牌子|好用吗|值得买吗|选购|攻略|避坑|避雷|"
    r"排行榜|排行|排名|平替|开箱|分享|好物|种草|拔草|使用感受|体验|缺点|吐槽|20\d\d年?|清单|合集|必买)+$")
MAX_PRODUCT_CHARS = 32


@dataclass(frozen=True)
class Product:
    name: str
    path: str        # 汽车用品>车载电器
    category: str    # top level: 汽车用品
    synonyms: tuple[str, ...]


@dataclass(frozen=True)
class Aspect:
    name: str
    need_type: str
    label: str                     # how a title says the problem: 缺杯架, 漏水, 噪音大
    words: tuple[str, ...]         # neutral mentions: need a cue to become a need
    problems: tuple[str, ...]      # say the problem on their own: 漏水, 松动
    offer_words: tuple[str, ...]   # a supplier title that says these already addresses the aspect
    generic: bool = False          # 耐用, 易用: used only when a sentence names no other aspect
    amount: bool = False           # 价格, 静音: what a degree word right after it measures (价格偏高)
    degree: bool = False           # 尺寸, 高度: its problem words (太大, 偏高) may be another amount's degree


@dataclass(frozen=True)
class Form:
    """One surface form of the lexicon: what it names and how it behaves in a sentence."""

    kind: str           # product, aspect, cue or ignore
    value: str          # canonical product or aspect, or the cue's polarity
    problem: bool = False
    incidental: bool = False
    generic: bool = False
    amount: bool = False
    degree: bool = False
    strong: bool = False   # a cue that makes a need even without an aspect phrase
    phrase: bool = False   # a cue whose following words may name the aspect (没有X, 要是有X)


def word_pattern(words: Iterable[str]) -> re.Pattern[str]:
    """One regex matching any of the words, leftmost then longest (a trie, so it stays fast)."""
    trie: dict = {}
    for word in words:
        if not word:
            continue
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict) -> str:
        branches = [re.escape(ch) + build(sub) for ch, sub in sorted(node.items()) if ch != ""]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    if not trie:
        return re.compile(r"(?!x)x")
    return re.compile(build(trie))


class WordScanner:
    """Leftmost-longest, non-overlapping occurrences of a word list, found by an Aho-Corasick DFA
    (ahocorasick_rs, compiled Rust): one pass over the text whatever the number of words. pyahocorasick
    looks a node's children up one by one, which at the root (a thousand first characters) cost ~200 ns
    a character; the DFA costs ~45."""

    def __init__(self, words: Iterable[str]) -> None:
        import ahocorasick_rs

        self.words = frozenset(w for w in words if w)
        self._patterns = sorted(self.words)
        self._automaton = ahocorasick_rs.AhoCorasick(
            self._patterns, matchkind=ahocorasick_rs.MatchKind.LeftmostLongest,
            implementation=ahocorasick_rs.Implementation.DFA) if self._patterns else None

    def finditer(self, text: str) -> Iterator[tuple[int, int, str]]:
        """(start, end, word) of each occurrence, left to right."""
        if self._automaton is None:
            return
        patterns = self._patterns
        for index, start, end in self._automaton.find_matches_as_indexes(text):
            yield start, end, patterns[index]


class Taxonomy:
    """Canonical products with their category paths, and aspects with need types and offer words."""

    def __init__(self, data: dict, source: str = "taxonomy") -> None:
        self.products: dict[str, Product] = {}
        self.aspects: dict[str, Aspect] = {}
        self.forms: dict[str, Form] = {}
        self._owner: dict[str, str] = {}
        self._source = source
        for category, subs in data["categories"].items():
            for sub, products in subs.items():
                for name, synonyms in products.items():
                    self._add_product(Product(name, f"{category}>{sub}", category, tuple(synonyms)))
        for name, spec in data["aspects"].items():
            self._add_aspect(name, spec)
        # category -> word -> the aspect the word names for that category's products
        self.category_aspects: dict[str, dict[str, str]] = {
            category: {word: aspect for aspect, words in named.items() for word in words}
            for category, named in data.get("category_aspects", {}).items() if not category.startswith("_")}
        non_food = data.get("non_food", {})
        self.food_endings = frozenset(non_food.get("food_endings", ""))
        self.non_food_aspects: dict[str, str] = {
            word: aspect for aspect, words in non_food.get("aspects", {}).items() for word in words}
        self._check_category_aspects()
        self.product_pattern = word_pattern(
            [f for f, form in self.forms.items() if form.kind == "product"])

    def _claim(self, surface: str, owner: str, form: Form) -> None:
        surface = surface.lower()
        if surface in self._owner and self._owner[surface] != owner:
            raise ValueError(f"{self._source}: {surface!r} belongs to both {self._owner[surface]} and "
                             f"{owner}; give each surface form one owner")
        self._owner[surface] = owner
        self.forms[surface] = form

    def _add_product(self, product: Product) -> None:
        if product.name in self.products:
            raise ValueError(f"{self._source}: product {product.name!r} is listed twice")
        self.products[product.name] = product
        for surface in (product.name, *product.synonyms):
            form = Form("product", product.name, incidental=surface in INCIDENTAL_FORMS)
            self._claim(surface, f"product {product.name}", form)

    def _add_aspect(self, name: str, spec: dict) -> None:
        need_type = spec["need_type"]
        if need_type not in NEED_TYPES:
            raise ValueError(f"{self._source}: aspect {name!r} has need_type {need_type!r}, "
                             f"expected one of {', '.join(NEED_TYPES)}")
        for flag in ("generic", "amount", "degree"):
            if not isinstance(spec.get(flag, False), bool):
                raise ValueError(f"{self._source}: aspect {name!r} has {flag} {spec[flag]!r}, "
                                 "expected true or false")
        aspect = Aspect(name, need_type, spec.get("label") or name, tuple(spec.get("words", ())),
                        tuple(spec.get("problems", ())), tuple(spec.get("offer_words", ())),
                        bool(spec.get("generic", False)), bool(spec.get("amount", False)),
                        bool(spec.get("degree", False)))
        self.aspects[name] = aspect
        problems = set(aspect.problems)
        # A generic aspect's name (耐用) is a praise word in posts, not a mention of the aspect.
        names = () if aspect.generic else (name,)
        for surface in dict.fromkeys((*names, *aspect.words, *aspect.problems)):
            form = Form("aspect", name, problem=surface in problems, generic=aspect.generic,
                        amount=aspect.amount, degree=aspect.degree)
            self._claim(surface, f"aspect {name}", form)

    def _check_category_aspects(self) -> None:
        categories = {p.category for p in self.products.values()}
        for category, named in (*self.category_aspects.items(), ("non_food", self.non_food_aspects)):
            if category not in categories and category != "non_food":
                raise ValueError(f"{self._source}: category_aspects names {category!r}, which is no category")
            for word, aspect in named.items():
                if aspect not in self.aspects or self.canonical_aspect(word) is None:
                    raise ValueError(f"{self._source}: category_aspects of {category} gives {word!r} to "
                                     f"{aspect!r}; the word must be an aspect word and {aspect!r} an aspect")

    def aspect_of(self, product: str, aspect: str, word: str) -> str:
        """The aspect an aspect word names for the product: for a 食品, 坏了 is 新鲜, not 耐用; for anything
        else 烂了 is 耐用. A product outside the taxonomy is a 食品 when named like one (苹果)."""
        found = self.products.get(product)
        category = found.category if found else FOOD if product[-1:] in self.food_endings else ""
        named = self.category_aspects.get(category, {} if category == FOOD else self.non_food_aspects)
        return named.get(word, aspect)

    def offers_can_name(self, aspect: str) -> bool:
        """Whether an offer title can say it answers the aspect: not 其他, nor a taxonomy aspect without
        offer words (价格); a phrase aspect from a post (定时) can, by its own words."""
        spec = self.aspects.get(aspect)
        return aspect != OTHER_ASPECT and (spec is None or bool(spec.offer_words))

    def category_of(self, product: str) -> str:
        """Top-level category of a canonical product, or "" when it is outside the taxonomy."""
        found = self.products.get(product)
        return found.category if found else ""

    def path_of(self, product: str) -> str:
        found = self.products.get(product)
        return found.path if found else ""

    def canonical_product(self, text: str) -> str | None:
        form = self.forms.get(text.lower())
        return form.value if form and form.kind == "product" else None

    def canonical_aspect(self, text: str) -> str | None:
        form = self.forms.get(text.lower())
        return form.value if form and form.kind == "aspect" else None

    def find_product(self, text: str) -> str | None:
        """The first non-incidental product named in the text, else the first incidental one."""
        found = self.find_product_word(text)
        return found[0] if found else None

    def find_product_word(self, text: str) -> tuple[str, str] | None:
        """(canonical product, the word that named it) for `find_product`."""
        fallback = None
        for m in self.product_pattern.finditer(text.lower()):
            form = self.forms[m.group()]
            if not form.incidental:
                return form.value, m.group()
            fallback = fallback or (form.value, m.group())
        return fallback

    def clean_query(self, query: str | None) -> str | None:
        """A search keyword without spaces and the words around its product (推荐, 测评, 2026, 求)."""
        if not query:
            return None
        text = _QUERY_NOISE.sub("", str(query)).lower()
        for _ in range(3):  # affixes stack: 2026车载冰箱推荐测评
            text = _QUERY_AFFIXES.sub("", text)
        return text[:MAX_PRODUCT_CHARS] or None

    def query_product(self, query: str | None) -> str | None:
        """The product a search keyword names: its taxonomy product when the keyword is a product word,
        else the cleaned keyword itself, so products outside the taxonomy (婴儿理发器) and more specific
        ones (折叠露营车) keep their name. Terms that are aspect words (车载冰箱 杯架) are left out."""
        if not query:
            return None
        terms = [t for t in str(query).split() if not self.canonical_aspect(t)]
        text = self.clean_query(" ".join(terms) if terms else str(query))
        if not text:
            return None
        return self.canonical_product(text) or text

    def user_words(self) -> list[str]:
        """Words jieba must keep whole: every product and aspect form of two or more characters."""
        words = [f for f in self.forms if len(f) >= 2]
        for aspect in self.aspects.values():
            words.extend(w.lower() for w in aspect.offer_words if len(w) >= 2)
        return list(dict.fromkeys(words))


@lru_cache(maxsize=4)
def load_taxonomy(path: str | None = None) -> Taxonomy:
    """The taxonomy from its JSON file, parsed and checked once per process."""
    file = Path(path) if path else TAXONOMY_PATH
    try:
        data = json.loads(file.read_text(encoding="utf-8"))
        return Taxonomy(data, source=str(file))
    except (OSError, json.JSONDecodeError, KeyError, TypeError, AttributeError) as exc:
        raise ValueError(f"{file}: cannot read the taxonomy ({type(exc).__name__}: {exc}); expected "
                         "{\"categories\": {category: {subcategory: {product: [synonyms]}}}, "
                         "\"aspects\": {aspect: {\"need_type\": ...}}}") from exc
