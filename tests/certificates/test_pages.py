"""The certificate pages: the organizer's (counts, the rule messages, issue, download, revoke),
the delegate's download through their personal link (another person's link finds nothing) and the
public verification page (valid, revoked, unknown; both languages; nothing beyond the certificate)."""
from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa
from bs4 import BeautifulSoup

from eventsite.accounts.models import User
from eventsite.certificates.models import Certificate
from eventsite.core.tokens import new_token
from eventsite.delegations.models import Delegate
from eventsite.extensions import db, now_utc

from ..conftest import csrf_token
from .helpers import ended_event


@pytest.fixture
def world(app, login):
    with app.app_context():
        event, came, away, organizer = ended_event(checked=2, absent=1)
        ids = {"event": event.id, "came": [p.id for p in came], "away": [p.id for p in away],
               "organizer": organizer.id}
    client = app.test_client()
    with app.app_context():
        login(client, db.session.get(User, ids["organizer"]))
    return ids, client


def page(ids) -> str:
    return f"/organizer/events/{ids['event']}/certificates"


def issue(client, ids):
    return client.post(page(ids) + "/issue", data={"csrf_token": csrf_token(client, page(ids))})


def all_certificates(app) -> list[Certificate]:
    with app.app_context():
        found = list(db.session.scalars(sa.select(Certificate).order_by(Certificate.sequence)))
        db.session.expunge_all()
        return found


def personal_token(app, delegate_id: int) -> str:
    with app.app_context():
        raw, db.session.get(Delegate, delegate_id).token_hash = new_token()
        db.session.commit()
    return raw


def test_organizer_page_counts_issues_and_lists(app, world, outbox):
    ids, client = world
    html = client.get(page(ids)).get_data(as_text=True)
    soup = BeautifulSoup(html, "html.parser")
    assert soup.select_one("#count-checked-in").text == "2"
    assert soup.select_one("#count-to-issue").text == "2"
    assert soup.select_one("#issue-form")

    response = issue(client, ids)
    assert response.status_code == 302
    made = all_certificates(app)
    assert len(made) == 2
    soup = BeautifulSoup(client.get(page(ids)).get_data(as_text=True), "html.parser")
    assert soup.select_one("#count-issued").text == "2" and soup.select_one("#count-to-issue").text == "0"
    assert soup.select_one("#issue-done") and not soup.select_one("#issue-form")
    assert made[0].number in soup.text

    pdf = client.get(f"{page(ids)}/{made[0].id}.pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    assert "no-store" in pdf.headers["Cache-Control"]

    assert issue(client, ids).status_code == 302  # a second press: nothing new
    assert len(all_certificates(app)) == 2
    with app.app_context():
        from eventsite.certificates.jobs import mail_new_certificates

        assert outbox(kind="certificate") == []  # the worker mails them (jobs.py)
        assert mail_new_certificates() == 2 and len(outbox(kind="certificate")) == 2

    revoke = client.post(f"{page(ids)}/{made[0].id}/revoke", data={"csrf_token": csrf_token(client, page(ids))})
    assert revoke.status_code == 302
    assert all_certificates(app)[0].revoked_at is not None


def test_the_rule_messages_before_the_end_and_with_nobody_checked_in(app, world, login):
    ids, client = world
    with app.app_context():
        from eventsite.events.models import Event

        db.session.get(Event, ids["event"]).ends_at = now_utc() + timedelta(hours=2)
        db.session.commit()
    soup = BeautifulSoup(client.get(page(ids)).get_data(as_text=True), "html.parser")
    assert "has not ended yet" in soup.select_one("#issue-blocked").text
    issue(client, ids)
    assert all_certificates(app) == []
    follow = client.get(page(ids)).get_data(as_text=True)
    assert "has not ended yet" in follow

    with app.app_context():
        event, *_ = ended_event(checked=0, absent=1)
        empty = {"event": event.id}
    soup = BeautifulSoup(client.get(page(empty)).get_data(as_text=True), "html.parser")
    assert "Nobody was checked in" in soup.select_one("#issue-blocked").text
    response = issue(client, empty)
    assert response.status_code == 302 and all_certificates(app) == []


def test_a_certificate_of_another_event_is_not_found(app, world):
    ids, client = world
    issue(client, ids)
    (first, _second) = all_certificates(app)
    with app.app_context():
        other, *_ = ended_event(checked=0)
        other_id = other.id
    assert client.get(f"/organizer/events/{other_id}/certificates/{first.id}.pdf").status_code == 404


def test_delegate_downloads_their_own_certificate_from_the_personal_page(app, world):
    ids, client = world
    issue(client, ids)
    mine = personal_token(app, ids["came"][0])
    absent = personal_token(app, ids["away"][0])
    visitor = app.test_client()
    base = f"/events/{ids['event']}/delegate"

    personal = BeautifulSoup(visitor.get(f"{base}/{mine}").get_data(as_text=True), "html.parser")
    link = personal.select_one("#delegate-certificate a")
    assert link["href"] == f"{base}/{mine}/certificate.pdf"
    response = visitor.get(link["href"])
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert "no-store" in response.headers["Cache-Control"]

    # Someone absent has no certificate; a made-up link, or the link under another event, finds nothing.
    assert not BeautifulSoup(visitor.get(f"{base}/{absent}").get_data(as_text=True),
                             "html.parser").select_one("#delegate-certificate")
    assert visitor.get(f"{base}/{absent}/certificate.pdf").status_code == 404
    assert visitor.get(f"{base}/{'x' * 43}/certificate.pdf").status_code == 404
    assert visitor.get(f"/events/{ids['event'] + 1}/delegate/{mine}/certificate.pdf").status_code == 404

    with app.app_context():
        db.session.get(Certificate, all_certificates(app)[0].id).revoked_at = now_utc()
        db.session.commit()
    assert visitor.get(f"{base}/{mine}/certificate.pdf").status_code == 404


def test_verification_page_valid_revoked_and_unknown(app, world):
    ids, client = world
    issue(client, ids)
    with app.app_context():
        certificate = db.session.scalar(sa.select(Certificate).where(Certificate.delegate_id == ids["came"][0]))
        token, number = certificate.token, certificate.number
        person = certificate.delegate
        names = (person.name_zh, person.family_name.upper())
        email = person.email
        event_title = certificate.event.title_zh
    visitor = app.test_client()

    response = visitor.get(f"/certificates/verify/{token}")
    assert response.status_code == 200
    assert response.headers["X-Robots-Tag"] == "noindex, nofollow"
    assert "no-store" in response.headers["Cache-Control"]
    soup = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    zh, en = soup.select_one("#status-zh").text, soup.select_one("#status-en").text
    assert "真实有效" in zh and "genuine and valid" in en
    text = soup.text
    assert number in text and all(name in text for name in names) and event_title in text
    assert "甲市友协" in text and "City A Friendship Association" in text
    assert email not in text  # nothing beyond what the certificate prints

    client.post(f"{page(ids)}/{certificate.id}/revoke", data={"csrf_token": csrf_token(client, page(ids))})
    soup = BeautifulSoup(visitor.get(f"/certificates/verify/{token}").get_data(as_text=True), "html.parser")
    assert "撤销" in soup.select_one("#status-zh").text and "revoked" in soup.select_one("#status-en").text

    for bad in ("x" * 43, "short", "y" * 500):
        unknown = visitor.get(f"/certificates/verify/{bad}")
        assert unknown.status_code == 404
        body = unknown.get_data(as_text=True)
        assert "No such certificate" in body and "没有这份证书" in body
