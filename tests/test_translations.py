"""Every interface string has a Chinese translation, and pages really render in Chinese."""
from __future__ import annotations

import io
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "eventsite" / "translations" / "zh" / "LC_MESSAGES" / "messages.po"
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "lazy_gettext": None, "_l": None,
            "pgettext": ((1, "c"), 2), "npgettext": ((1, "c"), 2, 3)}
METHODS = [
    ("eventsite/**.py", "python"),
    ("templates/**.html", "jinja2"),
    ("templates/**.txt", "jinja2"),
]


def _extracted_ids() -> set[tuple[str, str | None]]:
    """(message, context) pairs: the same words can mean two things (pgettext("door", "Check-in"))."""
    ids = set()
    for filename, lineno, message, comments, context in extract_from_dir(
        str(ROOT), method_map=METHODS, keywords={**KEYWORDS}
    ):
        ids.add((message if isinstance(message, str) else message[0], context))
    return ids


def test_every_string_has_a_chinese_translation():
    catalog = read_po(io.BytesIO(PO.read_bytes()))
    found = {ids: catalog.get(ids[0], context=ids[1]) for ids in _extracted_ids() if ids[0]}
    missing = sorted(
        f"{context}|{mid}" if context else mid for (mid, context), entry in found.items()
        if entry is None or not entry.string or entry.fuzzy
    )
    assert any(context for _mid, context in found), "no string with a context was read"
    assert missing == [], f"{len(missing)} strings lack a Chinese translation, e.g. {missing[:10]}"


def test_home_page_in_chinese_from_accept_language(client):
    html = client.get("/", headers={"Accept-Language": "zh-CN,zh;q=0.9"}).get_data(as_text=True)
    assert 'lang="zh-Hans"' in html
    assert "中国国际城市发展联盟" in html


def test_language_switch_is_remembered(client):
    from .conftest import csrf_token

    token = csrf_token(client, "/")
    response = client.post("/language", data={"lang": "zh", "next": "/", "csrf_token": token})
    assert response.status_code == 302 and response.headers["Location"] == "/"
    html = client.get("/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "中国国际城市发展联盟" in html


def test_language_switch_refuses_unknown_language_and_foreign_next(client):
    from .conftest import csrf_token

    token = csrf_token(client, "/")
    assert client.post("/language", data={"lang": "xx", "csrf_token": token}).status_code == 400
    response = client.post(
        "/language", data={"lang": "en", "next": "https://evil.example/", "csrf_token": token}
    )
    assert response.headers["Location"] == "/"


def test_language_switch_needs_csrf_when_logged_in(app, organizer_client):
    """Anonymous, the switch only sets the browser's session (no token: public pages are kept
    rendered); logged in it changes the account, so the token is required."""
    assert organizer_client.post("/language", data={"lang": "zh"}).status_code == 400
    with app.app_context():
        from eventsite.accounts.models import User
        from eventsite.extensions import db

        assert db.session.get(User, organizer_client.user_id).locale != "zh"


def test_error_pages_in_chinese(client):
    response = client.get("/no-such-page", headers={"Accept-Language": "zh-CN"})
    assert response.status_code == 404
    assert "页面" in response.get_data(as_text=True)


def test_instants_shown_in_the_readers_zone_and_locale_with_offset(app):
    from datetime import datetime, timezone

    from flask_babel import force_locale

    from eventsite.core.i18n import format_instant

    moment = datetime(2026, 3, 29, 1, 30, tzinfo=timezone.utc)  # 03:30 in Brussels (CEST)
    with app.test_request_context("/"):
        app.config["BABEL_DEFAULT_TIMEZONE"] = "Europe/Brussels"
        with force_locale("en"):
            assert format_instant(moment) == "3/29/26, 3:30\u202fAM (UTC+2)"
        with force_locale("zh"):
            assert format_instant(moment) == "2026/3/29 03:30 (UTC+2)"
        assert format_instant(None) == "—"
