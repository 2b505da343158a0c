"""The badge PDF: each format's page size and count, what a badge says in both scripts, the QR
(decoded from the rendered page) that checks the person in, and names that never overflow."""
from __future__ import annotations

import pytest

from eventsite.badges import document, services
from eventsite.badges.queries import Selection
from eventsite.checkin.services import badge_url, code_from_scan, delegate_by_code
from eventsite.delegations.models import Delegate
from eventsite.extensions import db

from .. import factories
from .helpers import make_people, page_sizes_mm, pdf_text, qr_texts


def _print(app, event_id, fmt="a6", **selection):
    from eventsite.events.models import Event

    with app.test_request_context():
        event = db.session.get(Event, event_id)
        return services.print_badges(event, Selection(**selection), fmt, actor=None, lang="en")


@pytest.mark.both_dbs
def test_badge_shows_both_scripts_unit_role_event_and_a_qr_that_checks_the_person_in(app):
    with app.app_context():
        event = factories.make_event(title_en="Mayors Forum", title_zh="市长论坛")
        unit = factories.make_unit(name_en="Chengdu", name_zh="成都市")
        _, head = factories.make_delegation(event, unit)
        head.given_name, head.family_name, head.name_zh = "Chao", "Hu", "胡超"
        db.session.commit()
        event_id, head_id = event.id, head.id

        data = _print(app, event_id)

        text = pdf_text(data)
        for expected in ("胡超", "Chao HU", "成都市", "Chengdu", "团长", "Head of delegation", "市长论坛",
                         "Mayors Forum"):
            assert expected in text, expected
        assert text.index("胡超") < text.index("Chao HU")  # a Chinese reader's name first, bigger
        head = db.session.get(Delegate, head_id)
        assert head.badge_code  # made by printing, committed with it
        [scanned] = qr_texts(data)
    with app.test_request_context():
        assert scanned == badge_url(head.badge_code)
        assert delegate_by_code(event_id, code_from_scan(scanned)).id == head_id


def test_latin_name_first_for_an_english_reader_and_one_script_only(app):
    with app.app_context():
        event, (first, second) = make_people()
        first.language, first.given_name, first.family_name, first.name_zh = "en", "Anna", "Berg", "安娜"
        second.given_name = second.family_name = ""
        second.name_zh = "王芳"
        db.session.commit()
        text = pdf_text(_print(app, event.id))
        assert text.index("Anna BERG") < text.index("安娜")
        assert "王芳" in text


@pytest.mark.parametrize("fmt, people, pages, size", [
    ("a6", 3, 3, (105.0, 148.0)),
    ("cr80", 3, 3, (85.6, 54.0)),
    ("a4-a6", 5, 2, (210.0, 297.0)),
    ("a4-cr80", 11, 2, (210.0, 297.0)),
])
def test_each_format_page_size_and_count(app, fmt, people, pages, size):
    with app.app_context():
        event, delegates = make_people(people=people)
        data = _print(app, event.id, fmt)
        assert page_sizes_mm(data) == [size] * pages
        codes = {d.badge_code for d in db.session.scalars(db.select(Delegate))}
    with app.test_request_context():
        assert sorted(qr_texts(data)) == sorted(badge_url(code) for code in codes)  # every badge's QR reads


def test_a_very_long_name_stays_on_its_badge(app):
    long_latin = "Maximiliana Alexandrovna Konstantinopoulou-Wolfeschlegelsteinhausenbergerdorff"
    long_zh = "欧阳" + "诸葛慕容司马上官东方皇甫长孙" * 2
    with app.app_context():
        event, (first, second) = make_people()
        first.language, first.given_name, first.family_name, first.name_zh = "en", long_latin, "Smith", long_zh
        db.session.commit()
        for fmt in ("a6", "cr80"):
            data = _print(app, event.id, fmt)
            assert len(page_sizes_mm(data)) == 2  # nothing pushed onto a page of its own
            compact = pdf_text(data).replace(" ", "")
            assert long_zh in compact and "Konstantinopoulou" in compact
            assert len(qr_texts(data)) == 2  # the QR is not covered


def test_fit_shrinks_long_names_and_wraps_the_longest():
    short, lines = document.fit("胡超", 93, 30)
    assert (short, lines) == (30, 1)
    longer, lines = document.fit("Maximiliana Konstantinopoulou", 93, 30)
    assert 15 <= longer < 30  # two lines at a size still read from afar
    longest, lines = document.fit("x" * 300, 51, 17)
    assert lines == 3 and longest >= 7
