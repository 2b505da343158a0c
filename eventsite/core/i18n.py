"""Language and time zone of the current reader.

Locale order: the account's preference, else the switch (kept in the session), else the
browser's Accept-Language, else DEFAULT_LOCALE.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

from flask import Flask, current_app, has_request_context, request, session
from flask_babel import force_locale, format_datetime, get_locale, get_timezone
from flask_login import current_user
from werkzeug.datastructures import LanguageAccept
from werkzeug.http import parse_accept_header

from ..extensions import babel
from . import gettext
from .gettext import gettext as _
from .gettext import lazy_gettext as _l
from .timezones import known_zone, utc_offset_label

LANGUAGE_NAMES = {"en": "English", "zh": "中文"}
# The value for <html lang> and for Content-Language.
HTML_LANG = {"en": "en", "zh": "zh-Hans"}
# The languages of bilingual content and of contacts, named in the reader's language.
LANGUAGE_LABELS = {"zh": _l("Chinese"), "en": _l("English")}


def language_label(code: str) -> str:
    return str(LANGUAGE_LABELS.get(code, code))


@dataclass(frozen=True)
class Text:
    """A bilingual field in the reader's language, or the other one with a note saying so."""

    value: str
    lang: str  # the value of the content's `lang` attribute
    fallback: bool = False
    note: str = ""  # "Shown in English: no Chinese version yet."
    short_note: str = ""  # "English only" (for session titles)

    def __bool__(self) -> bool:
        return bool(self.value)


def localized(obj, field_name: str, language: str) -> Text:
    """`obj`'s bilingual field (`obj.text(field, language)`) ready for a page."""
    value, shown = obj.text(field_name, language)
    if shown is None:
        return Text(value, HTML_LANG.get(language, language))
    return Text(value, HTML_LANG.get(shown, shown), True,
                _("Shown in %(shown)s: no %(missing)s version yet.",
                  shown=language_label(shown), missing=language_label(language)),
                _("%(language)s only", language=language_label(shown)))


def supported(code: str | None) -> str | None:
    if not code:
        return None
    code = code.replace("-", "_").split("_")[0].lower()
    return code if code in current_app.config["LANGUAGES"] else None


def select_locale() -> str:
    if not has_request_context():
        # CLI commands and the mail worker: emails choose their language with force_locale().
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    if getattr(current_user, "is_authenticated", False) and supported(current_user.locale):
        return current_user.locale
    return (supported(session.get("lang"))
            or supported(_browser_language(request.headers.get("Accept-Language", "")))
            or current_app.config["BABEL_DEFAULT_LOCALE"])


@lru_cache(maxsize=256)
def _browser_language(header: str) -> str | None:
    """The best of our languages for an Accept-Language header; browsers send a handful of
    distinct headers, so the parse and match are kept (part of every request, issue 9)."""
    accepted = parse_accept_header(header, LanguageAccept)
    return accepted.best_match(["en", "zh", "zh-CN", "zh-Hans", "zh-TW", "zh-HK", "en-US", "en-GB"])


# Where the viewer's chosen or browser-detected zone is kept (see events/services/viewer.py).
VIEWER_ZONE_KEY = "viewer_tz"


def reader_zone() -> str:
    """The zone the current reader reads times in: the one chosen or detected in this browser,
    else the account's, else DEFAULT_TIMEZONE. Every page uses it, so all times agree."""
    chosen = session.get(VIEWER_ZONE_KEY)
    if known_zone(chosen):
        return chosen
    if getattr(current_user, "is_authenticated", False) and known_zone(current_user.timezone):
        return current_user.timezone
    return current_app.config["BABEL_DEFAULT_TIMEZONE"]


def select_timezone() -> str:
    return reader_zone() if has_request_context() else current_app.config["BABEL_DEFAULT_TIMEZONE"]


def site_name(language: str | None = None) -> str:
    """The site's name (SITE_NAME_EN / SITE_NAME_ZH) in `language`, else the reader's."""
    return current_app.config["SITE_NAME_ZH" if (language or current_language()) == "zh" else "SITE_NAME_EN"]


def current_language() -> str:
    """'en' or 'zh', for choosing a field (name_zh / name_en) in Python code."""
    return str(get_locale() or "en").split("_")[0]


def format_instant(value: datetime | None, format: str = "short") -> str:
    """An instant in the reader's zone and locale, with its offset, so no one guesses the zone."""
    if value is None:
        return "—"
    local = value.astimezone(get_timezone())
    return f"{format_datetime(value, format)} ({utc_offset_label(local.utcoffset())})"


def init_app(app: Flask) -> None:
    babel.init_app(app, locale_selector=select_locale, timezone_selector=select_timezone)
    gettext.install(app.jinja_env)

    @app.context_processor
    def inject_language():
        lang = current_language()
        return {"current_language": lang, "html_lang": HTML_LANG.get(lang, lang),
                "language_names": LANGUAGE_NAMES, "site_name": site_name(lang),
                "site_logo": bool(current_app.config["SITE_LOGO"]),
                "site_stylesheet": bool(current_app.config["SITE_STYLESHEET"])}


def in_both_languages(texts):
    """{"zh": texts("zh"), "en": texts("en")}, each computed under that language's translations:
    for what a reader of either language must read (verification pages, a badge's role)."""
    found = {}
    for lang in ("zh", "en"):
        with force_locale(lang):
            found[lang] = texts(lang)
    return found
