"""Weekly demand statistics per need key: mentions, authors, engagement, growth, slope and burst.

A need's week grid runs without gaps from the first week of data, so a silent week is a zero, not a
missing row, and every statistic for week t looks only at weeks up to t.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from store.schema import needs, posts
from store.weeks import parse_week, week_range

BURST_HISTORY = 8          # weeks of a need's own past the burst z-score compares against
BURST_CHUNK = 4_096        # need keys per block, to bound the (keys × weeks × history) window array
# A burst is flagged when the week stands out from the need's own history (robust z) and is not a
# handful of posts: 1 → 4 mentions is noise however large its z-score.
BURST_Z = 3.0
BURST_MIN_MENTIONS = 5
BURST_MIN_HISTORY = 4      # weeks of history before a burst can be told from a need's first appearance
# Fewer mentions than this over 4 weeks, or fewer distinct authors this week: growth is not trustworthy.
CONFIDENT_MENTIONS_4W = 6
CONFIDENT_AUTHORS = 2
SEASON = 52                # weeks in a year: the seasonal baseline looks at t-53..t-51
SEASON_LEVEL = 8           # weeks whose levels (now and a year ago) rescale last year's value
TREND_COLUMNS = ["need_key", "week", "mentions", "authors", "engagement", "platforms", "complaint_share",
                 "wish_share", "growth", "slope_4w", "burst", "mentions_4w", "weeks_seen", "first_seen_week",
                 "mentions_8w", "growth_4w", "burst_flag", "seasonal_baseline", "seasonal", "vs_baseline",
                 "low_confidence"]
MENTION_COLUMNS = ["platform", "post_id", "need_key", "product", "aspect", "category", "polarity",
                   "need_type", "week", "published_at", "price_mentions", "author_hash", "engagement"]


def load_mentions(engine: Engine, until_week: str | None = None) -> pd.DataFrame:
    """Needs joined to their posts (author, engagement), up to and including `until_week`."""
    counts = [posts.c.likes, posts.c.comments, posts.c.shares, posts.c.collects]
    stmt = (sa.select(needs.c.platform, needs.c.post_id, needs.c.need_key, needs.c.product, needs.c.aspect,
                      needs.c.category, needs.c.polarity, needs.c.need_type, needs.c.week,
                      needs.c.published_at, needs.c.price_mentions, posts.c.author_hash, *counts)
            .join(posts, sa.and_(posts.c.platform == needs.c.platform, posts.c.post_id == needs.c.post_id)))
    if until_week is not None:
        stmt = stmt.where(needs.c.week <= parse_week(until_week))
    with engine.connect() as conn:
        frame = pd.DataFrame(conn.execute(stmt).mappings().all())
    if frame.empty:
        return pd.DataFrame(columns=MENTION_COLUMNS)
    names = ["likes", "comments", "shares", "collects"]
    frame["engagement"] = frame[names].fillna(0).astype("float64").sum(axis=1)
    return frame.drop(columns=names)


def compute_trends(mentions: pd.DataFrame, last_week: str | None = None,
                   weeks: list[str] | None = None) -> pd.DataFrame:
    """One row per need key and week from its first week to `last_week`; only `weeks` if given."""
    if mentions.empty:
        return pd.DataFrame(columns=TREND_COLUMNS)
    last = parse_week(last_week) if last_week else mentions["week"].max()
    mentions = mentions[mentions["week"] <= last]
    if mentions.empty:
        return pd.DataFrame(columns=TREND_COLUMNS)
    all_weeks = week_range(mentions["week"].min(), last)
    keys = np.sort(mentions["need_key"].unique())
    grid = _weekly_counts(mentions, keys, {w: i for i, w in enumerate(all_weeks)})
    m = grid["mentions"]
    lag = [_shift(m, k) for k in (1, 2, 3)]
    first = np.argmax(m > 0, axis=1)
    t = np.arange(len(all_weeks))
    stats = _statistics(m, lag, grid["authors"], t[None, :] - first[:, None] + 1)
    rows, cols = np.nonzero(t[None, :] >= first[:, None])
    out = pd.DataFrame({
        "need_key": keys[rows],
        "week": np.asarray(all_weeks, dtype=object)[cols],
        "mentions": m[rows, cols].astype("int64"),
        "authors": grid["authors"][rows, cols].astype("int64"),
        "engagement": grid["engagement"][rows, cols],
        "platforms": grid["platforms"][rows, cols].astype("int64"),
        "complaint_share": _share(grid["complaints"][rows, cols], m[rows, cols]),
        "wish_share": _share(grid["wishes"][rows, cols], m[rows, cols]),
        "growth": stats["growth"][rows, cols],
        "slope_4w": stats["slope_4w"][rows, cols],
        "burst": stats["burst"][rows, cols],
        "mentions_4w": stats["mentions_4w"][rows, cols].astype("int64"),
        "weeks_seen": (cols - first[rows] + 1).astype("int64"),
        "first_seen_week": np.asarray(all_weeks, dtype=object)[first[rows]],
        **{name: stats[name][rows, cols] for name in _EXTRA},
    })
    for name in ("mentions_8w", "burst_flag", "seasonal", "low_confidence"):
        out[name] = out[name].astype("int64")
    if weeks is not None:
        out = out[out["week"].isin({parse_week(w) for w in weeks})]
    return out.reset_index(drop=True)


_EXTRA = ("mentions_8w", "growth_4w", "burst_flag", "seasonal_baseline", "seasonal", "vs_baseline",
          "low_confidence")


def _statistics(m: np.ndarray, lag: list[np.ndarray], authors: np.ndarray,
                seen: np.ndarray) -> dict[str, np.ndarray]:
    """Every (keys × weeks) statistic of the mentions grid; week t reads weeks up to t only."""
    m4 = m + lag[0] + lag[1] + lag[2]
    prev4 = _shift(m4, 4)
    burst = _burst(m)
    baseline, seasonal = _seasonal_baseline(m)
    return {
        "growth": (m + 1) / (lag[0] + 1) - 1,
        # least-squares slope over t-3..t with x = -1.5, -0.5, 0.5, 1.5 (sum of x² = 5)
        "slope_4w": (1.5 * m + 0.5 * lag[0] - 0.5 * lag[1] - 1.5 * lag[2]) / 5.0,
        "mentions_4w": m4,
        "mentions_8w": m4 + prev4,
        # the last 4 weeks against the 4 before, smoothed so 0 → 1 is not infinite growth
        "growth_4w": (m4 + 2) / (prev4 + 2) - 1,
        "burst": burst,
        "burst_flag": (burst >= BURST_Z) & (m >= BURST_MIN_MENTIONS) & (seen > BURST_MIN_HISTORY),
        "seasonal_baseline": baseline,
        "seasonal": seasonal,
        "vs_baseline": (m + 1) / (baseline + 1) - 1,
        "low_confidence": (m4 < CONFIDENT_MENTIONS_4W) | (authors < CONFIDENT_AUTHORS),
    }


def _seasonal_baseline(m: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Expected mentions for week t: last year's t-53..t-51 rescaled by this year's level, when a year and
    two months of history exist; otherwise the mean of the previous 8 weeks. Second array: seasonal or not."""
    csum = np.concatenate([np.zeros((m.shape[0], 1)), np.cumsum(m, axis=1)], axis=1)

    def window_mean(lo: int, hi: int) -> np.ndarray:
        """Mean of weeks t-lo..t-hi (lo ≥ hi ≥ 1), zero-padded before the data starts."""
        t = np.arange(m.shape[1])
        a, b = np.clip(t - lo, 0, None), np.clip(t - hi + 1, 0, None)
        return (csum[:, b] - csum[:, a]) / (lo - hi + 1)

    recent = window_mean(SEASON_LEVEL, 1)
    seasonal = np.zeros(m.shape, dtype=bool)
    baseline = recent.copy()
    if m.shape[1] > SEASON + SEASON_LEVEL + 1:
        year_ago = window_mean(SEASON + 1, SEASON - 1)
        level_then = window_mean(SEASON + SEASON_LEVEL, SEASON + 1)
        ratio = (recent + 1) / (level_then + 1)
        has_year = np.arange(m.shape[1])[None, :] >= SEASON + SEASON_LEVEL
        # a need must have been talked about a year ago for last year to say anything about it
        seasonal = has_year & (level_then + year_ago > 0)
        baseline = np.where(seasonal, year_ago * ratio, recent)
    return baseline, seasonal


