"""The row the script copies to add a person carries the same field names as the server's rows
(people-<n>-<field>): an added person must reach the server. (A prefix without the trailing "-"
once dropped every person added with JavaScript.)"""
from __future__ import annotations

import re

from bs4 import BeautifulSoup

from eventsite.extensions import db

from .. import factories


def test_the_add_person_template_names_fields_like_the_server_rows(app, client, login):
    with app.app_context():
        event = factories.make_event()
        unit = factories.make_unit()
        login(client, factories.make_user("liaison", unit=unit))
        db.session.commit()
        event_id = event.id
    soup = BeautifulSoup(client.get(f"/events/{event_id}/delegation").data, "html.parser")
    template = soup.find("template", id="person-template")
    names = {field["name"] for field in BeautifulSoup(template.decode_contents(), "html.parser")
             .find_all(["input", "select", "textarea"]) if field.get("name")}
    rows = {field["name"] for field in soup.select(".js-person [name]")}
    assert names and all(re.fullmatch(r"people-__i__-\w+", name) for name in names), names
    shape = {re.sub(r"^people-\d+-", "people-__i__-", name) for name in rows}
    assert names <= shape | {n for n in names if n.endswith("-id")}, names - shape
