"""Messages to groups of member contacts (the audience: members/audience.py): previewing, sending.

One Broadcast row keeps what was written and to whom; each distinct address gets one outbox copy
in its contact's language (falling back to the other language when only one was written).
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from flask import render_template
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape
from sqlalchemy.exc import IntegrityError

from ..audit.services import record
from ..core.addresses import deliverable
from ..core.domain import DomainError, Problems
from ..core.validators import has_control_chars
from ..extensions import db
from ..members.audience import Audience, contacts_query
from .models import Broadcast, OutboxMessage
from .services import enqueue, register_kind

BROADCAST = register_kind("broadcast", _l("Message to contacts"))


@dataclass
class Content:
    subject_en: str = ""
    body_en: str = ""
    subject_zh: str = ""
    body_zh: str = ""

    @classmethod
    def from_form(cls, form) -> Content:
        return cls(subject_en=form.subject_en.data or "", body_en=form.body_en.data or "",
                   subject_zh=form.subject_zh.data or "", body_zh=form.body_zh.data or "")

    def complete(self, language: str) -> bool:
        return bool(getattr(self, f"subject_{language}").strip() and getattr(self, f"body_{language}").strip())

    def language_for(self, preferred: str) -> str:
        """The recipient's language when it was written, else the other one."""
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
    also: list[str] = field(default_factory=list)  # other contacts sharing this address


@dataclass
class Resolution:
    recipients: list[Recipient]
    skipped: list[tuple[str, str, str]]  # (unit, name, reason) of contacts that get nothing


def check_content(content: Content) -> None:
    """At least one language written; a language is written whole or not at all, its subject
    without line breaks. Raises every problem found at once."""
    problems = Problems()
    for lang, name in (("en", _l("English")), ("zh", _l("Chinese"))):
        subject = getattr(content, f"subject_{lang}").strip()
        body = getattr(content, f"body_{lang}").strip()
        if body and not subject:
            problems.add(f"subject_{lang}", _l("Write a subject in %(language)s too.", language=name))
        if subject and not body:
            problems.add(f"body_{lang}", _l("Write the message in %(language)s too.", language=name))
        if has_control_chars(subject):
            problems.add(f"subject_{lang}", _l("Line breaks and control characters are not allowed here."))
    if not problems and not (content.complete("en") or content.complete("zh")):
        problems.add("subject_en", _l("Write the subject and message in at least one language."))
    problems.raise_if_any()


def check(audience: Audience, content: Content) -> None:
    """What sending needs: an audience and a message (every problem at once)."""
    problems = Problems()
    if audience.is_empty():
        problems.add("roles", _l("Choose at least one criterion: roles, kinds, provinces, tags or units."))
    problems.check(check_content, content)
    problems.raise_if_any()


def resolve(audience: Audience, content: Content, locale: str = "en") -> Resolution:
    """Recipients (one per distinct address) and the contacts skipped, in directory order."""
    by_email: dict[str, Recipient] = {}
    skipped: list[tuple[str, str, str]] = []
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
        by_email[email] = Recipient(
            email=email, name=name, language=content.language_for(contact.language),
            role=contact.role, unit_name=unit_name, contact_id=contact.id,
        )
    return Resolution(recipients=list(by_email.values()), skipped=skipped)


def paragraphs_html(body: str) -> Markup:
    """Plain text to safe HTML: blank lines make paragraphs, single line ends make <br>."""
    text = body.replace("\r\n", "\n").replace("\r", "\n").strip()
    blocks = [b for b in text.split("\n\n") if b.strip()]
    return Markup("\n").join(
        Markup("<p>{}</p>").format(Markup("<br>\n").join(escape(line) for line in b.strip().split("\n")))
        for b in blocks
    )


