"""The certificates' email, written to the outbox in the person's language (callers commit): a new
certificate goes to the delegate as a PDF attachment, with the verification address."""
from __future__ import annotations

from flask_babel import force_locale

from ..core.gettext import lazy_gettext as _l
from ..core.urls import external_url
from ..mail.services import Attachment, enqueue_template, register_kind
from . import document

CERTIFICATE_MAIL = register_kind("certificate", _l("Certificate of participation"))
SUBJECT = _l("Certificate of participation %(number)s: %(event)s")


def certificate_issued(certificate, pdf: bytes) -> None:
    person = certificate.delegate
    if not person.email:
        return
    language = person.mail_language
    title = certificate.event.shown("title", language)
    name = person.display_name(language)
    with force_locale(language):
        subject = str(SUBJECT) % {"number": certificate.number, "event": title}
    enqueue_template(
        kind=CERTIFICATE_MAIL, template="certificate_issued", to_addr=person.email, to_name=name,
        language=language, subject=subject,
        context={"certificate": certificate, "event_title": title, "name": name,
                 "verify_url": external_url("certificates.verify", token=certificate.token)},
        attachments=[Attachment(filename=document.filename(certificate.number), content_type="application/pdf",
                                data=pdf)],
        refs={"certificate": certificate.id, "delegate": person.id}, unit_id=person.delegation.unit_id,
        delegate_id=person.id, event_id=certificate.event_id)
