"""The issue's done-when, end to end through the pages: a liaison requests letters for three
members with passport details; the organizer issues them; the mailed PDF reads back (pypdf) with
both languages, the names and the reference; its QR code (rendered by pypdfium2, decoded by
zxing-cpp) opens the verification page; a re-issue marks the old letter replaced."""
from __future__ import annotations

import io
import re
from datetime import date
from urllib.parse import urlsplit

import pypdfium2
import pytest
import zxingcpp
from pypdf import PdfReader

from eventsite.delegations.models import Delegate
from eventsite.extensions import db
from eventsite.letters.models import Letter, LetterRequest

from .. import factories
from ..conftest import csrf_token

PASSPORTS = ("E12345678", "G87654321", "EA1122334")


def with_passport(delegate, number: str, name: str) -> None:
    delegate.passport_name, delegate.passport_number = name, number
    delegate.nationality, delegate.title = "CN", "Deputy Director"
    delegate.birth_date, delegate.passport_expiry = date(1980, 3, 4), date(2034, 5, 6)


@pytest.fixture
def world(app, login):
    """A forum; unit A's delegation of four (three with passports); A's liaison, an organizer."""
    with app.app_context():
        event = factories.make_event(title_en="Silk Road Mayors Forum", title_zh="丝路市长论坛",
                                     city_zh="西安", city_en="Xi'an", venue_name_en="Qujiang Hall")
        unit = factories.make_unit(name_en="Chengdu", name_zh="成都市")
        delegation, _head = factories.make_delegation(event, unit, people=4)
        people = sorted(delegation.delegates, key=lambda d: d.position)
        for delegate, number, name in zip(people, PASSPORTS, ("LI ONE", "WANG TWO", "ZHAO THREE"), strict=False):
            with_passport(delegate, number, name)
        liaison = factories.make_user("liaison", unit=unit)
        organizer = factories.make_user("organizer")
        db.session.commit()
        ids = {"event": event.id, "delegation": delegation.id, "people": [d.id for d in people],
               "liaison": liaison.id, "organizer": organizer.id}
    liaison_client, organizer_client = app.test_client(), app.test_client()
    with app.app_context():
        login(liaison_client, db.session.get(factories.User, ids["liaison"]))
        login(organizer_client, db.session.get(factories.User, ids["organizer"]))
    return ids, liaison_client, organizer_client


def pdf_text(data: bytes) -> str:
    return " ".join("\n".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages).split())


def qr_urls(data: bytes) -> set[str]:
    """Every QR code on every page, as rendered at 200 dpi."""
    found = set()
    pdf = pypdfium2.PdfDocument(data)
    for page in pdf:
        image = page.render(scale=200 / 72).to_pil()
        found |= {result.text for result in zxingcpp.read_barcodes(image)}
    pdf.close()
    return found


def request_and_issue(app, world, outbox) -> Letter:
    ids, liaison, organizer = world
    page = f"/events/{ids['event']}/delegation/letters"
    html = liaison.get(page).get_data(as_text=True)
    assert "passport number" in html  # the fourth member is listed with what is missing
    response = liaison.post(page, data={"csrf_token": csrf_token(liaison, page), "people": ids["people"][:3],
                                        "purpose": "Forum plenary"})
    assert response.status_code == 302, response.get_data(as_text=True)
    with app.app_context():
        requests = db.session.scalars(db.select(LetterRequest)).all()
        assert len(requests) == 3 and {r.status for r in requests} == {"requested"}
        request_ids = [r.id for r in requests]
    admin_page = f"/organizer/events/{ids['event']}/letters"
    assert "Forum plenary" in organizer.get(admin_page).get_data(as_text=True)
    response = organizer.post(f"{admin_page}/decide", data={
        "csrf_token": csrf_token(organizer, admin_page), "requests": request_ids, "issue": "1"})
    assert response.status_code == 302
    with app.app_context():
        letter = db.session.scalars(db.select(Letter)).one()  # one per delegation (the default)
        assert len(letter.people) == 3
        return letter


