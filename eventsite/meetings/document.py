"""Each delegation's printable meeting schedule: A4, for every delegation one page in Chinese and
one in English, its accepted meetings in time order (time on the event's clock, the other unit,
table and room, topic, interpreter). The PDF comes from the one engine (core/pdf.py)."""
from __future__ import annotations

from flask import render_template
from flask_babel import force_locale
from markupsafe import Markup

from ..core.i18n import HTML_LANG, site_name
from ..core.pdf import FONT_STACK, html_to_pdf
from ..core.timefmt import local_time
from . import queries

PAGE_LANGUAGES = ("zh", "en")


def _rows(event, delegation, language: str) -> list[dict]:
    meetings = [m for m in queries.meetings_of(delegation.id) if m.is_accepted and m.slot is not None]
    meetings.sort(key=lambda m: m.slot.starts_at)
    return [{"when": local_time(m.slot.starts_at, event.timezone),
             "with": (m.invitee if m.requester_id == delegation.id else m.requester).unit.display_name(language),
             "where": queries.location(m, language), "topic": m.topic, "interpreter": m.interpreter_needed}
            for m in meetings]


def _page(event, delegation, language: str) -> Markup:
    with force_locale(language):
        return Markup(render_template(  # nosec B704 # output of an autoescaped template, put into the next one
            "meeting_admin/_schedule_page.html", html_lang=HTML_LANG[language], site=site_name(language),
            event_title=event.shown("title", language), unit=delegation.unit.display_name(language),
            rows=_rows(event, delegation, language), zone=event.timezone))


def schedules_html(event, delegations) -> str:
    pages = [_page(event, d, language) for d in delegations for language in PAGE_LANGUAGES]
    font_stack = Markup(FONT_STACK)  # nosec B704 # a constant of core/pdf.py
    return render_template("meeting_admin/schedule.html", font_stack=font_stack,
                           title=event.shown("title", "en"), pages=pages)


def schedules_pdf(event, delegations) -> bytes:
    return html_to_pdf(schedules_html(event, delegations))
