"""Hypothesis fuzzing of the liaison's registration form (the shared fuzzer only reaches it as
staff, who are refused): never a server error, and a refused form changes nothing."""
from __future__ import annotations

import pytest

from eventsite.extensions import db

from ..factories import make_event, make_session
from ..security.test_fuzz_forms import _forms_on, fuzz_route


@pytest.mark.both_dbs
def test_registration_form_as_liaison(app, liaison_client):
    with app.app_context():
        event = make_event(capacity=3, default_quota=2)
        make_session(event, delegates_choose=True, capacity=1)
        db.session.commit()
        event_id = event.id
    for url in (f"/events/{event_id}/delegation", f"/events/{event_id}/delegation/withdraw"):
        page = liaison_client.get(f"/events/{event_id}/delegation").get_data(as_text=True)
        form = next(((fields, files, shown) for action, fields, files, shown in _forms_on(page)
                     if (action or f"/events/{event_id}/delegation") == url), None)
        endpoint = "delegations.withdraw" if url.endswith("withdraw") else "delegations.register"
        fuzz_route(app, liaison_client, endpoint, url, form)
