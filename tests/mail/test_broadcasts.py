"""Messages to groups of member contacts: audience, languages, dedupe, preview and send."""
from __future__ import annotations

import pytest

from eventsite.audit.models import AuditEntry
from eventsite.core.domain import DomainError
from eventsite.extensions import db
from eventsite.mail import services as broadcasts
from eventsite.mail.models import Broadcast, OutboxMessage
from tests import factories
from tests.conftest import count_statements, csrf_token

BOTH = {"subject_en": "Annual forum", "body_en": "Dear colleagues,\n\nSee you <soon> & well.",
        "subject_zh": "年度论坛", "body_zh": "各位同事：\n\n期待相见。"}


@pytest.fixture
def directory(app):
    """Two active cities and an inactive one, with mayors, liaisons and a shared address."""
    with app.app_context():
        a = factories.make_unit(name_en="Alpha City", kind="county_city", tags=["pair"])
        b = factories.make_unit(name_en="Beta City", province="CN-GD")
        gone = factories.make_unit(name_en="Gone City", is_active=False)
        ids = {
            "mayor_a": factories.make_contact(a, role="mayor", language="zh", email="mayor.a@example.org").id,
            "mayor_b": factories.make_contact(b, role="mayor", language="en", email="mayor.b@example.org").id,
            "liaison_a": factories.make_contact(a, role="liaison", language="en", email="office.a@example.org").id,
            "fa_a": factories.make_contact(a, role="foreign_affairs", email="OFFICE.A@example.org").id,
            "no_email": factories.make_contact(b, role="liaison", email="").id,
            "gone": factories.make_contact(gone, role="mayor", email="mayor.gone@example.org").id,
        }
        ids.update(unit_a=a.id, unit_b=b.id, tag=a.tags[0].id)
        db.session.commit()
        return ids


def _send(audience, content=BOTH):
    user = factories.make_user(role="organizer")
    return broadcasts.send(audience, broadcasts.Content(**content), user)


@pytest.mark.both_dbs
def test_all_mayors_each_in_their_language(app_ctx, directory, outbox):
    broadcast = _send(broadcasts.Audience(roles=["mayor"]))
    rows = {r.to_addr: r for r in outbox(kind="broadcast")}
    assert set(rows) == {"mayor.a@example.org", "mayor.b@example.org"}  # not the inactive unit
    assert rows["mayor.a@example.org"].subject == "年度论坛" and rows["mayor.a@example.org"].language == "zh"
    assert rows["mayor.b@example.org"].subject == "Annual forum"
    en = rows["mayor.b@example.org"]
    assert "<p>Dear colleagues,</p>" in en.body_html and "See you &lt;soon&gt; &amp; well." in en.body_html
    assert "See you <soon> & well." in en.body_text
    assert en.dedupe_key == f"broadcast:{broadcast.id}:mayor.b@example.org"
    assert broadcast.recipient_count == 2 and en.broadcast_id == broadcast.id
    entry = db.session.scalar(db.select(AuditEntry).filter_by(action="broadcast.send"))
    assert entry.target_id == broadcast.id and entry.details == {"recipients": 2}


def test_fallback_to_the_only_language_written(app_ctx, directory, outbox):
    _send(broadcasts.Audience(roles=["mayor"]), {"subject_en": "Only English", "body_en": "Text"})
    assert {r.subject for r in outbox()} == {"Only English"}
    assert {r.language for r in outbox()} == {"en"}


def test_shared_address_gets_one_copy(app_ctx, directory, outbox):
    _send(broadcasts.Audience(unit_ids=[directory["unit_a"]]))
    assert sorted(r.to_addr for r in outbox()) == ["mayor.a@example.org", "office.a@example.org"]


