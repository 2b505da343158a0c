"""Mail: issue 1,000 invitations (one outbox row each, in one transaction), then let a real
`flask mail worker` process deliver them to a local SMTP server; against plain smtplib sending
the very same bytes over one reused connection in the same run.

The worker's clock starts when it logs "mail worker started" (its first pass begins right after),
not when its process is spawned: importing and configuring the app (about 0.5-1 s) is no part of
delivering mail, and smtplib's side has no such cost either. The start-up is reported apart."""
from __future__ import annotations

import smtplib
import time
from pathlib import Path

import sqlalchemy as sa

from eventsite.extensions import db
from eventsite.invitations.services import issuing
from eventsite.mail.models import OutboxMessage
from eventsite.mail.services import Content
from eventsite.members.audience import Audience
from tests.conftest import SMTPServer
from tests.factories import make_contact, make_event, make_unit, make_user

from . import database, servers

INVITATIONS = 1000
CONTENT = Content(subject_en="Invitation to the forum", body_en="Dear colleagues,\n\nYou are invited.",
                  subject_zh="论坛邀请", body_zh="各位同事：\n\n诚邀参加。")


def run(database_url: str, work: Path) -> dict:
    app = database.fresh_app(database_url, str(work / "instance"))
    with app.app_context():
        for i in range(INVITATIONS):
            make_contact(make_unit(), role="liaison", language="zh" if i % 2 else "en",
                         receives_invitations=True)
        event, author = make_event(), make_user(role="organizer")
        db.session.commit()
        t0 = time.perf_counter()
        issuing.issue(event, Audience(everyone=True), CONTENT, author)
        issue_s = time.perf_counter() - t0
        rows = db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage))

    smtp = SMTPServer()
    smtp.start()
    try:
        port = servers.free_port()
        env = servers.environment(database_url, port, work / "instance", smtp_port=smtp.port)
        spawned = time.perf_counter()
        with servers.processes([servers.mail_worker(env)], work) as (worker,):
            _wait_until_started(worker, work / "process-0.log")  # the log servers.processes writes
            started = time.perf_counter()
            while len(smtp.received) < rows and time.perf_counter() - started < 300:
                if worker.poll() is not None:
                    raise RuntimeError("the mail worker exited")
                time.sleep(0.01)
            worker_s = time.perf_counter() - started
            worker_peak = servers.peak_rss_kib(worker.pid)
        delivered = list(smtp.received)
        smtp.received.clear()
        t0 = time.perf_counter()
        with smtplib.SMTP(smtp.host, smtp.port, timeout=30) as conn:
            for mail in delivered:
                conn.sendmail(mail.mail_from, mail.rcpt_tos, mail.data)
        plain_s = time.perf_counter() - t0
    finally:
        smtp.stop()
    worker_rate, plain_rate = len(delivered) / worker_s, len(delivered) / plain_s
    return {
        "invitations": INVITATIONS, "outbox_rows": rows, "issue_s": round(issue_s, 2),
        "issue_rows_per_s": round(rows / issue_s, 1), "delivered": len(delivered),
        "worker_start_s": round(started - spawned, 2), "worker_s": round(worker_s, 2),
        "worker_per_s": round(worker_rate, 1),
        "smtplib_s": round(plain_s, 2), "smtplib_per_s": round(plain_rate, 1),
        "ratio": round(worker_rate / plain_rate, 3), "worker_peak_rss_kib": worker_peak,
        "batch_size": int(env["MAIL_BATCH_SIZE"]), "interval_s": float(env["MAIL_WORKER_INTERVAL"]),
    }


def _wait_until_started(worker, log: Path, seconds: float = 60) -> None:
    deadline = time.perf_counter() + seconds
    while b"mail worker started" not in (log.read_bytes() if log.exists() else b""):
        if worker.poll() is not None or time.perf_counter() > deadline:
            raise RuntimeError(f"the mail worker did not start: {log.read_text(errors='replace')}")
        time.sleep(0.002)
