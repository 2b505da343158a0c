"""The emails of the accounts feature, written to the outbox in the recipient's language."""
from __future__ import annotations

from flask import current_app
from flask_babel import force_locale

from ..core.gettext import lazy_gettext as _l
from ..core.urls import external_url
from ..mail.services import enqueue_template, register_kind
from .models import User

ACTIVATION = register_kind("account_activation", _l("Account activation"))
PASSWORD_RESET = register_kind("password_reset", _l("Password reset"))


def language_of(user: User) -> str:
    config = current_app.config
    return user.locale if user.locale in config["LANGUAGES"] else config["BABEL_DEFAULT_LOCALE"]


# purpose: (kind, template, endpoint, subject, the setting with the link's hours)
LINKS = {
    "activate": (ACTIVATION, "activate_account", "accounts.activate", _l("Activate your account"),
                 "ACTIVATION_HOURS"),
    "reset": (PASSWORD_RESET, "reset_password", "accounts.reset_password", _l("Reset your password"),
              "PASSWORD_RESET_HOURS"),
}


def send_link(user: User, raw_token: str, purpose: str) -> None:
    """An activation or reset link in the account's language (caller commits)."""
    kind, template, endpoint, subject, hours = LINKS[purpose]
    language = language_of(user)
    with force_locale(language):
        subject_text = str(subject)
    enqueue_template(kind=kind, template=template, to_addr=user.email, to_name=user.name, language=language,
                     subject=subject_text, refs={"user": user.id},
                     context={"user": user, "link": external_url(endpoint, token=raw_token),
                              "hours": current_app.config[hours]})
