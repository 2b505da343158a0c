"""Headers every response carries, no caching of pages that show private data, and the stricter
rule for pages reached by a secret link."""
from __future__ import annotations

from functools import wraps

from flask import Flask, abort, request
from flask.sessions import SecureCookieSessionInterface
from flask_login import current_user
from itsdangerous import URLSafeTimedSerializer

from ..extensions import csrf

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; form-action 'self'; object-src 'none'; "
    "base-uri 'none'; frame-ancestors 'none'")
DEFAULT_HEADERS = {"Content-Security-Policy": CSP, "X-Content-Type-Options": "nosniff",
                   "Referrer-Policy": "same-origin", "X-Frame-Options": "DENY"}

# Pages whose URL carries a secret link (reset, activation, invitation, delegate): never stored by
# a cache, never sent on as a Referer, so the secret stays out of caches and other sites' logs.
TOKEN_PAGE_HEADERS = {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"}


def token_page(view):
    """Mark a view reached by a secret link (right under the route): the headers go on every answer
    of the endpoint, also refused CSRF tokens, oversized bodies and error pages."""
    view.token_page = True
    return view


def is_token_page(app: Flask, endpoint: str | None) -> bool:
    return bool(endpoint) and getattr(app.view_functions.get(endpoint), "token_page", False)


class _SessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie sessions, with the signer built once per set of keys: Flask builds
    it anew twice per request (opening and saving), a measurable part of a kept page's cost."""

    _signers: dict[tuple, URLSafeTimedSerializer | None] = {}

    def get_signing_serializer(self, app: Flask) -> URLSafeTimedSerializer | None:
        keys = (app.secret_key, tuple(app.config.get("SECRET_KEY_FALLBACKS") or ()))
        if keys not in self._signers:
            self._signers[keys] = super().get_signing_serializer(app)
        return self._signers[keys]


def init_app(app: Flask) -> None:
    app.session_interface = _SessionInterface()

    @app.before_request
    def refuse_nul_in_query_string():
        # No filter or link ever carries NUL, and PostgreSQL refuses it in any text parameter;
        # refusing it here spares every view from checking. (Forms report it per field.)
        if any("\x00" in key or "\x00" in value for key, value in request.args.items(multi=True)):
            abort(400)

    @app.after_request
    def set_security_headers(response):
        headers = response.headers
        for name, value in DEFAULT_HEADERS.items():  # a view's own value wins
            headers.setdefault(name, value)
        if app.config.get("SESSION_COOKIE_SECURE"):
            headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
        if getattr(current_user, "is_authenticated", False) and request.endpoint != "static":
            headers["Cache-Control"] = "no-store"
        if is_token_page(app, request.endpoint):
            headers.update(TOKEN_PAGE_HEADERS)
        return response


def csrf_when_logged_in(view):
    """For a browser's display preferences (language, time zone): anonymously they change only the
    reader's session, so no token is asked and public pages stay cacheable; logged in, they are
    stored on the account, so the token is required as everywhere else."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        if current_user.is_authenticated:
            csrf.protect()
        return view(*args, **kwargs)

    return csrf.exempt(wrapper)
