"""A minimal browser for the scale-out tests: a cookie jar per client, no redirect following
(the test wants to see each 302), and a reader for the fields a real form would send.

Only the standard library (urllib, html.parser): the tests add no dependencies.
"""
from __future__ import annotations

import threading
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from html.parser import HTMLParser
from http.cookiejar import CookieJar


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # the 3xx comes back as an HTTPError, read as a normal reply below


@dataclass
class Reply:
    status: int
    body: str
    location: str = ""


@dataclass
class Log:
    """Every request every client made: (client, method, url, status); thread-safe."""

    entries: list[tuple[str, str, str, int]] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, *entry) -> None:
        with self._lock:
            self.entries.append(entry)

    def server_errors(self) -> list[tuple[str, str, str, int]]:
        return [e for e in self.entries if e[3] >= 500]


class Browser:
    """One user agent: its own cookies (shared by every server on 127.0.0.1, as a browser would
    share them behind one load-balanced host name)."""

    def __init__(self, name: str, log: Log, timeout: float = 60):
        self.name, self.log, self.timeout = name, log, timeout
        self.jar = CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar),
                                                  _NoRedirect())

    def get(self, url: str) -> Reply:
        return self._open(urllib.request.Request(url, method="GET"))

    def post(self, url: str, data: dict[str, str]) -> Reply:
        body = urllib.parse.urlencode(data).encode()
        return self._open(urllib.request.Request(
            url, data=body, method="POST",
            headers={"Content-Type": "application/x-www-form-urlencoded"}))

    def _open(self, request: urllib.request.Request) -> Reply:
        try:
            with self.opener.open(request, timeout=self.timeout) as response:  # nosec B310 # loopback
                reply = Reply(response.status, response.read().decode("utf-8", "replace"))
        except urllib.error.HTTPError as error:  # 3xx (not followed), 4xx, 5xx
            reply = Reply(error.code, error.read().decode("utf-8", "replace"),
                          error.headers.get("Location", ""))
        self.log.add(self.name, request.get_method(), request.full_url, reply.status)
        return reply


class _FormReader(HTMLParser):
    """The successful controls of the first form whose attributes satisfy `wanted`, as a browser
    would submit them (only the pressed submit button; <template> contents are inert, as in a
    browser)."""

    def __init__(self, wanted, press: str | None):
        super().__init__(convert_charrefs=True)
        self.wanted, self.press, self.fields, self.found = wanted, press, {}, False
        self._inside = self._done = False
        self._template = 0
        self._select: str | None = None
        self._first_option: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        a = {k: (v if v is not None else "") for k, v in attrs}
        if tag == "template":
            self._template += 1
        if self._done or self._template:
            return
        if tag == "form" and not self._inside and self.wanted(a):
            self._inside = self.found = True
        elif not self._inside:
            return
        elif tag == "input" and a.get("name"):
            kind = a.get("type", "text").lower()
            if kind == "submit" and a["name"] == self.press:
                self.fields[a["name"]] = a.get("value", "")
            if kind in ("submit", "button", "image", "reset", "file"):
                return
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            self.fields[a["name"]] = a.get("value", "on" if kind in ("checkbox", "radio") else "")
        elif tag == "select":
            self._select, self._first_option = a.get("name"), None
        elif tag == "option" and self._select:
            value = a.get("value", "")
            if self._first_option is None:
                self._first_option = value
            if "selected" in a:
                self.fields[self._select] = value
        elif tag == "textarea" and a.get("name"):
            self._textarea = a["name"]
            self.fields[self._textarea] = ""

    def handle_endtag(self, tag):
        if tag == "template":
            self._template -= 1
        elif tag == "form" and self._inside:
            self._inside, self._done = False, True
        elif tag == "select" and self._select:
            if self._select not in self.fields and self._first_option is not None:
                self.fields[self._select] = self._first_option
            self._select = None
        elif tag == "textarea" and self._textarea:
            value = self.fields[self._textarea]  # a browser drops the newline after <textarea>
            self.fields[self._textarea] = value[2:] if value.startswith("\r\n") else value.removeprefix("\n")
            self._textarea = None

    def handle_data(self, data):
        if self._textarea and self._inside:
            self.fields[self._textarea] += data


def form_fields(html: str, press: str | None = None, **wanted: str) -> dict[str, str]:
    """The fields of the form with these attributes (e.g. id="delegation-form"; an `action`
    matches by its ending), plus the submit button named `press` as if it were clicked. Raises
    if the page has no such form."""

    def matches(attrs: dict[str, str]) -> bool:
        return all(attrs.get(k, "").endswith(v) if k == "action" else attrs.get(k) == v
                   for k, v in wanted.items())

    reader = _FormReader(matches, press)
    reader.feed(html)
    reader.close()
    if not reader.found:
        raise AssertionError(f"no form {wanted} on the page: {html[:300]!r}")
    return reader.fields
