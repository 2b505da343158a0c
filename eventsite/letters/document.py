"""The printed letter: one A4 page per language (Chinese, then English) on the alliance's
letterhead, the people it names, the signature and seal, and the verification address with its QR
code. It is built from the letter's snapshot only, so a download months later prints what was
issued. The PDF comes from the one engine (core/pdf.py)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from flask import current_app, render_template
from flask_babel import force_locale, format_date
from markupsafe import Markup

from ..core.i18n import HTML_LANG, site_name
from ..core.pdf import FONT_STACK, data_uri, html_to_pdf, qr_data_uri
from ..members.labels import country_name

PAGE_LANGUAGES = ("zh", "en")


@dataclass
class LetterDoc:
    """What a printed letter shows: the reference, the issue day, the snapshot, the verify URL."""

    reference: str
    issued_on: date
    printed: dict[str, Any]
    verify_url: str


def _image(setting: str) -> str | None:
    configured = current_app.config.get(setting)
    return data_uri(Path(current_app.instance_path, configured)) if configured else None


def letterhead(language: str) -> dict[str, Any]:
    """The site-wide letterhead in `language` (config.py LETTER_*, SITE_LOGO)."""
    config = current_app.config
    suffix = language.upper()
    return {"site": site_name(language), "logo": _image("SITE_LOGO"),
            "address": _lines(config.get(f"LETTER_SECRETARIAT_ADDRESS_{suffix}", "")),
            "signatory": _lines(config.get(f"LETTER_SIGNATORY_{suffix}", "")),
            "signature": _image("LETTER_SIGNATURE"), "seal": _image("LETTER_SEAL")}


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").replace("\\n", "\n").splitlines() if line.strip()]


def person_rows(printed: dict[str, Any], language: str) -> list[dict[str, str]]:
    def day(value: str | None) -> str:
        return format_date(date.fromisoformat(value), "long") if value else ""

    return [{"name": p.get("name", ""), "name_zh": p.get("name_zh", ""),
             "nationality": country_name(p.get("nationality", ""), language) if p.get("nationality") else "",
             "birth_date": day(p.get("birth_date")), "passport_number": p.get("passport_number", ""),
             "passport_expiry": day(p.get("passport_expiry")), "title": p.get("title", "")}
            for p in printed.get("people", [])]


def _page(doc: LetterDoc, language: str, qr: str) -> Markup:
    with force_locale(language):
        texts = doc.printed.get("texts", {})
        return Markup(render_template(
            "letters/_page.html", language=language, html_lang=HTML_LANG[language],
            head=letterhead(language), reference=doc.reference, issued_on=format_date(doc.issued_on, "long"),
            paragraphs=[p.strip() for p in texts.get(language, "").split("\n\n") if p.strip()],
            people=person_rows(doc.printed, language), verify_url=doc.verify_url,
            qr=qr))  # nosec B704 # output of an autoescaped template, put into the next one


def letter_html(doc: LetterDoc) -> str:
    qr = qr_data_uri(doc.verify_url)
    font_stack = Markup(FONT_STACK)  # nosec B704 # a constant of core/pdf.py
    return render_template("letters/letter.html", font_stack=font_stack, reference=doc.reference,
                           pages=[_page(doc, language, qr) for language in PAGE_LANGUAGES])


def letter_pdf(doc: LetterDoc) -> bytes:
    return html_to_pdf(letter_html(doc))


def filename(reference: str) -> str:
    return f"invitation-letter-{reference}.pdf"
