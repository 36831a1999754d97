"""What an import did, in counts, and its one-line summary."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class ImportReport:
    files: int = 0
    rows_read: int = 0
    inserted: int = 0
    updated: int = 0
    duplicates: int = 0  # repeats of a key inside the input; the newest copy is kept
    skipped: dict[str, int] = field(default_factory=dict)  # reason -> count, rows or files as named

    def skip(self, reason: str, n: int = 1) -> None:
        self.skipped[reason] = self.skipped.get(reason, 0) + n

    def summary(self) -> str:
        """One line, e.g. '3 files, 1,204 rows: 1,180 new, 0 updated, 24 duplicates'."""
        text = (f"{self.files:,} file{'s' if self.files != 1 else ''}, "
                f"{self.rows_read:,} row{'s' if self.rows_read != 1 else ''}: "
                f"{self.inserted:,} new, {self.updated:,} updated, {self.duplicates:,} duplicates")
        if self.skipped:
            text += "; skipped " + ", ".join(f"{n:,} {why}" for why, n in sorted(self.skipped.items()))
        return text
