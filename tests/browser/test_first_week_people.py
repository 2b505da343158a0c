"""Issue 16, the people's side of the secretariat's first week in a real browser, in English and
Chinese at 1280 and 375 px: the liaison lands on their invitations and accepts; one submit of the
delegation form shows every mistake beside its field, the fixed form gives a receipt; the
organizer lowers the quota below what is registered and the liaison still corrects a phone
number; a delegate opens their personal link (both names, 姓名, the sessions they chose in the
.ics); the organizer reads the unit's and the delegate's messages (personal keys masked); a
message to the mayors with a PDF and placeholders is previewed, delivered and tracked, an .exe
refused; the public member list is in the reader's order (pinyin for Chinese readers).

Only the seeding goes through the database; the rest is the UI of the served site. At 375 px every
page visited is checked for sideways scrolling, off-screen controls and one character per line,
the main pages with axe at both widths; every problem is reported at once at the end.
"""
from __future__ import annotations

import re
from datetime import timedelta

import pytest

from ..factories import (
    PASSWORD,
    make_contact,
    make_event,
    make_invitation,
    make_session,
    make_unit,
    make_user,
)
from .helpers import Shots, Texts, phone_problems, text_body, wait_for_mail
from .test_accessibility import axe_violations, visit

PHONE = 375
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64
MESSAGE = {"subject_en": "Notice for {unit}", "body_en": "Dear {name},\n\nAs {role} of {unit}, please read the notice.",
           "subject_zh": "致{unit}的通知", "body_zh": "{name}您好：\n\n请{unit}的{role}阅读附件。"}
# Units whose code-point order differs from their pinyin order (上 < 北 < 成 < 重 < 阿 by code point).
UNITS = [("Shanghai", "上海市", "CN-SH"), ("Beijing", "北京市", "CN-BJ"), ("Chongqing", "重庆市", "CN-CQ"),
         ("Amsterdam", "阿姆斯特丹", None)]


def seed(site, lang: str) -> dict:
    """An organizer; Chengdu with its liaison (account and contact) and a mayor; four more units,
    Chongqing with a mayor; a forum with an opening and two parallel workshops the delegates
    choose, quota 3; Chengdu's pending invitation."""
    from eventsite.extensions import db

    with site.app.app_context():
        organizer = make_user("organizer", email=f"organizer-{lang}@example.org", password=PASSWORD, locale=lang)
        chengdu = make_unit(name_en="Chengdu", name_zh="成都市")
        make_contact(chengdu, role="liaison", email=f"liaison-{lang}@example.org", name_latin="Wang Fang",
                     name_zh="王芳", language=lang)
        mayors = [make_contact(chengdu, role="mayor", email=f"mayor-cd-{lang}@example.org", name_latin="Li Wei",
                               name_zh="李伟", language="zh")]
        units = {"Chengdu": chengdu}
        for name_en, name_zh, province in UNITS:
            units[name_en] = make_unit(name_en=name_en, name_zh=name_zh, province=province,
                                       **({} if province else {"kind": "foreign_city", "country": "NL"}))
        mayors.append(make_contact(units["Chongqing"], role="mayor", email=f"mayor-cq-{lang}@example.org",
                                   name_latin="Anna Rossi", name_zh="", language="en"))
        liaison = make_user("liaison", unit=chengdu, email=f"liaison-{lang}@example.org", password=PASSWORD,
                            locale=lang)
        event = make_event(capacity=20, default_quota=3, registration_mode="invited_only",
                           title_en="Water Forum", title_zh="水务论坛")
        make_session(event, title_en="Opening", title_zh="开幕式")
        start = event.starts_at + timedelta(hours=2)
        parallel = [make_session(event, kind="parallel", title_en=f"Workshop {x}: {en}", title_zh=f"分论坛{x}：{zh}",
                                 starts_at=start, delegates_choose=True)
                    for x, en, zh in (("A", "water", "水"), ("B", "transport", "交通"))]
        make_invitation(event, chengdu)
        db.session.commit()
        return {"organizer": organizer.email, "liaison": liaison.email, "event": event.id, "unit": chengdu.id,
                "unit_name": chengdu.display_name(lang), "sessions": [s.id for s in parallel],
                "session_titles": [s.text("title", lang)[0] for s in parallel],
                "mayors": [m.email for m in mayors],
                "public_names": {u.display_name(lang): u.country != "CN" for u in units.values()}}


