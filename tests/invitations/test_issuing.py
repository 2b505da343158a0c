"""Issuing invitations: one per unit per event, mailed through the outbox to each receiving
contact in their language with a personal link and the event's calendar file; never twice."""
from __future__ import annotations

import threading
from datetime import timedelta

import pytest
import sqlalchemy as sa

from eventsite.audit.models import AuditEntry
from eventsite.core.domain import DomainError
from eventsite.core.tokens import hash_token
from eventsite.events.models import Event
from eventsite.extensions import db, now_utc
from eventsite.invitations import notifications as mailing
from eventsite.invitations.models import Invitation, InvitationLink, InvitationRound
from eventsite.invitations.services import issuing
from eventsite.mail.models import OutboxMessage
from eventsite.mail.services import Content, fill, unknown_placeholders
from eventsite.mail.worker import send_pending
from eventsite.members.audience import Audience
from eventsite.members.models import MemberUnit

from .. import factories
from ..calendar.helpers import with_icalendar
from ..conftest import csrf_token
from .organizer_helpers import CONTENT, LINK, counts, directory


def _issue(ids, selection, key=None, content=CONTENT, **options):
    event = db.session.get(Event, ids["event"])
    user = db.session.get(factories.User, ids["organizer"])
    return issuing.issue(event, selection, content, user, submission_key=key, **options)


@pytest.mark.both_dbs
def test_issue_to_everyone_mails_each_contact_in_their_language(app, smtp_server):
    ids = directory(app)
    with app.app_context():
        round_ = _issue(ids, Audience(everyone=True), quotas={ids["beta"]: 7})
        invitations = {i.unit_id: i for i in db.session.scalars(sa.select(Invitation))}
        # Active units only; gamma is invited although nobody there can be mailed yet.
        assert set(invitations) == {ids["alpha"], ids["beta"], ids["gamma"]}
        assert round_.unit_count == 3
        assert invitations[ids["beta"]].quota == 7 and invitations[ids["alpha"]].quota == 3
        event = db.session.get(Event, ids["event"])
        assert all(i.expires_at == event.registration_closes_at for i in invitations.values())
        assert invitations[ids["gamma"]].links == []
        assert send_pending()["sent"] == 3
        links = {link.email: link for link in db.session.scalars(sa.select(InvitationLink))}
        actions = db.session.scalars(sa.select(AuditEntry.action)).all()
        assert actions.count("invitation.issue") == 3
    mails = {m.rcpt_tos[0]: m.message for m in smtp_server.received}
    assert set(mails) == {"mayor.a@example.org", "office.a@example.org", "mayor.b@example.org"}
    zh, en = mails["mayor.a@example.org"], mails["office.a@example.org"]
    assert zh["Subject"] == "邀请函：城市论坛" and en["Subject"] == "Invitation: Cities Forum"
    assert zh["Content-Language"].startswith("zh") and en["Content-Language"] == "en"
    assert "secretariat@eventsite.test" in zh["From"] and zh["Reply-To"] == "secretariat@eventsite.test"
    text = en.get_body(preferencelist=("plain",)).get_content()
    assert "Dear Anna Office 张" in text  # both names and "Alpha City is invited to Cities Forum with 3 seats" in text
    assert "Expo Centre" in text and "城市论坛" in text  # the bilingual event block
    assert "尊敬的王市长" in zh.get_body(preferencelist=("plain",)).get_content()
    beta_text = mails["mayor.b@example.org"].get_body(preferencelist=("plain",)).get_content()
    assert "with 7 seats" in beta_text
    for address, message in mails.items():
        body = message.get_body(preferencelist=("plain",)).get_content()
        event_id, token = LINK.search(body).groups()
        assert int(event_id) == ids["event"]
        assert links[address].token_hash == hash_token(token) and token not in str(links[address].__dict__)
        html = message.get_body(preferencelist=("html",)).get_content()
        assert token in html
        # The same calendar part as every mail carrying the event's file, in the reader's language.
        [ics] = [part for part in message.iter_attachments()
                 if part.get_filename() == f"event-{ids['event']}.ics"]
        assert ics.get_content_type() == "text/calendar"
        assert ics.get_param("charset") == "UTF-8" and ics.get_param("method") == "PUBLISH"
        cal, (seen,) = with_icalendar(ics.get_payload(decode=True))
        assert cal["METHOD"] == "PUBLISH"
        chinese = address == "mayor.a@example.org"
        assert seen.summary == ("城市论坛" if chinese else "Cities Forum")
        organizer = cal.walk("VEVENT")[0]["ORGANIZER"]
        assert organizer.params["CN"] == ("联盟秘书处" if chinese else "Alliance Secretariat")
        body = message.get_body(preferencelist=("plain",)).get_content()
        assert f"event-{ids['event']}.ics" in body


