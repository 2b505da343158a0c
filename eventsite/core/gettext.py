"""gettext, ngettext and lazy_gettext for the code and the templates, in the current locale.

Flask-Babel's own functions find the catalogue through its context three times per message
(about 20 µs each); a page asks for hundreds, which was the largest part of building it. Here the
current locale (one lookup, so `force_locale` still applies) picks the catalogue from a dict.
"""
from __future__ import annotations

from flask_babel import get_locale, get_translations
from flask_babel.speaklater import LazyString

# Language code -> Flask-Babel's Translations for it, one set per process. The code is the whole
# locale here (LANGUAGES are "en" and "zh"), and a string key is cheap to hash, a Locale is not.
_catalogues: dict = {}


def translations():
    locale = get_locale()
    language = locale.language if locale else None
    found = _catalogues.get(language)
    if found is None:
        found = _catalogues[language] = get_translations()
    return found


def gettext(string: str, **variables) -> str:
    text = translations().ugettext(string)
    return text % variables if variables else text


def ngettext(singular: str, plural: str, num: int, **variables) -> str:
    variables.setdefault("num", num)
    return translations().ungettext(singular, plural, num) % variables


def lazy_gettext(string: str, **variables) -> LazyString:
    """Translated when shown (labels defined at import time)."""
    return LazyString(gettext, string, **variables)


def install(jinja_env) -> None:
    """The templates' _(), gettext() and ngettext() (Jinja's i18n extension, as Flask-Babel installs it)."""
    jinja_env.install_gettext_callables(
        gettext=lambda s: translations().ugettext(s),
        ngettext=lambda s, p, n: translations().ungettext(s, p, n),
        pgettext=lambda c, s: translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: translations().unpgettext(c, s, p, n),
        newstyle=True)
