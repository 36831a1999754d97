"""Importers of what other tools already fetched: Post JSONL, MediaCrawler exports, offer files.

Every import reads and validates all its files first, raising BadInputError (file, line, field) on the
first bad row with nothing written; then it upserts all rows in one transaction and archives them.
Each run is a job_runs row (`import:posts`, `import:offers`) holding its counts, ok or failed with the
error; long imports log their rate and ETA every 50,000 rows (progress.py) and end with one summary line.
"""

from crawlers.importers.offers import import_offers
from crawlers.importers.posts import import_posts
from crawlers.importers.report import ImportReport

__all__ = ["ImportReport", "import_offers", "import_posts"]
