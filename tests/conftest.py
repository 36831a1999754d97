"""Fixtures every package's tests share: a temporary OPPRADAR_HOME and its SQLite engine."""

from __future__ import annotations

import pytest

from store.db import dispose_engines, get_engine
from store.settings import get_settings


@pytest.fixture
def home(tmp_path, monkeypatch):
    """A fresh OPPRADAR_HOME with its own SQLite database, set in the environment."""
    path = tmp_path / "home"
    path.mkdir()
    monkeypatch.setenv("OPPRADAR_HOME", str(path))
    monkeypatch.delenv("OPPRADAR_DATABASE_URL", raising=False)
    yield path
    dispose_engines()


@pytest.fixture
def settings(home):
    return get_settings()


@pytest.fixture
def engine(settings):
    return get_engine(settings.database_url)
