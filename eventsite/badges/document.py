"""The printed badge: what it shows (`content`, also the source of its fingerprint), how big the
name is set so it never overflows (`fit`), and the PDF in each format (`badges_pdf`), from the one
engine (core/pdf.py). Everything is printed in both languages, whatever the organizer reads."""
from __future__ import annotations

import hashlib
import json
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from flask import render_template
from flask_babel import force_locale
from markupsafe import Markup

from ..core.i18n import in_both_languages
from ..core.pdf import FONT_STACK, html_to_pdf, qr_data_uri
from ..core.timefmt import day_span
from ..core.timezones import to_local
from ..delegations.labels import ROLE_LABELS
from .labels import ROLE_COLOURS

MM = 72 / 25.4  # points in a millimetre


@dataclass(frozen=True)
class Format:
    """A badge's size and its sheet: `per_page` badges of `badge` size on a `page`, at `cells`
    (left, top) in mm; `name_width` is the width the name may take, `big`/`small` the largest
    sizes (pt) of the name written in the person's script and of the other."""

    code: str
    page: tuple[float, float]
    badge: tuple[float, float]
    cells: tuple[tuple[float, float], ...]
    name_width: float
    big: float
    small: float
    cut_lines: bool = False


def _grid(columns: int, rows: int, badge: tuple[float, float], page=(210.0, 297.0)) -> tuple:
    left = (page[0] - columns * badge[0]) / 2
    top = (page[1] - rows * badge[1]) / 2
    return tuple((round(left + c * badge[0], 2), round(top + r * badge[1], 2))
                 for r in range(rows) for c in range(columns))


A6, CR80 = (105.0, 148.0), (85.6, 54.0)
FORMATS = {
    "a6": Format("a6", A6, A6, ((0, 0),), name_width=93, big=30, small=16),
    "cr80": Format("cr80", CR80, CR80, ((0, 0),), name_width=51, big=17, small=10),
    "a4-a6": Format("a4-a6", (210.0, 297.0), A6, _grid(2, 2, A6), name_width=93, big=30, small=16,
                    cut_lines=True),
    "a4-cr80": Format("a4-cr80", (210.0, 297.0), CR80, _grid(2, 5, CR80), name_width=51, big=17,
                      small=10, cut_lines=True),
}


def latin_name(delegate) -> str:
    return " ".join(p for p in (delegate.given_name, delegate.family_name.upper()) if p)


def _both(obj, en: str, zh: str) -> dict[str, str]:
    return {"en": getattr(obj, en) or "", "zh": getattr(obj, zh) or ""}



def content(delegate, event) -> dict[str, Any]:
    """What the badge shows, as plain values (the fingerprint hashes these; `dates` is left out:
    moving the event does not make every badge outdated)."""
    unit = delegate.delegation.unit
    return {"name_zh": delegate.name_zh or "", "name_latin": latin_name(delegate),
            "language": delegate.language, "unit": _both(unit, "name_en", "name_zh"),
            "role": delegate.role, "event": _both(event, "title_en", "title_zh"),
            "code": delegate.badge_code or ""}


def fingerprint(shown: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(shown, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def _ems(text: str) -> float:
    """The width of `text` in ems in bold, generously: a Chinese character is one, a capital about
    0.72, another letter 0.6, a space 0.3."""
    def width(c: str) -> float:
        if unicodedata.east_asian_width(c) in ("W", "F"):
            return 1.0
        return 0.3 if c.isspace() else 0.72 if c.isupper() else 0.6
    return sum(width(c) for c in text) or 1.0


def fit(text: str, width_mm: float, largest: float, smallest: float = 7.0) -> tuple[float, int]:
    """(font size in pt, lines) for `text` in a box `width_mm` wide: the largest size up to `largest`
    on one line; a name too long for half that size is set on two lines, then three (wrapping
    wastes the end of a line: a fifth is kept free), never below `smallest` (the box wraps
    anywhere and clips what still does not fit, so nothing covers the rest of the badge)."""
    width = width_mm * MM * 0.95
    ems = _ems(text)
    for lines in (1, 2, 3):
        size = min(largest, width * (lines if lines == 1 else lines * 0.8) / ems)
        if size >= largest * 0.5 or lines == 3:
            return round(max(size, smallest), 1), lines
    raise AssertionError("unreachable")


@dataclass
class Face:
    """One badge as the template draws it."""

    shown: dict[str, Any]
    names: list[dict[str, Any]] = field(default_factory=list)  # [{text, lang, size, lines}], big first
    role: dict[str, str] = field(default_factory=dict)
    dates: dict[str, str] = field(default_factory=dict)
    qr: str = ""


def _names(shown: dict[str, Any], fmt: Format) -> list[dict[str, Any]]:
    pair = [(shown["name_zh"], "zh"), (shown["name_latin"], "en")]
    if shown["language"] != "zh":
        pair.reverse()
    present = [(text, lang) for text, lang in pair if text]
    out = []
    for n, (text, lang) in enumerate(present):
        size, lines = fit(text, fmt.name_width, fmt.big if n == 0 else fmt.small)
        out.append({"text": text, "lang": "zh-Hans" if lang == "zh" else "en", "size": size, "lines": lines})
    return out


def event_dates(event) -> dict[str, str]:
    first = to_local(event.starts_at, event.timezone).date()
    last = to_local(event.ends_at, event.timezone).date()
    out = {}
    for language in ("en", "zh"):
        with force_locale(language):
            out[language] = day_span(first, last)
    return out


def face(delegate, event, fmt: Format, url: str, dates: dict[str, str]) -> Face:
    shown = content(delegate, event)
    role = in_both_languages(lambda _lang: str(ROLE_LABELS[delegate.role]))
    return Face(shown=shown, names=_names(shown, fmt), role=role,
                dates=dates, qr=qr_data_uri(url))


def pages(faces: list[Face], fmt: Format) -> list[list[Face]]:
    per = len(fmt.cells)
    return [faces[i:i + per] for i in range(0, len(faces), per)]


def badges_html(faces: list[Face], fmt: Format) -> str:
    font_stack = Markup(FONT_STACK)  # nosec B704 # a constant of core/pdf.py
    return render_template("badges/sheet.html", font_stack=font_stack, fmt=fmt, pages=pages(faces, fmt),
                           colours=ROLE_COLOURS)


def badges_pdf(faces: list[Face], fmt: Format) -> bytes:
    return html_to_pdf(badges_html(faces, fmt))


def filename(event_id: int, fmt: Format) -> str:
    return f"badges-event-{event_id}-{fmt.code}.pdf"
