"""Prices people mention in posts, in CNY: 188元, ¥50, 50块, 不到100块, 花了两百多, 预算1.2k.

Works on normalised text (half-width, lower-case). A bare number counts only next to a money word
or a buying word, so 1000mAh, 3块砧板 and 2米 are not prices.
"""

from __future__ import annotations

import re

MAX_PRICE = 100_000.0
_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"  # 1,299 as shops write it, or 1299.5
_CN = r"[零一二两俩三四五六七八九十百千万]+"
_MULT = {"k": 1_000, "千": 1_000, "w": 10_000, "万": 10_000}
_CN_DIGITS = {"零": 0, "一": 1, "二": 2, "两": 2, "俩": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
              "八": 8, "九": 9}
_CN_UNITS = {"十": 10, "百": 100, "千": 1_000, "万": 10_000}
# After 块 (also a measure word: 3块砧板) only these may follow for it to mean yuan.
_AFTER_KUAI = "钱的左右多以一买入包到就还都也啊吧了呢吗而出,。!?;:、 \n"
_UNIT_AFTER = re.compile(r"\s*(?:个|天|次|年|月|日|周|斤|克|g|kg|岁|件|只|台|瓶|包|盒|袋|条|ml|l|"
                         r"米|m|寸|cm|mm|度|%|号|层|人|分|秒|小时|h|mah|瓦|w\b|v|楼|套|双|张|片)")

# (pattern, whether a following unit word such as 个/天/ml means it was not a price after all)
_PATTERNS = [
    # 三块五, 9块9, 5块5毛: yuan and jiao, but not 3块5个 or 两块五花肉
    (re.compile(rf"(?P<num>{_NUM}|{_CN})\s*块\s*(?P<jiao>[1-9一二两三四五六七八九])(?:毛|角)?"
                r"(?![\d十百千万个只片张条块斤花])(?![一二两三四五六七八九][十百千万])"), False),
    (re.compile(rf"(?:¥|rmb|人民币)\s*(?P<num>{_NUM})\s*(?P<mult>[kw千万](?![a-z]))?"), False),
    (re.compile(rf"(?P<num>{_NUM}|{_CN})\s*(?P<mult>[kw千万])?\s*(?:多|来)?\s*(?P<unit>元|块钱|块|rmb|大洋)"),
     False),
    (re.compile(rf"(?:价格|价钱|售价|花了|花|到手价?|预算|入手价?|卖|才|只要|不到|仅|原价|现价|一共|总共|差不多)"
               rf"\s*(?:是|才|就|只要|不到|大概|约|差不多|大约|在)?\s*(?P<num>{_NUM}|{_CN})\s*(?:多|来)?"
               rf"\s*(?P<mult>[kw千万](?![a-z]))?"), True),
    (re.compile(rf"(?P<num>{_NUM}|{_CN})\s*(?:多|来)?\s*(?P<mult>[kw千万](?![a-z]))?\s*"
               rf"(?=买的|入手|拿下|入的|买了|包邮)"), False),
]


def cn_number(text: str) -> float | None:
    """一百二 → 120, 两百 → 200, 三十五 → 35, 一千五 → 1500, 两万三 → 23000; None if not a number."""
    total, section, digit, last_unit = 0, 0, None, 1
    for ch in text:
        if ch in _CN_DIGITS:
            digit = _CN_DIGITS[ch]
        elif ch in _CN_UNITS:
            unit = _CN_UNITS[ch]
            if unit == 10_000:
                total += (section + (digit or 0)) * unit
                section = 0
            else:
                section += (1 if digit is None else digit) * unit
            digit, last_unit = None, unit
        else:
            return None
    if digit is not None:
        # Spoken shorthand: 一百二 is 120 and 两万三 is 23000, but 一百零五 is 105.
        shorthand = len(text) >= 2 and text[-2] in _CN_UNITS and last_unit >= 100
        section += digit * (last_unit // 10) if shorthand else digit
    return float(total + section)


def _value(match: re.Match[str]) -> float | None:
    raw = match.group("num").replace(",", "")
    num = float(raw) if raw[0].isdigit() else cn_number(raw)
    if num is None:
        return None
    jiao = match.groupdict().get("jiao")
    if jiao:
        tenth = int(jiao) if jiao.isdigit() else _CN_DIGITS[jiao]
        return num + tenth / 10
    mult = match.groupdict().get("mult")
    return num * _MULT[mult] if mult else num


# Every pattern needs a number and one of its money or buying words; most sentences have neither (a
# cheap test, the rarer money words first). _MONEY lists each pattern's words in full, so a sentence it
# misses cannot match any pattern.
_NUMBER = re.compile(r"[\d" + _CN[1:-2] + "]")  # one digit or numeral is enough to test for
_MONEY = re.compile(r"¥|rmb|人民币|元|块|大洋|价格|价钱|售价|花|到手|预算|入手|卖|才|只要|不到|仅|原价|现价|"
                    r"一共|总共|差不多|买的|拿下|入的|买了|包邮")


def may_mention_price(text: str) -> bool:
    """False when the text cannot hold a price: it has no number or no money or buying word. A post is
    tested once before its sentences are, since four in five posts hold none."""
    return bool(_MONEY.search(text)) and bool(_NUMBER.search(text))


def price_mentions(text: str) -> list[float]:
    """CNY amounts the text mentions, in order, each at most once per place in the text."""
    if not may_mention_price(text):
        return []
    taken: list[tuple[int, int]] = []
    found: list[tuple[int, float]] = []
    for pattern, unit_check in _PATTERNS:
        for m in pattern.finditer(text):
            start, end = m.span("num"), m.end()
            if any(start[0] < e and s < end for s, e in taken):
                continue
            if m.groupdict().get("unit") and m.group("unit") == "块" and end < len(text) \
                    and text[end] not in _AFTER_KUAI:
                continue
            if unit_check and not m.group("mult") and _UNIT_AFTER.match(text, end):
                continue
            value = _value(m)
            if value is None or not 0 < value <= MAX_PRICE:
                continue
            taken.append((start[0], end))
            found.append((start[0], round(value, 2)))
    return [v for _, v in sorted(found)]
