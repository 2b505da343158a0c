"""Issue 16: the organizer's first week at the desk, as one browser journey in English and Chinese
at 1280 and 375 px.

The organizer logs in (and lands on the event dashboard), submits an event form with six mistakes
(one submit shows them all, each beside its field), creates a bilingual event with an agenda over
two days, checks the agenda, the printed programme and the calendar links a reader of the page's
language is offered, invites units with the searchable checkbox list, and moves the start by an
hour twice: once keeping the sessions, once moving them. The delegate's update mail (real SMTP)
says what changed, in the delegate's language, with their personal link. The audit log reads in
words. On every page: the tab title carries the site's name; at 375 px nothing needs swiping and
no text breaks one character per line (helpers.phone_problems); axe is clean on the main pages.

Only the seeding goes through the database (test_journey.seed's organizer and tagged units, an
admin to read the audit log, and one delegate registered through the registration service).
"""
from __future__ import annotations

import io
import re
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from ..factories import PASSWORD, make_contact, make_unit, make_user
from .helpers import Shots, Texts, phone_problems, text_body, wait_for_mail
from .test_accessibility import AXE, ERROR_OF, axe_violations, visit
from .test_journey import ZONE, flash_text, local, seed

pytestmark = pytest.mark.skipif(not AXE.exists(), reason="axe-core is not installed (make test installs it)")

TITLE = {"en": "Forum on Resilient Cities", "zh": "韧性城市论坛"}
VENUE = {"en": "Jinjiang Hotel Conference Hall", "zh": "锦江宾馆会议厅"}
CITY = {"en": "Chengdu", "zh": "成都"}
SESSIONS = [  # (day offset, start, end, English, Chinese)
    (0, 9, 10, "Opening ceremony", "开幕式"),
    (0, 10, 12, "Green finance", "绿色金融"),
    (1, 9, 11, "Site visit: riverside park", "实地考察：滨河公园"),
]
ISO_TIME = re.compile(r"\d{4}-\d\d-\d\d[T ]\d\d:\d\d")


class Desk:
    """The checks every page gets, collected; `assert_clean` fails once per group of pages."""

    def __init__(self, site, t: Texts, lang: str, width: int):
        self.site, self.t, self.lang, self.width = site, t, lang, width
        self.site_name = site.app.config["SITE_NAME_ZH" if lang == "zh" else "SITE_NAME_EN"]
        self.problems: list[str] = []
        self.shot = Shots(site.shots)

    def go(self, page, path: str, name: str, axe: bool = False) -> None:
        response = visit(page, self.site.url + path)
        if response is None or response.status != 200:
            self.problems.append(f"{name} ({path}): HTTP {response.status if response else '?'}")
        self.look(page, name, axe)

    def look(self, page, name: str, axe: bool = False) -> None:
        """The page as it is now: its tab title, and at 375 px the phone checks; axe if asked."""
        title = page.title()
        if self.site_name not in title or "eventsite" in title.lower():
            self.problems.append(f"{name}: tab title {title!r} lacks the site name {self.site_name!r}")
        if self.width < 576:
            self.problems += [f"{name}: {problem}" for problem in phone_problems(page)]
        if axe:
            self.problems += [f"{name}: axe {violation}" for violation in axe_violations(page)]
        self.shot(page, re.sub(r"\W+", "-", name))

    def assert_clean(self, group: str) -> None:
        problems, self.problems = self.problems, []
        assert not problems, f"{group} ({self.lang}, {self.width} px):\n" + "\n".join(problems)


def register_delegate(site, event_id: int, unit_id: int, lang: str) -> str:
    """One confirmed delegate of the home unit, registered by the organizer through the service."""
    from eventsite.delegations.rules import PersonRow
    from eventsite.delegations.services import registration
    from eventsite.events.models import Event
    from eventsite.extensions import db
    from eventsite.members.models import MemberUnit

    email = f"zhou-{lang}@example.org"
    with site.app.test_request_context():
        event, unit = db.session.get(Event, event_id), db.session.get(MemberUnit, unit_id)
        registration.save_delegation(event, unit, [PersonRow({
            "role": "head", "family_name": "Zhou", "given_name": "Min", "name_zh": "周敏",
            "email": email, "language": lang})], as_organizer=True)
    return email


def session_starts(site, event_id: int) -> dict[str, datetime]:
    """{English title: start on the event's clock} as stored."""
    from eventsite.events.models import AgendaSession
    from eventsite.extensions import db

    with site.app.app_context():
        db.session.expire_all()
        return {s.title_en: s.starts_at.astimezone(ZoneInfo(ZONE)).replace(tzinfo=None)
                for s in db.session.scalars(db.select(AgendaSession).filter_by(event_id=event_id))}


