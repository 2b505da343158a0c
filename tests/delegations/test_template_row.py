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


def test_each_persons_summary_follows_the_pages_language(app, client, login):
    """The person sections come from a macro imported with the page's context: a Chinese page
    names a person 胡超 Chao HU (Chinese first), an English one Chao HU 胡超."""
    from .admin_seed import register

    with app.app_context():
        event = factories.make_event()
        unit = factories.make_unit()
        register(event, unit, [{"family_name": "Hu", "given_name": "Chao", "name_zh": "胡超",
                                "email": "hu@example.org", "language": "zh"}])
        liaison = factories.make_user("liaison", unit=unit, locale="zh")
        db.session.commit()
        event_id, liaison_id = event.id, liaison.id
    login(client, liaison)
    for language, shown in (("zh", "胡超 Chao HU"), ("en", "Chao HU 胡超")):
        with app.app_context():
            db.session.get(factories.User, liaison_id).locale = language
            db.session.commit()
        soup = BeautifulSoup(client.get(f"/events/{event_id}/delegation").data, "html.parser")
        name = soup.select_one(".js-person .js-person-name").get_text(" ", strip=True)
        assert name == f"· {shown}", (language, name)
