"""Small helpers of the browser journey: texts in the page's language (from the app's own
catalogues, never guessed), mail polling with a deadline, calendar parts and numbered screenshots."""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from email.message import EmailMessage

from flask_babel import force_locale, gettext, ngettext

MAIL_TIMEOUT = 20.0  # seconds; the worker polls every 0.2 s (cluster.environment)


@dataclass
class Texts:
    """gettext / ngettext of the served app in one language, as the server renders them."""

    app: object
    language: str
    used: list = field(default_factory=list)  # (English, as rendered) of every text asked for

    def __call__(self, msgid: str, **values) -> str:
        with self.app.test_request_context(), force_locale(self.language):
            text = str(gettext(msgid, **values))
        self.used.append((msgid % values if values else msgid, text))
        return text

    def n(self, singular: str, plural: str, num: int, **values) -> str:
        with self.app.test_request_context(), force_locale(self.language):
            text = str(ngettext(singular, plural, num, **values))
        self.used.append(((singular if num == 1 else plural) % {"num": num, **values}, text))
        return text

    def untranslated(self) -> list[str]:
        """Texts asserted on that read the same as the English: none, for a translated page."""
        return [english for english, text in self.used if english == text]


def wait_for_mail(site, address: str, count: int = 1, timeout: float = MAIL_TIMEOUT,
                  where=lambda mail: True) -> list:
    """The mails to `address` matching `where`, once there are at least `count` of them; polls
    the SMTP server (the worker delivers asynchronously) and fails after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        found = [m for m in site.mails_to(address) if where(m)]
        if len(found) >= count:
            return found
        if time.monotonic() > deadline:
            got = [(m.rcpt_tos, m.message["Subject"]) for m in site.smtp.received]
            raise AssertionError(f"no {count} mail(s) to {address} within {timeout} s; got {got}")
        time.sleep(0.1)  # a poll interval, not a wait for something to have happened


def calendar_part(message: EmailMessage) -> EmailMessage | None:
    """The text/calendar alternative of a mail (the iMIP part), if any."""
    for part in message.walk():
        if part.get_content_type() == "text/calendar":
            return part
    return None


def text_body(message: EmailMessage) -> str:
    return message.get_body(("plain",)).get_content()


class Shots:
    """Full-page screenshots numbered in the order of the journey: 01-login.png, 02-..."""

    def __init__(self, folder):
        self.folder = folder
        self.n = 0

    def __call__(self, page, name: str) -> None:
        self.n += 1
        page.screenshot(path=str(self.folder / f"{self.n:02d}-{name}.png"), full_page=True)
