"""Letters: placeholders checked on save, masking, guessed verification addresses, who may
download, revoking, the delegate's own download, erasure and reference numbers under concurrency."""
from __future__ import annotations

import threading
from datetime import timedelta

import pytest

from eventsite.core.domain import DomainError
from eventsite.delegations.models import Delegate
from eventsite.extensions import db, now_utc
from eventsite.letters import queries, rules, services
from eventsite.letters.models import Letter, LetterSettings

from .. import factories
from ..conftest import csrf_token
from .test_flow import request_and_issue, world  # noqa: F401  (the fixture)


def test_placeholders_are_checked():
    rules.check_template("Dear {unit}, welcome to {event} on {dates}. {{literal}}", "body_en")
    with pytest.raises(DomainError) as error:
        rules.check_template("Hello {unit} {visa_type}", "body_en")
    assert "{visa_type}" in error.value.message and error.value.field == "body_en"
    for sneaky in ("{event:>999999999}", "{event!r}", "{event.__class__}", "{event[0]}"):
        with pytest.raises(DomainError):
            rules.check_template(sneaky, "body_en")
    with pytest.raises(DomainError) as error:
        rules.check_template("A lonely { brace", "body_zh")
    assert error.value.field == "body_zh"


def test_settings_page_shows_every_unknown_placeholder_and_previews(app, world):  # noqa: F811
    ids, _liaison, organizer = world
    page = f"/organizer/events/{ids['event']}/letters/settings"
    html = organizer.get(page).get_data(as_text=True)
    assert "{unit}" in html and "秘书处" in html  # the default texts, both languages
    token = csrf_token(organizer, page)
    response = organizer.post(page, data={"csrf_token": token, "mode": "person", "body_en": "Hi {nobody}",
                                          "body_zh": "你好 {nothing}", "save": "1"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "{nobody}" in html and "{nothing}" in html
    with app.app_context():
        assert db.session.get(LetterSettings, ids["event"]) is None
    response = organizer.post(page, data={"csrf_token": token, "mode": "person", "body_en": "Welcome to {event}.",
                                          "body_zh": "欢迎参加{event}。", "preview": "1"})
    assert "Welcome to Silk Road Mayors Forum." in response.get_data(as_text=True)
    response = organizer.post(page, data={"csrf_token": token, "mode": "person", "body_en": "Welcome to {event}.",
                                          "body_zh": "欢迎参加{event}。", "preview_pdf": "1"})
    assert response.mimetype == "application/pdf" and response.data.startswith(b"%PDF")
    organizer.post(page, data={"csrf_token": token, "mode": "person", "body_en": "Welcome to {event}.",
                               "body_zh": "欢迎参加{event}。", "save": "1"})
    with app.app_context():
        saved = db.session.get(LetterSettings, ids["event"])
        assert (saved.mode, saved.body_zh) == ("person", "欢迎参加{event}。")


def test_a_guessed_token_or_the_reference_finds_nothing(app, world, outbox):  # noqa: F811
    letter = request_and_issue(app, world, outbox)
    client = app.test_client()
    for guess in ("x" * 43, letter.reference, letter.token_hash, "a" * 200):
        response = client.get(f"/letters/verify/{guess}")
        assert response.status_code == 404
        html = response.get_data(as_text=True)
        assert "No such letter" in html and "查无此函" in html and "This letter is valid" not in html


def test_only_the_own_unit_and_staff_download(app, world, outbox, login):  # noqa: F811
    ids, liaison, organizer = world
    letter = request_and_issue(app, world, outbox)
    own = liaison.get(f"/events/{ids['event']}/delegation/letters/{letter.id}.pdf")
    assert own.status_code == 200 and own.mimetype == "application/pdf"
    assert "no-store" in own.headers["Cache-Control"]
    assert organizer.get(f"/organizer/events/{ids['event']}/letters/{letter.id}.pdf").status_code == 200
    with app.app_context():
        other = factories.make_unit(name_en="Other")
        factories.make_delegation(db.session.get(Letter, letter.id).event, other)
        stranger = factories.make_user("liaison", unit=other)
        db.session.commit()
        stranger_client = login(app.test_client(), stranger)
    assert stranger_client.get(f"/events/{ids['event']}/delegation/letters/{letter.id}.pdf").status_code == 404
    assert stranger_client.get(f"/organizer/events/{ids['event']}/letters/{letter.id}.pdf").status_code == 403
    anonymous = app.test_client().get(f"/events/{ids['event']}/delegation/letters/{letter.id}.pdf")
    assert anonymous.status_code == 302 and "/login" in anonymous.headers["Location"]


def test_a_delegate_downloads_their_letter_from_the_personal_link(app, world, outbox):  # noqa: F811
    from eventsite.core.tokens import new_token

    ids, _liaison, _organizer = world
    letter = request_and_issue(app, world, outbox)
    with app.app_context():
        named, unnamed = (db.session.get(Delegate, i) for i in (ids["people"][0], ids["people"][3]))
        raw_named, named.token_hash = new_token()
        raw_unnamed, unnamed.token_hash = new_token()
        db.session.commit()
    client = app.test_client()
    base = f"/events/{ids['event']}/delegate"
    response = client.get(f"{base}/{raw_named}/letters/{letter.id}.pdf")
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
    assert client.get(f"{base}/{raw_unnamed}/letters/{letter.id}.pdf").status_code == 404
    assert client.get(f"{base}/{'x' * 43}/letters/{letter.id}.pdf").status_code == 404


def test_revoke_needs_a_reason_and_the_page_says_revoked(app, world, outbox):  # noqa: F811
    ids, _liaison, organizer = world
    letter = request_and_issue(app, world, outbox)
    with app.app_context():
        stored = db.session.get(Letter, letter.id)
        with pytest.raises(DomainError):
            services.revoke(stored, "  ")
        db.session.rollback()
        services.revoke(db.session.get(Letter, letter.id), "Delegate withdrew")
        raw = db.session.get(Letter, letter.id).token
        assert queries.delegate_letters(ids["people"][0]) == []
    html = app.test_client().get(f"/letters/verify/{raw}").get_data(as_text=True)
    assert "This letter was revoked" in html and "此函已被撤销" in html


def test_erasure_keeps_reference_and_status_and_drops_the_snapshot(app, world, outbox):  # noqa: F811
    from eventsite.privacy.erasure import erase_event

    ids, _liaison, _organizer = world
    letter = request_and_issue(app, world, outbox)
    with app.app_context():
        event = db.session.get(Letter, letter.id).event
        event.starts_at, event.ends_at = now_utc() - timedelta(days=3), now_utc() - timedelta(days=2)
        db.session.commit()
        erase_event(event)
        stored = db.session.get(Letter, letter.id)
        assert (stored.reference, stored.status, stored.snapshot) == (letter.reference, "valid", "")
        assert stored.snapshot_erased_at is not None
        raw = stored.token
    html = app.test_client().get(f"/letters/verify/{raw}").get_data(as_text=True)
    assert letter.reference in html and "were erased" in html and "LI ONE" not in html and "E1****678" not in html


@pytest.mark.both_dbs
def test_concurrent_issues_never_share_a_number(app):
    with app.app_context():
        event_id = factories.make_event().id
        db.session.commit()
    barrier, got, errors = threading.Barrier(4), [], []

    def take():
        with app.app_context():
            try:
                barrier.wait()
                got.append(services.next_sequence(event_id))
                db.session.commit()
            except Exception as error:  # reported below
                errors.append(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=take) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert not errors and sorted(got) == [1, 2, 3, 4]
    with app.app_context():
        assert db.session.get(LetterSettings, event_id).last_sequence == 4


@pytest.mark.both_dbs
def test_two_organizers_issuing_the_same_requests_make_one_letter(app, world, outbox):  # noqa: F811
    ids, liaison, _organizer = world
    page = f"/events/{ids['event']}/delegation/letters"
    liaison.post(page, data={"csrf_token": csrf_token(liaison, page), "people": ids["people"][:2]})
    with app.app_context():
        request_ids = list(db.session.scalars(db.select(services.LetterRequest.id)))
    barrier, outcomes = threading.Barrier(2), []

    def press():
        with app.app_context():
            try:
                from eventsite.events.models import Event

                event = db.session.get(Event, ids["event"])
                barrier.wait()
                outcomes.append(len(services.issue(event, request_ids)))
            except DomainError:
                db.session.rollback()
                outcomes.append("refused")
            finally:
                db.session.remove()

    threads = [threading.Thread(target=press) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sorted(map(str, outcomes)) == ["1", "refused"]
    with app.app_context():
        assert len(db.session.scalars(db.select(Letter)).all()) == 1
