"""The invitation mails: the organizer's message with placeholders, the event block, the link and
the event's calendar file; one outbox message and one InvitationLink per recipient per sending.
Placeholders are filled as in messages to groups (mail.services.fill), with their own set; an
unknown one is refused before anything is sent (mail.services.check_content)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from email.utils import parseaddr
from itertools import groupby

from flask import current_app
from flask_babel import force_locale

from ..calendar.builder import calendar_filename
from ..core.addresses import deliverable, distinct_addresses
from ..core.gettext import gettext as _
from ..core.gettext import lazy_gettext as _l
from ..core.timefmt import local_time, span_text
from ..core.tokens import new_token
from ..core.urls import external_url
from ..extensions import db
from ..mail.mime import sample
from ..mail.models import OutboxMessage
from ..mail.services import Attachment, Content, enqueue, register_kind, render_email
from ..mail.services import compose as compose_message
from ..members.audience import Audience, contacts_query
from ..members.models import Contact, MemberUnit
from .models import Invitation, InvitationLink

INVITATION = register_kind("invitation", _l("Invitation"))
INVITATION_REMINDER = register_kind("invitation_reminder", _l("Invitation reminder"))

# The placeholders an organizer may use, with what each becomes (shown under the message fields).
PLACEHOLDERS = {
    "unit": _l("the unit's name"),
    "contact": _l("the recipient's name"),
    "event": _l("the event's title"),
    "quota": _l("the unit's quota of delegates"),
    "deadline": _l("when registration closes (in the event's time zone)"),
    "link": _l("the recipient's personal link"),
}

DEFAULT_SUBJECT_EN = "Invitation: {event}"
DEFAULT_BODY_EN = """Dear {contact},

On behalf of the secretariat of the China International Cities Development Alliance, we have the \
pleasure of inviting {unit} to {event}.

Your unit may register up to {quota} delegates until {deadline}. Please answer through your \
personal link: accept and register your delegation, or let us know if you cannot come.

{link}

We look forward to welcoming your delegation.

The Alliance Secretariat"""
DEFAULT_SUBJECT_ZH = "邀请函：{event}"
DEFAULT_BODY_ZH = """尊敬的{contact}：

中国国际城市发展联盟秘书处谨诚挚邀请{unit}参加{event}。

贵单位最多可报名{quota}名代表，报名截止时间为{deadline}。请通过您的专属链接回复：接受邀请并报名代表团，或告知我们无法出席。

{link}

期待您的代表团莅临。

