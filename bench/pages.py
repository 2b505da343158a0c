"""Pages under load: hello, then the app, each behind gunicorn with 2 workers, loaded in turn by
wrk; and the peak memory of an app worker and of a mail worker running beside them."""
from __future__ import annotations

import time
import urllib.error
import urllib.request
from dataclasses import asdict
from pathlib import Path

from . import servers
from .dataset import Dataset

WORKERS = 2
CONNECTIONS = 8


def page_paths(data: Dataset) -> dict[str, tuple[str, str | None]]:
    """name -> (path, who must be logged in: None, "liaison" or "organizer")."""
    return {
        "event list": ("/events/", None),
        "event page": (f"/events/{data.event_id}", None),
        "public feed": ("/calendar/alliance.ics", None),
        "public feed 304": ("/calendar/alliance.ics", None),
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
    results.update(_load_pages(database_url, data, work, seconds, memory=True))
    results["rendered"] = _load_pages(database_url, data, work, seconds, PAGE_CACHE_SECONDS="0")
    return results


def _load_pages(database_url: str, data: Dataset, work: Path, seconds: int, memory: bool = False,
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
        if memory:
            time.sleep(0.5)
            workers = servers.worker_pids(app.pid)
            results["memory_kib"] = {
                "app worker (peak of the workers)": max(map(servers.peak_rss_kib, workers), default=0),
                "mail worker": servers.peak_rss_kib(mailer.pid),
            }
    return results