def test_only_one_language_written_falls_back(app, outbox):
    ids = directory(app)
    with app.app_context():
        _issue(ids, Audience(unit_ids=[ids["alpha"]]),
               content=Content(subject_en=CONTENT.subject_en, body_en=CONTENT.body_en))
        assert {m.language for m in outbox(kind="invitation")} == {"en"}


def test_selection_by_kind_province_tag_and_by_hand(app):
    ids = directory(app)
    with app.app_context():
        event = db.session.get(Event, ids["event"])

        def names(**criteria):
            plan = issuing.plan(event, Audience(**criteria))
            return sorted(p.unit.name_en for p in plan.to_invite)

        assert names(kinds=["county_city"]) == ["Alpha City"]
        assert names(provinces=["CN-GD"]) == ["Beta City"]
        assert names(tag_ids=[ids["tag"]]) == ["Alpha City"]
        assert names(unit_ids=[ids["beta"], ids["gone"]]) == ["Beta City"]  # inactive: never
        assert names(kinds=["town", "county_city"], provinces=["CN-SC"]) == ["Alpha City", "Gamma Town"]
        assert names() == []
        plan = issuing.plan(event, Audience(everyone=True))
        assert [p.unit.name_en for p in plan.no_address] == ["Gamma Town"]
        assert plan.counts() == {"selected": 3, "to_invite": 3, "already": 0, "no_address": 1,
                                 "recipients": 3}


@pytest.mark.both_dbs
def test_same_form_twice_issues_once_and_later_rounds_skip_invited_units(app, outbox):
    ids = directory(app)
    with app.app_context():
        first = _issue(ids, Audience(unit_ids=[ids["alpha"]]), key="k" * 20)
        again = _issue(ids, Audience(unit_ids=[ids["alpha"]]), key="k" * 20)
        assert again.id == first.id
        assert counts(Invitation, InvitationRound, OutboxMessage) == [1, 1, 2]
        # "Add units later": everyone now; alpha is skipped, not mailed again.
        later = _issue(ids, Audience(everyone=True), key="m" * 20)
        assert later.unit_count == 2
        assert counts(Invitation, OutboxMessage) == [3, 3]
        assert [m.to_addr for m in outbox()].count("mayor.a@example.org") == 1
        with pytest.raises(DomainError, match="already has an invitation"):
            _issue(ids, Audience(everyone=True), key="n" * 20)


@pytest.mark.both_dbs
def test_two_submissions_racing_invite_each_unit_once(app):
    ids = directory(app)
    barrier = threading.Barrier(2)
    outcomes = []

    def submit(key):
        with app.app_context():
            barrier.wait()
            try:
                outcomes.append(_issue(ids, Audience(everyone=True), key=key).unit_count)
            except DomainError as error:
                outcomes.append(error.message)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=submit, args=(k * 20,)) for k in "ab"]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    with app.app_context():
        assert counts(Invitation, InvitationRound) == [3, 1]
        assert counts(OutboxMessage) == [3]
    assert 3 in outcomes and len(outcomes) == 2


@pytest.mark.parametrize("content, message", [
    (Content(subject_en="Hi {unit}", body_en="Come {when}"), "Unknown placeholder {when}"),
    (Content(subject_en="Hi {unit.__class__}", body_en="x"), "Unknown placeholder"),
    (Content(subject_en="Only a subject"), "Write the message in English too"),
    (Content(), "at least one language"),
])
def test_bad_message_is_refused_and_nothing_changes(app, content, message):
    ids = directory(app)
    with app.app_context():
        with pytest.raises(DomainError, match=message.replace("{", r"\{").replace("}", r"\}")):
            _issue(ids, Audience(everyone=True), content=content)
        assert counts(Invitation, InvitationRound, OutboxMessage, AuditEntry) == [0, 0, 0, 0]