联盟秘书处"""


def default_content() -> Content:
    return Content(subject_en=DEFAULT_SUBJECT_EN, body_en=DEFAULT_BODY_EN,
                   subject_zh=DEFAULT_SUBJECT_ZH, body_zh=DEFAULT_BODY_ZH)


def content_of(invitation: Invitation) -> Content:
    """The message of the round that issued `invitation`, else the default."""
    r = invitation.round
    if r is None or not (r.subject_en or r.subject_zh):
        return default_content()
    return Content(**{name: getattr(r, name) for name in Content.__dataclass_fields__})


@dataclass
class Recipient:
    contact_id: int
    email: str
    name: str  # in the contact's own language
    language: str  # the contact's preferred language (the mail may fall back to the other)


def receiving_contacts(unit_ids) -> dict[int, list[Recipient]]:
    """{unit id: its contacts that receive invitations, one per address} (one query, the
    directory's audience). An address that cannot be mailed stays in: its message is recorded as
    not sent, so the tracking page shows "mail failed" and the organizer is told."""
    result: dict[int, list[Recipient]] = {uid: [] for uid in unit_ids}
    if not result:
        return result
    audience = Audience(unit_ids=list(result), invitations_only=True)
    contacts = db.session.scalars(contacts_query(audience).where(Contact.email != "")).all()
    for unit_id, group in groupby(contacts, key=lambda c: c.unit_id):
        for email, contact in distinct_addresses(group, lambda c: c.email):
            name = "".join(ch for ch in contact.display_name(contact.language) if ch.isprintable())
            result[unit_id].append(Recipient(contact.id, email, name, contact.language))
    return result


def event_block(event, language: str) -> dict:
    """What every invitation mail says about the event, in `language` (call under force_locale)."""
    titles = [t for t in (event.title_en, event.title_zh) if t]
    if language == "zh":
        titles.reverse()
    place = event.where(language)
    from ..calendar.links import event_links

    when = span_text(event.starts_at, event.ends_at, event.timezone, date_first=True)
    return {"titles": titles, "when": when,
            "place": place, "zone": event.timezone, "calendar": event_links(event, language, short=True)}


def compose(invitation: Invitation, unit: MemberUnit, recipient: Recipient, content: Content | None,
            link: str, *, reminder: bool = False) -> tuple[str, str, str, str]:
    """(language, subject, text, html) of the mail `recipient` gets: the organizer's `content`
    (in the recipient's language when written, else the other), or the reminder's own text."""
    event = invitation.event
    language = recipient.language if reminder or content is None else content.language_for(recipient.language)
    with force_locale(language):
        deadline = local_time(invitation.expires_at, event.timezone)
        title = event.text("title", language)[0]
        values = {"unit": unit.display_name(language), "contact": recipient.name,
                  "event": title, "quota": str(invitation.quota), "deadline": deadline, "link": link}
        context = {"event_info": event_block(event, language), "calendar_name": calendar_filename(event),
                   "quota": invitation.quota, "deadline": deadline, "link": link,
                   "unit_name": values["unit"], "contact_name": recipient.name}
        if reminder:
            # names and titles never break a header
            subject = " ".join(_("Reminder: invitation to %(event)s", event=title).split())
            text, html = render_email("invitation_reminder", language, subject=subject, **context)
        else:
            subject, text, html = compose_message(content, language, values, "invitation",
                                                  link_in_body="{link}" in content.texts(language)[1],
                                                  **context)
    return language, subject, text, html


def sender_and_reply_to() -> tuple[str, str]:
    """The secretariat's mailbox sends; replies go to MAIL_REPLY_TO, else to the sender."""
    sender = current_app.config["MAIL_DEFAULT_SENDER"]
    return sender, current_app.config.get("MAIL_REPLY_TO") or parseaddr(sender)[1]


def send(invitation: Invitation, unit: MemberUnit, recipients: list[Recipient],
         content: Content | None, *, purpose: str, now: datetime,
         calendars: dict[str, Attachment] | None = None) -> list[OutboxMessage]:
    """One sending ("issue", "resend" or "reminder"): a new link and an outbox message per
    recipient (the caller commits). Every link of a sending carries the same `created_at`, which
    is how queries.py finds the latest one; `calendars` keeps the event's file per language."""
    from ..calendar.attachments import event_attachment

    sender, reply_to = sender_and_reply_to()
    calendars = {} if calendars is None else calendars
    reminder = purpose == "reminder"
    messages = []
    for recipient in recipients:
        raw, digest = new_token()
        link = external_url("invitations.show", event_id=invitation.event_id, token=raw)
        language, subject, text, html = compose(invitation, unit, recipient, content, link, reminder=reminder)
        if language not in calendars:
            calendars[language] = event_attachment(invitation.event, language, now=now)
        message = enqueue(
            kind=INVITATION_REMINDER if reminder else INVITATION, to_addr=recipient.email,
            to_name=recipient.name, subject=subject, body_text=text, body_html=html,
            language=language, sender=sender, reply_to=reply_to, attachments=[calendars[language]],
            refs={"invitation": invitation.id, "contact": recipient.contact_id},
            unit_id=unit.id, event_id=invitation.event_id)
        db.session.add(InvitationLink(
            invitation=invitation, token_hash=digest, contact_id=recipient.contact_id,
            email=recipient.email, purpose=purpose, message=message, created_at=now))
        messages.append(message)
    invitation.last_sent_at = now
    return messages


def preview(invitation: Invitation, unit: MemberUnit, recipient: Recipient,
            content: Content | None, *, reminder: bool = False) -> dict:
    """The mail `recipient` would get (nothing is stored; the link works nowhere)."""
    sender, reply_to = sender_and_reply_to()
    sample_link = external_url("invitations.show", event_id=invitation.event_id, token="PREVIEW-" + "x" * 35)
    language, subject, text, html = compose(invitation, unit, recipient, content, sample_link,
                                            reminder=reminder)
    # An address that cannot be mailed shows as stored; the sample is built without it.
    address = deliverable(recipient.email)
    row = OutboxMessage(
        kind=INVITATION, to_addr=address or "", to_name=recipient.name, subject=subject,
        body_text=text, body_html=html, language=language, sender=sender, reply_to=reply_to,
        message_id="<preview@eventsite.invalid>", refs={})
    shown = sample(row)
    return shown | {"language": language, "attachments": [calendar_filename(invitation.event)],
                    "headers": [(h, value if address or h != "To" else recipient.email)
                                for h, value in shown["headers"]]}

