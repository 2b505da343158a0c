"""Browser tests: the app served by a real server process on loopback (gunicorn, production
configuration, SQLite file), a mail worker process delivering to a real SMTP server, and Debian's
Chromium driven by Playwright (never a downloaded browser).

Without Chromium or Playwright every browser test is skipped with the reason shown (`pytest -ra`);
CI installs both (.ci/run). Screenshots go to build/screenshots/<test>/ and the folder is printed at
the end of the run.
"""
from __future__ import annotations

import os
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from eventsite import create_app
from eventsite.extensions import db

from ..conftest import SMTPServer
from ..reliability import cluster

CHROMIUM = "/usr/bin/chromium"
ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "build" / "screenshots"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--no-first-run", "--font-render-hinting=none"]


def browser_unavailable() -> str | None:
    if not Path(CHROMIUM).exists():
        return "Debian's chromium is not installed (.ci/run installs it)"
    try:
        import playwright  # noqa: F401
    except ImportError:
        return "playwright is not installed (make test installs it)"
    return None


def pytest_collection_modifyitems(config, items):
    reason = browser_unavailable()
    if reason:
        skip = pytest.mark.skip(reason=f"browser tests skipped: {reason}")
        for item in items:
            if "tests/browser" in str(item.fspath):
                item.add_marker(skip)


@dataclass
class Site:
    """The running site: its URL, the SMTP server's received mail, and a way into its database."""

    url: str
    smtp: SMTPServer
    app: object
    shots: Path
    steps: list[str] = field(default_factory=list)

    def mails_to(self, address: str):
        return [m for m in self.smtp.received if address in m.rcpt_tos]

    def link_in_mail(self, address: str, pattern: str) -> str:
        """The newest link matching `pattern` in mail to `address` (text part)."""
        for mail in reversed(self.mails_to(address)):
            body = mail.message.get_body(("plain",)).get_content()
            found = re.search(pattern, body)
            if found:
                return found.group(0)
        raise AssertionError(f"no mail to {address} with {pattern}")


@pytest.fixture
def site(tmp_path, request):
    """A fresh site with an admin, an organizer and a few member units (see `seed`)."""
    if browser_unavailable():
        pytest.skip(browser_unavailable())
    database = tmp_path / "site.sqlite"
    url = f"sqlite:///{database}"
    os.environ["EVENTSITE_INSTANCE"] = str(tmp_path / "instance")
    smtp = SMTPServer()
    smtp.start()
    port = cluster.free_port()
    env = cluster.environment(url, port, tmp_path / "instance", smtp.port)
    # The seeding app writes travel documents with the served site's key, or the site cannot read them.
    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": url,
                                 "DATA_ENCRYPTION_KEYS": [env["DATA_ENCRYPTION_KEYS"]]})
    with app.app_context():
        db.create_all()
    shots = SCREENSHOTS / re.sub(r"[^\w.-]+", "_", request.node.name)
    shutil.rmtree(shots, ignore_errors=True)
    shots.mkdir(parents=True)
    try:
        with cluster.processes([cluster.gunicorn(port, env, workers=2), cluster.mail_worker(env)],
                               tmp_path) as running:
            cluster.wait_until_serving(port, running[0])
            yield Site(url=f"http://127.0.0.1:{port}", smtp=smtp, app=app, shots=shots)
    finally:
        smtp.stop()
        with app.app_context():
            db.engine.dispose()


@pytest.fixture(scope="session")
def chromium():
    reason = browser_unavailable()
    if reason:
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page_factory(chromium):
    """page(locale="en", width=1280) -> a new page in its own context (cookies, language)."""
    contexts = []

    def make(locale: str = "en", width: int = 1280, height: int = 900):
        context = chromium.new_context(
            locale="zh-CN" if locale == "zh" else "en-US", viewport={"width": width, "height": height},
            extra_http_headers={"Accept-Language": "zh-CN,zh;q=0.9" if locale == "zh" else "en"},
        )
        context.set_default_timeout(15000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


def pytest_terminal_summary(terminalreporter):
    if SCREENSHOTS.exists() and any(SCREENSHOTS.iterdir()):
        terminalreporter.write_line(f"browser screenshots: {SCREENSHOTS}")
