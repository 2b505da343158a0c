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


# --- a page on a phone ---------------------------------------------------------------------------

def overflow(page) -> int:
    """How many pixels the page is wider than the window (0 = no sideways scrolling)."""
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


# The outermost elements that stick out to the right, to say what makes a page too wide.
STICKING_OUT = """() => {
  const out = [];
  const describe = e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')
    + (e.className && typeof e.className === 'string' ? '.' + e.className.trim().split(/\\s+/).join('.') : '');
  for (const e of document.querySelectorAll('body *')) {
    if (e.getBoundingClientRect().right > window.innerWidth + 1
        && !(e.parentElement && e.parentElement.getBoundingClientRect().right > window.innerWidth + 1)) {
      out.push(describe(e) + ' ' + JSON.stringify((e.innerText || '').slice(0, 40)));
    }
  }
  return out.slice(0, 5);
}"""

# Every control a user can see, wherever it sits (also inside a .table-responsive box or another
# scrolling container), whose box is not wholly within the screen's width: one you would have to
# swipe the page or a table sideways to reach counts as off-screen. Hidden controls (display:none,
# a closed <details>, the collapsed menu, visibility:hidden) and visually hidden ones (1 px, such
# as the skip link before it is focused) are not seen and not checked.
OFF_SCREEN_CONTROLS = """() => {
  const out = [];
  const selector = 'a[href], button, input:not([type=hidden]), select, textarea, summary, [role=button]';
  for (const e of document.querySelectorAll(selector)) {
    if (!e.checkVisibility({visibilityProperty: true, contentVisibilityAuto: true})) continue;
    const box = e.getBoundingClientRect();
    if (box.width <= 1 || box.height <= 1) continue;
    if (box.left < -1 || box.right > window.innerWidth + 1) {
      out.push(`${e.tagName.toLowerCase()}${e.id ? '#' + e.id : ''} `
        + `${JSON.stringify((e.innerText || e.value || e.getAttribute('aria-label') || e.name || '').trim().slice(0, 40))} `
        + `at ${Math.round(box.left)}..${Math.round(box.right)} px`);
    }
  }
  return out;
}"""

# Text squeezed into a column so narrow that it breaks after every character or two. The rule
# measures the rendered lines of each text node (Range.getClientRects gives one box per line
# fragment): a text of 3 or more non-space characters that runs over 3 or more lines, none of them
# wider than 2 em of its own font size, is broken one character per line. 2 em holds two Chinese
# characters or about four Latin letters, so a normal narrow wrap (a word per line, at least a few
# letters wide) passes and the squeezed column of the issue (unit names one Han character per line,
# dates on eight lines) fails, in both scripts. Invisible text is skipped.
CHARACTER_PER_LINE = """() => {
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node.textContent.replace(/\\s+/g, '');
    const parent = node.parentElement;
    if (text.length < 3 || !parent || ['SCRIPT', 'STYLE', 'TEMPLATE', 'NOSCRIPT'].includes(parent.tagName)) continue;
    if (!parent.checkVisibility({visibilityProperty: true, contentVisibilityAuto: true})) continue;
    range.selectNodeContents(node);
    const lines = Array.from(range.getClientRects()).filter(r => r.width > 0 && r.height > 0);
    const tops = new Set(lines.map(r => Math.round(r.top)));
    const em = parseFloat(getComputedStyle(parent).fontSize);
    const widest = Math.max(0, ...lines.map(r => r.width));
    if (tops.size >= 3 && widest < 2 * em) {
      out.push(`${parent.tagName.toLowerCase()}${parent.id ? '#' + parent.id : ''} `
        + `${JSON.stringify(node.textContent.trim().slice(0, 40))}: ${tops.size} lines, `
        + `${Math.round(widest)} px wide`);
    }
  }
  return out;
}"""


# A value of a phone card (site.css, .table-cards) whose text runs under its label instead of
# beside it: every line of the value starts right of the label's column.
UNDER_THE_LABEL = """() => {
  const out = [];
  const range = document.createRange();
  for (const cell of document.querySelectorAll('.table-cards > tbody > tr > [data-label]')) {
    if (!cell.checkVisibility({visibilityProperty: true})) continue;
    const label = parseFloat(getComputedStyle(cell, '::before').width) || 0;
    const column = cell.getBoundingClientRect().left + label - 1;
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (!node.textContent.trim()) continue;
      range.selectNodeContents(node);
      if (Array.from(range.getClientRects()).some(r => r.width > 0 && r.left < column)) {
        out.push(`${cell.dataset.label}: ${JSON.stringify(node.textContent.trim().slice(0, 40))}`);
        break;
      }
    }
  }
  return out.slice(0, 5);
}"""


def phone_problems(page) -> list[str]:
    """Everything that makes the page at its current (phone) width hard to use: sideways scrolling
    (and what sticks out), controls outside the screen, text broken one character per line, a
    card's value wrapping under its label."""
    problems = []
    wider = overflow(page)
    if wider > 1:
        problems.append(f"{wider} px wider than the screen: {page.evaluate(STICKING_OUT)}")
    problems += [f"control outside the screen: {c}" for c in page.evaluate(OFF_SCREEN_CONTROLS)]
    problems += [f"text broken one character per line: {t}" for t in page.evaluate(CHARACTER_PER_LINE)]
    problems += [f"card value under its label, not beside it: {t}" for t in page.evaluate(UNDER_THE_LABEL)]
    return problems