def compose(content: Content, language: str) -> tuple[str, str, str]:
    """(subject, text, html) of the message in `language`."""
    subject = getattr(content, f"subject_{language}").strip()
    body = getattr(content, f"body_{language}").replace("\r\n", "\n").strip()
    with force_locale(language):
        text = render_template("email/broadcast.txt", language=language, subject=subject, body=body)
        html = render_template(
            "email/broadcast.html", language=language, subject=subject, body_html=paragraphs_html(body)
        )
    return subject, text, html


def preview_message(content: Content, recipient: Recipient) -> OutboxMessage:
    """An unsaved outbox row showing the mail exactly as `recipient` will get it."""
    subject, text, html = compose(content, recipient.language)
    message = enqueue(
        kind=BROADCAST, to_addr=recipient.email, to_name=recipient.name, subject=subject,
        body_text=text, body_html=html, language=recipient.language,
    )
    db.session.expunge(message)
    return message


def send(audience: Audience, content: Content, author, submission_key: str | None = None) -> Broadcast:
    """Create the broadcast and one outbox copy per distinct address, audited, in one commit.

    With a `submission_key` already used, nothing new is created and that broadcast is returned.
    """
    submission_key = submission_key or None
    if submission_key:
        earlier = db.session.scalar(db.select(Broadcast).filter_by(submission_key=submission_key))
        if earlier is not None:
            return earlier
    check(audience, content)
    resolution = resolve(audience, content)
    if not resolution.recipients:
        raise DomainError(_l("No contact with an email address matches this audience."))
    try:
        broadcast = _create(audience, content, author, resolution, submission_key)
    except IntegrityError:
        # A concurrent submission of the same form won the race: show its broadcast.
        db.session.rollback()
        earlier = db.session.scalar(db.select(Broadcast).filter_by(submission_key=submission_key))
        if submission_key is None or earlier is None:
            raise
        return earlier
    return broadcast


def _create(audience: Audience, content: Content, author, resolution: Resolution,
            submission_key: str | None) -> Broadcast:
    broadcast = Broadcast(
        created_by_id=getattr(author, "id", None),
        subject_en=content.subject_en.strip(), body_en=content.body_en.strip(),
        subject_zh=content.subject_zh.strip(), body_zh=content.body_zh.strip(),
        audience=audience.as_dict(), recipient_count=len(resolution.recipients),
        submission_key=submission_key,
    )
    db.session.add(broadcast)
    db.session.flush()
    composed = {lang: compose(content, lang) for lang in ("en", "zh") if content.complete(lang)}
    for recipient in resolution.recipients:
        subject, text, html = composed[recipient.language]
        enqueue(
            kind=BROADCAST, to_addr=recipient.email, to_name=recipient.name, subject=subject,
            body_text=text, body_html=html, language=recipient.language,
            dedupe_key=_dedupe_key(broadcast.id, recipient.email), broadcast_id=broadcast.id,
            refs={"contact": recipient.contact_id},
        )
    record("broadcast.send", broadcast, details={"recipients": len(resolution.recipients)}, actor=author)
    db.session.commit()
    return broadcast


def _dedupe_key(broadcast_id: int, email: str) -> str:
    key = f"broadcast:{broadcast_id}:{email}"
    if len(key) <= 200:
        return key
    return f"broadcast:{broadcast_id}:sha256:{hashlib.sha256(email.encode()).hexdigest()}"


# --- reading ---------------------------------------------------------------------------------


def state_counts(broadcast_ids: list[int]) -> dict[int, dict[str, int]]:
    """{broadcast id: {state: count}} in one grouped query."""
    result: dict[int, dict[str, int]] = {bid: {} for bid in broadcast_ids}
    if not broadcast_ids:
        return result
    rows = db.session.execute(
        db.select(OutboxMessage.broadcast_id, OutboxMessage.state, db.func.count())
        .where(OutboxMessage.broadcast_id.in_(broadcast_ids))
        .group_by(OutboxMessage.broadcast_id, OutboxMessage.state)
    ).all()
    for bid, state, count in rows:
        result[bid][state] = count
    return result

