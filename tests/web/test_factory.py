"""The application factory's configuration and the per-request database connection."""

from __future__ import annotations

from web import create_app
from web.db import get_db


def test_config_comes_from_prefixed_env(home, monkeypatch, tmp_path):
    url = f"sqlite:///{tmp_path / 'other.db'}"
    monkeypatch.setenv("OPPRADAR_DATABASE_URL", url)
    monkeypatch.setenv("OPPRADAR_SECRET_KEY", "from-env")
    monkeypatch.setenv("OPPRADAR_ANALYST_PASSWORD", "123456")  # JSON would make this an int
    monkeypatch.delenv("OPPRADAR_ANALYST_PASSWORD_HASH", raising=False)
    app = create_app()
    assert app.config["DATABASE_URL"] == url
    assert app.config["SECRET_KEY"] == "from-env"
    assert app.config["ANALYST_PASSWORD"] == "123456"
    assert app.config["ANALYST_PASSWORD_HASH"] is None
    assert not app.testing


def test_defaults_without_env(home, monkeypatch):
    for name in ("OPPRADAR_SECRET_KEY", "OPPRADAR_ANALYST_PASSWORD", "OPPRADAR_ANALYST_PASSWORD_HASH"):
        monkeypatch.delenv(name, raising=False)
    first, second = create_app(), create_app()
    assert first.config["DATABASE_URL"] == f"sqlite:///{home / 'oppradar.db'}"
    assert first.config["SECRET_KEY"] != second.config["SECRET_KEY"]  # random per process
    assert first.config["ANALYST_PASSWORD"] is None


def test_test_config_wins(app, settings):
    assert app.testing
    assert app.config["DATABASE_URL"] == settings.database_url


def test_get_db_is_cached_and_closed_on_teardown(app):
    with app.app_context():
        conn = get_db()
        assert get_db() is conn
        assert not conn.closed
    assert conn.closed
