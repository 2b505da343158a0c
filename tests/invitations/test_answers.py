"""Answering an invitation: decline with a reason, accept as the unit's liaison, set up the unit's
first liaison account from the link. Every answer is audited; refused answers change nothing."""
from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlsplit

import pytest
import sqlalchemy as sa

from eventsite.accounts.models import User
from eventsite.audit.models import AuditEntry
from eventsite.core.domain import DomainError
from eventsite.delegations.models import Delegation
from eventsite.extensions import db
from eventsite.invitations.models import Invitation
from eventsite.invitations.services import answers

from .. import factories
from ..accounts.helpers import link_from, post_login
from ..conftest import csrf_token
from .answer_helpers import actions, invitation, invite, snapshot

PASSWORD = "a fine long password"


def _liaison(app, unit_id, **fields):
    with app.app_context():
        user = factories.make_user("liaison", unit=db.session.get(factories.MemberUnit, unit_id), **fields)
        db.session.commit()
        return user.id, user.email


def _as(app, login, user_id):
    client = app.test_client()
    with app.app_context():
        login(client, db.session.get(User, user_id))
    return client


# --- declining --------------------------------------------------------------------------------


@pytest.mark.both_dbs
def test_link_holder_declines_with_a_reason(app, client):
    invited = invite(app)
    token = csrf_token(client, invited.url)
    response = client.post(invited.url + "/decline", data={"csrf_token": token,
                                                           "reason": "Our mayor is abroad.\nSorry."})
    assert response.status_code == 302 and response.headers["Location"].endswith(invited.url)
    answer = invitation(app, invited.invitation_id)
    assert answer.state == "declined" and answer.decline_reason == "Our mayor is abroad.\nSorry."
    assert answer.responded_at is not None and answer.responded_by_id is None
    assert invited.contact_email in answer.responded_by_label and "Li Wei" in answer.responded_by_label
    with app.app_context():
        entry = db.session.scalar(sa.select(AuditEntry).filter_by(action="invitation.decline"))
        assert entry.target_id == invited.invitation_id and entry.details["reason"].startswith("Our mayor")
        assert entry.actor_id is None and invited.contact_email in entry.details["by"]
    html = client.get(invited.url).get_data(as_text=True)
    assert "Our mayor is abroad." in html and 'data-status="declined"' in html
    # Changed their mind: accepting needs the unit's liaison, offered through the setup form.
    assert "Changed your mind?" in html and "setup-form" in html and "decline-form" not in html


@pytest.mark.both_dbs
@pytest.mark.parametrize("reason", ["x" * 2001, "a\x00b"])
def test_bad_reason_is_refused_and_changes_nothing(app, client, reason):
    invited = invite(app)
    token = csrf_token(client, invited.url)
    before = snapshot(app)
    response = client.post(invited.url + "/decline", data={"csrf_token": token, "reason": reason})
    assert response.status_code == 200
    assert "is-invalid" in response.get_data(as_text=True)
    assert snapshot(app) == before


def test_decline_without_csrf_is_refused(app, client):
    invited = invite(app)
    before = snapshot(app)
    assert client.post(invited.url + "/decline", data={"reason": "x"}).status_code == 400
    assert snapshot(app) == before


@pytest.mark.both_dbs
def test_a_registered_unit_cannot_decline_here(app, client):
    invited = invite(app)
    with app.app_context():
        db.session.add(Delegation(event_id=invited.event_id, unit_id=invited.unit_id,
                                  invitation_id=invited.invitation_id, status="confirmed"))
        db.session.execute(sa.update(Invitation).values(state="accepted"))
        db.session.commit()
    before = snapshot(app)
    html = client.get(invited.url).get_data(as_text=True)
    assert "decline-form" not in html and 'data-status="registered"' in html
    client.post(invited.url + "/decline", data={"csrf_token": csrf_token(client, "/"), "reason": ""})
    assert snapshot(app) == before


# --- accepting --------------------------------------------------------------------------------


