"""Words the screens share."""

from datetime import timedelta

from tui.words import ago


def test_lateness_is_hours_then_days():
    assert ago(timedelta(minutes=5)) == "1h"
    assert ago(timedelta(hours=47, minutes=59)) == "47h"
    assert ago(timedelta(hours=48)) == "2d"
    assert ago(timedelta(days=9, hours=23)) == "9d"
