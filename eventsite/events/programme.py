"""The printed programme: an event's agenda as an A4 PDF in both languages (WeasyPrint).

One engine prints everything printable (core/pdf.py: WeasyPrint with Debian's Noto CJK fonts; no
font is fetched from anywhere). The reader's language comes first on every line, the other one under it
in smaller type, so one sheet serves both delegations of a bilateral forum. Times are on the
event's own clock: a programme is read on site.
"""
from __future__ import annotations

from dataclasses import dataclass

from flask import render_template
from flask_babel import force_locale

from ..core.i18n import HTML_LANG, localized, site_name
from ..core.pdf import html_to_pdf
from ..core.timefmt import span_text
from ..core.timezones import to_local, zone_label
from .labels import SESSION_KIND_LABELS
from .models import AgendaSession, Event
from .queries.public import agenda_days


@dataclass
class Line:
    """A text in the reader's language and, when it exists and differs, the other one."""

    first: str
    first_lang: str
    second: str = ""
    second_lang: str = ""


def both(obj, field: str, language: str) -> Line:
    other = "zh" if language == "en" else "en"
    shown = localized(obj, field, language)
    second = getattr(obj, f"{field}_{other}", "") if not shown.fallback else ""
    return Line(shown.value, shown.lang, second if second != shown.value else "", HTML_LANG[other])


def session_lines(item: AgendaSession, language: str) -> dict:
    return {"title": both(item, "title", language),
            "kind": str(SESSION_KIND_LABELS.get(item.kind, item.kind)),
            "track": item.track, "room": localized(item, "room", language).value,
            "speakers": [s.strip() for s in item.speakers.splitlines() if s.strip()]}


def hours(item: AgendaSession, zone_name: str) -> str:
    """'09:00 – 10:30' on the event's clock (the heading says the day and the zone, once)."""
    start, end = to_local(item.starts_at, zone_name), to_local(item.ends_at, zone_name)
    more = f" (+{(end.date() - start.date()).days})" if end.date() != start.date() else ""
    return f"{start:%H:%M} – {end:%H:%M}{more}"


def programme_html(event: Event, language: str) -> str:
    days = agenda_days(event, language, event.timezone)
    return render_template(
        "events/programme.html", event=event, language=language, site=site_name(language),
        title=both(event, "title", language), summary=both(event, "summary", language),
        when=span_text(event.starts_at, event.ends_at, event.timezone, date_first=True),
        zone=zone_label(event.starts_at, event.timezone), place=event.place(language),
        venue=", ".join(t.value for t in (localized(event, "venue_name", language),
                                          localized(event, "venue_address", language)) if t.value),
        days=[(day.heading, [(hours(row.session, event.timezone), session_lines(row.session, language))
                             for slot in day.slots for row in slot]) for day in days])


def programme_pdf(event: Event, language: str) -> bytes:
    with force_locale(language):  # labels, day names and dates too, whatever the page's language
        html = programme_html(event, language)
    return html_to_pdf(html)


def programme_filename(event: Event, language: str) -> str:
    return f"programme-{event.id}-{language}.pdf"
