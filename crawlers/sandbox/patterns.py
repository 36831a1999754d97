"""Demand curves and supply schedules of each planted pattern.

Week t runs from 0 (first week of the world) to n-1 (this week); curves and supply schedules are
defined beyond n-1 too, because the ground truth of a week looks four weeks ahead: supply planned
after the last week is never listed, so the pipeline cannot see it, but it eats the opportunity.

`shift` (weeks) moves a pattern's event, drawn per world by world.py: when a stalled need stalls,
when late supply arrives (possibly after the end), how long ago a spike peaked.
"""

from __future__ import annotations

import math

PATTERN_NOTES = {
    "star": "demand grows fastest; no offer addresses the aspect through the last week",
    "rising_thin": "demand grows from little, slower than the star; supply thin",
    "caught_up": "demand grows early then flattens; aspect offers arrive in weeks 5-9",
    "growing_supplied": "demand grows; many aspect offers from the start",
    "flat": "steady demand; a few aspect offers",
    "declining": "demand falls; a few aspect offers",
    "stalled": "demand grows, then stalls and fades; the stall may come just before the end",
    "misleading_volume": "large, slowly growing volume; very well supplied",
    "late_supply": "demand grows; aspect offers arrive near the end, possibly only after it",
    "spike": "a one-week viral burst a few weeks before the end, then back to a low level",
}


def demand(pattern: str, t: float, n: int, shift: float = 0.0) -> float:
    """Relative demand of a pattern in week t (multiplied by the need's volume)."""
    x = t / max(n - 1, 1)
    if pattern == "star":
        return math.exp(2.8 * x)
    if pattern == "rising_thin":
        return math.exp(2.0 * x)
    if pattern == "caught_up":
        level = 1 + 6 / (1 + math.exp(-(t - 3.5)))
        return level * math.exp(-0.06 * max(0.0, t - 7))
    if pattern in ("growing_supplied", "late_supply"):
        return math.exp((1.6 if pattern == "growing_supplied" else 1.9) * x)
    if pattern == "flat":
        return 1 + 0.08 * math.sin(t)
    if pattern == "declining":
        return math.exp(-1.6 * x)
    if pattern == "stalled":
        mid = 3 + shift
        return (1 + 5 / (1 + math.exp(-(t - mid) / 0.9))) * math.exp(-0.08 * max(0.0, t - mid - 3))
    if pattern == "misleading_volume":
        return (1 + 0.05 * math.sin(t)) * (1 + 0.3 * x)
    if pattern == "spike":
        return 1 + 7 * math.exp(-((t - (n - 2 - shift)) ** 2) / 0.7)
    raise ValueError(f"unknown pattern {pattern!r}: expected one of {', '.join(PATTERN_NOTES)}")


def aspect_supply(pattern: str, n: int, shift: int = 0, ahead: int = 0) -> tuple[float, list[float]]:
    """Offers addressing the aspect: how many were listed before the world, and how many in each of
    weeks 0..n-1+ahead (the last `ahead` are planned after the world's end)."""
    total = n + ahead
    weekly = [0.0] * total
    pre = 0.0
    if pattern == "caught_up":
        for t in range(4, min(9, total)):
            weekly[t] = 4.0
    elif pattern == "late_supply":
        for t in range(max(0, n - 3 + shift), min(total, n + shift)):
            weekly[t] = 5.0
    elif pattern == "rising_thin":
        if 0 <= n - 3 + shift < total:
            weekly[n - 3 + shift] = 1.0
    elif pattern in ("growing_supplied", "misleading_volume"):
        pre = 16.0 if pattern == "growing_supplied" else 30.0
        weekly = [1.0] * total
    elif pattern in ("flat", "stalled"):
        pre = 3.0 if pattern == "flat" else 2.0
        weekly = [0.34 if pattern == "flat" else 0.5] * total
    elif pattern == "declining":
        pre = 4.0
    elif pattern == "spike":
        pre = 1.0
    elif pattern != "star":
        raise ValueError(f"unknown pattern {pattern!r}: expected one of {', '.join(PATTERN_NOTES)}")
    return pre, weekly


def unanswered(aspect_offers: int, offer_scale: float) -> float:
    """Share of demand that the aspect offers listed so far do not answer: exp(-offers / (4 * scale))."""
    return math.exp(-aspect_offers / (4.0 * offer_scale))
