"""The check-in desk on a phone, in Debian's Chromium against a served site: a fake camera (a Y4M
file showing a badge's QR) checks a delegate in; two pages scanning the same badge at once count
one check-in and the second says "already"; a page offline keeps its scans, shows how many wait
and sends them when back online; at 375 px nothing is off-screen."""
from __future__ import annotations

import io

import pytest
import sqlalchemy as sa
from playwright.sync_api import Error as PlaywrightError

from eventsite.checkin.models import CheckIn
from eventsite.checkin.services import badge_url
from eventsite.extensions import db

from ..checkin.helpers import event_today
from .conftest import CHROMIUM, CHROMIUM_ARGS
from .helpers import Shots, phone_problems
from .test_accessibility import AXE, axe_violations
from .test_delegation_form import log_in

WIDTH, HEIGHT = 640, 480
Y4M_HEADER = f"YUV4MPEG2 W{WIDTH} H{HEIGHT} F10:1 Ip A1:1 C420jpeg\n".encode()


def badge_frame(png_bytes: bytes) -> bytes:
    """One Y4M frame (4:2:0) of a white 640x480 picture with the PNG (a QR code, later the
    rendered badge) fitted in its middle."""
    from PIL import Image

    picture = Image.open(io.BytesIO(png_bytes)).convert("RGB")
    picture.thumbnail((HEIGHT - 40, HEIGHT - 40))
    frame = Image.new("RGB", (WIDTH, HEIGHT), "white")
    frame.paste(picture, ((WIDTH - picture.width) // 2, (HEIGHT - picture.height) // 2))
    y, u, v = frame.convert("YCbCr").split()
    half = (WIDTH // 2, HEIGHT // 2)
    return (b"FRAME\n" + y.tobytes() + u.resize(half, Image.BILINEAR).tobytes()
            + v.resize(half, Image.BILINEAR).tobytes())


def qr_png(text: str) -> bytes:
    import segno

    buffer = io.BytesIO()
    segno.make(text, error="m").save(buffer, kind="png", scale=8, border=4)
    return buffer.getvalue()


def printed_badge_png(site, ids) -> bytes:
    """The first delegate's badge as the organizers print it (A6, through badges.services), its
    page rendered to a picture: what the camera is shown."""
    import pypdfium2

    from eventsite.badges.queries import Selection
    from eventsite.badges.services import print_badges
    from eventsite.events.models import Event

    with site.app.test_request_context():
        event = db.session.get(Event, ids["event_id"])
        pdf = print_badges(event, Selection(delegate_id=ids["delegate_ids"][0]), "a6", actor=None, lang="en")
        db.session.remove()
    document = pypdfium2.PdfDocument(pdf)
    picture = document[0].render(scale=200 / 72).to_pil()
    document.close()
    buffer = io.BytesIO()
    picture.save(buffer, format="PNG")
    return buffer.getvalue()


def write_y4m(path, png_bytes: bytes, frames: int = 2):
    path.write_bytes(Y4M_HEADER + badge_frame(png_bytes) * frames)
    return path


@pytest.fixture
def camera_browser(chromium, tmp_path):
    """camera(png_bytes) -> a Chromium whose camera shows that picture (its own process: the
    fake device is a launch option)."""
    launched = []

    def launch(png_bytes: bytes):
        video = write_y4m(tmp_path / f"camera-{len(launched)}.y4m", png_bytes)
        browser = chromium.browser_type.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS + [
            "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
            f"--use-file-for-fake-video-capture={video}"])
        launched.append(browser)
        return browser

    yield launch
    for browser in launched:
        browser.close()


def _phone(browser, lang="en"):
    context = browser.new_context(locale="zh-CN" if lang == "zh" else "en-US",
                                  viewport={"width": 375, "height": 740},
                                  extra_http_headers={"Accept-Language": "zh-CN" if lang == "zh" else "en"})
    context.set_default_timeout(20000)
    return context.new_page()


def _seed(site, capacity=None):
    with site.app.app_context():
        ids = event_today(people=3, capacity=capacity)
    with site.app.test_request_context():
        ids["qr"] = badge_url(ids["codes"][0])
    return ids


def _check_ins(site, event_id):
    with site.app.app_context():
        rows = db.session.scalars(sa.select(CheckIn).filter_by(event_id=event_id)).all()
        result = [(r.delegate_id, r.method) for r in rows]
        db.session.remove()
        return result


def _open_desk(site, page, ids):
    log_in(site, page, ids["staff"])
    assert page.url.endswith("/checkin/events")
    page.wait_for_selector(f"a[href='/checkin/{ids['event_id']}']")
    assert phone_problems(page) == []
    page.goto(f"{site.url}/checkin/{ids['event_id']}")
    page.wait_for_selector("#desk[data-ready='1']", state="attached")


def test_the_camera_checks_a_delegate_in(site, camera_browser):
    ids, shots = _seed(site), Shots(site.shots)
    page = _phone(camera_browser(printed_badge_png(site, ids)))
    _open_desk(site, page, ids)
    page.wait_for_selector("#desk-card[data-result='checked_in']")
    assert page.locator("#desk-name-zh").inner_text() == ids["names_zh"][0]
    assert "Vegetarian" in page.locator("#desk-needs").inner_text()
    assert page.locator("#desk").get_attribute("data-decoder") in ("jsQR", "BarcodeDetector")
    shots(page, "desk-camera-checked-in")
    assert _check_ins(site, ids["event_id"]) == [(ids["delegate_ids"][0], "scan")]
    assert phone_problems(page) == []


def test_two_pages_scanning_the_same_badge_count_one_check_in(site, camera_browser):
    ids = _seed(site)
    browser = camera_browser(qr_png(ids["qr"]))
    pages = [_phone(browser), _phone(browser)]
    for page in pages:
        log_in(site, page, ids["staff"])
    for page in pages:  # both desks open; each scans the badge as soon as its camera runs
        page.goto(f"{site.url}/checkin/{ids['event_id']}")
    results = []
    for page in pages:
        page.wait_for_selector("#desk-card[data-result='checked_in'], #desk-card[data-result='already']")
        results.append(page.locator("#desk-card").get_attribute("data-result"))
    assert sorted(results) == ["already", "checked_in"]
    second = pages[results.index("already")]
    assert "by Door Staff" in second.locator("#desk-result").inner_text()
    assert _check_ins(site, ids["event_id"]) == [(ids["delegate_ids"][0], "scan")]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_offline_scans_wait_on_the_phone_and_are_sent_when_back(site, page_factory, lang):
    ids, shots = _seed(site), Shots(site.shots)
    page = page_factory(lang, width=375, height=740)
    _open_desk(site, page, ids)
    page.context.set_offline(True)
    for name in ids["names_zh"][:2]:
        page.fill("#desk-search", name)
        page.locator("#desk-matches button").first.click()
    page.wait_for_selector("#desk-queue[data-count='2']")
    assert "2" in page.locator("#desk-queue").inner_text() and page.locator("#desk-queue").is_visible()
    assert page.locator("#desk-card").get_attribute("data-result") == "local"
    assert page.locator("#desk-name-zh").inner_text() == ids["names_zh"][1]
    shots(page, f"desk-offline-{lang}")
    assert phone_problems(page) == []
    assert _check_ins(site, ids["event_id"]) == []
    page.context.set_offline(False)
    page.wait_for_selector("#desk-queue[data-count='0']", state="attached")
    page.wait_for_selector("#desk-card[data-result='checked_in']")
    assert page.locator("#desk-queue").is_hidden()
    assert sorted(_check_ins(site, ids["event_id"])) == [(i, "search") for i in sorted(ids["delegate_ids"][:2])]
    shots(page, f"desk-synced-{lang}")
    assert phone_problems(page) == []
    if AXE.exists():
        assert axe_violations(page) == []


def test_at_a_sessions_door_the_desk_counts_against_its_capacity(site, page_factory):
    ids = _seed(site, capacity=2)
    page = page_factory("zh", width=375, height=740)
    _open_desk(site, page, ids)
    page.select_option("#desk-door", str(ids["session_id"]))  # the page reloads at that door
    page.wait_for_url(f"**/checkin/{ids['event_id']}?session={ids['session_id']}")
    page.wait_for_selector("#desk[data-ready='1']", state="attached")
    assert page.locator("#desk-capacity").inner_text() == "0 / 2"
    for name in ids["names_zh"][:2]:
        page.fill("#desk-search", name)
        page.locator("#desk-matches button").first.click()
        page.wait_for_selector("#desk-card[data-result='checked_in']")
    page.wait_for_function("document.getElementById('desk-capacity').textContent.startsWith('2 / 2')")
    assert "已满" in page.locator("#desk-capacity").inner_text()
    page.fill("#desk-search", ids["names_zh"][2])
    page.locator("#desk-matches button").first.click()
    page.wait_for_selector("#desk-card.result-bad")
    assert page.locator("#desk-card").get_attribute("data-result") == "session_full"
    assert len(_check_ins(site, ids["event_id"])) == 2  # the two inside came through the entrance too
    assert phone_problems(page) == []


def test_the_desk_opens_again_without_a_connection(site, page_factory):
    """Venues lose Wi-Fi before doors open: a desk opened once opens again offline (the service
    worker's copy), finds people in the roster kept on the phone, queues, and sends when back."""
    ids = _seed(site)
    page = page_factory("zh", width=375, height=740)
    _open_desk(site, page, ids)
    page.wait_for_selector("#desk[data-offline='1']", state="attached")
    assert page.locator("#desk-offline").is_visible()
    desk = f"{site.url}/checkin/{ids['event_id']}"

    page.context.set_offline(True)
    response = page.goto(desk)
    assert response.ok and response.from_service_worker
    page.wait_for_selector("#desk[data-ready='1']", state="attached")
    page.fill("#desk-search", ids["names_zh"][0])
    page.locator("#desk-matches button").first.click()
    page.wait_for_selector("#desk-queue[data-count='1']")
    assert page.locator("#desk-card").get_attribute("data-result") == "local"
    assert phone_problems(page) == []

    # The network really is down: a phone that never opened the desk cannot open it.
    stranger = page_factory("en", width=375, height=740)
    stranger.context.set_offline(True)
    with pytest.raises(PlaywrightError):
        stranger.goto(desk)

    page.context.set_offline(False)
    page.wait_for_selector("#desk-queue[data-count='0']", state="attached")
    assert _check_ins(site, ids["event_id"]) == [(ids["delegate_ids"][0], "search")]


def test_a_signed_out_desk_is_not_kept(site, page_factory):
    ids = _seed(site)
    page = page_factory("en", width=375, height=740)
    _open_desk(site, page, ids)
    page.wait_for_selector("#desk[data-offline='1']", state="attached")
    desk = f"/checkin/{ids['event_id']}"
    kept = "url => caches.open('eventsite-desk').then(c => c.match(url)).then(r => !!r)"
    assert page.evaluate(kept, desk)
    page.locator("form[action$='/logout']").evaluate("form => form.submit()")  # the menu is folded at 375 px
    page.wait_for_load_state()
    page.goto(f"{site.url}{desk}")  # the server sends the signed-out phone to the login page
    assert "/login" in page.url
    page.wait_for_function(f"() => caches.open('eventsite-desk').then(c => c.match('{desk}')).then(r => !r)")