class Walk:
    """One run's pages and the problems seen on them (phone layout, axe), reported together."""

    def __init__(self, site, page_factory, lang: str, width: int):
        self.site, self.page_factory, self.lang, self.width = site, page_factory, lang, width
        self.problems: list[str] = []
        self.shots = Shots(site.shots)

    def page(self, email: str | None = None):
        page = self.page_factory(self.lang, width=self.width, height=800 if self.width == PHONE else 900)
        if email:
            visit(page, self.site.url + "/login")
            page.fill("#email", email)
            page.fill("#password", PASSWORD)
            submit(page, "form[action='/login'] [type=submit]")
            page.wait_for_load_state("networkidle")
            assert "/login" not in page.url, f"{email} could not log in"
        return page

    def look(self, page, name: str, axe: bool = False) -> None:
        """Check the page as it is now; `axe` for the main pages."""
        page.wait_for_load_state("networkidle")
        where = f"{name} ({page.url.removeprefix(self.site.url)})"
        if self.width == PHONE:
            self.problems += [f"{where}: {p}" for p in phone_problems(page)]
        if axe:
            self.problems += [f"{where}: axe {v}" for v in axe_violations(page)]
        self.shots(page, name)


def submit(page, button: str) -> None:
    """Press a form's button and wait for the next page. Scrolled to first: after a full-page
    screenshot a click on a button far down the page may otherwise not reach it."""
    page.locator(button).scroll_into_view_if_needed()
    with page.expect_navigation():
        page.locator(button).click()


def flash(page) -> str:
    return " ".join(page.locator(".alert").all_inner_texts())


def row(page, n: int):
    """Person n's section of the delegation form, opened."""
    section = page.locator("#people .js-person").nth(n)
    if not section.evaluate("d => d.open"):
        section.locator("summary").click()
    return section


def fill_person(page, n: int, role: str, family: str, given: str, name_zh: str, email: str, sessions=()) -> None:
    section = row(page, n)
    section.locator("select[name$=-role]").select_option(role)
    section.locator("select[name$=-language]").select_option(page.evaluate("document.documentElement.lang")[:2])
    for field, value in (("family_name", family), ("given_name", given), ("name_zh", name_zh), ("email", email)):
        section.locator(f"input[name$=-{field}]").fill(value)
    for box in section.locator("input[name$=-sessions]").all():
        box.set_checked(int(box.get_attribute("value")) in sessions)


def error(page, field_id: str) -> str:
    locator = page.locator(f"#{field_id}-error")
    assert locator.count() == 1, f"no error beside {field_id}: {page.inner_text('main')[:800]}"
    assert locator.is_visible(), f"the error of {field_id} is hidden"
    return locator.inner_text()


@pytest.mark.parametrize("width", [1280, PHONE])
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_first_week_of_liaisons_delegates_and_messages(site, page_factory, lang, width):
    ids, t, walk = seed(site, lang), Texts(site.app, lang), Walk(site, page_factory, lang, width)
    register_delegation(site, walk, ids, t)
    lower_quota_then_correct(site, walk, ids, t)
    delegate_page(site, walk, ids, t)
    organizer_reads_messages(site, walk, ids, t)
    group_message(site, walk, ids, t)
    public_list_order(site, walk, ids)
    if lang == "zh":
        assert t.untranslated() == [], t.untranslated()
    assert not walk.problems, f"{lang} at {width} px:\n" + "\n".join(walk.problems)


