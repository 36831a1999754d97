"""A BM25 inverted index over offer titles: jieba words plus character bigrams, scipy sparse matrices.

Terms are a title's jieba words and its character bigrams (so 车用冰箱 still meets 车载冰箱 on 冰箱).
Scores of a batch of queries are one sparse product (queries × terms)·(terms × offers); a listing
cutoff per query masks offers listed later, so week t never sees an offer of week t+1. Inside, offers
are kept in listing order, so that mask is a comparison of row numbers; every method takes and returns
the caller's row numbers.
"""

from __future__ import annotations

import logging
import multiprocessing
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
import scipy.sparse as sp

from features.text import normalize, tokenize

log = logging.getLogger(__name__)

K1, B = 1.2, 0.75
BATCH = 256          # queries per sparse product: bounds the (batch × offers) score matrix
# MaxScore: candidates come from a query's selective terms (in at most 2% of offers); common words
# (加厚, 家用) can add at most their maximum weights, so offers whose selective score falls short of the
# k-th best by more than that are skipped, and the rest are scored exactly with every term.
MAX_DF_SHARE = 0.02
_MAX_CP = 1 << 21    # code points fit 21 bits, so a bigram is one int64


@dataclass(frozen=True)
class Query:
    """Weighted terms: jieba words and texts whose character bigrams count (e.g. a product and an aspect)."""

    words: dict[str, float]
    grams: dict[str, float]


def query_of(parts: Sequence[tuple[str, float]]) -> Query:
    """A query from (text, weight) parts: each part's jieba words and its bigrams at that weight."""
    words: dict[str, float] = {}
    grams: dict[str, float] = {}
    for text, weight in parts:
        norm = normalize(text)
        for w in tokenize(norm):
            words[w.lower()] = max(words.get(w.lower(), 0.0), weight)
        for g in _bigram_list(norm):
            grams[g] = max(grams.get(g, 0.0), weight)
    return Query(words, grams)