def test_request_issue_mail_read_back_verify_and_reissue(app, world, outbox):
    ids, liaison, organizer = world
    letter = request_and_issue(app, world, outbox)
    assert re.fullmatch(rf"E{ids['event']}-\d{{4}}-0001", letter.reference)
    with app.app_context():
        mails = [m for m in outbox() if m.kind == "letter"]
        assert len(mails) == 1 and mails[0].to_addr.startswith("user")  # the unit's liaison
        (attachment,) = mails[0].attachments
        assert attachment.content_type == "application/pdf"
        data = attachment.data
    text = pdf_text(data)
    assert "邀请函" in text and "Invitation letter" in text  # both pages
    assert "丝路市长论坛" in text and "Silk Road Mayors Forum" in text
    assert letter.reference in text
    for name, number in zip(("LI ONE", "WANG TWO", "ZHAO THREE"), PASSPORTS, strict=True):
        assert name in text and number in text
    (url,) = qr_urls(data)
    assert url.startswith("http://eventsite.test/letters/verify/")
    anonymous = app.test_client()
    page = anonymous.get(urlsplit(url).path)
    assert page.status_code == 200 and page.headers["X-Robots-Tag"].startswith("noindex")
    html = page.get_data(as_text=True)
    assert letter.reference in html and "This letter is valid." in html and "此函有效" in html
    assert "E1****678" in html and "E12345678" not in html and "LI ONE" in html

    # A member's passport changes: the organizer's list and the liaison's page offer a re-issue.
    with app.app_context():
        db.session.get(Delegate, ids["people"][1]).passport_number = "G00000001"
        db.session.commit()
    admin_page = f"/organizer/events/{ids['event']}/letters"
    assert "Details changed since issue" in organizer.get(admin_page).get_data(as_text=True)
    assert "Details changed since issue" in liaison.get(
        f"/events/{ids['event']}/delegation/letters").get_data(as_text=True)
    response = organizer.post(f"{admin_page}/{letter.id}/reissue", data={"csrf_token": csrf_token(organizer, admin_page)})
    assert response.status_code == 302
    with app.app_context():
        old, new = db.session.scalars(db.select(Letter).order_by(Letter.id)).all()
        assert (old.status, old.replaced_by_id, new.status) == ("replaced", new.id, "valid")
        assert new.reference.endswith("-0002")
        new_mail = [m for m in outbox() if m.kind == "letter"][-1]
        assert "G00000001" in pdf_text(new_mail.attachments[0].data)
    html = anonymous.get(urlsplit(url).path).get_data(as_text=True)
    assert "replaced by a newer letter" in html and new.reference not in html


def test_personal_letters_go_to_each_person(app, world, outbox):
    from eventsite.letters.models import LetterSettings

    ids, liaison, organizer = world
    with app.app_context():
        db.session.add(LetterSettings(event_id=ids["event"], mode="person"))
        db.session.commit()
    page = f"/events/{ids['event']}/delegation/letters"
    liaison.post(page, data={"csrf_token": csrf_token(liaison, page), "people": ids["people"][:2]})
    with app.app_context():
        request_ids = list(db.session.scalars(db.select(LetterRequest.id)))
    admin_page = f"/organizer/events/{ids['event']}/letters"
    organizer.post(f"{admin_page}/decide", data={"csrf_token": csrf_token(organizer, admin_page),
                                                 "requests": request_ids, "issue": "1"})
    with app.app_context():
        letters = db.session.scalars(db.select(Letter).order_by(Letter.id)).all()
        assert [x.delegate_id for x in letters] == ids["people"][:2]
        assert len({x.reference for x in letters}) == 2
        mails = [m for m in outbox() if m.kind == "letter"]
        assert sorted(m.delegate_id for m in mails) == ids["people"][:2]
        assert all(m.language == "zh" for m in mails)  # the delegates' language


