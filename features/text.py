"""Text processing for posts and offer titles: normalisation, sentence splitting, jieba tokens.

Words come from features/tokenize.py (rjieba or jieba, with the taxonomy's words as user dictionary).
"""

from __future__ import annotations

import html
import logging
import re
import unicodedata
from typing import TYPE_CHECKING

from features.t2s import to_simplified
from features.tokenize import backend, cut

if TYPE_CHECKING:
    import jieba

log = logging.getLogger(__name__)

_SCRIPT = re.compile(r"<(script|style)\b.*?</\1\s*>", re.I | re.S)
_BLOCK_TAG = re.compile(r"<\s*/?\s*(?:br|p|div|li|tr|h\d)\b[^<>]{0,300}>", re.I)
_TAG = re.compile(r"<[^<>]{0,300}>")
_URL = re.compile(r"(?:https?://|www\.)[!-~]+", re.I)
# Mentions end at a space or punctuation; the cap keeps a mention glued to Chinese text short.
_MENTION = re.compile(r"@[^\s@#,.!?;:，。！？；：、]{1,12}")
# 小红书 writes emoji and topic markers as bracketed words: [哭惹R] [话题]
_BRACKET_EMOJI = re.compile(r"\[[\u4e00-\u9fffa-zA-Z]{1,8}\]")
_EMOJI = re.compile("[\U0001F000-\U0001FAFF\U0001F1E6-\U0001F1FF\u2600-\u27BF\u2B00-\u2BFF"
                    "\u2300-\u23FF\uFE0F\u200D\u20E3\U000E0020-\U000E007F]")
_HASH = re.compile(r"#")
_SPACES = re.compile(r"[ \t\r\f\v]+")
_NEWLINES = re.compile(r"\s*\n\s*")

# U+FF01-FF5E are the full-width forms of ASCII ! to ~ (NFKC's <wide> mappings), U+3000 the wide space.
_FULL_WIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}
_ANY_FULL_WIDTH = re.compile("[\uff01-\uff5e\u3000]")
# Nearly every post has ，, but few have anything else full-width: str.replace of these (a memchr each)
# leaves the per-character table look-up of translate to the 2% of posts with full-width letters or digits.
_COMMON_FULL_WIDTH = tuple((chr(code), chr(code - 0xFEE0)) for code in map(ord, "，！？：；（）"))

_RUN = re.compile(r"[\u4e00-\u9fffa-z0-9]+")
_STOPS = r"[。！？!?；;\n…~～]+"
_SENTENCE_END = re.compile(_STOPS + r"|\.{3,}")
_SENTENCE_MARKS = re.compile(_STOPS)
_CLAUSE_END = re.compile(r"(?<=[，,])")
LONG_SENTENCE = 40



def normalize(text: str | None) -> str:
    """Plain, half-width, simplified, lower-case text without HTML, URLs, @mentions or emoji."""
    if not text:
        return ""
    text = str(text)
    if "&" in text:
        text = html.unescape(text)
    if "<" in text:
        text = _SCRIPT.sub(" ", text)
        text = _BLOCK_TAG.sub("\n", text)
        text = _TAG.sub(" ", text)
    # Full-width letters, digits and ，！？ → half-width by a table first: it is what NFKC makes of them at
    # two thirds of the cost, and afterwards 98% of real reviews are in NFKC form, which the check (~50x
    # cheaper than normalising) sees; NFKC still runs on the rest (①, ㎡, combining marks).
    text = _half_width(text)
    if not unicodedata.is_normalized("NFKC", text):
        text = unicodedata.normalize("NFKC", text)
    text = to_simplified(text).lower()
    # The substitutions run only when their marker is there: most posts have no URL, @ or [.
    if "http" in text or "www." in text:
        text = _URL.sub(" ", text)
    if "@" in text:
        text = _MENTION.sub(" ", text)
    # An emoji usually ends a thought (没有杯架😭真的无语), so it breaks the sentence.
    if "[" in text:
        text = _BRACKET_EMOJI.sub("\n", text)
    text = _EMOJI.sub("\n", text)
    if "#" in text:
        text = _HASH.sub(" ", text)
    if "  " in text or "\t" in text or "\r" in text or "\f" in text or "\v" in text:
        text = _SPACES.sub(" ", text)  # else it has no run to squeeze
    return _NEWLINES.sub("\n", text).strip() if "\n" in text else text.strip()


def _half_width(text: str) -> str:
    """Full-width ASCII forms and the wide space as their half-width selves."""
    if _ANY_FULL_WIDTH.search(text) is None:
        return text
    for wide, narrow in _COMMON_FULL_WIDTH:
        if wide in text:
            text = text.replace(wide, narrow)
    return text.translate(_FULL_WIDTH) if _ANY_FULL_WIDTH.search(text) else text


def split_sentences(text: str, long: int = LONG_SENTENCE) -> list[str]:
    """Sentences on 。！？!?；;, newlines and ellipses; a sentence longer than `long` also at commas."""
    out: list[str] = []
    # The class alone splits twice as fast as with the alternative for "...", which few posts hold.
    for sentence in (_SENTENCE_END if "..." in text else _SENTENCE_MARKS).split(text):
        sentence = sentence.strip(" ,，")
        if not sentence:
            continue
        if len(sentence) <= long:
            out.append(sentence)
            continue
        # Greedy re-joining keeps short clauses together, so 买了车载冰箱，没有杯架 stays one piece.
        piece = ""
        for clause in _CLAUSE_END.split(sentence):
            if piece and len(piece) + len(clause) > long:
                out.append(piece.strip(" ,，"))
                piece = ""
            piece += clause
        if piece.strip(" ,，"):
            out.append(piece.strip(" ,，"))
    return [s for s in out if s]


def tokenizer() -> jieba.Tokenizer:
    """The process's plain jieba tokenizer with the taxonomy's words (the reference the faster backend
    is measured against)."""
    return backend("jieba").tokenizer  # type: ignore[attr-defined]


def tokenize(text: str) -> list[str]:
    """Words of normalised text (features/tokenize.py's backend), spaces and punctuation dropped."""
    return [w for w in cut(text) if w.strip() and not _is_punct(w)]


def _is_punct(word: str) -> bool:
    return all(unicodedata.category(ch)[0] in "PSZ" for ch in word)


def char_bigrams(text: str) -> set[str]:
    """Character bigrams of the text's CJK and alphanumeric runs (a fallback for unknown words)."""
    runs = _RUN.findall(text)
    grams: set[str] = set()
    for run in runs:
        if len(run) == 1:
            grams.add(run)
        grams.update(run[i:i + 2] for i in range(len(run) - 1))
    return grams
