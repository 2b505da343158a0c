"""`flask mail ...`: run the delivery worker and look after the queue."""
from __future__ import annotations

import logging
from datetime import timedelta

import click
from flask.cli import AppGroup

from ..extensions import db, now_utc
from .models import OutboxMessage

mail_cli = AppGroup("mail", help="Deliver the outbox.")


@mail_cli.command("worker")
@click.option("--once", is_flag=True, help="Run a single pass and exit.")
@click.option("--interval", type=float, default=None, help="Seconds between passes.")
def worker_command(once: bool, interval: float | None) -> None:
    """Deliver due mail in a loop until SIGTERM or Ctrl-C."""
    from .worker import run_worker

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    run_worker(interval=interval, once=once)


@mail_cli.command("send-pending")
@click.option("--limit", type=click.IntRange(min=1), default=None, help="At most this many.")
def send_pending_command(limit: int | None) -> None:
    """Run one delivery pass and print what happened."""
    from .worker import send_pending

    click.echo(", ".join(f"{key} {value}" for key, value in send_pending(limit=limit).items()))


@mail_cli.command("retry-failed")
def retry_failed_command() -> None:
    """Put every failed message back in the queue, due now."""
    result = db.session.execute(db.update(OutboxMessage).where(OutboxMessage.state == "failed")
                                .values(state="pending", next_attempt_at=now_utc(), attempts=0))
    db.session.commit()
    click.echo(f"requeued {result.rowcount}")


@mail_cli.command("purge")
@click.option("--days", type=click.IntRange(min=1), required=True, help="Keep this many days.")
def purge_command(days: int) -> None:
    """Delete sent mail older than DAYS days (with its attachments)."""
    limit = now_utc() - timedelta(days=days)
    rows = db.session.scalars(db.select(OutboxMessage).where(OutboxMessage.state == "sent",
                                                             OutboxMessage.sent_at < limit)).all()
    for row in rows:
        db.session.delete(row)  # ORM delete, so attachments go on SQLite too
    db.session.commit()
    click.echo(f"deleted {len(rows)}")