def register_delegation(site, walk, ids, t) -> None:
    # 1. The liaison lands on their invitations: Accept and Decline on screen.
    page = walk.liaison = walk.page(ids["liaison"])
    assert page.url.endswith("/my/invitations"), page.url
    walk.look(page, "my-invitations", axe=True)
    accept = page.get_by_role("button", name=t("Accept"), exact=True)
    decline = page.locator("summary", has_text=t("Decline"))
    for control in (accept, decline):
        assert control.is_visible() and control.evaluate(
            "e => { const b = e.getBoundingClientRect(); return b.left >= 0 && b.right <= innerWidth; }")
    with page.expect_navigation():
        accept.click()  # on to the registration
    page.wait_for_load_state("networkidle")
    assert page.url.endswith(f"/events/{ids['event']}/delegation"), page.url
    assert t("Thank you: your unit accepts the invitation. Please register your delegation.") in flash(page)
    walk.look(page, "delegation-form", axe=True)

    # 2. One submit with five mistakes: every one beside its field, in the page's language.
    a, b = ids["sessions"]
    page.click(".js-add-person")
    fill_person(page, 0, "head", "Hu", "Chao", "胡超", f"hu-{walk.lang}@example.org", {a})
    row(page, 0).evaluate("s => s.querySelector('[name$=-family_name]').removeAttribute('maxlength')")
    row(page, 0).locator("input[name$=-family_name]").fill("H" * 101)
    fill_person(page, 1, "head", "Zhao", "Lei", "赵磊", f"HU-{walk.lang}@example.org")
    fill_person(page, 2, "member", "Chen", "Jing", "陈静", f"chen-{walk.lang}@example.org", {a, b})
    submit(page, "#delegation-form [name=submit]")
    walk.look(page, "delegation-mistakes", axe=True)
    one_head = t("Name exactly one head of delegation.")
    assert one_head in error(page, "people-0-role") and one_head in error(page, "people-1-role")
    assert t("Another person in this delegation has the email address %(address)s: each person needs their "
             "own.", address=f"hu-{walk.lang}@example.org") in error(page, "people-1-email")
    assert ("字段长度不能超过 100 个字符" if walk.lang == "zh" else "cannot be longer than 100") in \
        error(page, "people-0-family_name")
    first, second = ids["session_titles"]
    assert t("“%(first)s” and “%(second)s” take place at the same time: choose one of them.",
             first=first, second=second) in error(page, "people-2-sessions")
    fill_person(page, 0, "head", "Hu", "Chao", "胡超", f"hu-{walk.lang}@example.org", {a})
    fill_person(page, 1, "member", "Zhao", "Lei", "赵磊", f"zhao-{walk.lang}@example.org")
    fill_person(page, 2, "member", "Chen", "Jing", "陈静", f"chen-{walk.lang}@example.org", {b})
    submit(page, "#delegation-form [name=submit]")
    page.wait_for_load_state("networkidle")
    assert "/receipt" in page.url, page.inner_text("main")[:800]
    walk.delegation = int(re.search(r"/delegations/(\d+)/receipt", page.url).group(1))
    registered = page.inner_text("#receipt-people")
    assert registered.count(t("Confirmed")) == 3 and "胡超" in registered and "Chao HU" in registered
    assert t("Your delegation is confirmed. Each delegate with an email address receives a personal "
             "confirmation with their own link.") in page.locator("#next-steps").inner_text()
    walk.look(page, "receipt", axe=True)


