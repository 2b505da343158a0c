"""Use cases at the same moment, as two organizers' clicks or two devices' uploads arrive.

Each job runs in its own thread inside an app context of its own (its own database session;
pass two apps from `app_factory` to be two processes' worth of engines). The job first loads what
it needs, then every thread waits at one barrier, so the writes race for real.
"""
from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from typing import Any

from eventsite.core.domain import DomainError
from eventsite.extensions import db

REFUSED = "refused"


def at_once(apps: Sequence, jobs: Sequence[tuple], load: Callable[..., tuple],
            act: Callable[..., Any], *, refused: Callable[[DomainError], Any] = lambda _error: REFUSED
            ) -> list:
    """For job number n, in a thread with apps[n % len(apps)]: `loaded = load(*job)`, wait for
    every thread, then `act(*loaded)`. Returns the outcomes in the order they finished: what `act`
    returned, or `refused(error)` for a broken rule (after a rollback, as a view would). Any other
    exception fails the calling test."""
    barrier = threading.Barrier(len(jobs))
    outcomes, errors, lock = [], [], threading.Lock()

    def run(app, job):
        with app.app_context():
            try:
                loaded = load(*job)
                barrier.wait(timeout=30)
                try:
                    outcome = act(*loaded)
                except DomainError as error:
                    db.session.rollback()
                    outcome = refused(error)
                with lock:
                    outcomes.append(outcome)
            except Exception as exc:  # noqa: BLE001 - reported below, in the test's thread
                errors.append(exc)
                barrier.abort()  # the others stop waiting for a thread that failed
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run, args=(apps[n % len(apps)], job)) for n, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    assert not any(thread.is_alive() for thread in threads), "a racing use case did not finish"
    return outcomes
