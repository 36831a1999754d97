"""Demand curves and supply schedules of each planted pattern.

Week t runs from 0 (first week of the world) to n-1 (this week); curves are defined beyond n-1 too,
because the ground truth of a week looks four weeks ahead.
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
    "stalled": "demand grows in the first weeks then stalls",
    "misleading_volume": "large steady volume; very well supplied",
    "late_supply": "demand grows; aspect offers arrive in the last three weeks",
    "spike": "a one-week viral burst two weeks before the end, then back to a low level",
}


def demand(pattern: str, t: float, n: int) -> float:
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
        return (1 + 5 / (1 + math.exp(-(t - 3) / 0.9))) * math.exp(-0.03 * max(0.0, t - 6))
    if pattern == "misleading_volume":
        return 1 + 0.05 * math.sin(t)
    if pattern == "spike":
        return 1 + 7 * math.exp(-((t - (n - 2)) ** 2) / 0.7)
    raise ValueError(f"unknown pattern {pattern!r}: expected one of {', '.join(PATTERN_NOTES)}")


def aspect_supply(pattern: str, n: int) -> tuple[float, list[float]]:
    """Offers addressing the aspect: how many were listed before the world, and how many each week."""
    weekly = [0.0] * n
    pre = 0.0
    if pattern == "caught_up":
        for t in range(4, min(9, n)):
            weekly[t] = 4.0
    elif pattern == "late_supply":
        for t in range(max(0, n - 3), n):
            weekly[t] = 5.0
    elif pattern == "rising_thin":
        weekly[max(0, n - 3)] = 1.0
    elif pattern in ("growing_supplied", "misleading_volume"):
        pre = 16.0 if pattern == "growing_supplied" else 30.0
        weekly = [1.0] * n
    elif pattern in ("flat", "stalled"):
        pre = 3.0 if pattern == "flat" else 2.0
        weekly = [0.34 if pattern == "flat" else 0.5] * n
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