def lower_quota_then_correct(site, walk, ids, t) -> None:
    # 3. The organizer lowers the quota to 1 below the 3 registered: told what happens.
    org = walk.organizer = walk.page(ids["organizer"])
    visit(org, f"{site.url}/organizer/events/{ids['event']}/invitations")
    walk.look(org, "tracking", axe=True)
    form = org.locator("form[action$='/quota']")
    form.locator("input[name=quota]").fill("1")
    with org.expect_navigation():
        form.locator("[type=submit]").click()
    org.wait_for_load_state("networkidle")
    assert t("%(unit)s has %(registered)d people registered, more than its quota of %(quota)d. Nobody is "
             "removed: the liaison can still correct their details, but can add nobody until the delegation "
             "is within the quota.", unit=ids["unit_name"], registered=3, quota=1) in flash(org)
    walk.look(org, "quota-lowered")
    # The liaison still corrects a phone number and saves.
    page = walk.liaison
    visit(page, f"{site.url}/events/{ids['event']}/delegation")
    walk.look(page, "delegation-over-quota")
    row(page, 0).locator("input[name$=-mobile]").fill("+86 138 0000 1111")
    submit(page, "#delegation-form [name=submit]")
    page.wait_for_load_state("networkidle")
    assert page.locator("main .alert-danger, main .invalid-feedback").count() == 0, page.inner_text("main")[:800]
    visit(page, f"{site.url}/events/{ids['event']}/delegation")
    assert page.input_value("#people-0-mobile") == "+86 138 0000 1111"


def delegate_page(site, walk, ids, t) -> None:
    # 4. The delegate's personal link from the mail: 姓名, both names, the chosen sessions in the .ics.
    address = f"hu-{walk.lang}@example.org"
    wait_for_mail(site, address, where=lambda m: "/delegate/" in text_body(m.message))
    link = site.link_in_mail(address, r"https?://\S+/events/\d+/delegate/[\w-]+")
    walk.token = link.rsplit("/", 1)[-1]
    page = walk.page()
    visit(page, link)
    walk.look(page, "personal-page", axe=True)
    name = page.locator("#delegate-name")
    assert name.locator("dt").inner_text().strip() == t("Full name")
    both = "胡超 Chao HU" if walk.lang == "zh" else "Chao HU 胡超"
    assert name.locator("dd").inner_text().strip() == both
    if walk.lang == "zh":
        assert "名称" not in page.inner_text("main")
    with page.expect_download() as download:
        page.click("#ics-link")
    from icalendar import Calendar

    calendar = Calendar.from_ical(download.value.path().read_bytes())
    summaries = [str(e.get("SUMMARY")) for e in calendar.walk("VEVENT")]
    chosen, other = ids["session_titles"]
    assert any(chosen in s for s in summaries) and not any(other in s for s in summaries), summaries


def organizer_reads_messages(site, walk, ids, t) -> None:
    # 5. The unit's and the delegate's messages, read-only, the personal key masked.
    org = walk.organizer
    visit(org, f"{site.url}/organizer/events/{ids['event']}/delegations/{walk.delegation}")
    walk.look(org, "delegation-detail", axe=True)
    assert org.locator("#unit-messages tbody tr").count() >= 1
    hu = org.locator("details[id^=delegate-][id$=-messages]").first
    hu.locator("summary").click()
    visit(org, site.url + hu.locator("a[href*='/messages/read/']").last.get_attribute("href"))  # the oldest: with the link
    walk.look(org, "message-read", axe=True)
    text = org.inner_text("main")
    assert walk.token not in text and "[…]" in text, text[:800]
    assert org.locator("main input:not([type=hidden]), main textarea, main button[type=submit]").count() == 0
    visit(org, f"{site.url}/messages/units/{ids['unit']}")
    walk.look(org, "unit-messages")


