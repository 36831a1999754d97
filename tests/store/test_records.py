from datetime import datetime

import pytest

from store.errors import BadInputError, RecordError
from store.records import clean_offer, clean_post, parse_time
from store.weeks import parse_week, shift_week, week_end, week_of, week_start


def test_epoch_millis_and_seconds_agree():
    assert parse_time(1763000000000, "t") == parse_time("1763000000", "t")


def test_post_errors_name_the_field():
    with pytest.raises(RecordError) as err:
        clean_post({"platform": "myspace", "post_id": "1", "kind": "note",
                    "published_at": "2026-01-01"}, salt="s")
    assert err.value.field == "platform"
    with pytest.raises(RecordError) as err:
        clean_post({"platform": "xhs", "post_id": "1", "kind": "note"}, salt="s")
    assert err.value.field == "published_at"


def test_offer_rate_out_of_range():
    with pytest.raises(RecordError) as err:
        clean_offer({"offer_id": "1", "title": "t", "price_min": 1, "listed_at": "2026-01-01",
                     "repurchase_rate": 3})
    assert err.value.field == "repurchase_rate"


def test_bad_input_message_names_file_line_field():
    err = BadInputError("not a number", path="a.csv", line=3, field="price_min")
    assert str(err) == "a.csv:3: field 'price_min': not a number"
    assert err.exit_code == 2


def test_weeks_are_shanghai_iso_weeks():
    # Sunday 2026-11-22 17:00 UTC is Monday 01:00 in Shanghai: the next week already.
    assert week_of(datetime(2026, 11, 22, 17, 0)) == "2026-W48"
    assert week_of(datetime(2026, 11, 22, 15, 0)) == "2026-W47"
    assert week_start("2026-W48") == datetime(2026, 11, 22, 16, 0)
    assert week_end("2026-W47") == week_start("2026-W48")
    assert shift_week("2027-W01", -1) == "2026-W53"
    with pytest.raises(ValueError, match="expected an ISO week"):
        parse_week("2026-47")