def test_placeholders_are_filled_without_format_strings():
    values = {"unit": "A", "event": "E"}
    assert fill("{unit} at { event } {0} {unit.x}", values) == "A at E {0} {unit.x}"
    assert unknown_placeholders("{unit} {link} {0} {}", mailing.PLACEHOLDERS) == ["{0}", "{}"]


@pytest.mark.parametrize("fields, message", [
    ({"status": "draft", "published_at": None}, "published event"),
    ({"status": "cancelled"}, "published event"),
])
def test_refused_for_unpublished_events(app, fields, message):
    ids = directory(app, **fields)
    with app.app_context():
        with pytest.raises(DomainError, match=message):
            _issue(ids, Audience(everyone=True))


def test_refused_once_registration_closed(app):
    ids = directory(app)
    with app.app_context():
        later = now_utc() + timedelta(days=11)
        with pytest.raises(DomainError, match="closed"):
            _issue(ids, Audience(everyone=True), now=later)
        with pytest.raises(DomainError, match="quota"):
            _issue(ids, Audience(everyone=True), quotas={ids["alpha"]: "0"})
        assert counts(Invitation) == [0]


@pytest.mark.both_dbs
def test_revoke_then_invite_again(app, outbox):
    ids = directory(app)
    with app.app_context():
        _issue(ids, Audience(unit_ids=[ids["beta"]]))
        invitation = db.session.scalar(sa.select(Invitation))
        old_hash = invitation.links[0].token_hash
        user = db.session.get(factories.User, ids["organizer"])
        issuing.revoke(invitation, user)
        assert invitation.state == "revoked" and invitation.revoked_by_id == user.id
        with pytest.raises(DomainError):
            issuing.resend(invitation, user)
        _issue(ids, Audience(unit_ids=[ids["beta"]]), quotas={ids["beta"]: 2})
        db.session.refresh(invitation)
        assert invitation.state == "pending" and invitation.revoked_at is None and invitation.quota == 2
        assert [link.token_hash for link in invitation.links] != [old_hash]
        assert len(invitation.links) == 1 and len(outbox()) == 2
        actions = db.session.scalars(sa.select(AuditEntry.action).order_by(AuditEntry.id)).all()
        assert actions == ["invitation.issue", "invitation.revoke", "invitation.issue"]


def test_resend_makes_new_links_and_keeps_old_ones(app, outbox):
    ids = directory(app)
    with app.app_context():
        _issue(ids, Audience(unit_ids=[ids["alpha"]]))
        invitation = db.session.scalar(sa.select(Invitation))
        user = db.session.get(factories.User, ids["organizer"])
        assert issuing.resend(invitation, user) == 2
        assert sorted(link.purpose for link in invitation.links) == ["issue", "issue", "resend", "resend"]
        assert len(outbox(kind="invitation")) == 4
        gamma_units = Audience(unit_ids=[ids["gamma"]])
        _issue(ids, gamma_units)
        gamma = db.session.scalar(sa.select(Invitation).filter_by(unit_id=ids["gamma"]))
        with pytest.raises(DomainError, match="no contact"):
            issuing.resend(gamma, user)


# --- pages -----------------------------------------------------------------------------------


def _form(token, **fields):
    data = {"csrf_token": token, "subject_en": CONTENT.subject_en, "body_en": CONTENT.body_en,
            "subject_zh": CONTENT.subject_zh, "body_zh": CONTENT.body_zh}
    data.update(fields)
    return data


def test_new_page_prefills_the_default_message(app, organizer_client):
    ids = directory(app)
    page = organizer_client.get(f"/organizer/events/{ids['event']}/invitations/new").get_data(as_text=True)
    assert "Invitation: {event}" in page and "邀请函：{event}" in page and "{deadline}" in page
    assert "js/invitation_count.js" in page and 'name="submission_key"' in page
    assert page.count('rows="12"') == 2  # the message boxes are taller here than on /messages/new


def test_live_count(app, organizer_client):
    ids = directory(app)
    url = f"/organizer/events/{ids['event']}/invitations/count"
    assert organizer_client.get(url).get_json()["selected"] == 0
    assert organizer_client.get(url + "?everyone=y").get_json() == {
        "selected": 3, "to_invite": 3, "already": 0, "no_address": 1, "recipients": 3}
    assert organizer_client.get(url + "?kinds=town&kinds=bogus&units=x&tags=99999999999").get_json()[
        "selected"] == 1