def group_message(site, walk, ids, t) -> None:
    # 6. To the mayors, with a PDF and placeholders: previewed, delivered, tracked; an .exe refused.
    from eventsite.mail import services
    from eventsite.members.audience import Audience

    with site.app.test_request_context():
        content = services.Content(**MESSAGE)
        composed = {r.email: services.compose(content, r.language, r.values)
                    for r in services.resolve(Audience(roles=["mayor"]), content).recipients}
    expected = {address: text for address, (_subject, text, _html) in composed.items()}
    assert sorted(expected) == sorted(ids["mayors"])
    org = walk.organizer
    visit(org, f"{site.url}/messages/new")
    walk.look(org, "new-message", axe=True)
    org.check("input[name=roles][value=mayor]")
    for field, value in MESSAGE.items():
        org.fill(f"#{field}", value)
    org.set_input_files("#attachments", [{"name": "notice.pdf", "mimeType": "application/pdf", "buffer": PDF}])
    submit(org, "#preview")
    org.wait_for_load_state("networkidle")
    assert "notice.pdf (1 KB)" in org.inner_text("#preview-files")
    for address, text in expected.items():
        sample = org.locator(f".preview-sample[data-recipient='{address}'] pre").inner_text()
        assert sample.strip() == text.strip(), (sample, text)
    walk.look(org, "message-preview", axe=True)
    submit(org, "#send")
    org.wait_for_load_state("networkidle")
    assert t.n("The message is queued for %(num)d recipient.", "The message is queued for %(num)d recipients.",
               2) in flash(org), org.inner_text("main")[:1500]
    broadcast_url = org.url
    for address, text in expected.items():
        mail = wait_for_mail(site, address, where=lambda m: "notice.pdf" in [
            p.get_filename() for p in m.message.iter_attachments()])[-1].message
        assert text_body(mail).replace("\r\n", "\n").strip() == text.strip(), text_body(mail)
        pdf = next(p for p in mail.iter_attachments() if p.get_filename() == "notice.pdf")
        assert pdf.get_content_type() == "application/pdf" and pdf.get_content() == PDF
    visit(org, broadcast_url)  # the worker records each delivery just after the SMTP server has it
    for _ in range(50):
        if org.locator("#broadcast-recipients tbody tr[data-state=sent]").count() == 2:
            break
        org.wait_for_timeout(200)
        visit(org, broadcast_url)
    assert org.locator("#broadcast-recipients tbody tr[data-state=sent]").count() == 2, \
        org.inner_text("#broadcast-recipients")
    walk.look(org, "message-delivered", axe=True)
    visit(org, f"{site.url}/directory/{ids['unit']}")
    assert composed[ids["mayors"][0]][0] in org.inner_text("#unit-history")  # Chengdu's mayor's subject
    walk.look(org, "unit-directory", axe=True)
    visit(org, f"{site.url}/messages/")
    sent = org.locator("main table tbody tr").count()
    walk.look(org, "messages", axe=True)
    # A program is refused, whatever its name: a clear message, nothing sent.
    visit(org, f"{site.url}/messages/new")
    org.check("input[name=roles][value=mayor]")
    for field, value in MESSAGE.items():
        org.fill(f"#{field}", value)
    org.set_input_files("#attachments", [{"name": "setup.exe", "mimeType": "application/pdf", "buffer": EXE},
                                         {"name": "report.pdf", "mimeType": "application/pdf", "buffer": EXE}])
    submit(org, "#send")
    org.wait_for_load_state("networkidle")
    refused = org.inner_text("main")
    assert t("%(file)s: this kind of file cannot be attached. Attach PDF, Word (.doc, .docx), Excel (.xlsx) or "
             "image (PNG, JPEG, GIF) files.", file="setup.exe") in refused
    assert t("%(file)s is not a %(kind)s file, whatever its name says.", file="report.pdf", kind="PDF") in refused
    walk.look(org, "file-refused")
    visit(org, f"{site.url}/messages/")
    assert org.locator("main table tbody tr").count() == sent


def public_list_order(site, walk, ids) -> None:
    # 7. The public member list in the reader's order, computed with the app's own collation.
    from eventsite.core.collation import sort_key

    page = walk.page()
    visit(page, f"{site.url}/alliance/members")
    walk.look(page, "public-members", axe=True)
    shown = [c.strip() for c in page.locator("main table tbody tr td:first-child").all_inner_texts()]
    # Chinese units first (members.queries.unit_name_order), each group in the reader's order.
    foreign = ids["public_names"]
    expected = sorted(foreign, key=lambda name: (foreign[name], sort_key(name, walk.lang)))
    assert shown == expected, (shown, expected)
    if walk.lang == "zh":  # the seeded names are in another order by code point: the test can tell
        assert expected != sorted(foreign, key=lambda name: (foreign[name], name))