def test_filters_by_kind_tag_province_and_invitation_flag(app_ctx, directory):
    def emails(**criteria):
        resolution = broadcasts.resolve(broadcasts.Audience(**criteria), broadcasts.Content(**BOTH))
        return sorted(r.email for r in resolution.recipients)

    assert emails(roles=["liaison"], kinds=["county_city"]) == ["office.a@example.org"]
    assert emails(tag_ids=[directory["tag"]]) == ["mayor.a@example.org", "office.a@example.org"]
    assert emails(provinces=["CN-GD"]) == ["mayor.b@example.org"]
    contact = db.session.get(factories.Contact, directory["mayor_b"])
    contact.receives_invitations = False
    db.session.commit()
    assert emails(roles=["mayor"], invitations_only=True) == ["mayor.a@example.org"]


def test_audience_is_one_query(app_ctx, directory):
    with count_statements() as statements:
        resolution = broadcasts.resolve(
            broadcasts.Audience(roles=["mayor", "liaison", "foreign_affairs"]), broadcasts.Content(**BOTH)
        )
    assert len(statements) == 1 and len(resolution.recipients) == 3


def test_nothing_to_send_raises(app_ctx, directory, outbox):
    with pytest.raises(DomainError):
        _send(broadcasts.Audience(roles=["vice_mayor"]))
    with pytest.raises(DomainError):
        _send(broadcasts.Audience())
    with pytest.raises(DomainError):
        _send(broadcasts.Audience(roles=["mayor"]), {"subject_en": "", "body_en": "no subject"})
    assert outbox() == []


# --- pages -----------------------------------------------------------------------------------


def _form(token, **fields):
    data = {"csrf_token": token, **BOTH}
    data.update(fields)
    return data


def test_preview_shows_counts_and_creates_nothing(app, organizer_client, directory):
    token = csrf_token(organizer_client, "/messages/new")
    response = organizer_client.post("/messages/new", data=_form(token, roles=["mayor", "liaison"], preview="Preview"))
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "3 recipients" in page and "1 contact skipped" in page
    assert "mayor.a@example.org" in page and "office.a@example.org" in page
    assert "年度论坛" in page  # the first recipient (Alpha's zh mayor) sees the Chinese mail
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(OutboxMessage)) == 0
        assert db.session.scalar(db.select(db.func.count()).select_from(Broadcast)) == 0


@pytest.mark.both_dbs
def test_send_creates_broadcast_and_outbox(app, organizer_client, directory):
    token = csrf_token(organizer_client, "/messages/new")
    response = organizer_client.post("/messages/new", data=_form(token, roles=["mayor"], send="Send"))
    assert response.status_code == 302
    with app.app_context():
        broadcast = db.session.scalar(db.select(Broadcast))
        assert broadcast.recipient_count == 2 and broadcast.created_by_id == organizer_client.user_id
        assert response.headers["Location"].endswith(f"/messages/{broadcast.id}")
    detail = organizer_client.get(f"/messages/{broadcast.id}").get_data(as_text=True)
    assert "mayor.b@example.org" in detail and "pending: 2" in detail
    listing = organizer_client.get("/messages/").get_data(as_text=True)
    assert "Annual forum" in listing and "pending: 2" in listing


@pytest.mark.parametrize("fields, error", [
    ({"subject_en": "", "subject_zh": "", "body_en": "", "body_zh": "", "roles": ["mayor"]}, "at least one language"),
    ({"subject_en": "", "subject_zh": "", "roles": ["mayor"]}, "Write a subject"),
    ({}, "Choose at least one criterion"),
    ({"roles": ["mayor"], "subject_en": "a\r\nBcc: x@example.org"}, "Line breaks"),
    ({"roles": ["president"]}, "is not a valid choice"),
    ({"tags": ["abc"]}, "Invalid choice"),
    ({"units": ["999999"]}, "is not a valid choice"),
    ({"roles": ["mayor"], "body_en": "x\x00y"}, "not allowed"),
    ({"roles": ["mayor"], "subject_en": "s" * 301}, "300"),
    ({"roles": ["mayor"], "body_en": "x" * 20001}, "20000"),
    ({"provinces": ["CN-SC\x00"]}, "is not a valid choice"),
])
def test_form_errors_change_nothing(app, organizer_client, directory, fields, error):
    token = csrf_token(organizer_client, "/messages/new")
    response = organizer_client.post("/messages/new", data=_form(token, send="Send", **fields))
    assert response.status_code == 200
    assert error in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(OutboxMessage)) == 0


