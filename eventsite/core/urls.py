"""Redirect targets that came from the user are accepted only as local paths."""
from __future__ import annotations

from urllib.parse import urlencode, urlsplit

from flask import current_app, request, url_for


def safe_next(target: str | None) -> str | None:
    """`target` if it is a path on this site, else None: no absolute URL, no '//host' nor '/\\host'
    (browsers treat a backslash as a slash), no control characters."""
    if not target or len(target) > 2000 or any(ord(ch) < 32 or ord(ch) == 127 for ch in target):
        return None
    if not target.startswith("/") or target.startswith(("//", "/\\")):
        return None
    parts = urlsplit(target)
    return None if parts.scheme or parts.netloc else target


def external_url(endpoint: str, **values) -> str:
    """An absolute URL for emails, always built from SERVER_NAME, never from a request's Host."""
    server = current_app.config.get("SERVER_NAME")
    scheme = current_app.config.get("PREFERRED_URL_SCHEME", "http")
    if not server:
        raise RuntimeError("SERVER_NAME must be set to build links for emails")
    return f"{scheme}://{server}{url_for(endpoint, _external=False, **values)}"


def url_with_page(page: int) -> str:
    """The current page's URL with another page number. The query is copied as it came, never
    passed to url_for, whose own names (`_external`, a path argument's) a visitor must not steer."""
    pairs = [(k, v) for k, v in request.args.items(multi=True) if k != "page"] + [("page", str(page))]
    return f"{url_for(request.endpoint, **(request.view_args or {}))}?{urlencode(pairs)}"