def fill(page, **values) -> None:
    for field, value in values.items():
        page.fill(f"#{field}", value)


def pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(data)).pages)


def log_in(desk: Desk, page, email: str) -> None:
    desk.go(page, "/login", "login", axe=True)
    fill(page, email=email, password=PASSWORD)
    with page.expect_navigation():
        page.locator("form[action='/login'] [type=submit]").click()
    page.wait_for_load_state("networkidle")


def six_mistakes(desk: Desk, org, first_day: date) -> None:
    """One submit shows every problem, each beside its field, in the page's language."""
    t = desk.t
    desk.go(org, "/organizer/events/new", "new event", axe=True)
    fill(org, title_en="", title_zh="", timezone=ZONE, starts_at=local(first_day, 9),
         ends_at=local(first_day, 8), registration_closes_at=local(first_day, 12),
         edit_deadline=local(first_day + timedelta(days=3), 9), capacity="10", default_quota="20",
         reminder_days="7, soon")
    with org.expect_navigation():
        org.click("#submit")
    expected = {
        "#title_en": t("Give an English or a Chinese title."),
        "#reminder_days": t("Write whole numbers of days separated by commas, e.g. 7,2."),
        "#ends_at": t("The end must be after the start."),
        "#registration_closes_at": t("Registration must close before the event starts."),
        "#edit_deadline": t("The edit deadline cannot be after the end of the event."),
        "#default_quota": t("The default quota cannot exceed the capacity."),
    }
    for selector, message in expected.items():
        error = org.evaluate(ERROR_OF, selector)
        if not (error["text"] and message in error["text"] and error["invalid"] == "true"
                and error["visible"] and error["sameGroup"]):
            desk.problems.append(f"event form {selector}: expected {message!r} beside it, got {error}")
    desk.look(org, "event form with mistakes", axe=True)


def create_event(desk: Desk, org, first_day: date) -> int:
    """The mistakes corrected: a bilingual event, an agenda over two days, published."""
    t = desk.t
    fill(org, title_en=TITLE["en"], title_zh=TITLE["zh"], ends_at=local(first_day + timedelta(days=1), 17),
         registration_closes_at="", edit_deadline="", capacity="", default_quota="5", reminder_days="7,2",
         venue_name_en=VENUE["en"], venue_name_zh=VENUE["zh"], city_en=CITY["en"], city_zh=CITY["zh"])
    with org.expect_navigation():
        org.click("#submit")
    assert t("The event was created as a draft.") in flash_text(org)
    event_id = int(re.search(r"/organizer/events/(\d+)$", org.url).group(1))
    desk.look(org, "event created", axe=True)
    desk.go(org, f"/organizer/events/{event_id}/agenda", "agenda editor", axe=True)
    for day, start, end, title_en, title_zh in SESSIONS:
        fill(org, title_en=title_en, title_zh=title_zh, starts_at=local(first_day + timedelta(days=day), start),
             ends_at=local(first_day + timedelta(days=day), end))
        with org.expect_navigation():
            org.click("#submit")
        assert t("The session was added.") in flash_text(org)
    desk.look(org, "agenda editor with sessions")
    desk.go(org, f"/organizer/events/{event_id}", "event page (organizer)")
    with org.expect_navigation():
        org.click(f"form[action$='/{event_id}/publish'] button")
    assert t("The event is published.") in flash_text(org)
    return event_id


