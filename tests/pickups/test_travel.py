"""Structured travel: the flight or train number is checked and upper-cased, the airport or
station is free text; migration 0011 keeps old free text (a valid number stays, anything else
becomes the place) and its downgrade joins them again."""
from __future__ import annotations

import pytest
import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from eventsite.core.domain import DomainError
from eventsite.delegations.rules import clean_person
from eventsite.extensions import db

from ..factories import make_delegation, make_event, make_unit


def test_the_number_is_upper_case_and_plain(app_ctx):
    event = make_event(delegate_details="travel")
    cleaned = clean_person(event, {"family_name": "Li", "arrival_details": " ca   933 ",
                                   "departure_details": "g-101", "arrival_place": "Pudong T2"})
    assert (cleaned["arrival_details"], cleaned["departure_details"], cleaned["arrival_place"]) == (
        "CA 933", "G-101", "Pudong T2")
    with pytest.raises(DomainError) as caught:
        clean_person(event, {"family_name": "Li", "arrival_details": "CA 931 to Frankfurt, then ICE",
                             "departure_details": "CA/933"})
    assert set(caught.value.problems) == {"arrival_details", "departure_details"}


@pytest.mark.both_dbs
def test_migration_keeps_old_free_text(app_factory):
    app = app_factory(create_tables=False)
    with app.app_context():
        upgrade()
        event = make_event()
        _delegation, head = make_delegation(event, make_unit(), people=2)
        ids = [d.id for d in _delegation.delegates]
        db.session.commit()
        db.session.remove()
        downgrade(revision="5c1f0e7a9b22")
        long_text = "LH 721 to Frankfurt, then ICE 122"
        with db.engine.begin() as conn:
            conn.execute(sa.text("UPDATE delegate SET arrival_details = :a, departure_details = :d WHERE id = :i"),
                         {"a": "ca  933", "d": long_text, "i": ids[0]})
            conn.execute(sa.text("UPDATE delegate SET arrival_details = :a WHERE id = :i"),
                         {"a": "Thalys 9425 / Midi", "i": ids[1]})
        upgrade()
        with db.engine.connect() as conn:
            rows = conn.execute(sa.text(
                "SELECT arrival_details, arrival_place, departure_details, departure_place FROM delegate "
                "ORDER BY id")).all()
        assert [tuple(r) for r in rows] == [("CA 933", "", "", long_text), ("", "Thalys 9425 / Midi", "", "")]
        downgrade(revision="5c1f0e7a9b22")
        with db.engine.connect() as conn:
            assert conn.execute(sa.text("SELECT departure_details FROM delegate WHERE id = :i"),
                                {"i": ids[0]}).scalar() == long_text
        upgrade()
