"""Processes for the bench, built on tests/reliability/cluster.py (production configuration,
gunicorn, start/stop) so the bench and the scale-out test run the app the same way."""
from __future__ import annotations

import re
import shutil
import subprocess  # nosec B404 # our own commands, fixed argument lists, no shell
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin

from tests.reliability import cluster
from tests.reliability.browser import Browser, Log, form_fields

free_port, environment, processes, wait_until_serving, mail_worker = (
    cluster.free_port, cluster.environment, cluster.processes, cluster.wait_until_serving,
    cluster.mail_worker)


def gunicorn(app_path: str, port: int, env: dict, workers: int) -> tuple[list[str], dict]:
    """The same gunicorn settings for the app and for hello: only the WSGI target differs."""
    argv, env = cluster.gunicorn(port, env, workers=workers)
    return argv[:-1] + [app_path], env


def worker_pids(master: int) -> list[int]:
    """The gunicorn workers (children of the master process)."""
    children = Path(f"/proc/{master}/task/{master}/children")
    return [int(p) for p in children.read_text().split()] if children.exists() else []


def peak_rss_kib(pid: int) -> int:
    """VmHWM: the most resident memory the process ever had, in KiB (0 if it is gone)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0
    match = re.search(r"VmHWM:\s+(\d+) kB", status)
    return int(match.group(1)) if match else 0


# One browser logs in and then reads the pages: the same User-Agent for the login and for wrk,
# or Flask-Login's session protection sees a different client on every request.
USER_AGENT = "eventsite-bench"


def login_cookie(base: str, email: str, password: str) -> str:
    """Post the real login form; returns the Cookie header value for wrk."""
    browser = Browser(email, Log())
    browser.opener.addheaders = [("User-Agent", USER_AGENT)]
    page = browser.get(base + "/login")
    fields = form_fields(page.body, action="/login", press="submit")
    reply = browser.post(base + "/login", fields | {"email": email, "password": password})
    if reply.status != 302:
        raise RuntimeError(f"login of {email} answered {reply.status}")
    # Follow the redirect as a browser does: the page shows (and so removes) the welcome message
    # kept in the session; a cookie still carrying it would describe no real reader's request.
    landing = browser.get(urljoin(base + "/login", reply.location))
    if landing.status != 200:
        raise RuntimeError(f"the page after login of {email} answered {landing.status}")
    return "; ".join(f"{c.name}={c.value}" for c in browser.jar)


@dataclass
class WrkResult:
    rps: float
    p50_ms: float
    p99_ms: float
    requests: int
    errors: int  # responses other than 2xx/3xx
    socket_errors: int  # connect/read/write/timeout as wrk counts them


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def _ms(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(number) * _UNITS[unit]


def wrk(url: str, seconds: int, connections: int, headers: dict[str, str] | None = None) -> WrkResult:
    binary = shutil.which("wrk")
    if binary is None:
        raise RuntimeError("wrk is not installed (Debian: apt-get install wrk)")
    argv = [binary, "--latency", "-t2", f"-c{connections}", f"-d{seconds}s"]
    for name, value in (headers or {}).items():
        argv += ["-H", f"{name}: {value}"]
    out = subprocess.run(argv + [url], capture_output=True, text=True, check=True,  # nosec B603
                         timeout=seconds + 60).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p50 = _ms(re.search(r"^\s+50%\s+(\S+)", out, re.M).group(1))
    p99 = _ms(re.search(r"^\s+99%\s+(\S+)", out, re.M).group(1))
    requests = int(re.search(r"(\d+) requests in", out).group(1))
    errors = socket_errors = 0
    if match := re.search(r"Non-2xx or 3xx responses: (\d+)", out):
        errors = int(match.group(1))
    if match := re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out):
        socket_errors = sum(int(g) for g in match.groups())
    return WrkResult(rps, p50, p99, requests, errors, socket_errors)
