"""An event form with several mistakes shows every one of them after one submit, each next to its
field, in the reader's language (issue 15: no more one mistake per round)."""
from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from flask_babel import force_locale, gettext

from ..conftest import csrf_token
from .test_admin_views import BASE, draft, event_form, snapshot  # noqa: F401 (a fixture)

MISTAKES = {"title_en": "", "title_zh": "", "reminder_days": "soon", "ends_at": "2027-03-25T08:00",
            "registration_opens_at": "2027-03-25T10:00", "edit_deadline": "2027-03-27T00:00",
            "capacity": "10", "default_quota": "20", "city_en": "C" * 201}
EXPECTED = {
    "title_en": "Give an English or a Chinese title.",
    "reminder_days": "Write whole numbers of days separated by commas, e.g. 7,2.",
    "ends_at": "The end must be after the start.",
    "registration_opens_at": "Registration must open before the event starts.",
    "edit_deadline": "The edit deadline cannot be after the end of the event.",
    "default_quota": "The default quota cannot exceed the capacity.",
}
# WTForms' own message (a field error the form finds before the service's rules run).
FIELD_ERRORS = {"city_en": ("Field cannot be longer than %(max)d character.",
                         "Field cannot be longer than %(max)d characters.", 200)}


def wtforms_message(singular: str, plural: str, n: int, language: str) -> str:
    """WTForms' own message as its translations ship it."""
    from babel.support import Translations
    from wtforms.i18n import messages_path

    return Translations.load(messages_path(), [language], domain="wtforms").ngettext(singular, plural, n)


def feedback(soup: BeautifulSoup, field_id: str) -> str:
    """The error text shown with the field (bootstrap: the field's own invalid-feedback)."""
    box = soup.find(id=field_id).find_parent(class_="mb-3") or soup.find(id=field_id).parent
    return " ".join(div.get_text(" ", strip=True) for div in box.select(".invalid-feedback"))


@pytest.mark.parametrize("language", ["en", "zh"])
def test_six_mistakes_are_shown_in_one_submit(app, organizer_client, language):
    token = csrf_token(organizer_client, f"{BASE}/new")
    before = snapshot(app)
    response = organizer_client.post(f"{BASE}/new", data=event_form(csrf_token=token, **MISTAKES),
                                     headers={"Accept-Language": language})
    assert response.status_code == 200 and snapshot(app) == before
    soup = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    with app.test_request_context(), force_locale(language):
        expected = {field: gettext(message) for field, message in EXPECTED.items()}
    expected["city_en"] = wtforms_message(*FIELD_ERRORS["city_en"], language) % {"max": 200}
    if language == "zh":
        assert expected["ends_at"] != EXPECTED["ends_at"]  # really translated
        assert expected["city_en"] == "字段长度不能超过 200 个字符。"  # wtforms' own Chinese
    for field, message in expected.items():
        assert message in feedback(soup, field), field
    # Each message only next to its own field.
    assert expected["default_quota"] not in feedback(soup, "ends_at")


def test_edit_page_shows_field_and_rule_mistakes_together(app, organizer_client, draft):
    edit = f"{BASE}/{draft}/edit"
    token = csrf_token(organizer_client, edit)
    before = snapshot(app)
    response = organizer_client.post(edit, data=event_form(
        csrf_token=token, city_en="C" * 201, ends_at="2027-03-25T08:00", capacity="2",
        default_quota="3"))
    assert response.status_code == 200 and snapshot(app) == before
    soup = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    assert "Field cannot be longer than 200 characters." in feedback(soup, "city_en")
    assert EXPECTED["ends_at"] in feedback(soup, "ends_at")
    assert EXPECTED["default_quota"] in feedback(soup, "default_quota")
