"""The site is the alliance's own (issue 16): its name in each language in tab titles, the menu,
emails and the public calendar; its logo and favicon from configuration; no code name anywhere."""
from __future__ import annotations

import pytest

from eventsite.extensions import db
from eventsite.mail.services import render_email

from ..factories import make_event, make_user

NAMES = {"SITE_NAME_EN": "Alliance Exchange Platform", "SITE_NAME_ZH": "联盟交流平台"}


@pytest.fixture
def site_app(app_factory, tmp_path):
    (tmp_path / "instance").mkdir(exist_ok=True)
    (tmp_path / "instance" / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"logo")
    return app_factory(**NAMES, SITE_LOGO="logo.png")


@pytest.mark.parametrize("language, name", [("en", NAMES["SITE_NAME_EN"]), ("zh", NAMES["SITE_NAME_ZH"])])
def test_pages_emails_and_the_calendar_carry_the_configured_name(site_app, language, name):
    with site_app.app_context():
        event_id = make_event(title_en="Named Forum").id
        db.session.commit()
    client = site_app.test_client()
    headers = {"Accept-Language": language}
    for path in ("/", "/events/", f"/events/{event_id}", "/login"):
        page = client.get(path, headers=headers).get_data(as_text=True)
        title = page.split("<title>", 1)[1].split("</title>", 1)[0]
        assert title.endswith(name), (path, title)
        assert 'class="navbar-brand"' in page and name in page.split('class="navbar-brand"', 1)[1][:400]
        assert "eventsite" not in title.lower()
    calendar = client.get(f"/calendar/alliance.ics?lang={language}").get_data(as_text=True)
    assert f"X-WR-CALNAME:{name}" in calendar
    with site_app.test_request_context():
        user = make_user(name="Li Na")
        text, html = render_email("reset_password", language, user=user, link="https://example.org/x",
                                  hours=2)
    for body in (text, html):
        assert name in body and "eventsite" not in body


def test_logo_and_favicon_come_from_configuration(site_app, app):
    client = site_app.test_client()
    with client.get("/site/logo") as logo:  # a file response: closed when read
        assert logo.status_code == 200 and logo.data.endswith(b"logo") and logo.mimetype == "image/png"
    assert '<img src="/site/logo"' in client.get("/").get_data(as_text=True)
    # Without a configured logo there is none (404, no <img>), and the shipped favicon is served.
    plain = app.test_client()
    assert plain.get("/site/logo").status_code == 404
    assert "/site/logo" not in plain.get("/").get_data(as_text=True)
    with plain.get("/site/favicon") as favicon:
        assert favicon.status_code == 200 and b"<svg" in favicon.data
    assert 'rel="icon"' in plain.get("/").get_data(as_text=True)


def test_an_unknown_site_file_is_404(app):
    assert app.test_client().get("/site/../config.py").status_code == 404
    assert app.test_client().get("/site/passwd").status_code == 404


def test_the_alliance_look_and_an_own_stylesheet(app_factory, app, tmp_path):
    """The shipped identity (colours as custom properties) on every page; SITE_STYLESHEET adds the
    alliance's own rules after it, served as CSS from the instance folder."""
    page = app.test_client().get("/").get_data(as_text=True)
    assert page.index("css/site.css") < page.index("css/identity.css")
    assert "/site/style" not in page
    assert app.test_client().get("/site/style").status_code == 404
    with app.test_client().get("/static/css/identity.css") as identity:
        assert b"--site-red" in identity.data and b"--bs-primary:" in identity.data
    (tmp_path / "instance").mkdir(exist_ok=True)
    (tmp_path / "instance" / "alliance.css").write_text(":root { --site-red: #003366; }")
    styled = app_factory(SITE_STYLESHEET="alliance.css").test_client()
    page = styled.get("/events/").get_data(as_text=True)
    assert page.index("css/identity.css") < page.index('href="/site/style"')
    with styled.get("/site/style") as style:
        assert style.status_code == 200 and style.mimetype == "text/css" and b"#003366" in style.data


def test_event_cards_show_the_cover(app):
    import io

    from PIL import Image

    from eventsite.events import uploads

    with app.app_context():
        covered, plain = make_event(title_en="Covered Forum"), make_event(title_en="Plain Forum")
        db.session.commit()
        image = io.BytesIO()
        Image.new("RGB", (900, 300), (155, 28, 28)).save(image, "PNG")
        uploads.set_cover(covered, image.getvalue())
        covered_id, plain_id = covered.id, plain.id
    client = app.test_client()
    for path in ("/events/", "/"):
        page = client.get(path).get_data(as_text=True)
        assert f'<img class="card-img-top event-card-cover" src="/organizer/events/{covered_id}/cover"' in page
        assert f"/organizer/events/{plain_id}/cover" not in page
        with client.get(f"/organizer/events/{covered_id}/cover") as cover:  # a file: closed when read
            assert cover.status_code == 200 and cover.mimetype == "image/png"
