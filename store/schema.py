"""SQLAlchemy Core schema of every table in DESIGN.md; table names and keys are part of the contract.

Datetime columns hold naive UTC. JSON columns hold lists and dicts (SQLite and PostgreSQL alike).
"""

from __future__ import annotations

import sqlalchemy as sa

metadata = sa.MetaData()

posts = sa.Table(
    "posts", metadata,
    sa.Column("platform", sa.String(16), primary_key=True),
    sa.Column("post_id", sa.String(64), primary_key=True),
    sa.Column("kind", sa.String(16), nullable=False),
    sa.Column("parent_id", sa.String(64)),
    sa.Column("url", sa.Text, nullable=False, default=""),
    sa.Column("author_hash", sa.String(32)),
    sa.Column("title", sa.Text, nullable=False, default=""),
    sa.Column("text", sa.Text, nullable=False, default=""),
    sa.Column("published_at", sa.DateTime, nullable=False, index=True),
    sa.Column("crawled_at", sa.DateTime, nullable=False),
    sa.Column("likes", sa.Integer),
    sa.Column("comments", sa.Integer),
    sa.Column("shares", sa.Integer),
    sa.Column("collects", sa.Integer),
    sa.Column("tags", sa.JSON, nullable=False, default=list),
    sa.Column("query", sa.Text),
    sa.Column("source", sa.String(64), nullable=False),
)

offers = sa.Table(
    "offers", metadata,
    sa.Column("platform", sa.String(16), primary_key=True),
    sa.Column("offer_id", sa.String(64), primary_key=True),
    sa.Column("url", sa.Text, nullable=False, default=""),
    sa.Column("title", sa.Text, nullable=False),
    sa.Column("category", sa.Text, nullable=False, default=""),
    sa.Column("price_min", sa.Float, nullable=False),
    sa.Column("price_max", sa.Float, nullable=False),
    sa.Column("moq", sa.Integer),
    sa.Column("unit", sa.String(16)),
    sa.Column("supplier_id", sa.String(64)),
    sa.Column("supplier_name", sa.Text),
    sa.Column("supplier_type", sa.String(16), nullable=False, default="unknown"),
    sa.Column("province", sa.String(32)),
    sa.Column("city", sa.String(32)),
    sa.Column("dropship", sa.Boolean, nullable=False, default=False),
    sa.Column("customizable", sa.Boolean, nullable=False, default=False),
    sa.Column("ship_48h_rate", sa.Float),
    sa.Column("repurchase_rate", sa.Float),
    sa.Column("response_rate", sa.Float),
    sa.Column("sales_30d", sa.Integer),
    sa.Column("rating", sa.Float),
    sa.Column("listed_at", sa.DateTime, nullable=False, index=True),
    sa.Column("crawled_at", sa.DateTime, nullable=False),
    sa.Column("image_url", sa.Text),
)

needs = sa.Table(
    "needs", metadata,
    # platform joins post_id in the key because post ids are unique per platform only.
    sa.Column("platform", sa.String(16), primary_key=True),
    sa.Column("post_id", sa.String(64), primary_key=True),
    sa.Column("product", sa.String(64), primary_key=True),
    sa.Column("aspect", sa.String(64), primary_key=True),
    sa.Column("need_key", sa.String(130), nullable=False, index=True),
    sa.Column("category", sa.Text, nullable=False, default=""),
    sa.Column("polarity", sa.String(16), nullable=False),
    sa.Column("need_type", sa.String(24), nullable=False),
    sa.Column("span", sa.Text, nullable=False, default=""),
    sa.Column("price_mentions", sa.JSON, nullable=False, default=list),
    sa.Column("week", sa.String(8), nullable=False, index=True),
    sa.Column("published_at", sa.DateTime, nullable=False),
)