@pytest.mark.both_dbs
def test_the_units_liaison_accepts_and_goes_on_to_register(app, login):
    invited = invite(app)
    user_id, email = _liaison(app, invited.unit_id)
    liaison = _as(app, login, user_id)
    html = liaison.get(invited.url).get_data(as_text=True)
    assert "accept-form" in html and "setup-form" not in html
    response = liaison.post(invited.url + "/accept", data={"csrf_token": csrf_token(liaison, invited.url)})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/events/{invited.event_id}/delegation")
    answer = invitation(app, invited.invitation_id)
    assert answer.state == "accepted" and answer.responded_by_id == user_id and answer.responded_by_label == email
    assert actions(app) == ["invitation.accept"]
    # Accepting again (double click) changes nothing and still leads on.
    response = liaison.post(invited.url + "/accept", data={"csrf_token": csrf_token(liaison, "/account")})
    assert response.headers["Location"].endswith(f"/events/{invited.event_id}/delegation")
    assert actions(app) == ["invitation.accept"]
    html = liaison.get(invited.url).get_data(as_text=True)
    assert "Register your delegation" in html and "decline-form" in html


def test_anonymous_accept_goes_to_the_login_and_back(app, client):
    invited = invite(app)
    _user_id, email = _liaison(app, invited.unit_id)
    html = client.get(invited.url).get_data(as_text=True)
    # The unit has an account: no setup form, a login link that comes back here.
    assert "setup-form" not in html and "login-to-accept" in html
    response = client.post(invited.url + "/accept", data={"csrf_token": csrf_token(client, "/")})
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert invitation(app, invited.invitation_id).state == "pending"
    response = post_login(client, email, next_url=invited.url)
    assert response.headers["Location"].endswith(invited.url)
    assert "accept-form" in client.get(invited.url).get_data(as_text=True)


@pytest.mark.both_dbs
def test_declined_then_accepted_before_the_deadline(app, login):
    invited = invite(app)
    user_id, _email = _liaison(app, invited.unit_id)
    liaison = _as(app, login, user_id)
    token = csrf_token(liaison, "/account")
    liaison.post(invited.url + "/decline", data={"csrf_token": token, "reason": "Budget"})
    assert invitation(app, invited.invitation_id).state == "declined"
    liaison.post(invited.url + "/accept", data={"csrf_token": token})
    answer = invitation(app, invited.invitation_id)
    assert answer.state == "accepted" and answer.decline_reason == ""
    assert actions(app) == ["invitation.decline", "invitation.accept"]


@pytest.mark.both_dbs
def test_no_answer_after_the_deadline_or_a_revocation(app):
    invited = invite(app)
    _liaison(app, invited.unit_id)
    with app.app_context():
        item = db.session.get(Invitation, invited.invitation_id)
        user = db.session.scalar(sa.select(User).filter_by(unit_id=invited.unit_id))
        later = item.expires_at + timedelta(seconds=1)
        with pytest.raises(DomainError):
            answers.accept(item, user, now=later)
        with pytest.raises(DomainError):
            answers.decline(item, "late", user=user, now=later)
        # Revoked by an organizer after this page was loaded: the answer does not revive it.
        db.session.commit()
        item = db.session.get(Invitation, invited.invitation_id)
        assert item.state == "pending"  # the copy the request holds
        with db.engine.begin() as other_connection:
            other_connection.execute(sa.update(Invitation).values(state="revoked"))
        with pytest.raises(DomainError):
            answers.accept(item, user)
    assert invitation(app, invited.invitation_id).state == "revoked"
    assert actions(app) == []


def test_a_link_cannot_answer_another_invitation(app):
    first, second = invite(app), invite(app)
    with app.app_context():
        link = db.session.get(Invitation, first.invitation_id).links[0]
        with pytest.raises(DomainError):
            answers.decline(db.session.get(Invitation, second.invitation_id), "", link=link)
    assert invitation(app, second.invitation_id).state == "pending"


