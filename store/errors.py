"""Exceptions every stage raises; the CLI turns them into one line and an exit code."""

from __future__ import annotations


class OppradarError(Exception):
    """Something the user can act on; exit code 1."""

    exit_code = 1


class BadInputError(OppradarError):
    """A file, line or field that is wrong; exit code 2, and nothing from that input is written."""

    exit_code = 2

    def __init__(self, message: str, *, path: str | None = None, line: int | None = None,
                 field: str | None = None) -> None:
        self.path, self.line, self.field = path, line, field
        where = ":".join(str(p) for p in (path, line) if p is not None)
        parts = [where] if where else []
        if field:
            parts.append(f"field {field!r}")
        parts.append(message)
        super().__init__(": ".join(parts))


class RecordError(ValueError):
    """A record field that fails validation; importers wrap it into BadInputError with file/line."""

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        super().__init__(f"field {field!r}: {message}")
