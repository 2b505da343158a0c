"""Certificates for delegates (download from their personal page: the link's token is the key)
and for anyone (the public verification page, reached by the QR code on the certificate)."""
from __future__ import annotations

from flask import Blueprint, Response, abort, render_template
from flask_babel import format_date

from ..core.gettext import gettext as _
from ..core.i18n import in_both_languages
from ..core.security import token_page
from ..core.timezones import to_local
from ..delegations.services import selfservice
from . import document, queries, services
from .models import Certificate

bp = Blueprint("certificates", __name__)


def pdf_response(certificate: Certificate) -> Response:
    response = Response(services.certificate_pdf(certificate), mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'attachment; filename="{document.filename(certificate.number)}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


# --- the delegate -------------------------------------------------------------------------------


@bp.get("/events/<int(beyond=0):event_id>/delegate/<token>/certificate.pdf")
@token_page
def delegate_pdf(event_id: int, token: str):
    delegate = selfservice.find_delegate(event_id, token)
    certificate = queries.delegate_certificate(delegate.id) if delegate is not None else None
    if certificate is None:
        abort(404)
    return pdf_response(certificate)


@bp.app_template_global()
def certificate_of_delegate(delegate_id: int) -> Certificate | None:
    """For the delegate's personal page: their valid certificate, if any."""
    return queries.delegate_certificate(delegate_id)


# --- anyone: the verification page ----------------------------------------------------------------



@bp.get("/certificates/verify/<token>")
@token_page
def verify(token: str):
    certificate = queries.by_token(token)
    if certificate is None:
        response = Response(render_template("verify_unknown.html", texts=in_both_languages(lambda lang: (
            _("No such certificate"), _("This address belongs to no certificate issued by the secretariat. "
                                        "Check that it was typed exactly as printed under the QR code.")))),
            status=404)
    else:
        response = Response(render_template("certificates/verify.html", certificate=certificate,
                                            pages=in_both_languages(lambda lang: _verify_texts(certificate, lang))))
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _verify_texts(certificate: Certificate, lang: str) -> dict:
    event, person = certificate.event, certificate.delegate
    valid = certificate.is_valid
    return {"title": _("Certificate of participation check"),
            "status": _("This certificate is genuine and valid.") if valid
            else _("This certificate was revoked and is no longer valid."),
            "labels": {"number": _("Certificate number"), "name": _("Name"), "unit": _("Unit"),
                       "event": _("Event"), "dates": _("Dates"), "issued": _("Issued on"),
                       "revoked": _("Revoked on")},
            "name": person.display_name(lang), "unit": person.delegation.unit.display_name(lang),
            "event": event.shown("title", lang), "dates": document.event_dates(event, lang),
            "issued": format_date(to_local(certificate.issued_at, event.timezone).date(), "long"),
            "revoked": format_date(to_local(certificate.revoked_at, event.timezone).date(), "long")
            if certificate.revoked_at else ""}
