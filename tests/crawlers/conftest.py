"""Fixtures of the crawler tests: small sandbox worlds and a sandbox server on 127.0.0.1."""

from __future__ import annotations

from datetime import date

import pytest

from crawlers.sandbox.server import SandboxServer
from crawlers.sandbox.world import generate_world

END = date(2026, 5, 20)


@pytest.fixture(scope="session")
def sandbox_world():
    """A small world (scale 0.3) ending on a fixed day, shared by the read-only tests."""
    return generate_world(seed=11, end=END, scale=0.3)


@pytest.fixture(scope="session")
def sandbox_server(sandbox_world):
    """The sandbox platforms serving `sandbox_world`, for the whole session."""
    with SandboxServer(sandbox_world) as server:
        yield server
