"""`oppradar import offers`: Offer CSV (UTF-8, UTF-8 BOM, GBK/GB18030), XLSX, JSONL, or 1688 API items.

CSV and XLSX headers are Offer field names: extra columns are an error naming them, optional columns
may be left out. JSON/JSONL rows are Offer records, or 1688 API items (recognised by `offerId`).
Every file is read and validated first; any bad row raises BadInputError and nothing is written.
Rates may be written "10%" as well as 0.1. A directory stands for the offer files inside it.
1688 search items carry category ids only: they get the categoryName a detail item in the same import
gives for one of their ids. Each run is a job_runs row `import:offers` (see jobs.py).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy.engine import Engine

from crawlers.importers.jobs import import_job
from crawlers.importers.offers_1688 import CategoryNames, is_1688_item, offer_from_1688
from crawlers.importers.progress import Progress
from crawlers.importers.readers import data_suffix, expand_paths, iter_rows, record_error
from crawlers.importers.report import ImportReport
from crawlers.importers.values import FieldError, convert, parse_rate, to_id
from crawlers.importers.writer import Deduper, write_records
from store.errors import BadInputError, RecordError
from store.records import OFFER_FIELDS, clean_offer
from store.schema import offers
from store.settings import Settings

EXTENSIONS = (".csv", ".xlsx", ".jsonl", ".json")
REQUIRED = ("offer_id", "title", "price_min", "listed_at")
RATE_FIELDS = ("ship_48h_rate", "repurchase_rate", "response_rate")
ID_FIELDS = ("offer_id", "supplier_id")
JOB = "import:offers"


def import_offers(engine: Engine, paths: list[Path], *, settings: Settings) -> ImportReport:
    """Import offer files; the newest copy (crawled_at, then file order) of a repeated offer is kept."""
    with import_job(engine, JOB) as report:
        records = _read_offers(paths, report)
        write_records(engine, offers, records, settings=settings, source="import-offers", report=report)
    return report


def _read_offers(paths: list[Path], report: ImportReport) -> list[dict[str, Any]]:
    dedupe = Deduper()
    categories = CategoryNames()
    files = offer_files(paths)
    progress = Progress(JOB, files)
    try:
        for path in files:
            report.files += 1
            for index, (line, row) in enumerate(iter_rows(path, progress)):
                report.rows_read += 1
                if index == 0:
                    _check_columns(row, path)
                offer = _clean(row, path, line, categories)
                dedupe.add((offer["platform"], offer["offer_id"]), offer, offer["crawled_at"].timestamp())
    finally:
        progress.close()
    report.duplicates = dedupe.duplicates
    records = dedupe.records()
    categories.fill()
    return records


def offer_files(paths: list[Path]) -> list[Path]:
    """Each file given, and the offer files inside each folder given."""
    return expand_paths(paths, lambda p: data_suffix(p) in EXTENSIONS,
                        f"offer files ({', '.join(EXTENSIONS)})")


def _check_columns(row: dict[str, Any], path: Path) -> None:
    """A CSV/XLSX header (line 1) must be Offer fields and hold the required ones."""
    if data_suffix(path) not in (".csv", ".xlsx") or is_1688_item(row):
        return
    extra = [c for c in row if c not in OFFER_FIELDS]
    if extra:
        raise BadInputError(f"unknown column(s) {', '.join(map(repr, extra))}; the header must be Offer "
                            f"fields: {', '.join(OFFER_FIELDS)}", path=str(path), line=1, field=extra[0])
    missing = [c for c in REQUIRED if c not in row]
    if missing:
        raise BadInputError(f"required column {missing[0]!r} is missing from the header", path=str(path),
                            line=1, field=missing[0])


def _clean(row: dict[str, Any], path: Path, line: int, categories: CategoryNames) -> dict[str, Any]:
    sources: dict[str, str] = {}
    try:
        if not is_1688_item(row):
            return clean_offer(_loose_offer(row))
        loose, sources = offer_from_1688(row)
        offer = clean_offer(loose)
        categories.add(row, offer)
        return offer
    except FieldError as exc:
        raise BadInputError(exc.message, path=str(path), line=line, field=exc.field) from exc
    except RecordError as exc:
        raise record_error(exc, path, line, sources.get(exc.field)) from exc


def _loose_offer(row: dict[str, Any]) -> dict[str, Any]:
    unknown = [k for k in row if k not in OFFER_FIELDS]
    if unknown:
        raise FieldError(unknown[0], f"unknown key {unknown[0]!r}; an Offer record takes exactly: "
                                     f"{', '.join(OFFER_FIELDS)}")
    loose = dict(row)
    for field in ID_FIELDS:
        loose[field] = convert(to_id, row.get(field), field)
    for field in RATE_FIELDS:
        value = row.get(field)
        if isinstance(value, str) and value.strip().endswith("%"):
            loose[field] = convert(parse_rate, value, field)
    return loose
