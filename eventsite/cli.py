"""Command groups: `flask users`, `flask mail`, `flask demo`, `flask backup`, `flask privacy`. Nothing imports this module."""
from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from .accounts.cli import users_cli
    from .backup import backup_cli
    from .demo import demo_cli
    from .mail.cli import mail_cli
    from .privacy.cli import privacy_cli

    for group in (users_cli, mail_cli, demo_cli, backup_cli, privacy_cli):
        app.cli.add_command(group)