def event_page(desk: Desk, page, event_id: int) -> None:
    """The agenda in the reader's language, the calendar links for that language, the programme
    printed with the reader's language first."""
    t, lang, site = desk.t, desk.lang, desk.site
    desk.go(page, f"/events/{event_id}", "public event page", axe=True)
    agenda = page.locator("section.agenda").inner_text()
    mine, other = (4, 3) if lang == "zh" else (3, 4)
    desk.problems += [f"agenda lacks {s[mine]!r}: {agenda[:300]!r}" for s in SESSIONS if s[mine] not in agenda]
    if TITLE[lang] not in page.inner_text("h1") or VENUE[lang] not in page.inner_text("main"):
        desk.problems.append(f"event page not in {lang}: {page.inner_text('main')[:300]!r}")
    links = page.locator(".event-calendar-links a")
    offered = {links.nth(i).inner_text().strip() for i in range(links.count())}
    services = [s for s in site.app.config[f"CALENDAR_LINKS_{lang.upper()}"].split(",") if s]
    names = {"google": "Google Calendar", "outlook": "Outlook.com", "office365": "Microsoft 365"}
    wanted = {t("Add to calendar (.ics)"), t("with agenda sessions")} | {t(names[s]) for s in services}
    if offered != wanted:
        desk.problems.append(f"calendar links {offered}, expected {wanted}")
    ics = page.request.get(site.url + f"/events/{event_id}/calendar.ics")
    if ics.status != 200 or b"BEGIN:VCALENDAR" not in ics.body():
        desk.problems.append(f"event .ics: HTTP {ics.status}")
    programme = page.request.get(site.url + page.get_attribute("#programme-link", "href"))
    assert programme.status == 200 and programme.headers["content-type"] == "application/pdf"
    printed = re.sub(r"\s+", "", pdf_text(programme.body()))
    pairs = ((TITLE[lang], TITLE["en" if lang == "zh" else "zh"]), *((s[mine], s[other]) for s in SESSIONS))
    for first, second in pairs:
        first, second = re.sub(r"\s+", "", first), re.sub(r"\s+", "", second)
        if first not in printed or (second in printed and printed.index(second) < printed.index(first)):
            desk.problems.append(f"printed programme: {first!r} not first: {printed[:300]!r}")


def invite(desk: Desk, org, event_id: int) -> None:
    """The searchable checkbox list: type to filter, tick, the count; no Ctrl-click."""
    t, zh = desk.t, desk.lang == "zh"
    desk.go(org, f"/organizer/events/{event_id}/invitations/new", "invite units", axe=True)
    assert org.locator("select[multiple]").count() == 0, "a multi-select that needs Ctrl-click"
    units = org.locator("#units-options")
    search = org.locator("input.checklist-filter[aria-controls='units-options']")
    search.fill("伙伴" if zh else "Partner")
    shown = units.locator(".form-check:visible")
    assert shown.count() == 2, units.inner_text()
    for i in range(2):
        shown.nth(i).locator("input").check()
    search.fill("")
    units.get_by_label("成都市" if zh else "Chengdu", exact=True).check()
    count = org.locator("#units-options ~ .checklist-count").inner_text()
    assert t("%(num)s selected", num="3") in count, count
    desk.look(org, "invite units, ticked")
    with org.expect_navigation():
        org.click("input[name=preview]")
    assert org.locator("#to-invite tbody tr").count() == 3
    desk.look(org, "invitation preview", axe=True)
    with org.expect_navigation():
        org.click("input[name=issue]")
    assert t.n("%(num)d invitation was issued; the mails are queued.",
               "%(num)d invitations were issued; the mails are queued.", 3) in flash_text(org)


def move_start(desk: Desk, org, event_id: int, start: datetime, choice: str) -> None:
    """A new start: the preview lists every session (moving is the default); `choice` "keep" is
    previewed once more before it is saved."""
    name = f"start {start:%H:%M}"
    desk.go(org, f"/organizer/events/{event_id}/edit", f"edit event ({name})", axe=choice == "keep")
    org.fill("#starts_at", start.strftime("%Y-%m-%dT%H:%M"))
    with org.expect_navigation():
        org.click("#submit")
    moves = org.locator("#agenda-moves li")
    if moves.count() != len(SESSIONS):
        desk.problems.append(f"preview lists {moves.count()} sessions: {org.inner_text('#notify-preview')!r}")
    desk.look(org, f"change preview ({name}, move)", axe=choice == "keep")
    if choice == "keep":
        org.check("input[name=agenda][value=keep]")
        with org.expect_navigation():
            org.click("#confirm_notify")
        if org.locator("#agenda-kept").count() != 1 or org.locator("#agenda-moves li").count():
            desk.problems.append(f"keeping: {org.inner_text('#notify-preview')!r}")
        desk.look(org, f"change preview ({name}, keep)")
    with org.expect_navigation():
        org.click("#confirm_notify")
    assert desk.t("The changes were saved.") in flash_text(org), flash_text(org)


