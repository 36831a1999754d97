"""Items the spiders yield: the Post and Offer records of DESIGN.md, as dataclasses.

The pipelines validate them with store.records (ValidatePipeline), so spiders fill what the page
gives and leave the rest None. `PostItem.author_id` is the raw platform id: the pipeline hashes it
into `author_hash` and it is never stored.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass
class PostItem:
    platform: str
    post_id: str
    kind: str
    parent_id: str | None = None
    url: str = ""
    author_hash: str | None = None
    title: str = ""
    text: str = ""
    published_at: datetime | None = None
    crawled_at: datetime | None = None
    likes: int | None = None
    comments: int | None = None
    shares: int | None = None
    collects: int | None = None
    tags: list[str] = field(default_factory=list)
    query: str | None = None
    source: str = ""
    author_id: str | None = None


@dataclass
class OfferItem:
    platform: str
    offer_id: str
    url: str = ""
    title: str = ""
    category: str = ""
    price_min: float | None = None
    price_max: float | None = None
    moq: int | None = None
    unit: str | None = None
    supplier_id: str | None = None
    supplier_name: str | None = None
    supplier_type: str = "unknown"
    province: str | None = None
    city: str | None = None
    dropship: bool = False
    customizable: bool = False
    ship_48h_rate: float | None = None
    repurchase_rate: float | None = None
    response_rate: float | None = None
    sales_30d: int | None = None
    rating: float | None = None
    listed_at: datetime | None = None
    crawled_at: datetime | None = None
    image_url: str | None = None