def test_preview_flags_units_without_address_and_shows_the_mail(app, organizer_client):
    ids = directory(app)
    url = f"/organizer/events/{ids['event']}/invitations/new"
    token = csrf_token(organizer_client, url)
    response = organizer_client.post(url, data=_form(token, everyone="y", preview="Preview",
                                                     preview_unit=str(ids["beta"])))
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "3 selected: 3 to invite, 0 already invited (skipped), 1 without an address." in page
    assert "Gamma Town" in page and f"/directory/{ids['gamma']}" in page
    assert 'name="quota-%d" value="3"' % ids["beta"] in page
    assert "Dear Bob Mayor 张" in page and "尊敬的Bob Mayor 张" in page  # both languages, both names
    with app.app_context():
        assert counts(Invitation, OutboxMessage, InvitationRound) == [0, 0, 0]


def test_preview_reports_an_unknown_placeholder(app, organizer_client):
    ids = directory(app)
    url = f"/organizer/events/{ids['event']}/invitations/new"
    token = csrf_token(organizer_client, url)
    page = organizer_client.post(url, data=_form(token, everyone="y", body_en="See {venue}",
                                                 issue="Issue")).get_data(as_text=True)
    assert "Unknown placeholder {venue}" in page
    with app.app_context():
        assert counts(Invitation) == [0]


@pytest.mark.both_dbs
def test_issue_from_the_page_twice_issues_once(app, organizer_client):
    ids = directory(app)
    url = f"/organizer/events/{ids['event']}/invitations/new"
    token = csrf_token(organizer_client, url)
    data = _form(token, everyone="y", issue="Issue", submission_key="s" * 24,
                 **{f"quota-{ids['alpha']}": "4"})
    first = organizer_client.post(url, data=data)
    second = organizer_client.post(url, data=data)
    assert first.status_code == second.status_code == 302
    assert first.headers["Location"].endswith(f"/organizer/events/{ids['event']}/invitations")
    with app.app_context():
        assert counts(Invitation, InvitationRound) == [3, 1]
        alpha = db.session.scalar(sa.select(Invitation).filter_by(unit_id=ids["alpha"]))
        assert alpha.quota == 4 and alpha.issued_by_id == organizer_client.user_id


def test_bad_quota_on_the_page_changes_nothing(app, organizer_client):
    ids = directory(app)
    url = f"/organizer/events/{ids['event']}/invitations/new"
    token = csrf_token(organizer_client, url)
    page = organizer_client.post(url, data=_form(token, everyone="y", issue="Issue",
                                                 **{f"quota-{ids['alpha']}": "-2"})).get_data(as_text=True)
    assert "Each quota is a whole number" in page
    with app.app_context():
        assert counts(Invitation) == [0]


@pytest.mark.parametrize("path", ["new", "count", "remind", ""])
def test_only_staff(app, liaison_client, client, path):
    ids = directory(app)
    url = f"/organizer/events/{ids['event']}/invitations" + (f"/{path}" if path else "")
    assert liaison_client.get(url).status_code == 403
    assert client.get(url).status_code in (302, 401)
    token = csrf_token(liaison_client, "/account")
    assert liaison_client.post(f"/organizer/events/{ids['event']}/invitations/new",
                               data=_form(token, everyone="y", issue="Issue")).status_code == 403
    with app.app_context():
        assert counts(Invitation) == [0]


def test_unknown_event_or_foreign_invitation_is_404(app, organizer_client):
    ids = directory(app)
    with app.app_context():
        other = factories.make_event()
        unit = db.session.get(MemberUnit, ids["alpha"])
        invitation, _raw = factories.make_invitation(other, unit)
        db.session.commit()
        other_invitation = invitation.id
    token = csrf_token(organizer_client, f"/organizer/events/{ids['event']}/invitations/new")
    assert organizer_client.get("/organizer/events/99999/invitations").status_code == 404
    assert organizer_client.get("/organizer/events/99999999999/invitations/new").status_code == 404
    response = organizer_client.post(
        f"/organizer/events/{ids['event']}/invitations/{other_invitation}/revoke",
        data={"csrf_token": token})
    assert response.status_code == 404
