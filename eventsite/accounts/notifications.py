"""The emails of the accounts feature, written to the outbox in the recipient's language."""
from __future__ import annotations

from flask import current_app
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from ..core.urls import external_url
from ..mail.services import enqueue_template, register_kind
from .models import User

ACTIVATION = register_kind("account_activation", _l("Account activation"))
PASSWORD_RESET = register_kind("password_reset", _l("Password reset"))


def language_of(user: User) -> str:
    """The account's interface language, else the site's default locale."""
    languages = current_app.config["LANGUAGES"]
    if user.locale in languages:
        return user.locale  # type: ignore[return-value]
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def _send_link(user: User, raw_token: str, *, kind: str, template: str, endpoint: str,
               subject: str, hours: int) -> None:
    """One emailed link in the account's language (caller commits). `subject` is a lazy string."""
    language = language_of(user)
    with force_locale(language):
        subject_text = str(subject)
    enqueue_template(kind=kind, template=template, to_addr=user.email, to_name=user.name, language=language,
                     subject=subject_text, refs={"user": user.id},
                     context={"user": user, "link": external_url(endpoint, token=raw_token), "hours": hours})


def send_activation(user: User, raw_token: str) -> None:
    """Invite a new account to choose its password (caller commits)."""
    _send_link(user, raw_token, kind=ACTIVATION, template="activate_account",
               endpoint="accounts.activate", subject=_l("Activate your account"),
               hours=current_app.config["ACTIVATION_HOURS"])


def send_password_reset(user: User, raw_token: str) -> None:
    """The "forgot password" link (caller commits)."""
    _send_link(user, raw_token, kind=PASSWORD_RESET, template="reset_password",
               endpoint="accounts.reset_password", subject=_l("Reset your password"),
               hours=current_app.config["PASSWORD_RESET_HOURS"])