# --- the unit's first liaison account ---------------------------------------------------------


def _setup(client, invited, **fields):
    data = {"csrf_token": csrf_token(client, invited.url), "name": "Li Wei", "email": "li.wei@example.org",
            **fields}
    return client.post(invited.url + "/account", data=data, headers=fields.pop("headers", {}))


@pytest.mark.both_dbs
def test_setting_up_the_liaison_account_accepts_and_mails_a_confirmation_link(app, client, outbox):
    invited = invite(app)
    response = _setup(client, invited, headers={"Accept-Language": "zh-CN"})
    assert response.status_code == 302 and response.headers["Location"].endswith(invited.url)
    with app.app_context():
        user = db.session.scalar(sa.select(User).filter_by(email="li.wei@example.org"))
        assert user.role == "liaison" and user.unit_id == invited.unit_id and user.name == "Li Wei"
        # Unconfirmed: no password, so no login and nothing of the unit to see yet.
        assert user.password_hash is None and user.activated_at is None and not user.is_active
        user_id = user.id
        (mail,) = outbox(kind="account_activation")
        assert mail.to_addr == "li.wei@example.org" and mail.language == "zh"
        link = link_from(mail.body_text)
    # The unit's answer is recorded at once, in the new account's name.
    answer = invitation(app, invited.invitation_id)
    assert answer.state == "accepted" and answer.responded_by_id == user_id
    assert actions(app) == ["user.create", "user.activation_sent", "invitation.accept"]
    assert "li.wei@example.org" in client.get(invited.url).get_data(as_text=True)  # the flash
    # Nothing personal before the address is confirmed: the setup did not log anyone in.
    for page in ("/my/invitations", f"/events/{invited.event_id}/delegation", "/my-unit"):
        assert client.get(page).status_code == 302, page
    # The mailed link (single use) confirms the address: a password, and the liaison is in.
    path = urlsplit(link).path
    form = csrf_token(client, path)
    response = client.post(path, data={"csrf_token": form, "password": PASSWORD, "confirm": PASSWORD})
    assert response.status_code == 302
    assert client.get("/my/invitations").status_code == 200
    assert client.get(f"/events/{invited.event_id}/delegation").status_code == 200
    assert app.test_client().get(path).status_code == 400
    with app.app_context():
        assert db.session.get(User, user_id).activated_at is not None


@pytest.mark.both_dbs
def test_setup_is_refused_once_the_invitation_is_accepted(app, client):
    """The page offers no form once the unit has accepted (here: an organizer registered the
    unit, which has no liaison account): a POST made anyway is refused and changes nothing."""
    from eventsite.invitations.rules import note_registration

    invited = invite(app)
    with app.app_context():
        note_registration(db.session.get(Invitation, invited.invitation_id))
        db.session.commit()
    assert "setup-form" not in client.get(invited.url).get_data(as_text=True)
    before = snapshot(app)
    response = _setup(client, invited)
    assert response.status_code == 302
    assert "already accepted" in client.get(invited.url).get_data(as_text=True)
    assert snapshot(app) == before


@pytest.mark.both_dbs
def test_setup_works_once_per_unit(app, client):
    invited = invite(app)
    _setup(client, invited)
    # A second holder of a link of the same unit (another mail) finds no form and cannot post one.
    with app.app_context():
        from eventsite.core.tokens import new_token
        from eventsite.invitations.models import InvitationLink

        raw, digest = new_token()
        db.session.add(InvitationLink(invitation_id=invited.invitation_id, token_hash=digest,
                                      email="other@example.org"))
        db.session.commit()
    second = app.test_client()
    url = f"/events/{invited.event_id}/invitation/{raw}"
    assert "setup-form" not in second.get(url).get_data(as_text=True)
    before = snapshot(app)
    response = second.post(url + "/account", data={
        "csrf_token": csrf_token(second, url), "name": "Other", "email": "other@example.org"})
    assert response.status_code == 302
    assert "already has a liaison account" in second.get(url).get_data(as_text=True)
    assert snapshot(app) == before