opportunities = sa.Table(
    "opportunities", metadata,
    sa.Column("week", sa.String(8), primary_key=True),
    sa.Column("opportunity_id", sa.String(16), primary_key=True),
    sa.Column("need_key", sa.String(130), nullable=False),
    sa.Column("product", sa.String(64), nullable=False),
    sa.Column("aspect", sa.String(64), nullable=False),
    sa.Column("category", sa.Text, nullable=False, default=""),
    sa.Column("title", sa.Text, nullable=False),
    # demand
    sa.Column("mentions", sa.Integer, nullable=False, default=0),
    sa.Column("authors", sa.Integer, nullable=False, default=0),
    sa.Column("engagement", sa.Float, nullable=False, default=0.0),
    sa.Column("growth", sa.Float, nullable=False, default=0.0),
    sa.Column("slope_4w", sa.Float, nullable=False, default=0.0),
    sa.Column("burst", sa.Float, nullable=False, default=0.0),
    sa.Column("platforms", sa.Integer, nullable=False, default=0),
    sa.Column("complaint_share", sa.Float, nullable=False, default=0.0),
    sa.Column("wish_share", sa.Float, nullable=False, default=0.0),
    sa.Column("first_seen_week", sa.String(8)),
    # supply (offers listed by the end of the week only)
    sa.Column("matching_offers", sa.Integer, nullable=False, default=0),
    sa.Column("aspect_offers", sa.Integer, nullable=False, default=0),
    sa.Column("price_p25", sa.Float),
    sa.Column("price_p50", sa.Float),
    sa.Column("price_p75", sa.Float),
    sa.Column("factory_share", sa.Float),
    sa.Column("customizable_share", sa.Float),
    sa.Column("dropship_share", sa.Float),
    sa.Column("min_moq", sa.Integer),
    sa.Column("ship_48h_rate", sa.Float),
    sa.Column("repurchase_rate", sa.Float),
    # economics (CNY)
    sa.Column("social_price", sa.Float),
    sa.Column("est_margin", sa.Float),
    sa.Column("margin_rate", sa.Float),
    # everything the ranker sees, by feature name, and the evidence behind the row
    sa.Column("features", sa.JSON, nullable=False, default=dict),
    sa.Column("evidence", sa.JSON, nullable=False, default=list),
    sa.Column("offers", sa.JSON, nullable=False, default=list),
    sa.Column("segments", sa.JSON, nullable=False, default=list),
    sa.Column("built_at", sa.DateTime, nullable=False),
    # filled by `oppradar rank`
    sa.Column("score", sa.Float),
    sa.Column("rank", sa.Integer),
    sa.Column("explanation", sa.JSON),
    sa.Column("model_id", sa.String(64)),
    sa.Column("ranked_at", sa.DateTime),
)

weekly_lists = sa.Table(
    "weekly_lists", metadata,
    sa.Column("week", sa.String(8), primary_key=True),
    sa.Column("segment", sa.String(24), primary_key=True),
    sa.Column("rank", sa.Integer, primary_key=True),
    sa.Column("opportunity_id", sa.String(16), nullable=False),
    sa.Column("score", sa.Float, nullable=False),
    sa.Column("model_id", sa.String(64)),
    sa.Column("published_at", sa.DateTime, nullable=False),
    # the opportunity as published, so readers never see a half-rebuilt week
    sa.Column("payload", sa.JSON, nullable=False),
)

models = sa.Table(
    "models", metadata,
    sa.Column("model_id", sa.String(64), primary_key=True),
    sa.Column("created_at", sa.DateTime, nullable=False),
    sa.Column("path", sa.Text, nullable=False),
    sa.Column("status", sa.String(16), nullable=False, default="candidate"),
    sa.Column("promoted_at", sa.DateTime),
    sa.Column("metrics", sa.JSON, nullable=False, default=dict),
    sa.Column("card", sa.JSON, nullable=False, default=dict),
)

feedback = sa.Table(
    "feedback", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("week", sa.String(8), nullable=False),
    sa.Column("opportunity_id", sa.String(16), nullable=False, index=True),
    sa.Column("kind", sa.String(16), nullable=False),  # vote or label
    sa.Column("value", sa.Integer, nullable=False),
    sa.Column("user", sa.String(64)),
    sa.Column("note", sa.Text),
    sa.Column("created_at", sa.DateTime, nullable=False),
)

job_runs = sa.Table(
    "job_runs", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("job", sa.String(64), nullable=False, index=True),
    sa.Column("started_at", sa.DateTime, nullable=False),
    sa.Column("finished_at", sa.DateTime),
    sa.Column("status", sa.String(16), nullable=False),  # running, ok, failed
    sa.Column("stats", sa.JSON, nullable=False, default=dict),
    sa.Column("message", sa.Text),
)

KEYS: dict[str, tuple[str, ...]] = {
    t.name: tuple(c.name for c in t.primary_key.columns) for t in metadata.sorted_tables
}
