"""Registration burst: every unit's liaison posts its delegation at the same moment to gunicorn
with 4 workers on PostgreSQL. Counts errors (anything but the 302 to the saved delegation) and
overbooking (confirmed delegates beyond capacity), and the latency of the posts."""
from __future__ import annotations

import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import sqlalchemy as sa

from tests.reliability.browser import Browser, Log, form_fields

from . import database, servers
from .dataset import BURST_CAPACITY, BURST_QUOTA, Dataset

WORKERS = 4


def _people(i: int) -> dict[str, str]:
    fields = {}
    for p in range(BURST_QUOTA):
        fields |= {f"people-{p}-role": "head" if p == 0 else "member",
                   f"people-{p}-family_name": f"Unit{i}", f"people-{p}-given_name": f"Person{p}",
                   f"people-{p}-email": f"u{i}p{p}@delegates.example.org",
                   f"people-{p}-language": "zh" if (i + p) % 2 else "en"}
    return fields


def _prepare(base: str, path: str, email: str, password: str, i: int) -> tuple[Browser, dict]:
    browser = Browser(email, Log())
    page = browser.get(base + "/login")
    reply = browser.post(base + "/login", form_fields(page.body, action="/login", press="submit")
                         | {"email": email, "password": password})
    if reply.status != 302:
        raise RuntimeError(f"login of {email}: {reply.status}")
    page = browser.get(base + path)
    return browser, form_fields(page.body, id="delegation-form", press="submit") | _people(i)


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))] if ordered else 0.0


def run(database_url: str, data: Dataset, work: Path) -> dict:
    port = servers.free_port()
    env = servers.environment(database_url, port, work / "instance")
    base, path = f"http://127.0.0.1:{port}", f"/events/{data.burst_event_id}/delegation"
    units = len(data.liaison_emails)
    barrier = threading.Barrier(units)
    statuses: list[int] = []
    latencies: list[float] = []
    lock = threading.Lock()

    def client(i: int, browser: Browser, form: dict) -> None:
        barrier.wait(timeout=120)
        t0 = time.perf_counter()
        try:
            status = browser.post(base + path, form).status
        except OSError:
            status = 0
        with lock:
            statuses.append(status)
            latencies.append((time.perf_counter() - t0) * 1000)

    with servers.processes([servers.gunicorn("wsgi:app", port, env, WORKERS)], work) as (app,):
        servers.wait_until_serving(port, app)
        with ThreadPoolExecutor(8) as pool:
            prepared = list(pool.map(lambda i: _prepare(base, path, data.liaison_emails[i],
                                                        data.password, i), range(units)))
        threads = [threading.Thread(target=client, args=(i, *prepared[i])) for i in range(units)]
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=300)
        wall = time.perf_counter() - started

    engine = sa.create_engine(database.driver_url(database_url))
    with engine.connect() as conn:
        counts = Counter(dict(conn.execute(sa.text(
            "SELECT status, count(*) FROM delegate WHERE event_id = :e GROUP BY status"),
            {"e": data.burst_event_id}).all()))
        seats = conn.execute(sa.text("SELECT seats_taken FROM event WHERE id = :e"),
                             {"e": data.burst_event_id}).scalar_one()
        delegations = conn.execute(sa.text("SELECT count(*) FROM delegation WHERE event_id = :e"),
                                   {"e": data.burst_event_id}).scalar_one()
    engine.dispose()
    return {
        "units": units, "workers": WORKERS, "capacity": BURST_CAPACITY, "wall_s": round(wall, 2),
        "errors": sum(1 for s in statuses if s != 302) + (units - len(statuses)),
        "overbooking": max(0, counts["confirmed"] - BURST_CAPACITY) + abs(seats - counts["confirmed"]),
        "delegations": delegations, "confirmed": counts["confirmed"], "waitlisted": counts["waitlisted"],
        "seats_taken": seats,
        "p50_ms": round(_percentile(latencies, 0.5), 1), "p99_ms": round(_percentile(latencies, 0.99), 1),
    }
