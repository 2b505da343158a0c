"""A move in time in words (the audit log's and the update mails' "1 hour later"), both languages."""
from __future__ import annotations

from datetime import timedelta

import pytest
from flask_babel import force_locale

from eventsite.core.timefmt import shift_text


@pytest.mark.parametrize(("delta", "en", "zh"), [
    (timedelta(hours=1), "1 hour later", "推迟1小时"),
    (timedelta(hours=-2), "2 hours earlier", "提前2小时"),
    (timedelta(days=1, minutes=30), "1 day 30 minutes later", "推迟1天30分钟"),
    (timedelta(days=-1, hours=23), "1 hour earlier", "提前1小时"),  # str(): "-1 day, 23:00:00"
    (timedelta(seconds=20), "at the same time", "时间不变"),
])
def test_shift_in_words(app, delta, en, zh):
    with app.test_request_context():
        with force_locale("en"):
            assert shift_text(delta) == en
        with force_locale("zh"):
            assert shift_text(delta) == zh
