"""eventsite: events, invitations and delegations for an alliance of cities."""
from __future__ import annotations

import os
from pathlib import Path

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from config import CONFIGS, instance_dir


def create_app(config_name: str | None = None, overrides: dict | None = None) -> Flask:
    """Build the application: configuration, extensions, blueprints, error pages, commands."""
    app = Flask(__name__, instance_path=str(instance_dir()),
                template_folder=str(_project_dir() / "templates"))
    config_class = CONFIGS[config_name or os.environ.get("EVENTSITE_CONFIG", "development")]
    app.config.from_object(config_class)
    app.config.update(overrides or {})
    config_class.check(app.config)
    os.makedirs(app.instance_path, exist_ok=True)
    if app.config["PROXY_COUNT"]:
        n = app.config["PROXY_COUNT"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n, x_host=n)  # type: ignore[method-assign]

    from .cli import init_app as register_commands
    from .core.errors import init_app as register_errorhandlers

    register_extensions(app)
    register_blueprints(app)
    register_errorhandlers(app)
    register_commands(app)
    return app


def _project_dir() -> Path:
    """Where templates/ and migrations/ are: the top of a checkout (the project's layout), or the
    package itself when installed from the wheel (setup.py copies them in)."""
    package = Path(__file__).resolve().parent
    return package if (package / "templates").is_dir() else package.parent


def register_extensions(app: Flask) -> None:
    from . import models  # noqa: F401  (every table known to SQLAlchemy and Alembic)
    from .accounts import jobs as account_jobs  # noqa: F401  (pruning, run by the worker)
    from .accounts import loader  # noqa: F401  (the user loader)
    from .certificates import jobs as certificate_jobs  # noqa: F401  (their mails, drawn by the worker)
    from .core import i18n, lookup, pagecache, security, templating
    from .delegations import receivers
    from .extensions import bootstrap, configure_sessions, csrf, db, feed_cache, login_manager, mail, migrate
    from .hotels import receivers as hotel_receivers
    from .invitations.services import reminders  # noqa: F401  (automatic reminders, run by the worker)
    from .letters import receivers as letter_receivers
    from .meetings import receivers as meeting_receivers
    from .pickups import receivers as pickup_receivers
    from .privacy import jobs  # noqa: F401  (retention, run by the worker)

    receivers.connect()  # delegations hear of changed and cancelled events (events/signals.py)
    hotel_receivers.connect()  # hotels free the room of a delegate who left (delegations/signals.py)
    letter_receivers.connect()  # letters issue what was requested for people confirmed (the same)
    pickup_receivers.connect()  # pickups free the seats of a delegate who left (the same)
    meeting_receivers.connect()  # meetings of a delegation nobody comes with any more are cancelled
    lookup.init_app(app)  # before any blueprint adds a route using <int:...>
    db.init_app(app)
    with app.app_context():
        configure_sessions(db.engine)
    migrate.init_app(app, db, directory=str(_project_dir() / "migrations"), compare_type=True)
    login_manager.init_app(app)
    mail.init_app(app)
    csrf.init_app(app)
    bootstrap.init_app(app)
    i18n.init_app(app)
    security.init_app(app)
    templating.init_app(app)
    pagecache.init_app(app)
    feed_cache.init_app(app)


def register_blueprints(app: Flask) -> None:
    from .accounts.admin_views import bp as users_bp
    from .accounts.views import bp as accounts_bp
    from .audit.views import bp as audit_bp
    from .badges.admin_views import bp as badges_bp
    from .calendar.views import bp as calendar_bp
    from .certificates.admin_views import bp as certificate_admin_bp
    from .certificates.views import bp as certificates_bp
    from .checkin.admin_views import bp as checkin_admin_bp
    from .checkin.views import bp as checkin_bp
    from .cooperation.admin_views import bp as cooperation_admin_bp
    from .cooperation.views import bp as cooperation_bp
    from .core.views import bp as core_bp
    from .delegations.admin_views import bp as delegation_admin_bp
    from .delegations.views import bp as delegations_bp
    from .delegations.views import personal_bp as delegate_bp
    from .events.admin_views import bp as event_admin_bp
    from .events.views import bp as events_bp
    from .home.views import bp as home_bp
    from .hotels.admin_views import bp as hotel_admin_bp
    from .hotels.views import bp as hotels_bp
    from .invitations.admin_views import bp as invitation_admin_bp
    from .invitations.views import bp as invitations_bp
    from .letters.admin_views import bp as letter_admin_bp
    from .letters.views import bp as letters_bp
    from .mail.admin_views import bp as message_admin_bp
    from .mail.views import bp as mail_bp
    from .meetings.admin_views import bp as meeting_admin_bp
    from .meetings.views import bp as meetings_bp
    from .members.views import bp as members_bp
    from .pickups.admin_views import bp as pickup_admin_bp
    from .pickups.views import bp as pickups_bp
    from .privacy.views import bp as privacy_bp

    for bp in (core_bp, home_bp, accounts_bp, users_bp, members_bp, mail_bp, message_admin_bp, audit_bp, events_bp,
               event_admin_bp, invitation_admin_bp, invitations_bp, delegations_bp,
               delegation_admin_bp, delegate_bp, calendar_bp, privacy_bp, hotel_admin_bp, hotels_bp,
               letters_bp, letter_admin_bp, pickup_admin_bp, pickups_bp, checkin_bp, checkin_admin_bp,
               certificates_bp, certificate_admin_bp, badges_bp, meetings_bp, meeting_admin_bp,
               cooperation_bp, cooperation_admin_bp):
        app.register_blueprint(bp)

