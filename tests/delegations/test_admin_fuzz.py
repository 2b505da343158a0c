"""Hypothesis fuzzing of the organizer's delegation forms and the delegate's personal page, with
real records behind them (the security suite's world has no personal link): never a server
error, and a refused form changes nothing."""
from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from flask import url_for

from eventsite.delegations import notifications as lifecycle
from eventsite.extensions import db

from .. import factories
from ..security.test_fuzz_forms import _forms_on, fuzz_route
from .admin_seed import register

pytestmark = pytest.mark.both_dbs


def world(app):
    with app.app_context():
        event = factories.make_event(capacity=1, approval_required=False)
        factories.make_session(event, delegates_choose=True)
        first = register(event, factories.make_unit(), [{"family_name": "Wang", "email": "w@example.org"},
                                                        {"family_name": "Li"}])
        raw, _url = lifecycle.issue_link(first.delegates[0])
        db.session.commit()
        return {"event_id": event.id, "delegation_id": first.id, "delegate_id": first.delegates[1].id,
                "token": raw}


def _form(client, page_url, action):
    forms = _forms_on(client.get(page_url).get_data(as_text=True))
    return next(((f, files, shown) for path, f, files, shown in forms
                 if path in ("", urlsplit(action).path)), None)


def test_organizer_forms(app, organizer_client):
    ids = world(app)
    with app.test_request_context():
        detail = url_for("delegation_admin.detail", event_id=ids["event_id"], delegation_id=ids["delegation_id"])
        routes = [(e, url_for(e, **{k: ids[k] for k in next(app.url_map.iter_rules(e)).arguments}))
                  for e in ("delegation_admin.edit_delegate", "delegation_admin.promote",
                            "delegation_admin.send_link", "delegation_admin.approve",
                            "delegation_admin.reject", "delegation_admin.remove",
                            "delegation_admin.withdraw")]
    for endpoint, action in routes:
        page = action if endpoint.endswith("edit_delegate") else detail
        fuzz_route(app, organizer_client, endpoint, action, _form(organizer_client, page, action))


def test_personal_page_forms(app, client):
    ids = world(app)
    with app.test_request_context():
        page = url_for("delegate.personal", event_id=ids["event_id"], token=ids["token"])
        decline = url_for("delegate.decline", event_id=ids["event_id"], token=ids["token"])
    fuzz_route(app, client, "delegate.personal", page, _form(client, page, page))
    fuzz_route(app, client, "delegate.decline", decline, _form(client, page, decline))