@pytest.mark.parametrize("button", [{"send": "Send"}, {"preview": "Preview"}])
def test_every_problem_is_shown_in_one_round(app, organizer_client, directory, button):
    token = csrf_token(organizer_client, "/messages/new")
    response = organizer_client.post("/messages/new", data=_form(token, subject_en="", body_zh="", **button))
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and 'id="preview-counts"' not in page
    for message in ("Choose at least one criterion", "Write a subject in English too",
                    "Write the message in Chinese too"):
        assert message in page


def test_tampered_submission_key_is_replaced(app, organizer_client, directory):
    token = csrf_token(organizer_client, "/messages/new")
    data = _form(token, roles=["mayor"], send="Send", submission_key="<bad key>\x00")
    assert organizer_client.post("/messages/new", data=data).status_code == 302
    with app.app_context():
        key = db.session.scalar(db.select(Broadcast.submission_key))
        assert key and key.replace("-", "").replace("_", "").isalnum()


def test_audience_without_recipients_is_an_error(app, organizer_client, directory):
    token = csrf_token(organizer_client, "/messages/new")
    response = organizer_client.post("/messages/new", data=_form(token, roles=["vice_mayor"], send="Send"))
    assert response.status_code == 200
    assert "No contact with an email address matches" in response.get_data(as_text=True)


def test_access_and_csrf(client, liaison_client, admin_client, organizer_client, directory):
    for path in ("/messages/", "/messages/new"):
        assert liaison_client.get(path).status_code == 403
        assert client.get(path).status_code == 302
        assert admin_client.get(path).status_code == 200
    assert liaison_client.post("/messages/new", data=_form(csrf_token(liaison_client, "/"), roles=["mayor"], send="Send")).status_code == 403
    assert organizer_client.post("/messages/new", data={**BOTH, "roles": ["mayor"], "send": "Send"}).status_code == 400
    assert organizer_client.get("/messages/424242").status_code == 404


def test_same_form_sent_twice_makes_one_broadcast(app, organizer_client, directory):
    html = organizer_client.get("/messages/new").get_data(as_text=True)
    import re

    key = re.search(r'name="submission_key" type="hidden" value="([^"]+)"', html).group(1)
    token = csrf_token(organizer_client, "/messages/new")
    data = _form(token, roles=["mayor"], send="Send", submission_key=key)
    first = organizer_client.post("/messages/new", data=data)
    second = organizer_client.post("/messages/new", data=data)
    assert first.status_code == second.status_code == 302
    assert first.headers["Location"] == second.headers["Location"]
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(Broadcast)) == 1
        assert db.session.scalar(db.select(db.func.count()).select_from(OutboxMessage)) == 2


@pytest.mark.postgres_only
def test_racing_submissions_make_one_broadcast(app, directory, db_backend):
    import threading
    from types import SimpleNamespace

    with app.app_context():
        user = factories.make_user(role="organizer")
        db.session.commit()
        author = SimpleNamespace(id=user.id, email=user.email)
    barrier, results, errors = threading.Barrier(4), [], []

    def submit():
        try:
            with app.app_context():
                barrier.wait()
                b = broadcasts.send(broadcasts.Audience(roles=["mayor"]), broadcasts.Content(**BOTH),
                                    author, submission_key="same-key")
                results.append(b.id)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=submit) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert not errors and len(set(results)) == 1 and len(results) == 4
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(OutboxMessage)) == 2


def test_message_page_names_the_audience_in_words(app, organizer_client):
    """The audience is shown with translated labels, not stored codes."""
    with app.app_context():
        item = Broadcast(subject_en="Hello", body_en="Text",
                         audience={"roles": ["mayor"], "kinds": ["county_city"]})
        db.session.add(item)
        db.session.commit()
        item_id = item.id
    html = organizer_client.get(f"/messages/{item_id}").get_data(as_text=True)
    assert "County-level city" in html and "county_city" not in html
    assert "Mayor" in html
