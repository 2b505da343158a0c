"""The printed certificate of participation: A4 landscape, one page in Chinese and one in English
in the same file, with the person's name (both scripts where both exist), unit, the event's title,
dates and place, the certificate's number, and the verification address with its QR code. The
PDF comes from the one engine (core/pdf.py), as letters' do."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from flask import render_template
from flask_babel import force_locale, format_date
from markupsafe import Markup

from ..core.i18n import HTML_LANG, site_name
from ..core.pdf import FONT_STACK, html_to_pdf, qr_data_uri
from ..core.timezones import to_local

PAGE_LANGUAGES = ("zh", "en")


@dataclass
class CertificateDoc:
    """What a certificate shows; names and units by language."""

    number: str
    issued_on: date
    event: Any
    names: dict[str, str]
    units: dict[str, str]
    verify_url: str


def event_dates(event, language: str) -> str:
    """The event's first and last day in its own time zone, in `language` (call under force_locale)."""
    start = to_local(event.starts_at, event.timezone).date()
    end = to_local(event.ends_at, event.timezone).date()
    if start == end:
        return format_date(start, "long")
    return f"{format_date(start, 'long')} – {format_date(end, 'long')}"


def _page(doc: CertificateDoc, language: str, qr: str) -> Markup:
    event = doc.event
    with force_locale(language):
        return Markup(render_template(
            "certificates/_page.html", language=language, html_lang=HTML_LANG[language], site=site_name(language),
            number=doc.number, issued_on=format_date(doc.issued_on, "long"), name=doc.names[language],
            unit=doc.units[language], event_title=event.shown("title", language),
            dates=event_dates(event, language), place=event.place(language), verify_url=doc.verify_url,
            qr=qr))  # nosec B704 # output of an autoescaped template, put into the next one


def certificate_html(doc: CertificateDoc) -> str:
    qr = qr_data_uri(doc.verify_url)
    font_stack = Markup(FONT_STACK)  # nosec B704 # a constant of core/pdf.py
    return render_template("certificates/certificate.html", font_stack=font_stack, number=doc.number,
                           pages=[_page(doc, language, qr) for language in PAGE_LANGUAGES])


def certificate_pdf(doc: CertificateDoc) -> bytes:
    return html_to_pdf(certificate_html(doc))


def filename(number: str) -> str:
    return f"certificate-{number}.pdf"
