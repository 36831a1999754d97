"""One database connection per request, cached on `g` and closed on teardown (the flaskr habit)."""

from __future__ import annotations

from flask import Flask, current_app, g
from sqlalchemy.engine import Connection

from store.db import get_engine


def get_db() -> Connection:
    """The request's connection; its one transaction keeps every read on the same published list."""
    if "db" not in g:
        g.db = get_engine(current_app.config["DATABASE_URL"]).connect()
    return g.db


def close_db(_exc: BaseException | None = None) -> None:
    """Close the request's connection, if one was opened (reads only, so nothing to commit)."""
    conn = g.pop("db", None)
    if conn is not None:
        conn.close()


def init_app(app: Flask) -> None:
    """Register the teardown that closes the connection."""
    app.teardown_appcontext(close_db)
