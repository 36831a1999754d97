"""Progress of a long import: a log line every LOG_EVERY rows with rate and ETA, a tqdm bar on a terminal.

The ETA comes from bytes: the files done plus the current file's share of lines read, over the bytes of
every file in the import. Logs serve cron and the scheduler; the bar shows only when stderr is a tty.
"""

from __future__ import annotations

import logging
import sys
import time
from datetime import timedelta
from pathlib import Path

from tqdm import tqdm

log = logging.getLogger(__name__)
LOG_EVERY = 50_000
_BAR_EVERY = 1_000


class Progress:
    """Counts rows across the files of one import."""

    def __init__(self, label: str, paths: list[Path], every: int | None = None) -> None:
        self.label, self.every = label, every or LOG_EVERY
        self.total_bytes = sum(p.stat().st_size for p in paths) or 1
        self.rows = 0
        self._done_bytes = 0
        self._file_bytes = 0
        self._file_lines: int | None = None
        self._line = 0
        self._start = time.perf_counter()
        self._bar = tqdm(total=100, desc=label, unit="%", file=sys.stderr, disable=None, leave=False,
                         bar_format="{l_bar}{bar}| {postfix}")

    def begin_file(self, path: Path, lines: int | None) -> None:
        """A new file starts; lines is its physical line count when known (for the ETA)."""
        self._done_bytes += self._file_bytes
        self._file_bytes = path.stat().st_size
        self._file_lines, self._line = lines, 0

    def row(self, line: int) -> None:
        """One row read, starting on this line of the current file."""
        self.rows += 1
        self._line = line
        if self.rows % self.every == 0:
            log.info("%s", self.status())
        if self.rows % _BAR_EVERY == 0 and not self._bar.disable:
            self._bar.n = round(100 * self.fraction(), 1)
            self._bar.set_postfix_str(self.status(short=True))

    def fraction(self) -> float:
        within = self._line / self._file_lines if self._file_lines else 0.0
        return min(1.0, (self._done_bytes + self._file_bytes * within) / self.total_bytes)

    def status(self, short: bool = False) -> str:
        """E.g. 'import:posts: 200,000 rows, 31,500 rows/s, 45%, ETA 0:00:08'."""
        elapsed = time.perf_counter() - self._start
        rate = self.rows / elapsed if elapsed > 0 else 0.0
        done = self.fraction()
        eta = timedelta(seconds=round(elapsed * (1 - done) / done)) if done > 0 else "?"
        text = f"{self.rows:,} rows, {rate:,.0f} rows/s, {done:.0%}, ETA {eta}"
        return text if short else f"{self.label}: {text}"

    def close(self) -> None:
        self._bar.close()
