"""The oppradar site: application factory for the weekly lists, the JSON API and analyst login."""

from __future__ import annotations

import os
import secrets
from typing import Any

from flask import Flask

from store.settings import get_settings

# from_prefixed_env JSON-decodes values, so a password "123456" would become an int; these stay text.
_TEXT_KEYS = ("SECRET_KEY", "DATABASE_URL", "ANALYST_PASSWORD", "ANALYST_PASSWORD_HASH")


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Build the app: defaults, then OPPRADAR_* env (or the test dict), then db, i18n and blueprints."""
    app = Flask(__name__)
    app.config.from_mapping(
        # A random per-process key logs everyone out on restart; set OPPRADAR_SECRET_KEY to keep sessions.
        SECRET_KEY=os.environ.get("OPPRADAR_SECRET_KEY") or secrets.token_urlsafe(32),
        DATABASE_URL=get_settings().database_url,
        ANALYST_PASSWORD_HASH=os.environ.get("OPPRADAR_ANALYST_PASSWORD_HASH") or None,
        ANALYST_PASSWORD=os.environ.get("OPPRADAR_ANALYST_PASSWORD") or None,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
    )
    if test_config is None:
        app.config.from_prefixed_env("OPPRADAR")
        for key in _TEXT_KEYS:
            if os.environ.get(f"OPPRADAR_{key}"):
                app.config[key] = os.environ[f"OPPRADAR_{key}"]
    else:
        app.config.from_mapping(test_config)
    app.json.ensure_ascii = False  # Chinese stays readable in the JSON API
    app.json.sort_keys = False

    from web import db, errors, i18n

    db.init_app(app)
    i18n.init_app(app)
    errors.init_app(app)

    from web import api, auth, lists

    app.register_blueprint(lists.bp)
    app.register_blueprint(api.bp)
    app.register_blueprint(auth.bp)
    return app
