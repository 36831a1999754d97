"""The sandbox: a seeded market of posts and 1688 offers with known truth, served like the live platforms.

    world = generate_world(seed=7, scale=1.0)     # posts, offers, truth_frame(), planted(pattern)
    with SandboxServer(world) as server:          # http://127.0.0.1:PORT
        run_spider("sandbox_notes", {"keywords": ",".join(world.keywords), "base_url": server.base_url})
"""

from crawlers.sandbox.server import SandboxServer
from crawlers.sandbox.world import NeedSpec, World, generate_world

__all__ = ["NeedSpec", "SandboxServer", "World", "generate_world"]
