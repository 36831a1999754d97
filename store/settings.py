"""Settings from the environment; the only home of paths (cookiecutter-data-science habit)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Settings:
    home: Path
    database_url: str
    salt: str

    @property
    def models_dir(self) -> Path:
        return self.home / "models"

    @property
    def raw_dir(self) -> Path:
        return self.home / "raw"

    @property
    def http_cache_dir(self) -> Path:
        return self.home / "httpcache"

    @property
    def logs_dir(self) -> Path:
        return self.home / "logs"

    @property
    def crawl_config(self) -> Path:
        """The crawls the scheduler runs daily (TOML, see README)."""
        return self.home / "crawl.toml"


def get_settings(env: dict[str, str] | None = None) -> Settings:
    """Read OPPRADAR_HOME, OPPRADAR_DATABASE_URL and OPPRADAR_SALT afresh each call."""
    env = os.environ if env is None else env
    home = Path(env.get("OPPRADAR_HOME") or "var").expanduser().resolve()
    url = env.get("OPPRADAR_DATABASE_URL") or f"sqlite:///{home / 'oppradar.db'}"
    # The salt keeps author hashes stable within one installation but unlinkable across them.
    salt = env.get("OPPRADAR_SALT") or "oppradar-default-salt"
    return Settings(home=home, database_url=url, salt=salt)
