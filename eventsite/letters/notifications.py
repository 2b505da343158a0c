"""The letters' emails, written to the outbox in each recipient's language (callers commit): an
issued letter goes as a PDF attachment to the person (a personal letter) or to the unit's
liaisons (a delegation letter); a declined request is told to the liaisons."""
from __future__ import annotations

from flask_babel import force_locale

from ..core.gettext import lazy_gettext as _l
from ..core.urls import external_url
from ..delegations.notifications import unit_recipients
from ..mail.services import Attachment, enqueue_template, register_kind
from . import document

LETTER_MAIL = register_kind("letter", _l("Invitation letter"))
SUBJECT = _l("Invitation letter %(reference)s: %(event)s")
DECLINED_SUBJECT = _l("Invitation letter request declined: %(event)s")


def _recipients(letter) -> list[tuple[str, str, str]]:
    if letter.delegate is not None and letter.delegate.email:
        person = letter.delegate
        return [(person.email, person.display_name(person.language), person.language)]
    return unit_recipients(letter.delegation.unit)


def letter_issued(letter, pdf: bytes) -> None:
    attachment = Attachment(filename=document.filename(letter.reference), content_type="application/pdf", data=pdf)
    refs = {"letter": letter.id, "delegation": letter.delegation_id}
    if letter.delegate_id:
        refs["delegate"] = letter.delegate_id
    for address, name, language in _recipients(letter):
        title = letter.event.shown("title", language)
        enqueue_template(
            kind=LETTER_MAIL, template="letter_issued", to_addr=address, to_name=name, language=language,
            subject=_subject(SUBJECT, language, reference=letter.reference, event=title),
            context={"letter": letter, "event_title": title, "name": name,
                     "verify_url": external_url("letters.verify", token=letter.token)},
            attachments=[attachment], refs=refs, unit_id=letter.delegation.unit_id,
            delegate_id=letter.delegate_id, event_id=letter.event_id)


def requests_declined(requests, reason: str) -> None:
    by_delegation: dict[int, list] = {}
    for item in requests:
        by_delegation.setdefault(item.delegation_id, []).append(item)
    for items in by_delegation.values():
        _declined(items, reason)


def _declined(requests, reason: str) -> None:
    delegation = requests[0].delegation
    for address, name, language in unit_recipients(delegation.unit):
        title = delegation.event.shown("title", language)
        enqueue_template(
            kind=LETTER_MAIL, template="letter_declined", to_addr=address, to_name=name, language=language,
            subject=_subject(DECLINED_SUBJECT, language, event=title),
            context={"people": [r.delegate.display_name(language) for r in requests], "reason": reason,
                     "event_title": title, "name": name,
                     "link": external_url("letters.request_page", event_id=delegation.event_id)},
            refs={"delegation": delegation.id}, unit_id=delegation.unit_id, event_id=delegation.event_id)


def _subject(text, language: str, **values) -> str:
    with force_locale(language):
        return str(text) % values