def update_mails(desk: Desk, delegate: str) -> None:
    """The delegate's two update mails: their personal link, what changed, what became of the
    agenda, in the delegate's language (the page's here)."""
    t, lang = desk.t, desk.lang

    def is_update(mail) -> bool:
        return (mail.message["Subject"].startswith(t("Changed: %(event)s", event=""))
                and "/delegate/" in text_body(mail.message))

    mails = [m.message for m in wait_for_mail(desk.site, delegate, count=2, where=is_update)[:2]]
    assert [m["Content-Language"] for m in mails] == ["zh-Hans" if lang == "zh" else "en"] * 2
    kept, moved = (text_body(m) for m in mails)
    for body in (kept, moved):
        assert re.search(r"https?://\S+/events/\d+/delegate/\S+", body), body
        assert t("What changed:") in body and t("Starts") in body, body
    shift = t("%(amount)s later", amount=t.n("%(num)d hour", "%(num)d hours", 1))
    assert t("Agenda") in moved and t.n("The %(num)d session moved with the event: %(shift)s.",
                                        "The %(num)d sessions moved with the event: %(shift)s.", 3,
                                        shift=shift) in moved, moved
    assert t.n("The session kept its time.", "The sessions kept their times.", 3) in kept, kept


def audit_log(desk: Desk, admin) -> None:
    """Actions and changes in words in the page's language, names instead of ids or codes."""
    t, lang = desk.t, desk.lang
    desk.go(admin, "/admin/audit/", "audit log", axe=True)
    log = admin.locator("main table").inner_text()
    desk.problems += [f"audit log shows {raw!r}" for raw in
                      ("auth.login", "event.update", "event.create", "[", "]", "None", "1:00:00") if raw in log]
    if lang == "zh" and any(s[3] in log for s in SESSIONS):
        desk.problems.append("audit log names sessions in English on the Chinese page")
    if ISO_TIME.search(log):
        desk.problems.append(f"audit log shows an ISO time: {ISO_TIME.search(log).group(0)}")
    wanted = (t("Logged in"), t("Event changed"), t("Sessions moved with the event"),
              t("Sessions kept where they were"), TITLE[lang], SESSIONS[2][4 if lang == "zh" else 3],
              t("%(amount)s later", amount=t.n("%(num)d hour", "%(num)d hours", 1)))
    desk.problems += [f"audit log lacks {text!r}" for text in wanted if text not in log]


@pytest.mark.parametrize("width", [1280, 375])
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_first_week_at_the_desk(site, page_factory, lang, width):
    t = Texts(site.app, lang)
    desk = Desk(site, t, lang, width)
    people = seed(site, lang)
    with site.app.app_context():
        from eventsite.extensions import db

        make_user("admin", email=f"admin-{lang}@example.org", name="Ada Admin", password=PASSWORD)
        for n in range(1, 7):  # a list long enough to be filtered (checklist.js: 8 or more)
            make_contact(make_unit(name_en=f"Harbour Town {n}", name_zh=f"港口镇{n}"),
                         email=f"harbour{n}-{lang}@example.org")
        db.session.commit()
    first_day = date.today() + timedelta(days=40)

    # 1. Log in: the organizer's home is the event dashboard.
    org = page_factory(lang, width)
    log_in(desk, org, people["organizer"])
    assert org.url.endswith("/organizer/events/"), f"after login: {org.url}"
    desk.look(org, "dashboard", axe=True)
    desk.assert_clean("login and dashboard")

    # 2. Six mistakes, one submit.
    six_mistakes(desk, org, first_day)
    desk.assert_clean("event form, six mistakes")

    # 3. The event, its agenda, programme and calendar links.
    event_id = create_event(desk, org, first_day)
    event_page(desk, org, event_id)
    desk.assert_clean("event, agenda, programme, calendar links")

    # 4. Invitations.
    invite(desk, org, event_id)
    desk.assert_clean("invitations")

    # 5. One delegate registered (the registration pages have journeys of their own).
    delegate = register_delegate(site, event_id, people["home_id"], lang)
    wait_for_mail(site, delegate)

    # 6. The start one hour later, twice: the sessions kept, then moved.
    before = session_starts(site, event_id)
    move_start(desk, org, event_id, datetime.combine(first_day, time(10)), "keep")
    assert session_starts(site, event_id) == before, "keeping the sessions moved them"
    move_start(desk, org, event_id, datetime.combine(first_day, time(11)), "move")
    assert session_starts(site, event_id) == {k: v + timedelta(hours=1) for k, v in before.items()}
    desk.assert_clean("moving the start")
    update_mails(desk, delegate)

    # 7. The audit log, read by the admin.
    admin = page_factory(lang, width)
    log_in(desk, admin, f"admin-{lang}@example.org")
    audit_log(desk, admin)
    desk.assert_clean("audit log")
    if lang == "zh":
        assert t.untranslated() == [], t.untranslated()
