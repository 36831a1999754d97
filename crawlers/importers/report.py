"""What an import did, in counts, and its one-line summary."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class ImportReport:
    files: int = 0
    rows_read: int = 0
    inserted: int = 0
    updated: int = 0
    duplicates: int = 0  # repeats of a key inside the input; the newest copy is kept
    skipped: dict[str, int] = field(default_factory=dict)  # reason -> count, rows or files as named
    seconds: float | None = None  # wall time of the whole import, once it is done

    def skip(self, reason: str, n: int = 1) -> None:
        self.skipped[reason] = self.skipped.get(reason, 0) + n

    def stats(self) -> dict[str, Any]:
        """The counts as job_runs.stats holds them."""
        stats: dict[str, Any] = {"files": self.files, "rows": self.rows_read, "inserted": self.inserted,
                                 "updated": self.updated, "duplicates": self.duplicates,
                                 "skipped": dict(sorted(self.skipped.items()))}
        if self.seconds is not None:
            stats["seconds"] = round(self.seconds, 3)
        return stats

    def summary(self) -> str:
        """One line: '3 files, 1,204 rows: 1,180 new, 0 updated, 24 duplicates; 0.4 s (3,010 rows/s)'."""
        text = (f"{self.files:,} file{'s' if self.files != 1 else ''}, "
                f"{self.rows_read:,} row{'s' if self.rows_read != 1 else ''}: "
                f"{self.inserted:,} new, {self.updated:,} updated, {self.duplicates:,} duplicates")
        if self.skipped:
            text += "; skipped " + ", ".join(f"{n:,} {why}" for why, n in sorted(self.skipped.items()))
        if self.seconds is not None:
            rate = f" ({self.rows_read / self.seconds:,.0f} rows/s)" if self.seconds > 0 else ""
            text += f"; {self.seconds:.1f} s{rate}"
        return text