@pytest.mark.both_dbs
def test_setup_with_a_taken_address_creates_nothing(app, client):
    invited = invite(app)
    with app.app_context():
        factories.make_user("organizer", email="taken@example.org")
        db.session.commit()
    before = snapshot(app)
    response = _setup(client, invited, email="Taken@Example.org")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "already exists" in html
    assert snapshot(app) == before


@pytest.mark.both_dbs
@pytest.mark.parametrize("fields", [
    {"email": "not an address"},
    {"email": ""},
    {"name": ""},
    {"name": "Li\r\nBcc: x@evil.example"},
])
def test_setup_with_bad_input_creates_nothing(app, client, fields):
    invited = invite(app)
    before = snapshot(app)
    response = _setup(client, invited, **fields)
    assert response.status_code == 200 and "is-invalid" in response.get_data(as_text=True)
    assert snapshot(app) == before


def test_setup_is_refused_when_logged_in(app, liaison_client):
    invited = invite(app)
    before = snapshot(app)
    assert _setup(liaison_client, invited).status_code == 403
    assert snapshot(app) == before


@pytest.mark.both_dbs
def test_two_link_holders_setting_up_at_once_make_one_account(app_factory, monkeypatch):
    """Two app instances, two threads: the unit's row lock (SQLite: the write lock) lets exactly
    one account through.

    The look-up for an existing liaison is slowed down, so without the lock both requests would
    find none and both would create an account."""
    import threading
    import time

    looked_up = answers.unit_has_liaison

    def slow_lookup(unit_id):
        found = looked_up(unit_id)
        time.sleep(0.3)
        return found

    monkeypatch.setattr(answers, "unit_has_liaison", slow_lookup)

    apps = [app_factory(), app_factory(create_tables=False)]
    invited = invite(apps[0])
    # The same unit invited to a second event: each invitation alone would accept only once,
    # but both links could each create "the unit's first" account.
    with apps[0].app_context():
        second, raw = factories.make_invitation(factories.make_event(),
                                                db.session.get(factories.MemberUnit, invited.unit_id))
        db.session.commit()
        urls = [invited.url, f"/events/{second.event_id}/invitation/{raw}"]
    clients = [a.test_client() for a in apps]
    tokens = [csrf_token(c, u) for c, u in zip(clients, urls)]
    barrier = threading.Barrier(2)
    codes = []

    def run(i):
        barrier.wait()
        response = clients[i].post(urls[i] + "/account", data={
            "csrf_token": tokens[i], "name": f"Person {i}", "email": f"p{i}@example.org"})
        codes.append(response.status_code)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(codes) == [302, 302]
    with apps[0].app_context():
        assert db.session.scalar(sa.select(sa.func.count(User.id)).where(User.unit_id == invited.unit_id)) == 1
        assert actions(apps[0]).count("user.create") == 1


# --- hostile input ----------------------------------------------------------------------------


@pytest.mark.both_dbs
def test_hostile_values_never_give_a_server_error_and_refusals_change_nothing(app, client):
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    invited = invite(app)
    token = csrf_token(client, invited.url)
    hostile = st.one_of(st.sampled_from(["", "\x00", "a\r\nBcc: x@evil.example", "x" * 3000, "😀" * 300,
                                         "<script>alert(1)</script>", "li.wei@example.org", PASSWORD]),
                        st.text(max_size=50))

    @settings(max_examples=25, deadline=None, derandomize=True, database=None,
              suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
    @given(action=st.sampled_from(["decline", "account"]),
           values=st.fixed_dictionaries({k: hostile for k in ("reason", "name", "email", "password", "confirm")}))
    def run(action, values):
        before = snapshot(app)
        response = client.post(f"{invited.url}/{action}", data={"csrf_token": token, **values})
        assert response.status_code in (200, 302, 403, 410), response.status_code
        if response.status_code != 302:
            assert snapshot(app) == before

    run()
