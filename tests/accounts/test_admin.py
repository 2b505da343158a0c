"""The admin's user pages: access, create with activation mail, edit, (de)activate, last admin."""
from __future__ import annotations

from urllib.parse import urlsplit

import pytest
import sqlalchemy as sa

from eventsite.accounts.models import AccountToken, User
from eventsite.audit.models import AuditEntry
from eventsite.extensions import db, now_utc

from ..conftest import csrf_token
from ..factories import make_unit, make_user
from .helpers import client_with_cookie, link_from, path_of, post_login, session_cookie

PAGES = [
    ("get", "/admin/users/"),
    ("get", "/admin/users/new"),
    ("post", "/admin/users/new"),
    ("get", "/admin/users/{id}/edit"),
    ("post", "/admin/users/{id}/edit"),
    ("post", "/admin/users/{id}/deactivate"),
    ("post", "/admin/users/{id}/reactivate"),
    ("post", "/admin/users/{id}/resend-activation"),
]


def _actions(app):
    with app.app_context():
        return db.session.scalars(sa.select(AuditEntry.action).order_by(AuditEntry.id)).all()


def _post(client, path, data=None, **kwargs):
    return client.post(path, data={"csrf_token": csrf_token(client, "/account"), **(data or {})}, **kwargs)


@pytest.fixture
def victim(app):
    with app.app_context():
        user = make_user(email="victim@example.org")
        db.session.commit()
        return user.id


@pytest.mark.parametrize("method, path", PAGES)
def test_anonymous_is_sent_to_login(client, victim, method, path):
    response = getattr(client, method)(path.format(id=victim))
    if method == "post":
        assert response.status_code == 400  # no CSRF token: refused before anything else
        token = csrf_token(client, "/login")
        response = client.post(path.format(id=victim), data={"csrf_token": token})
    assert response.status_code == 302
    assert urlsplit(response.headers["Location"]).path == "/login"


@pytest.mark.parametrize("role_client", ["liaison_client", "organizer_client"])
@pytest.mark.parametrize("method, path", PAGES)
def test_non_admins_get_403_and_nothing_changes(request, app, victim, role_client, method, path):
    client = request.getfixturevalue(role_client)
    before = _actions(app)
    if method == "get":
        response = client.get(path.format(id=victim))
    else:
        response = _post(client, path.format(id=victim), {"email": "x@example.org", "name": "X", "role": "admin"})
    assert response.status_code == 403
    assert _actions(app) == before
    with app.app_context():
        assert db.session.get(User, victim).is_active_flag


def test_missing_csrf_token_is_400(app, admin_client, victim):
    assert admin_client.post(f"/admin/users/{victim}/deactivate").status_code == 400
    with app.app_context():
        assert db.session.get(User, victim).is_active_flag


def test_list_filters_and_search(app, admin_client):
    with app.app_context():
        unit = make_unit(name_en="Chengdu")
        make_user(email="liu@example.org", name="Liu Yang", role="liaison", unit=unit, last_login_at=now_utc())
        make_user(email="off@example.org", name="Gone", is_active_flag=False)
        make_user(email="fresh@example.org", name="New Person", password=None)
        db.session.commit()
    page = admin_client.get("/admin/users/?role=liaison").get_data(as_text=True)
    assert "liu@example.org" in page and "Chengdu" in page and "off@example.org" not in page
    page = admin_client.get("/admin/users/?status=inactive").get_data(as_text=True)
    assert "off@example.org" in page and "liu@example.org" not in page
    page = admin_client.get("/admin/users/?status=pending").get_data(as_text=True)
    assert "fresh@example.org" in page and "off@example.org" not in page
    page = admin_client.get("/admin/users/?q=YANG").get_data(as_text=True)
    assert "liu@example.org" in page and "fresh@example.org" not in page
    page = admin_client.get("/admin/users/?q=%25").get_data(as_text=True)  # a literal %, not a wildcard
    assert "liu@example.org" not in page
    for query in ("?page=abc", "?page=-3", "?role=king&status=zz", "?q=" + "x" * 5000, "?page=99999"):
        assert admin_client.get("/admin/users/" + query).status_code == 200
    assert admin_client.get("/admin/users/?q=%00").status_code == 400  # refused site-wide
    zh = admin_client.get("/admin/users/", headers={"Accept-Language": "zh-CN"})
    assert zh.status_code == 200


