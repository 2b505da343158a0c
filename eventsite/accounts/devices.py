"""Device cookies: a browser that has logged in to an account before is known to it, and the
throttle counts its failures on their own, so failures from elsewhere never lock the owner out
(docs/security.md, "Login throttling"). The cookie names no account (each is a MAC of browser id
and account id under the secret key) and grants nothing but that.
"""
from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass, field

from flask import current_app, url_for
from itsdangerous import BadData, URLSafeTimedSerializer

COOKIE = "eventsite_device"
MAX_ACCOUNTS = 8  # a shared office computer: the newest accounts are kept
MAX_COOKIE_LENGTH = 1000  # ours are ~400 characters; anything longer is not parsed


@dataclass
class Device:
    """What a browser's device cookie says: its id and the accounts it logged in to."""

    nonce: str = field(default_factory=lambda: secrets.token_urlsafe(16))
    tags: list[str] = field(default_factory=list)

    def trusts(self, user_id: int) -> bool:
        return any(hmac.compare_digest(tag, _tag(self.nonce, user_id)) for tag in self.tags)


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="login-device")


def _tag(nonce: str, user_id: int) -> str:
    key = current_app.config["SECRET_KEY"].encode("utf-8")
    return hmac.new(key, f"{nonce}:{user_id}".encode(), hashlib.sha256).hexdigest()[:32]


def _max_age() -> int:
    return int(current_app.config["LOGIN_DEVICE_DAYS"]) * 86400


def read(raw: str | None) -> Device | None:
    """The device a cookie value describes, or None (absent, forged, expired, malformed)."""
    if not raw or len(raw) > MAX_COOKIE_LENGTH:
        return None
    try:
        data = _serializer().loads(raw, max_age=_max_age())
    except BadData:
        return None
    nonce, tags = (data.get("n"), data.get("a")) if isinstance(data, dict) else (None, None)
    if not isinstance(nonce, str) or not isinstance(tags, list):
        return None
    return Device(nonce=nonce, tags=[t for t in tags if isinstance(t, str)][:MAX_ACCOUNTS])


def remember(response, user_id: int, device: Device | None) -> None:
    """Mark this browser as known to the account on `response` (after a proven login)."""
    device = device or Device()
    tag = _tag(device.nonce, user_id)
    tags = [tag] + [t for t in device.tags if t != tag]
    value = _serializer().dumps({"n": device.nonce, "a": tags[:MAX_ACCOUNTS]})
    config = current_app.config
    response.set_cookie(COOKIE, value, max_age=_max_age(), path=url_for("accounts.login"),
                        secure=bool(config.get("SESSION_COOKIE_SECURE")), httponly=True,
                        samesite="Strict")
