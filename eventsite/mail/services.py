"""Writing mail into the outbox, and the messages organizers write to groups of contacts.

`enqueue()` adds rows to the caller's session; the caller commits them with the change that
caused them, so a message exists exactly when its cause does (the worker sends it later).
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import asdict, dataclass, field
from email.utils import make_msgid
from typing import Any

from flask import current_app, g, has_request_context, render_template
from flask_babel import force_locale
from markupsafe import Markup, escape
from sqlalchemy import inspect
from sqlalchemy.exc import IntegrityError

from ..audit.services import record
from ..core.addresses import deliverable, undeliverable_reason
from ..core.domain import DomainError, Problems
from ..core.gettext import lazy_gettext as _l
from ..core.validators import has_control_chars
from ..extensions import db, now_utc
from ..members.audience import Audience, contacts_query
from ..members.labels import ROLE_LABELS
from .models import Broadcast, BroadcastAttachment, OutboxAttachment, OutboxMessage

# What each kind of message is called on the outbox pages (features add theirs: register_kind).
KIND_LABELS: dict[str, Any] = {}


def register_kind(kind: str, label: Any) -> str:
    KIND_LABELS[kind] = label
    return kind


def message_kind_label(kind: str) -> str:
    return str(KIND_LABELS.get(kind, kind))


class InvalidAddress(ValueError):
    """A header value (subject, sender) that must never reach a mail header."""


@dataclass
class Attachment:
    filename: str
    content_type: str
    data: bytes


def check_header_value(value: str) -> str:
    """Refuse CR, LF and NUL: they would let user data forge mail headers."""
    if any(ch in value for ch in ("\r", "\n", "\0")):
        raise InvalidAddress(value)
    return value


def render_email(template: str, language: str, **context: Any) -> tuple[str, str]:
    with force_locale(language):
        text = render_template(f"email/{template}.txt", language=language, **context)
        html = render_template(f"email/{template}.html", language=language, **context)
    return text, html


def enqueue(*, kind: str, to_addr: str, subject: str, body_text: str, body_html: str | None = None,
            to_name: str = "", language: str = "en", sender: str | None = None, reply_to: str | None = None,
            attachments: list[Attachment] | None = None, calendar_method: str | None = None,
            calendar_ics: bytes | None = None, dedupe_key: str | None = None, broadcast_id: int | None = None,
            refs: dict[str, Any] | None = None, unit_id: int | None = None, delegate_id: int | None = None,
            event_id: int | None = None) -> OutboxMessage:
    """Add one message to the session's outbox; the caller commits. `unit_id`, `delegate_id` and
    `event_id` say whose message it is (the organizers' pages list a unit's and a delegate's
    messages by them: every message to a unit's people or a delegate names them). A recipient never makes the
    caller fail: an address the rule (core/addresses.py) refuses gives a message recorded as failed
    with the reason, and the staff member who caused it is told (mail/views.py)."""
    address = deliverable(to_addr)
    for value in (subject, sender or "", reply_to or ""):
        check_header_value(value)
    config = current_app.config
    sender = sender or config["MAIL_DEFAULT_SENDER"]
    domain = sender.rsplit("@", 1)[-1].strip("> ") or "eventsite.invalid"
    message = OutboxMessage(
        kind=kind, to_addr=address or _printable(to_addr)[:320], to_name=_one_line(to_name)[:200],
        subject=subject, body_text=body_text, body_html=body_html, language=language, sender=sender,
        reply_to=reply_to if reply_to is not None else config.get("MAIL_REPLY_TO"),
        calendar_method=calendar_method, calendar_ics=calendar_ics, dedupe_key=dedupe_key,
        broadcast_id=broadcast_id, refs=refs or {}, message_id=make_msgid(domain=domain),
        unit_id=unit_id, delegate_id=delegate_id, event_id=event_id,
        attachments=[OutboxAttachment(filename=a.filename, content_type=a.content_type, data=a.data)
                     for a in attachments or []])
    if address is None:
        message.state, message.last_error = "failed", undeliverable_reason(to_addr)
        if has_request_context():  # remembered for unmailed_this_request
            g.setdefault("unmailed_messages", []).append((message, message.to_addr, message.to_name))
    db.session.add(message)
    return message


def _one_line(name: str) -> str:
    """A recipient's name with line breaks and control characters as spaces (never refused)."""
    return " ".join("".join(ch if ch.isprintable() else " " for ch in name or "").split())


def _printable(value: str) -> str:
    """`value` with control characters shown as escapes (a failed row shows what was stored)."""
    return "".join(ch if ch.isprintable() else ch.encode("unicode_escape").decode("ascii")
                   for ch in value or "")


def unmailed_this_request() -> list[tuple[str, str]]:
    """(address, name) of the messages this request recorded as not sendable and committed
    (a use case that was rolled back mailed nobody); each address once."""
    seen: dict[str, str] = {}
    for message, address, name in g.pop("unmailed_messages", []):
        if inspect(message).persistent:
            seen.setdefault(address, name)
    return list(seen.items())


def enqueue_template(*, kind: str, template: str, to_addr: str, language: str, subject: str,
                     to_name: str = "", context: dict[str, Any] | None = None,
                     **options: Any) -> OutboxMessage:
    text, html = render_email(template, language, **(context or {}))
    return enqueue(kind=kind, to_addr=to_addr, to_name=to_name, subject=subject, body_text=text,
                   body_html=html, language=language, **options)


# --- the admin's outbox ----------------------------------------------------------------------
def retry(message: OutboxMessage) -> None:
    if message.state != "failed":
        raise DomainError(_l("Only failed messages can be retried."))
    if deliverable(message.to_addr) is None:
        raise DomainError(_l("This address cannot receive mail: correct it where it was entered, "
                             "then send the message again from there."))
    message.state, message.attempts, message.next_attempt_at = "pending", 0, now_utc()
    record("mail.retry", message, target_label=f"{message.to_addr}: {message.subject}")
    db.session.commit()


# --- messages to groups of member contacts (the audience: members/audience.py) -----------------
# One Broadcast row keeps what was written and to whom; each distinct address gets one outbox copy
# in its contact's language (the other language when only one was written).

BROADCAST = register_kind("broadcast", _l("Message to contacts"))

# Personal placeholders in a message to a group's subject and text: {name}, {unit}, {role}, each
# the recipient's in the language of their copy (invitations have their own set). Any other text
# in braces is refused, so a typo never reaches a mayor as "{nmae}". They are replaced by a small
# regular expression, never `str.format` (an organizer's text must not reach attribute lookups).
PLACEHOLDERS = {
    "name": _l("the recipient's name"),
    "unit": _l("the recipient's unit"),
    "role": _l("the recipient's role in the unit"),
}
_PLACEHOLDER = re.compile(r"\{([^{}\n]{0,40})\}")
# The columns a message is stored in (Broadcast, InvitationRound); the form says the same.
MAX_SUBJECT, MAX_BODY = 300, 20000


def unknown_placeholders(text: str, known: dict = PLACEHOLDERS) -> list[str]:
    return list(dict.fromkeys(m.group(0) for m in _PLACEHOLDER.finditer(text or "")
                              if m.group(1).strip() not in known))


def uses_placeholders(text: str) -> bool:
    return _PLACEHOLDER.search(text or "") is not None


def fill(text: str, values: dict[str, str]) -> str:
    return _PLACEHOLDER.sub(lambda m: values.get(m.group(1).strip(), m.group(0)), text)


@dataclass
class Content:
    subject_en: str = ""
    body_en: str = ""
    subject_zh: str = ""
    body_zh: str = ""

    @classmethod
    def from_form(cls, form) -> Content:
        return cls(**{name: getattr(form, name).data or "" for name in cls.__dataclass_fields__})

    def texts(self, language: str) -> tuple[str, str]:
        """(subject, body) as written in `language`."""
        return getattr(self, f"subject_{language}"), getattr(self, f"body_{language}")

    def stripped(self) -> dict[str, str]:
        """The four texts as stored (Broadcast, InvitationRound)."""
        return {name: text.strip() for name, text in asdict(self).items()}

    def complete(self, language: str) -> bool:
        return all(text.strip() for text in self.texts(language))

    def language_for(self, preferred: str) -> str:
        other = "en" if preferred == "zh" else "zh"
        return preferred if self.complete(preferred) else other


@dataclass
class Recipient:
    email: str
    name: str
    language: str  # the language they will receive (after fallback)
    role: str
    unit_name: str
    contact_id: int
    unit_id: int | None = None
    also: list[str] = field(default_factory=list)  # other contacts sharing this address
    values: dict[str, str] = field(default_factory=dict)  # the placeholders, in `language`


@dataclass
class Resolution:
    recipients: list[Recipient]
    skipped: list[tuple[str, str, str]]  # (unit, name, reason) of contacts that get nothing


def check_content(content: Content, placeholders: dict = PLACEHOLDERS) -> None:
    """At least one language written; a language is written whole or not at all, its subject
    without line breaks, both within their columns; only the known `placeholders`. Raises every
    problem found at once."""
    problems = Problems()
    for lang, name in (("en", _l("English")), ("zh", _l("Chinese"))):
        subject, body = (text.strip() for text in content.texts(lang))
        if body and not subject:
            problems.add(f"subject_{lang}", _l("Write a subject in %(language)s too.", language=name))
        if subject and not body:
            problems.add(f"body_{lang}", _l("Write the message in %(language)s too.", language=name))
        if has_control_chars(subject):
            problems.add(f"subject_{lang}", _l("Line breaks and control characters are not allowed here."))
        if len(subject) > MAX_SUBJECT or len(body) > MAX_BODY or "\0" in body:
            problems.add(f"body_{lang}", _l("The subject or the message is too long or contains a "
                                            "character that is not allowed."))
        for field_name, text in ((f"subject_{lang}", subject), (f"body_{lang}", body)):
            unknown = unknown_placeholders(text, placeholders)
            if unknown:
                problems.add(field_name, _l("Unknown placeholder %(names)s. You can use: %(known)s.",
                                            names=", ".join(unknown),
                                            known=", ".join("{%s}" % name for name in placeholders)))
    if not problems and not (content.complete("en") or content.complete("zh")):
        problems.add("subject_en", _l("Write the subject and message in at least one language."))
    problems.raise_if_any()


def check(audience: Audience, content: Content) -> None:
    problems = Problems()
    if audience.is_empty():
        problems.add("roles", _l("Choose at least one criterion: roles, kinds, provinces, tags or units."))
    problems.check(check_content, content)
    problems.raise_if_any()


def resolve(audience: Audience, content: Content, locale: str = "en") -> Resolution:
    """Recipients (one per distinct address) and the contacts skipped, in directory order."""
    by_email: dict[str, Recipient] = {}
    skipped: list[tuple[str, str, str]] = []
    roles = _role_names()
    for contact, unit in db.session.execute(contacts_query(audience)).all():
        unit_name = unit.display_name(locale)
        # Names come from the directory; anything unprintable would be refused in a header.
        name = "".join(ch for ch in contact.display_name(contact.language) if ch.isprintable())
        if not (contact.email or "").strip():
            skipped.append((unit_name, name, "no_email"))
            continue
        email = deliverable(contact.email)  # the address rule's spelling, one per mailbox
        if email is None:  # shown before sending, so nothing is written for it
            skipped.append((unit_name, name, "bad_email"))
            continue
        if email in by_email:
            by_email[email].also.append(name)
            continue
        language = content.language_for(contact.language)
        by_email[email] = Recipient(
            email=email, name=name, language=language, role=contact.role, unit_name=unit_name,
            contact_id=contact.id, unit_id=unit.id,
            values={"name": name, "unit": unit.display_name(language),
                    "role": roles[language].get(contact.role, contact.role)})
    return Resolution(recipients=list(by_email.values()), skipped=skipped)


def _role_names() -> dict[str, dict[str, str]]:
    """{language: {role code: its label}}: a placeholder's value in each copy's language."""
    names = {}
    for language in ("en", "zh"):
        with force_locale(language):
            names[language] = {code: str(label) for code, label in ROLE_LABELS.items()}
    return names


def paragraphs_html(body: str) -> Markup:
    """Plain text to safe HTML: blank lines make paragraphs, single line ends make <br>."""
    text = body.replace("\r\n", "\n").replace("\r", "\n").strip()
    blocks = [b for b in text.split("\n\n") if b.strip()]
    return Markup("\n").join(
        Markup("<p>{}</p>").format(Markup("<br>\n").join(escape(line) for line in b.strip().split("\n")))
        for b in blocks)


def compose(content: Content, language: str, values: dict[str, str] | None = None,
            template: str = "broadcast", **context: Any) -> tuple[str, str, str]:
    """(subject, text, html) in `language`, the placeholders filled with `values`, rendered with
    the email `template` (invitations add their own `context`)."""
    values = values or {}
    subject, body = content.texts(language)
    # Filled in, a subject may outgrow the outbox's column (400): long names are cut, not refused.
    subject = " ".join(fill(subject.strip(), values).split())[:400]
    body = fill(body.replace("\r\n", "\n").strip(), values)
    return subject, *render_email(template, language, subject=subject, body=body,
                                  body_html=paragraphs_html(body), **context)


def preview_message(content: Content, recipient: Recipient) -> OutboxMessage:
    """An unsaved outbox row showing the mail exactly as `recipient` will get it."""
    subject, text, html = compose(content, recipient.language, recipient.values)
    message = enqueue(kind=BROADCAST, to_addr=recipient.email, to_name=recipient.name, subject=subject,
                      body_text=text, body_html=html, language=recipient.language)
    db.session.expunge(message)
    return message


def send(audience: Audience, content: Content, author, submission_key: str | None = None,
         attachments: list[BroadcastAttachment] | None = None) -> Broadcast:
    """Create the broadcast and one outbox copy per distinct address, audited, in one commit; a
    `submission_key` already used returns that broadcast instead. `attachments` (uploads.stage)
    become the broadcast's: stored once, attached to every copy when it is built (mime.py)."""
    submission_key = submission_key or None
    earlier = _submitted(submission_key)
    if earlier is not None:
        return earlier
    check(audience, content)
    resolution = resolve(audience, content)
    if not resolution.recipients:
        raise DomainError(_l("No contact with an email address matches this audience."))
    try:
        broadcast = Broadcast(
            created_by_id=getattr(author, "id", None), audience=audience.as_dict(),
            recipient_count=len(resolution.recipients), submission_key=submission_key,
            **content.stripped())
        db.session.add(broadcast)
        db.session.flush()
        for attachment in attachments or []:
            attachment.broadcast_id = broadcast.id
        composed: dict[tuple, tuple[str, str, str]] = {}
        for recipient in resolution.recipients:
            # Copies without placeholders in their language are the same: built once.
            personal = uses_placeholders("".join(content.texts(recipient.language)))
            key = (recipient.language, *(sorted(recipient.values.items()) if personal else ()))
            if key not in composed:
                composed[key] = compose(content, recipient.language, recipient.values)
            subject, text, html = composed[key]
            enqueue(kind=BROADCAST, to_addr=recipient.email, to_name=recipient.name, subject=subject,
                    body_text=text, body_html=html, language=recipient.language, broadcast_id=broadcast.id,
                    dedupe_key=_dedupe_key(broadcast.id, recipient.email), refs={"contact": recipient.contact_id},
                    unit_id=recipient.unit_id)
        record("broadcast.send", broadcast, actor=author,
               details={"recipients": len(resolution.recipients)}
               | ({"attachments": [a.filename for a in attachments]} if attachments else {}))
        db.session.commit()
        return broadcast
    except IntegrityError:
        # A concurrent submission of the same form won the race: show its broadcast.
        db.session.rollback()
        earlier = _submitted(submission_key)
        if earlier is None:
            raise
        return earlier


def _submitted(submission_key: str | None) -> Broadcast | None:
    if not submission_key:
        return None
    return db.session.scalar(db.select(Broadcast).filter_by(submission_key=submission_key))


def _dedupe_key(broadcast_id: int, email: str) -> str:
    key = f"broadcast:{broadcast_id}:{email}"
    digest = hashlib.sha256(email.encode()).hexdigest()
    return key if len(key) <= 200 else f"broadcast:{broadcast_id}:sha256:{digest}"
