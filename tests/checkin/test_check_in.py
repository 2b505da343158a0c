"""check_in(): one row per person and door; a later upload of an earlier scan keeps the earliest."""
from __future__ import annotations

from datetime import timedelta

import pytest

from eventsite.checkin.services import check_in
from eventsite.extensions import now_utc

from .. import factories


@pytest.mark.both_dbs
def test_one_check_in_per_door_and_the_earliest_scan_kept(app):
    with app.app_context():
        unit = factories.make_unit(name_zh="甲市", name_en="Unit A")
        event = factories.make_event()
        session = factories.make_session(event)
        _, delegate = factories.make_delegation(event, unit)
        seen = now_utc()

        first = check_in(delegate, by=None, scanned_at=seen, scan_id="device-1-scan")
        earlier = check_in(delegate, by=None, scanned_at=seen - timedelta(minutes=5), scan_id="device-2-scan")
        at_session = check_in(delegate, by=None, scanned_at=seen, session=session, scan_id="device-1-session")

        assert first.created and not earlier.created and at_session.created
        assert earlier.record.id == first.record.id
        assert earlier.record.scanned_at == seen - timedelta(minutes=5)
        assert at_session.record.session_id == session.id