class OfferIndex:
    """BM25 weights of offers × terms (CSR) and its transpose (terms × offers) for query batches."""

    def __init__(self, titles: Sequence[str], listed: np.ndarray,
                 words: Callable[[str], list[str]] | None = None) -> None:
        started = time.perf_counter()
        listed = np.asarray(listed, dtype="int64")
        if len(listed) != len(titles):
            raise ValueError(f"{len(titles)} titles but {len(listed)} listing times")
        self.n = len(titles)
        self._order = np.argsort(listed, kind="stable")   # internal row → caller's row
        self._rank = np.empty(self.n, dtype="int64")      # caller's row → internal row
        self._rank[self._order] = np.arange(self.n)
        self.listed = listed[self._order]                  # sorted
        norm = normalize_titles([titles[i] for i in self._order])
        gram_docs, gram_ids, gram_tf, self._gram_codes = _bigram_terms(norm)
        word_docs, word_ids, word_tf, self._word_ids = _word_terms(norm, words or tokenize)
        n_grams = len(self._gram_codes)
        self.n_terms = n_grams + len(self._word_ids)
        docs = np.concatenate([gram_docs, word_docs])
        terms = np.concatenate([gram_ids, word_ids + n_grams])
        tf = np.concatenate([gram_tf, word_tf]).astype("float32")
        tf_matrix = sp.csr_matrix((tf, (docs, terms)), shape=(self.n, self.n_terms), dtype="float32")
        self.df = np.bincount(tf_matrix.indices, minlength=self.n_terms)
        self.weights = _bm25(tf_matrix, self.df)
        self.postings = self.weights.T.tocsr()
        self.postings.sort_indices()  # _common_part binary-searches postings
        self.max_weight = (np.maximum.reduceat(self.postings.data, self.postings.indptr[:-1])
                           if self.postings.nnz else np.zeros(self.n_terms, dtype="float32"))
        self.seconds = time.perf_counter() - started
        log.info("offer index: %d offers, %d terms, %d postings in %.1fs", self.n, self.n_terms,
                 self.weights.nnz, self.seconds)

    def vector(self, query: Query) -> sp.csr_matrix:
        """The query as a 1 × terms sparse row (terms no offer has are left out)."""
        cols, vals = [], []
        for g, w in query.grams.items():
            code = _code(g)
            i = np.searchsorted(self._gram_codes, code)
            if i < len(self._gram_codes) and self._gram_codes[i] == code:
                cols.append(int(i))
                vals.append(w)
        n_grams = len(self._gram_codes)
        for word, w in query.words.items():
            if word in self._word_ids:
                cols.append(n_grams + self._word_ids[word])
                vals.append(w)
        return sp.csr_matrix((np.asarray(vals, dtype="float32"), (np.zeros(len(cols), dtype="int64"),
                              np.asarray(cols, dtype="int64"))), shape=(1, self.n_terms))

    def top_k(self, queries: Sequence[Query], k: int, before: np.ndarray | int | None = None,
              workers: int = 1) -> tuple[np.ndarray, np.ndarray]:
        """Offer rows (−1 padded) and BM25 scores of each query's k best offers listed before its cutoff.

        With workers > 1 the batches are shared out to forked processes, which read the index without
        copying it (copy-on-write pages); where fork is unavailable, one process does all.
        """
        cutoffs = _cutoffs(before, len(queries))
        jobs = [(sp.vstack([self.vector(q) for q in queries[lo:lo + BATCH]], format="csr"), k,
                 cutoffs[lo:lo + BATCH]) for lo in range(0, len(queries), BATCH)]
        if workers > 1 and len(jobs) > 1 and "fork" in multiprocessing.get_all_start_methods():
            global _SHARED
            _SHARED = self
            try:
                with multiprocessing.get_context("fork").Pool(workers) as pool:
                    parts = pool.starmap(_shared_top_k, jobs, chunksize=1)
            finally:
                _SHARED = None
        else:
            parts = [self.top_k_vectors(*job) for job in jobs]
        if not parts:
            return np.full((0, k), -1, dtype="int64"), np.zeros((0, k), dtype="float32")
        return np.concatenate([p[0] for p in parts]), np.concatenate([p[1] for p in parts])

    def top_k_vectors(self, batch: sp.csr_matrix, k: int, cutoffs: np.ndarray
                      ) -> tuple[np.ndarray, np.ndarray]:
        """`top_k` for query vectors already built (queries × terms); exact (MaxScore pruning)."""
        rare = self._selective(batch)
        # the most the common terms can add to any offer's score, per query
        ceiling = np.asarray((batch - rare) @ self.max_weight).ravel()
        result = (rare @ self.postings).tocsr()
        cutoffs = np.asarray(cutoffs, dtype="int64")
        self._mask_listed(result, cutoffs)
        rows = np.full((batch.shape[0], k), -1, dtype="int64")
        scores = np.zeros((batch.shape[0], k), dtype="float32")
        for i in range(batch.shape[0]):
            idx, val = result.indices[result.indptr[i]:result.indptr[i + 1]], result.data[
                result.indptr[i]:result.indptr[i + 1]]
            floor = np.partition(val, len(val) - k)[len(val) - k] - ceiling[i] if len(val) >= k else 0.0
            if floor <= 0:
                # too few offers share a selective term: common terms alone may reach the top k
                full = (batch[i] @ self.postings).tocsr()
                self._mask_listed(full, cutoffs[i:i + 1])
                idx, val = full.indices, full.data
            else:
                # an offer below the floor cannot reach the k-th rare score even with every common term
                keep = val >= floor
                idx, val = idx[keep], val[keep] + self._common_part(batch, rare, i, idx[keep])
            if not len(idx):
                continue
            if len(idx) > k:
                part = np.argpartition(-val, k - 1)[:k]
                idx, val = idx[part], val[part]
            idx = self._order[idx]
            order = np.lexsort((idx, -val))
            rows[i, :len(order)], scores[i, :len(order)] = idx[order], val[order]
        return rows, scores

    def _common_part(self, batch: sp.csr_matrix, rare: sp.csr_matrix, i: int, idx: np.ndarray) -> np.ndarray:
        """What query i's common terms add to the scores of offers `idx`, read from their postings."""
        lo, hi = batch.indptr[i], batch.indptr[i + 1]
        rare_terms = set(rare.indices[rare.indptr[i]:rare.indptr[i + 1]].tolist())
        out = np.zeros(len(idx), dtype="float32")
        for term, weight in zip(batch.indices[lo:hi], batch.data[lo:hi], strict=True):
            if term in rare_terms:
                continue
            a, b = self.postings.indptr[term], self.postings.indptr[term + 1]
            docs = self.postings.indices[a:b]
            pos = np.minimum(np.searchsorted(docs, idx), len(docs) - 1)
            hit = docs[pos] == idx
            out[hit] += weight * self.postings.data[a:b][pos[hit]]
        return out

    def _mask_listed(self, result: sp.csr_matrix, cutoffs: np.ndarray) -> None:
        """Drop (in place) every offer listed at or after its query row's cutoff."""
        # listing order inside: the offers listed before a cutoff are the rows below its rank
        per_row = np.repeat(np.searchsorted(self.listed, cutoffs, side="left"), np.diff(result.indptr))
        result.data[result.indices >= per_row] = 0
        result.eliminate_zeros()

    def _selective(self, batch: sp.csr_matrix) -> sp.csr_matrix:
        """The batch without its common terms (a query made only of common terms keeps them all)."""
        common = self.df[batch.indices] > MAX_DF_SHARE * max(self.n, 1)
        lengths = np.diff(batch.indptr)
        row_of = np.repeat(np.arange(batch.shape[0]), lengths)
        rare_per_row = np.bincount(row_of, weights=~common, minlength=batch.shape[0])
        keep_all = np.repeat(rare_per_row == 0, lengths)
        out = batch.copy()
        out.data = np.where(common & ~keep_all, 0, out.data).astype(out.data.dtype)
        out.eliminate_zeros()
        return out

    def brute_force(self, query: Query, k: int, before: int | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Score every offer exactly (dense offers × terms product) and take the k best: the baseline."""
        all_scores = self.scores(query)
        if before is not None:
            all_scores = np.where(self.listed[self._rank] < before, all_scores, 0.0)
        top = np.argpartition(-all_scores, k - 1)[:k] if self.n > k else np.arange(self.n)
        top = top[all_scores[top] > 0]
        order = np.lexsort((top, -all_scores[top]))
        return top[order], all_scores[top[order]]

    def scores(self, query: Query, rows: np.ndarray | None = None) -> np.ndarray:
        """Exact BM25 scores of the query for the offers `rows` (default: every offer, caller's order)."""
        dense = np.asarray(self.vector(query).todense()).ravel()
        if rows is None:
            return np.asarray(self.weights @ dense).ravel()[self._rank]
        return np.asarray(self.weights[self._rank[np.asarray(rows, dtype="int64")]] @ dense).ravel()

    def containing(self, words: Sequence[str] = (), grams: Sequence[str] = (), min_grams: int = 0
                   ) -> np.ndarray:
        """Offer rows whose titles hold every word and at least `min_grams` of the bigrams (sorted)."""
        mask = np.ones(self.n, dtype=bool) if words or min_grams else np.zeros(self.n, dtype=bool)
        n_grams = len(self._gram_codes)
        for word in words:
            j = self._word_ids.get(word.lower())
            if j is None:
                return np.empty(0, dtype="int64")
            mask &= self._has(n_grams + j)
        if min_grams:
            hits = np.zeros(self.n, dtype="int32")
            for g in grams:
                code = _code(g)
                i = np.searchsorted(self._gram_codes, code)
                if i < n_grams and self._gram_codes[i] == code:
                    hits += self._has(int(i))
            mask &= hits >= min_grams
        return np.sort(self._order[np.flatnonzero(mask)])

    def _has(self, term: int) -> np.ndarray:
        out = np.zeros(self.n, dtype=bool)
        out[self.postings.indices[self.postings.indptr[term]:self.postings.indptr[term + 1]]] = True
        return out


_SHARED: OfferIndex | None = None  # the index forked workers of `top_k` read


def _shared_top_k(batch: sp.csr_matrix, k: int, cutoffs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    if _SHARED is None:
        raise RuntimeError("no offer index shared with this worker: call OfferIndex.top_k(workers=...)")
    return _SHARED.top_k_vectors(batch, k, cutoffs)


def _cutoffs(before: np.ndarray | int | None, n: int) -> np.ndarray:
    if before is None:
        return np.full(n, np.iinfo("int64").max, dtype="int64")
    if np.isscalar(before):
        return np.full(n, int(before), dtype="int64")
    return np.asarray(before, dtype="int64")


def _bm25(tf: sp.csr_matrix, df: np.ndarray) -> sp.csr_matrix:
    """Okapi BM25 term weights: idf · tf(k1+1) / (tf + k1(1 − b + b·len/avglen))."""
    n = tf.shape[0]
    idf = np.log1p((n - df + 0.5) / (df + 0.5)).astype("float32")
    lengths = np.diff(tf.indptr)
    avg = max(float(lengths.mean()), 1.0) if n else 1.0
    norm = np.repeat((K1 * (1 - B + B * lengths / avg)).astype("float32"), lengths)
    data = idf[tf.indices] * tf.data * (K1 + 1) / (tf.data + norm)
    return sp.csr_matrix((data.astype("float32"), tf.indices, tf.indptr), shape=tf.shape)


def _is_word_char(cp: np.ndarray) -> np.ndarray:
    return ((cp >= 0x4E00) & (cp <= 0x9FFF)) | ((cp >= 0x61) & (cp <= 0x7A)) | ((cp >= 0x30) & (cp <= 0x39))


def _bigram_terms(norm: Sequence[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(doc, term, tf) triples of every title's CJK/alphanumeric bigrams, and the sorted bigram codes."""
    if not norm:
        empty = np.empty(0, dtype="int64")
        return empty, empty, empty, empty
    # one array of code points for all titles, a separator between titles, so bigrams never span two
    joined = "\x00".join(norm) + "\x00"
    cp = np.frombuffer(joined.encode("utf-32-le"), dtype="<u4").astype("int64")
    sep = cp == 0
    doc = np.cumsum(sep) - sep  # title number of each position
    ok = _is_word_char(cp)
    pair = ok[:-1] & ok[1:]
    pos = np.flatnonzero(pair)
    codes = cp[pos] * _MAX_CP + cp[pos + 1]
    vocab, term = np.unique(codes, return_inverse=True)
    key = doc[pos] * len(vocab) + term
    uniq, tf = np.unique(key, return_counts=True)
    return uniq // len(vocab), uniq % len(vocab), tf, vocab


def _word_terms(norm: Sequence[str], words: Callable[[str], list[str]]
                ) -> tuple[np.ndarray, np.ndarray, np.ndarray, dict[str, int]]:
    """(doc, term, tf) triples of every title's words, and the word → id vocabulary."""
    # Sellers build titles from space-separated chunks (工厂直销, 一件代发) that repeat across offers:
    # each distinct chunk is tokenised once, and the chunks' words are spread to their titles by numpy.
    per_title = np.fromiter((t.count(" ") + 1 if t else 0 for t in norm), dtype="int64", count=len(norm))
    chunks = " ".join(t for t in norm if t).split(" ")
    codes, distinct = pd.factorize(pd.Series(chunks, dtype=object), sort=False)
    vocab: dict[str, int] = {}
    chunk_words = [[vocab.setdefault(w.lower(), len(vocab)) for w in words(c)] for c in distinct]
    lengths = np.fromiter((len(w) for w in chunk_words), dtype="int64", count=len(chunk_words))
    starts = np.concatenate([[0], np.cumsum(lengths)[:-1]]) if len(lengths) else np.zeros(0, dtype="int64")
    flat = np.fromiter((i for w in chunk_words for i in w), dtype="int64", count=int(lengths.sum()))
    n_words = lengths[codes]
    docs = np.repeat(np.repeat(np.arange(len(norm)), per_title), n_words)
    # positions of each occurrence's words inside `flat`: its chunk's start plus 0, 1, 2 …
    offsets = np.arange(int(n_words.sum())) - np.repeat(np.cumsum(n_words) - n_words, n_words)
    ids = flat[np.repeat(starts[codes], n_words) + offsets]
    width = max(len(vocab), 1)
    uniq, tf = np.unique(docs * width + ids, return_counts=True)
    return uniq // width, uniq % width, tf, vocab


def normalize_titles(titles: Sequence[str], chunk: int = 10_000) -> list[str]:
    """`normalize` of every title: a block of titles per call (a line each) when that gives the same lines."""
    out: list[str] = []
    for lo in range(0, len(titles), chunk):
        block = [str(t) if t else "" for t in titles[lo:lo + chunk]]
        if all(block) and not any("\n" in t or "\r" in t for t in block):
            lines = normalize("\n".join(block)).split("\n")
            # emoji, HTML blocks and empty titles change the line count: then title by title
            if len(lines) == len(block) and all(lines):
                out.extend(lines)
                continue
        out.extend(normalize(t) for t in block)
    return out


def _bigram_list(text: str) -> list[str]:
    cps = [ord(c) for c in text]
    ok = _is_word_char(np.asarray(cps, dtype="int64")) if cps else np.zeros(0, dtype=bool)
    return list(dict.fromkeys(text[i:i + 2] for i in range(len(text) - 1) if ok[i] and ok[i + 1]))


def _code(gram: str) -> int:
    return ord(gram[0]) * _MAX_CP + ord(gram[1])
