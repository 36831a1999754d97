"""Traditional → simplified, character by character, from OpenCC's character table.

The table comes from the opencc-python-reimplemented package (Apache-2.0), which ships OpenCC's
dictionaries, so nothing is downloaded. Only characters are mapped, each to OpenCC's first simplified
candidate, and no phrases (軟體 stays 软体 rather than becoming 软件): phrase conversion costs ~25x the
time, and a post's product and aspect words are mostly the same characters either way. A character whose
first candidate is itself (瞭, 藉, 彷, 覆, 阪: also simplified characters in their own right) stays.
"""

from __future__ import annotations

import re

from features import package_dir


def _opencc_table() -> dict[int, str]:
    folder = package_dir("opencc", "traditional → simplified", "opencc-python-reimplemented>=0.1.7")
    path = folder / "dictionary" / "TSCharacters.txt"
    table: dict[int, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        traditional, _, candidates = line.partition("\t")
        first = candidates.split()[0] if candidates.split() else ""
        if len(traditional) == 1 and len(first) == 1 and first != traditional:
            table[ord(traditional)] = first
    return table


TABLE = _opencc_table()


def _detector(table: dict[int, str]) -> re.Pattern[str]:
    """A character class that matches every traditional character of the table. Most posts hold none, and
    a class of BMP characters only is a bitmap that sre checks per character in C (~6x faster than a
    set look-up per character); the table's few characters beyond the BMP would turn it into a list
    scanned per character, so the whole range beyond it is matched instead: a false alarm only costs the
    translate that follows."""
    bmp = "".join(re.escape(chr(c)) for c in sorted(table) if c < 0x10000)
    return re.compile(f"[{bmp}\U00010000-\U0010FFFF]")


_TRADITIONAL = _detector(TABLE)


def to_simplified(text: str) -> str:
    """Traditional characters replaced by their simplified forms."""
    return text.translate(TABLE) if _TRADITIONAL.search(text) else text
