"""`flask privacy ...`: export one person's data, erase an event's delegates, apply retention."""
from __future__ import annotations

import json

import click
from flask.cli import AppGroup

from ..core.crypto import rewrite_all
from ..core.domain import DomainError
from ..events.models import Event
from ..extensions import db
from .erasure import erase_due, erase_event, retention_days
from .services import export

privacy_cli = AppGroup("privacy", help="Personal data: export and erasure.")


@privacy_cli.command("export")
@click.argument("email")
@click.option("--output", "-o", type=click.File("w", encoding="utf-8"), default="-",
              help="File to write the JSON to (default: standard output).")
def export_command(email: str, output) -> None:
    """Write everything held about EMAIL as JSON."""
    json.dump(export(email), output, ensure_ascii=False, indent=2)
    output.write("\n")


@privacy_cli.command("erase-event")
@click.argument("event_id", type=int)
def erase_event_command(event_id: int) -> None:
    """Erase the personal data of an ended event's delegates."""
    event = db.session.get(Event, event_id)
    if event is None:
        raise click.ClickException(f"no event {event_id}")
    try:
        count = erase_event(event)
    except DomainError:
        raise click.ClickException("the event has not ended yet") from None
    click.echo(f"erased the personal data of {count} delegate(s) of event {event_id}")


@privacy_cli.command("apply-retention")
def apply_retention_command() -> None:
    """Erase every event past the retention period now (the worker does this hourly)."""
    erased = erase_due()
    click.echo(f"retention {retention_days()} days: erased events {erased or 'none'}")


@privacy_cli.command("rekey")
def rekey_command() -> None:
    """Encrypt every travel document and letter again with the first of DATA_ENCRYPTION_KEYS
    (after putting a new key in front); then the old keys can be removed."""
    done = rewrite_all(db.session, db.Model)
    click.echo("encrypted again: " + ", ".join(f"{table} {rows}" for table, rows in sorted(done.items())))
