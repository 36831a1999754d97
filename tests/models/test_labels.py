import math
from datetime import datetime

import numpy as np
import pytest

from features.columns import need_key, opportunity_id
from models.dataset import load_frame
from models.labels import MIN_VALUE, OFFERS_PER_E_FOLD, apply_feedback, label_table, make_labels

T = np.arange(12)
GROWING = np.round(4 * 1.3 ** T)
CAR = opportunity_id(need_key("车载冰箱", "杯架"))
MOP = opportunity_id(need_key("平板拖把", "拧干"))
CAT = opportunity_id(need_key("猫砂盆", "防外溅"))
UMB = opportunity_id(need_key("雨伞", "抗风"))
CUP = opportunity_id(need_key("保温杯", "漏水"))


@pytest.fixture
def frame(engine, make_need_rows, insert_rows):
    insert_rows(make_need_rows("车载冰箱", "杯架", "汽车用品", GROWING, np.zeros(12))
                # the same demand, but six factories list a mop that wrings dry from week 6 on
                + make_need_rows("平板拖把", "拧干", "家居日用", GROWING, np.where(T >= 6, 6, 0))
                + make_need_rows("猫砂盆", "防外溅", "宠物", np.round(30 * 0.7 ** T), np.zeros(12))
                + make_need_rows("雨伞", "抗风", "户外运动", np.full(12, 9), np.full(12, 2))
                # quiet needs: what a typical need of the week sounds like
                + make_need_rows("保温杯", "漏水", "厨房", np.round(1 + 0.3 * T), np.zeros(12))
                + make_need_rows("砧板", "发霉", "厨房", np.full(12, 3), np.full(12, 5))
                + make_need_rows("拖把", "异味", "家居日用", np.full(12, 4), np.full(12, 5)))
    return load_frame(engine)


def _grades(frame, labels, oid):
    return labels[frame["opportunity_id"] == oid].tolist()


def test_growing_need_nobody_supplies_grades_high(frame):
    grades = _grades(frame, make_labels(frame), CAR)
    # in week 0 the litter box's 30 fading posts still outweigh it; from week 1 on it leads
    assert grades[0] == 3.0 and grades[1:8] == [4.0] * 7


def test_quiet_need_grades_below_a_loud_one_in_the_same_state(frame):
    labels = make_labels(frame)
    quiet, loud = _grades(frame, labels, CUP)[:8], _grades(frame, labels, CAR)[:8]
    assert max(quiet) <= 2 and all(q < c for q, c in zip(quiet, loud, strict=True))


def test_supply_arriving_grades_low_from_when_sellers_would_meet_it(frame):
    labels = make_labels(frame)
    mop, car = _grades(frame, labels, MOP), _grades(frame, labels, CAR)
    # rows at weeks 0-1 sell into weeks 1-5, before the supply: as good as the car fridge (ties share)
    assert mop[:2] == car[:2] == [3.0, 4.0]
    # once the six offers land inside the horizon the mop falls behind the same demand unanswered
    assert all(m < c for m, c in zip(mop[3:8], car[3:8], strict=True))
    value = label_table(frame)["value"][frame["opportunity_id"] == MOP].tolist()
    demand = sum(4 * 1.3 ** u for u in range(6, 10))
    assert value[5] == pytest.approx(demand * math.exp(-6 / OFFERS_PER_E_FOLD), rel=0.02)


def test_offers_that_sell_nothing_answer_nobody(frame):
    selling = frame["aspect_offers"].where(frame["opportunity_id"] != MOP, 0.0)
    unsold = frame.assign(aspect_offers_selling=selling)
    mop, car = unsold["opportunity_id"] == MOP, unsold["opportunity_id"] == CAR
    value = label_table(unsold)["value"]
    assert value[mop].tolist()[:8] == pytest.approx(value[car].tolist()[:8])
    assert label_table(frame)["value"][mop].iloc[5] < value[mop].iloc[5]  # counted whole when unknown


def test_fading_need_loses_its_grade(frame):
    grades = _grades(frame, make_labels(frame), CAT)
    assert grades[0] >= 3 and grades[7] <= 1 and grades[:8] == sorted(grades[:8], reverse=True)


def test_fewer_than_min_value_unanswered_mentions_is_grade_0(frame):
    table = label_table(frame.assign(mentions=frame["mentions"].where(frame["opportunity_id"] != CUP, 0.0)))
    low = table["value"] < MIN_VALUE
    assert low.any() and (table.loc[low, "label"] == 0).all()