def test_only_members_with_complete_passports_can_be_requested(app, world):
    ids, liaison, _organizer = world
    page = f"/events/{ids['event']}/delegation/letters"
    response = liaison.post(page, data={"csrf_token": csrf_token(liaison, page), "people": [ids["people"][3]]})
    assert response.status_code == 200
    assert "passport details are not complete" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalars(db.select(LetterRequest)).all() == []


def test_decline_with_a_reason_tells_the_unit(app, world, outbox):
    ids, liaison, organizer = world
    page = f"/events/{ids['event']}/delegation/letters"
    liaison.post(page, data={"csrf_token": csrf_token(liaison, page), "people": ids["people"][:1]})
    admin_page = f"/organizer/events/{ids['event']}/letters"
    with app.app_context():
        request_id = db.session.scalar(db.select(LetterRequest.id))
    token = csrf_token(organizer, admin_page)
    organizer.post(f"{admin_page}/decide", data={"csrf_token": token, "requests": [request_id], "decline": "1"})
    with app.app_context():
        assert db.session.get(LetterRequest, request_id).status == "requested"  # a reason is needed
    organizer.post(f"{admin_page}/decide", data={"csrf_token": token, "requests": [request_id], "decline": "1",
                                                 "reason": "Not a delegate of this forum"})
    with app.app_context():
        item = db.session.get(LetterRequest, request_id)
        assert (item.status, item.decline_reason) == ("declined", "Not a delegate of this forum")
        assert "Not a delegate of this forum" in [m for m in outbox() if m.kind == "letter"][0].body_text


def test_the_pages_link_to_the_letters(app, world, outbox):
    from eventsite.core.tokens import new_token

    ids, liaison, organizer = world
    letter = request_and_issue(app, world, outbox)
    assert f"/events/{ids['event']}/delegation/letters" in liaison.get(
        f"/events/{ids['event']}/delegation").get_data(as_text=True)
    assert f"/organizer/events/{ids['event']}/letters" in organizer.get(
        f"/organizer/events/{ids['event']}").get_data(as_text=True)
    with app.app_context():
        raw, db.session.get(Delegate, ids["people"][0]).token_hash = new_token()
        db.session.commit()
    html = app.test_client().get(f"/events/{ids['event']}/delegate/{raw}").get_data(as_text=True)
    assert f"/delegate/{raw}/letters/{letter.id}.pdf" in html and letter.reference in html


def test_an_event_may_issue_on_request_for_confirmed_members(app, world, outbox):
    from eventsite.letters.models import LetterSettings

    ids, liaison, _organizer = world
    with app.app_context():
        db.session.add(LetterSettings(event_id=ids["event"], issue_on_confirmation=True))
        db.session.get(Delegate, ids["people"][1]).status = "waitlisted"
        db.session.commit()
    page = f"/events/{ids['event']}/delegation/letters"
    liaison.post(page, data={"csrf_token": csrf_token(liaison, page), "people": ids["people"][:2]})
    with app.app_context():
        letter = db.session.scalars(db.select(Letter)).one()
        assert [p.id for p in letter.people] == ids["people"][:1]  # the confirmed one only
        statuses = {r.delegate_id: r.status for r in db.session.scalars(db.select(LetterRequest))}
        assert statuses == {ids["people"][0]: "issued", ids["people"][1]: "requested"}
        assert [m.kind for m in outbox()].count("letter") == 1


def test_the_letter_reaches_a_real_mail_server_as_a_pdf_attachment(app, world, outbox, smtp_server):
    from eventsite.mail.worker import send_pending

    letter = request_and_issue(app, world, outbox)
    with app.app_context():
        assert send_pending()["sent"] >= 1
    (mail,) = [m for m in smtp_server.received if "Invitation letter" in str(m.message["Subject"])
               or "邀请函" in str(m.message["Subject"])]
    (part,) = [p for p in mail.message.iter_attachments() if p.get_content_type() == "application/pdf"]
    assert part.get_filename() == f"invitation-letter-{letter.reference}.pdf"
    assert letter.reference in pdf_text(part.get_content())