def test_create_liaison_sends_activation_and_activation_logs_in(app, admin_client, outbox):
    with app.app_context():
        unit_id = make_unit().id
        db.session.commit()
    response = _post(
        admin_client,
        "/admin/users/new",
        {"email": " New.Liaison@Example.org", "name": "Wang Fang", "role": "liaison",
         "unit_id": str(unit_id), "locale": "zh"},
    )
    assert response.status_code == 302
    with app.app_context():
        user = db.session.scalar(sa.select(User).filter_by(email="new.liaison@example.org"))
        assert user.password_hash is None and user.unit_id == unit_id and user.locale == "zh"
        (message,) = outbox(kind="account_activation")
        assert message.to_addr == "new.liaison@example.org" and message.language == "zh"
        path = urlsplit(link_from(message.body_text)).path
    assert _actions(app)[-2:] == ["user.create", "user.activation_sent"]
    # Not activated yet: the login is refused.
    assert post_login(app.test_client(), "new.liaison@example.org", "whatever password").status_code == 200
    newcomer = app.test_client()
    assert newcomer.get(path, headers={"Accept-Language": "zh-CN"}).status_code == 200
    token = csrf_token(newcomer, path)
    response = newcomer.post(path, data={"csrf_token": token, "password": "my own passphrase",
                                         "confirm": "my own passphrase"})
    assert response.status_code == 302 and response.headers["Location"] == path_of(app, "invitations.mine")
    assert newcomer.get("/account").status_code == 200
    with app.app_context():
        user = db.session.scalar(sa.select(User).filter_by(email="new.liaison@example.org"))
        assert user.activated_at is not None and user.is_active
    assert "user.activated" in _actions(app)
    assert newcomer.get(path).status_code == 400  # used up


@pytest.mark.parametrize(
    "data, field_error",
    [
        ({"email": "victim@example.org", "role": "organizer"}, "already exists"),
        ({"email": "VICTIM@example.org ", "role": "organizer"}, "already exists"),
        ({"email": "x@example.org", "role": "liaison"}, "must belong to a member unit"),
        ({"email": "x@example.org", "role": "organizer", "unit_id": "UNIT"}, "Only liaisons"),
        ({"email": "x@example.org\r\nBcc: y@example.org", "role": "organizer"}, "Line breaks"),
        ({"email": "x@example.org", "name": "Evil\nName", "role": "organizer"}, "Line breaks"),
        ({"email": "not-an-address", "role": "organizer"}, "valid email"),
        ({"email": "x@example.org", "role": "emperor"}, "Not a valid choice"),
        ({"email": "x@example.org", "role": "liaison", "unit_id": "abc"}, "Invalid Choice"),
        ({"email": "x@example.org", "name": "n" * 201, "role": "organizer"}, "200"),
    ],
)
def test_create_refuses_bad_input(app, admin_client, outbox, victim, data, field_error):
    with app.app_context():
        unit_id = make_unit().id
        db.session.commit()
    data = {"name": "Someone", "locale": "en", "unit_id": "0", **data}
    if data["unit_id"] == "UNIT":
        data["unit_id"] = str(unit_id)
    with app.app_context():
        count = db.session.scalar(sa.select(sa.func.count(User.id)))
    response = _post(admin_client, "/admin/users/new", data)
    assert response.status_code == 200
    assert field_error in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(User.id))) == count
        assert outbox() == []


def test_inactive_unit_cannot_be_chosen(app, admin_client):
    with app.app_context():
        unit_id = make_unit(is_active=False).id
        db.session.commit()
    response = _post(admin_client, "/admin/users/new", {"email": "l@example.org", "name": "L", "role": "liaison",
                                                         "unit_id": str(unit_id), "locale": "en"})
    assert response.status_code == 200
    with app.app_context():
        assert db.session.scalar(sa.select(User).filter_by(email="l@example.org")) is None