def test_last_horizon_weeks_are_unlabelled(frame):
    labels = make_labels(frame, horizon=4)
    last = sorted(frame["week"].unique())[-4:]
    assert labels[frame["week"].isin(last)].isna().all()
    assert labels[~frame["week"].isin(last)].notna().all()
    assert make_labels(frame, horizon=2)[frame["week"].isin(last[:2])].notna().all()


def test_unbuilt_week_leaves_rows_that_look_into_it_unlabelled(frame):
    weeks = sorted(frame["week"].unique())
    holed = frame[frame["week"] != weeks[8]]
    labels = make_labels(holed)
    looking = holed["week"].isin(weeks[4:8])
    assert labels[looking].isna().all()
    assert labels[holed["week"].isin(weeks[:4])].notna().all()


def test_need_without_rows_in_built_weeks_had_no_mentions(frame):
    weeks = sorted(frame["week"].unique())
    gone = frame[~((frame["opportunity_id"] == CAR) & (frame["week"] > weeks[5]))]
    table = label_table(gone)
    car = table[gone["opportunity_id"] == CAR]
    assert car["future_mentions"].iloc[5] == 0 and car["label"].iloc[5] == 0
    assert car["value"].iloc[5] == 0
    assert car["demand"].iloc[0] == "growing" and car["supply"].iloc[0] == "open"


def test_label_table_explains_the_grade(frame):
    table = label_table(frame)
    mop = table[frame["opportunity_id"] == MOP]
    assert mop["supply"].iloc[3] == "crowded" and mop["future_aspect_offers"].iloc[3] == 6
    assert list(table.index) == list(frame.index)


def test_bad_input_is_refused(frame):
    with pytest.raises(ValueError, match="horizon must be a positive"):
        make_labels(frame, horizon=0)
    with pytest.raises(ValueError, match="2 rows repeat"):
        make_labels(frame.iloc[[0, 0, 1, 1]].reset_index(drop=True))
    with pytest.raises(ValueError, match=r"lacks columns \['aspect_offers'\]"):
        make_labels(frame.drop(columns="aspect_offers"))


def test_analyst_labels_override(frame, caplog):
    labels = make_labels(frame)
    weeks = sorted(frame["week"].unique())
    rows = [
        {"id": 1, "week": weeks[0], "opportunity_id": CAR, "kind": "label", "value": 1,
         "created_at": datetime(2026, 8, 1)},
        {"id": 3, "week": weeks[0], "opportunity_id": CAR, "kind": "label", "value": 0,
         "created_at": datetime(2026, 8, 3)},  # the latest label wins
        {"id": 2, "week": weeks[11], "opportunity_id": MOP, "kind": "label", "value": 3,
         "created_at": datetime(2026, 8, 2)},  # labels a row the horizon left out
        {"id": 4, "week": weeks[1], "opportunity_id": CAR, "kind": "vote", "value": 1,
         "created_at": datetime(2026, 8, 4)},
        {"id": 5, "week": weeks[2], "opportunity_id": CAR, "kind": "label", "value": 7,
         "created_at": datetime(2026, 8, 5)},
        {"id": 6, "week": weeks[2], "opportunity_id": "0000000000000000", "kind": "label", "value": 2,
         "created_at": datetime(2026, 8, 5)},
    ]
    out = apply_feedback(labels, frame, rows)
    at = {(w, o): i for i, w, o in zip(frame.index, frame["week"], frame["opportunity_id"], strict=True)}
    assert out[at[weeks[0], CAR]] == 0
    assert out[at[weeks[11], MOP]] == 3 and math.isnan(labels[at[weeks[11], MOP]])
    assert out[at[weeks[1], CAR]] == labels[at[weeks[1], CAR]] == 4
    assert out[at[weeks[2], CAR]] == 4  # 7 is no grade
    assert "skipped 1 analyst labels outside 0..4" in caplog.text
    assert labels[at[weeks[0], CAR]] == 3  # the input is not changed


def test_feedback_needs_aligned_labels(frame):
    with pytest.raises(ValueError, match=r"labels \(3 rows\) must share the frame's index \(84 rows\)"):
        apply_feedback(make_labels(frame).iloc[:3], frame, [])
