"""Read export files into (line, row) pairs, with the physical line each row starts on.

CSV: header is line 1, a row's line is where its record starts (quoted fields may span lines).
JSON array: the line the element starts on. JSON object: the list inside it holding the records (or
the one 1688 product detail inside it), whose elements are numbered index + 1 (said so in the error).
JSONL: the line. XLSX: the sheet row.
Every problem raises BadInputError naming the file, the line and a field ("json", "csv", "encoding" or
the column).
"""

from __future__ import annotations

import codecs
import csv
import gzip
import io
import json
import logging
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from crawlers.importers.progress import Progress
from store.errors import BadInputError, RecordError

log = logging.getLogger(__name__)
Row = tuple[int, dict[str, Any]]
_CSV_FIELD_LIMIT = 50_000_000  # long notes exceed csv's 128 KiB default field size


def record_error(exc: RecordError, path: Path, line: int, field: str | None = None) -> BadInputError:
    """A record's validation error placed at its file and line; field renames the record's field."""
    message = str(exc).removeprefix(f"field {exc.field!r}: ")
    return BadInputError(message, path=str(path), line=line, field=field or exc.field)


def decode_bytes(data: bytes, path: Path) -> tuple[str, str]:
    """Text and encoding name: UTF-16 by BOM, UTF-8 (BOM or not) strictly, GB18030, then a guess."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16"), "utf-16"
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise BadInputError("cannot tell the text encoding; save the file as UTF-8 or GBK",
                            path=str(path), field="encoding")
    return str(best), best.encoding


def read_text(path: Path) -> str:
    """Whole file as text (gzip if it ends in .gz), encoding detected; logged when not UTF-8."""
    data = path.read_bytes()
    if path.suffix == ".gz":
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError) as exc:
            raise BadInputError(f"not a readable gzip file: {exc}", path=str(path), field="gzip") from exc
    text, encoding = decode_bytes(data, path)
    if encoding != "utf-8-sig":
        log.info("%s: read as %s", path, encoding)
    return text


def expand_paths(paths: list[Path], wanted: Callable[[Path], bool], what: str) -> list[Path]:
    """Each file given, and the wanted files inside each folder given (sorted); missing paths fail."""
    files: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.is_file() and wanted(p))
            if not found:
                raise BadInputError(f"no {what} in this folder", path=str(path))
            files.extend(found)
        elif path.is_file():
            files.append(path)
        else:
            raise BadInputError("no such file or folder", path=str(path))
    return files


def data_suffix(path: Path) -> str:
    """The suffix that says the format, looking through .gz: 'x.jsonl.gz' -> '.jsonl'."""
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes and suffixes[-1] == ".gz":
        suffixes.pop()
    return suffixes[-1] if suffixes else ""


def iter_rows(path: Path, progress: Progress | None = None, suffix: str | None = None) -> Iterator[Row]:
    """Rows of a .csv, .json, .jsonl (optionally .gz) or .xlsx file (or as `suffix` says), on `progress`."""
    suffix = suffix or data_suffix(path)
    if suffix == ".xlsx":
        rows = iter_xlsx(path)
        lines = None
    elif suffix in _TEXT_READERS:
        text = read_text(path)
        rows, lines = _TEXT_READERS[suffix](text, path), text.count("\n") + 1
    else:
        raise BadInputError(f"unknown file type {path.suffix!r}; expected .csv, .json, .jsonl or .xlsx",
                            path=str(path))
    if progress is None:
        yield from rows
        return
    progress.begin_file(path, lines)
    count = 0
    for row in rows:
        progress.row(row[0])
        count += 1
        yield row
    log.debug("%s: %s row%s", path, f"{count:,}", "" if count == 1 else "s")


def iter_csv(text: str, path: Path) -> Iterator[Row]:
    csv.field_size_limit(max(csv.field_size_limit(), _CSV_FIELD_LIMIT))
    # strict: a file cut inside a quoted field is an error, not a record with half a note in it
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader, None)
        if header is None:
            return
        header = [h.strip().lstrip("\ufeff") for h in header]
        last = reader.line_num
        for values in reader:
            start, last = last + 1, reader.line_num
            if not any(v.strip() for v in values):
                continue  # blank line, not a record
            yield start, _zip_row(header, values, path, start)
    except csv.Error as exc:
        raise BadInputError(f"broken CSV: {exc}", path=str(path), line=reader.line_num,
                            field="csv") from exc


def _zip_row(header: list[str], values: list[Any], path: Path, line: int) -> dict[str, Any]:
    if len(values) > len(header) and any(str(v).strip() for v in values[len(header):]):
        raise BadInputError(f"{len(values)} values but the header has {len(header)} columns",
                            path=str(path), line=line, field="csv")
    row = {}
    # Spreadsheets drop trailing empty cells: a short row has empty values, not missing columns.
    values = list(values) + [""] * (len(header) - len(values))
    for name, value in zip(header, values, strict=False):
        if name == "":
            if value not in (None, "") and str(value).strip():
                raise BadInputError(f"value {value!r} in a column without a header", path=str(path),
                                    line=line, field="csv")
            continue
        row[name] = value
    return row


def iter_jsonl(text: str, path: Path) -> Iterator[Row]:
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            raise BadInputError(f"malformed JSON ({exc.msg}, column {exc.colno})", path=str(path),
                                line=number, field="json") from exc
        if not isinstance(obj, dict):
            raise BadInputError(f"expected a JSON object, got {type(obj).__name__}", path=str(path),
                                line=number, field="json")
        yield number, obj


def iter_json(text: str, path: Path) -> Iterator[Row]:
    """A JSON array of objects, element by element; an object wrapping such an array is unwrapped."""
    start = _skip_ws(text, 0)
    if start < len(text) and text[start] == "[":
        yield from _iter_array(text, start, path)
        return
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise BadInputError(f"malformed JSON: {exc.msg}", path=str(path), line=exc.lineno,
                            field="json") from exc
    items = _records_inside(doc)
    if items is None:
        raise BadInputError("expected a JSON array of records (or an object holding one)",
                            path=str(path), line=1, field="json")
    for index, obj in enumerate(items):
        # Inside a wrapped response the element's index + 1 stands in for the line.
        yield index + 1, obj


def _records_inside(doc: Any) -> list[dict[str, Any]] | None:
    if isinstance(doc, list):
        return doc if all(isinstance(x, dict) for x in doc) else None
    if isinstance(doc, dict) and "offerId" in doc:
        return [doc]  # one 1688 product detail, as queryProductDetail answers
    if isinstance(doc, dict):
        for key in ("data", "result", "results", "items", "list", "resultList", "offerList"):
            if key in doc:
                found = _records_inside(doc[key])
                if found is not None:
                    return found
    return None


def _skip_ws(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] in " \t\r\n":
        pos += 1
    return pos


def _iter_array(text: str, pos: int, path: Path) -> Iterator[Row]:
    decoder = json.JSONDecoder()
    line, counted = 1, 0

    def line_at(p: int) -> int:
        nonlocal line, counted
        line += text.count("\n", counted, p)
        counted = p
        return line

    pos = _skip_ws(text, pos + 1)
    if pos < len(text) and text[pos] == "]":
        return
    while True:
        element_line = line_at(pos)
        try:
            obj, pos = decoder.raw_decode(text, pos)
        except json.JSONDecodeError as exc:
            raise BadInputError(f"malformed or truncated JSON: {exc.msg}", path=str(path),
                                line=exc.lineno, field="json") from exc
        if not isinstance(obj, dict):
            raise BadInputError(f"expected a JSON object, got {type(obj).__name__}", path=str(path),
                                line=element_line, field="json")
        yield element_line, obj
        pos = _skip_ws(text, pos)
        if pos >= len(text):
            raise BadInputError("truncated JSON: the array never closes", path=str(path),
                                line=line_at(len(text)), field="json")
        if text[pos] == "]":
            if _skip_ws(text, pos + 1) < len(text):
                raise BadInputError("extra data after the JSON array", path=str(path),
                                    line=line_at(pos), field="json")
            return
        if text[pos] != ",":
            raise BadInputError(f"expected ',' or ']' between elements, got {text[pos]!r}",
                                path=str(path), line=line_at(pos), field="json")
        pos = _skip_ws(text, pos + 1)


def iter_xlsx(path: Path) -> Iterator[Row]:
    """The first sheet: row 1 is the header, later rows are records numbered by sheet row."""
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises zipfile, KeyError and its own errors for bad files
        raise BadInputError(f"not a readable XLSX workbook: {exc}", path=str(path), field="xlsx") from exc
    try:
        rows = book.worksheets[0].iter_rows(values_only=True)
        header_cells = next(rows, None)
        if header_cells is None:
            return
        header = ["" if h is None else str(h).strip() for h in header_cells]
        for number, values in enumerate(rows, start=2):
            if all(v is None or str(v).strip() == "" for v in values):
                continue
            cells = ["" if v is None else v for v in values]
            yield number, _zip_row(header, cells, path, number)
    finally:
        book.close()


_TEXT_READERS = {".csv": iter_csv, ".json": iter_json, ".jsonl": iter_jsonl}