def test_edit_records_changes(app, admin_client, victim):
    with app.app_context():
        unit_id = make_unit().id
        db.session.commit()
    assert admin_client.get(f"/admin/users/{victim}/edit").status_code == 200
    response = _post(admin_client, f"/admin/users/{victim}/edit",
                     {"name": "Renamed", "role": "liaison", "unit_id": str(unit_id), "locale": "zh"})
    assert response.status_code == 302
    with app.app_context():
        user = db.session.get(User, victim)
        assert (user.name, user.role, user.unit_id, user.locale) == ("Renamed", "liaison", unit_id, "zh")
        entry = db.session.scalars(sa.select(AuditEntry).filter_by(action="user.update")).one()
        assert entry.details["changes"]["role"] == {"old": "organizer", "new": "liaison"}
        assert entry.details["changes"]["unit_id"]["new"] == unit_id


def test_unknown_user_is_404(admin_client):
    assert admin_client.get("/admin/users/9999/edit").status_code == 404
    assert _post(admin_client, "/admin/users/9999/deactivate").status_code == 404


def test_deactivation_ends_sessions_and_reactivation_restores(app, admin_client, victim):
    victim_client = app.test_client()
    post_login(victim_client, "victim@example.org")
    cookie = session_cookie(victim_client)
    assert _post(admin_client, f"/admin/users/{victim}/deactivate").status_code == 302
    assert victim_client.get("/account").status_code == 302
    assert client_with_cookie(app, cookie).get("/account").status_code == 302
    assert post_login(app.test_client(), "victim@example.org").status_code == 200
    assert _post(admin_client, f"/admin/users/{victim}/reactivate").status_code == 302
    assert post_login(app.test_client(), "victim@example.org").status_code == 302
    actions = _actions(app)
    assert actions.index("user.deactivate") < actions.index("user.reactivate")


def test_admin_cannot_deactivate_self_or_the_last_admin(app, admin_client):
    me = admin_client.user_id
    response = _post(admin_client, f"/admin/users/{me}/deactivate", follow_redirects=True)
    assert "cannot deactivate your own account" in response.get_data(as_text=True)
    response = _post(admin_client, f"/admin/users/{me}/edit", {"name": "Me", "role": "organizer",
                                                               "unit_id": "0", "locale": "en"})
    assert response.status_code == 200 and "last active administrator" in response.get_data(as_text=True)
    with app.app_context():
        other = make_user(role="admin", email="second@example.org")
        db.session.commit()
        other_id = other.id
    # With a second admin, each may be deactivated by the other, but never the last one.
    assert _post(admin_client, f"/admin/users/{other_id}/deactivate").status_code == 302
    with app.test_request_context():
        assert not db.session.get(User, other_id).is_active_flag
        assert db.session.get(User, me).is_active_flag
        # The last admin is protected in the service too (e.g. another admin's stale page).
        from eventsite.accounts import services
        from eventsite.accounts.services import DomainError

        with pytest.raises(DomainError):
            services.deactivate_user(db.session.get(User, me), db.session.get(User, other_id))


def test_resend_activation_replaces_the_link(app, admin_client, outbox):
    with app.app_context():
        pending = make_user(email="pending@example.org", password=None).id
        db.session.commit()
    assert _post(admin_client, f"/admin/users/{pending}/resend-activation").status_code == 302
    assert _post(admin_client, f"/admin/users/{pending}/resend-activation").status_code == 302
    with app.app_context():
        first, second = (link_from(m.body_text) for m in outbox(kind="account_activation"))
        assert db.session.scalar(sa.select(sa.func.count(AccountToken.id))) == 2
    client = app.test_client()
    assert client.get(urlsplit(first).path).status_code == 400
    assert client.get(urlsplit(second).path).status_code == 200
    assert _actions(app).count("user.activation_sent") == 2
    # An activated account gets no activation link.
    with app.app_context():
        active = make_user(email="done@example.org").id
        db.session.commit()
    response = _post(admin_client, f"/admin/users/{active}/resend-activation", follow_redirects=True)
    assert "already activated" in response.get_data(as_text=True)
