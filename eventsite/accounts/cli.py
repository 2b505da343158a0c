"""`flask users create-admin` (the first account, or a spare one) and `flask users list`."""
from __future__ import annotations

import click
import sqlalchemy as sa
from flask.cli import AppGroup
from flask_babel import force_locale

from ..core.domain import DomainError
from ..extensions import db
from . import queries, services
from .models import User

users_cli = AppGroup("users", help="Manage user accounts.")


@users_cli.command("create-admin")
@click.option("--email", required=True, help="The administrator's email address (their login).")
@click.option("--name", default="", help="Display name.")
@click.option("--password", default=None,
              help="At least 10 characters. Omit it to be asked (hidden input, typed twice).")
def create_admin(email: str, name: str, password: str | None) -> None:
    """Create an activated administrator account."""
    if password is None:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        user = services.create_admin(email=email, name=name, password=password)
    except DomainError as error:
        with force_locale("en"):  # no request here, so no reader's language to choose
            raise click.ClickException(str(error.message)) from None
    click.echo(f"Created administrator {user.email} (id {user.id}).")


@users_cli.command("list")
def list_users() -> None:
    """Print every account: id, email, role, status, name."""
    users = db.session.scalars(sa.select(User).order_by(User.id)).all()
    if not users:
        click.echo("No accounts yet. Create one with: flask users create-admin --email ...")
        return
    for user in users:
        click.echo(f"{user.id}\t{user.email}\t{user.role}\t{queries.status_of(user)}\t{user.name}")