def _share(part: np.ndarray, whole: np.ndarray) -> np.ndarray:
    return np.divide(part, whole, out=np.zeros_like(part, dtype="float64"), where=whole > 0)


def _weekly_counts(mentions: pd.DataFrame, keys: np.ndarray,
                   week_index: dict[str, int]) -> dict[str, np.ndarray]:
    """Dense (keys × weeks) arrays of mentions, authors, engagement, platforms, complaints, wishes."""
    frame = mentions.assign(
        k=np.searchsorted(keys, mentions["need_key"].to_numpy()),
        t=mentions["week"].map(week_index).to_numpy(),
        # an unknown author counts as one author per post, never as one shared author
        author=mentions["author_hash"].fillna("post:" + mentions["platform"] + ":" + mentions["post_id"]),
        weight=np.log1p(mentions["engagement"].astype("float64").clip(lower=0)) + 1.0,
        complaint=(mentions["polarity"] == "complaint").astype("int64"),
        wish=(mentions["polarity"] == "wish").astype("int64"),
        post=mentions["platform"] + ":" + mentions["post_id"],
    )
    agg = frame.groupby(["k", "t"]).agg(mentions=("post", "nunique"), authors=("author", "nunique"),
                                         engagement=("weight", "sum"), platforms=("platform", "nunique"),
                                         complaints=("complaint", "sum"), wishes=("wish", "sum"))
    k_idx = agg.index.get_level_values("k").to_numpy()
    t_idx = agg.index.get_level_values("t").to_numpy()
    shape = (len(keys), len(week_index))
    grid = {}
    for name in agg.columns:
        dense = np.zeros(shape, dtype="float64")
        dense[k_idx, t_idx] = agg[name].to_numpy(dtype="float64")
        grid[name] = dense
    return grid


def _shift(a: np.ndarray, k: int) -> np.ndarray:
    """Values k weeks earlier; zero before the first week of data."""
    out = np.zeros_like(a)
    out[:, k:] = a[:, :-k]
    return out


def _burst(m: np.ndarray, history: int = BURST_HISTORY) -> np.ndarray:
    """(m_t − median) / (1.4826·MAD + 1) against the previous `history` weeks; 0 with no history."""
    out = np.zeros_like(m)
    padded = np.concatenate([np.full((m.shape[0], history), np.nan), m], axis=1)
    for lo in range(0, m.shape[0], BURST_CHUNK):
        block = padded[lo:lo + BURST_CHUNK]
        # window t covers padded columns t..t+history-1, i.e. weeks t-history..t-1 of the data
        windows = np.lib.stride_tricks.sliding_window_view(block, history, axis=1)[:, :m.shape[1]]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN history in the first week
            median = np.nanmedian(windows, axis=2)
            mad = np.nanmedian(np.abs(windows - median[..., None]), axis=2)
        z = (m[lo:lo + BURST_CHUNK] - median) / (1.4826 * mad + 1.0)
        out[lo:lo + BURST_CHUNK] = np.nan_to_num(z, nan=0.0)
    return out
