"""Pages under load: hello, then the app, each behind gunicorn with 2 workers, loaded in turn by
wrk; an event page while a liaison saves the delegation of another event several times a second
(pages under writes); and the peak memory of an app worker and of a mail worker beside them."""
from __future__ import annotations

import threading
import time
import urllib.error
import urllib.request
from dataclasses import asdict
from pathlib import Path

from tests.reliability.browser import Browser, Log, form_fields

from . import servers
from .dataset import Dataset

WORKERS = 2
CONNECTIONS = 8
WRITE_PAUSE_S = 0.1  # between two saves of the writer's delegation: several a second


def page_paths(data: Dataset) -> dict[str, tuple[str, str | None]]:
    """name -> (path, who must be logged in: None, "liaison" or "organizer")."""
    return {
        "event list": ("/events/", None),
        "event page": (f"/events/{data.event_id}", None),
        "public feed": ("/calendar/alliance.ics", None),
        "public feed 304": ("/calendar/alliance.ics", None),
        "event .ics": (f"/events/{data.event_id}/calendar.ics", None),
        "liaison page": ("/my/invitations", "liaison"),
        "delegation overview": (f"/organizer/events/{data.event_id}/delegations", "organizer"),
    }


def _fetch(url: str, headers: dict[str, str]) -> tuple[int, dict]:
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=30) as reply:  # nosec B310 # loopback
            return reply.status, dict(reply.headers)
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers)


def run(database_url: str, data: Dataset, work: Path, seconds: int) -> dict:
    results: dict = {"workers": WORKERS, "connections": CONNECTIONS, "seconds": seconds}
    port = servers.free_port()
    env = servers.environment(database_url, port, work / "instance")
    with servers.processes([servers.gunicorn("bench.hello:app", port, env, WORKERS)],
                           work) as (hello,):
        servers.wait_until_serving(port, hello)
        results["hello"] = asdict(servers.wrk(f"http://127.0.0.1:{port}/", seconds, CONNECTIONS))
    # As deployed (pages kept rendered, core/pagecache.py), then with the cache off: what a page
    # costs when it must be built (after every change, and for every page no one has read yet).
    results.update(_load_pages(database_url, data, work, seconds, deployed=True))
    results["rendered"] = _load_pages(database_url, data, work, seconds, PAGE_CACHE_SECONDS="0")
    return results


def _load_pages(database_url: str, data: Dataset, work: Path, seconds: int, deployed: bool = False,
                **config: str) -> dict:
    results: dict = {}
    port = servers.free_port()
    env = servers.environment(database_url, port, work / "instance") | config
    base = f"http://127.0.0.1:{port}"
    with servers.processes([servers.gunicorn("wsgi:app", port, env, WORKERS),
                            servers.mail_worker(env)], work) as (app, mailer):
        servers.wait_until_serving(port, app)
        cookies = {"liaison": servers.login_cookie(base, data.liaison_emails[0], data.password),
                   "organizer": servers.login_cookie(base, data.organizer_email, data.password)}
        for name, (path, who) in page_paths(data).items():
            headers = {"Cookie": cookies[who], "User-Agent": servers.USER_AGENT} if who else {}
            if name.endswith("304"):
                _status, reply_headers = _fetch(base + path, headers)
                headers["If-None-Match"] = reply_headers["ETag"]
            status, _ = _fetch(base + path, headers)
            expected = 304 if name.endswith("304") else 200
            if status != expected:
                raise RuntimeError(f"{name}: {path} answered {status}, expected {expected}")
            results[name] = asdict(servers.wrk(base + path, seconds, CONNECTIONS, headers))
            results[name]["path"] = path
        if deployed:
            results["pages under writes"] = _under_writes(base, data, seconds)
            time.sleep(0.5)
            workers = servers.worker_pids(app.pid)
            results["memory_kib"] = {
                "app worker (peak of the workers)": max(map(servers.peak_rss_kib, workers), default=0),
                "mail worker": servers.peak_rss_kib(mailer.pid),
            }
    return results


def _under_writes(base: str, data: Dataset, seconds: int) -> dict:
    """wrk on the event page while a liaison posts the real delegation form of another event
    (a changed name each time, so every post is a write) through the same gunicorn."""
    path = f"/events/{data.burst_event_id}/delegation"
    browser = Browser(data.liaison_emails[0], Log())
    page = browser.get(base + "/login")
    fields = form_fields(page.body, action="/login", press="submit")
    browser.post(base + "/login", fields | {"email": data.liaison_emails[0], "password": data.password})
    done, failed, stop = [0], [0], threading.Event()

    def write() -> None:
        while not stop.is_set():
            form = form_fields(browser.get(base + path).body, id="delegation-form", press="submit")
            form |= {"people-0-role": "head", "people-0-family_name": "Writer",
                     "people-0-given_name": f"Save{done[0]}", "people-0-email": "writer@example.org",
                     "people-0-language": "en"}
            if browser.post(base + path, form).status == 302:
                done[0] += 1
            else:
                failed[0] += 1
            stop.wait(WRITE_PAUSE_S)

    writer = threading.Thread(target=write)
    writer.start()
    try:
        result = asdict(servers.wrk(f"{base}/events/{data.event_id}", seconds, CONNECTIONS))
    finally:
        stop.set()
        writer.join(timeout=30)
    if not done[0] or failed[0]:
        raise RuntimeError(f"pages under writes: {done[0]} saves, {failed[0]} failed")
    return result | {"path": f"/events/{data.event_id}", "writes": done[0],
                     "writes_per_s": round(done[0] / seconds, 1)}
