"""Letter use cases, one function each: a liaison requests letters for members, the organizer
issues or declines them, re-issues a letter whose people changed, revokes one, and edits the
event's letter settings. Each checks the rules, writes, audits, mails and commits once."""
from __future__ import annotations

import json
from collections import defaultdict
from datetime import datetime
from types import SimpleNamespace
from typing import Any

import sqlalchemy as sa
from flask import current_app
from flask_babel import force_locale, format_date
from sqlalchemy.exc import IntegrityError

from ..audit.services import record
from ..core.domain import DomainError, Problems
from ..core.gettext import gettext as _
from ..core.timezones import to_local
from ..core.tokens import new_token
from ..core.urls import external_url
from ..extensions import db, now_utc
from . import document, notifications, rules
from .labels import DEFAULT_BODY
from .models import Letter, LetterRequest, LetterSettings

# --- settings and reference numbers ----------------------------------------------------------


def settings_of(event_id: int) -> LetterSettings:
    """The event's settings (the defaults, not added to the session, when it has none yet)."""
    return db.session.get(LetterSettings, event_id) or LetterSettings(
        event_id=event_id, mode="delegation", issue_on_confirmation=False, body_en="", body_zh="",
        last_sequence=0)


def body_of(settings: LetterSettings, language: str) -> str:
    return getattr(settings, f"body_{language}") or DEFAULT_BODY[language]


def next_sequence(event_id: int) -> int:
    """The event's next letter number, raised by one conditional UPDATE: concurrent issues wait
    for each other's row lock (PostgreSQL) or write lock (SQLite), so no number is given twice;
    the unique (event_id, sequence) constraint stands behind it."""
    raise_ = (sa.update(LetterSettings).where(LetterSettings.event_id == event_id)
              .values(last_sequence=LetterSettings.last_sequence + 1)
              .returning(LetterSettings.last_sequence)
              .execution_options(synchronize_session=False))
    value = db.session.execute(raise_).scalar()
    if value is None:  # the event's first letter: its settings row is made now
        try:
            with db.session.begin_nested():
                db.session.add(LetterSettings(event_id=event_id))
        except IntegrityError:
            pass  # another issue made it first
        value = db.session.execute(raise_).scalar()
    return value


def reference_for(event_id: int, year: int, sequence: int) -> str:
    return f"E{event_id}-{year}-{sequence:04d}"


def check_settings(values: dict[str, Any]) -> None:
    problems = Problems()
    for language in ("en", "zh"):
        problems.check(rules.check_template, values.get(f"body_{language}") or "", f"body_{language}")
    problems.raise_if_any()


def save_settings(event, values: dict[str, Any], actor=None) -> LetterSettings:
    """`values`: mode, issue_on_confirmation, body_en, body_zh (an empty body: the default)."""
    check_settings(values)
    settings = db.session.get(LetterSettings, event.id)
    if settings is None:
        settings = LetterSettings(event_id=event.id)
        db.session.add(settings)
    for name in ("mode", "issue_on_confirmation", "body_en", "body_zh"):
        setattr(settings, name, values[name])
    record("letter.settings", event, actor=actor, details={"mode": values["mode"]})
    db.session.commit()
    return settings


# --- what a letter prints ----------------------------------------------------------------------


def person_fields(delegate) -> dict[str, str]:
    """What a letter prints of a person (a change to any of it offers a re-issue)."""
    return {"name": delegate.passport_name or delegate.display_name("en"), "name_zh": delegate.name_zh,
            "passport_number": delegate.passport_number, "nationality": delegate.nationality,
            "birth_date": delegate.birth_date.isoformat() if delegate.birth_date else "",
            "passport_expiry": delegate.passport_expiry.isoformat() if delegate.passport_expiry else "",
            "title": delegate.title}


def event_dates(event, language: str) -> str:
    start, end = to_local(event.starts_at, event.timezone).date(), to_local(event.ends_at, event.timezone).date()
    if start == end:
        return format_date(start, "long")
    return f"{format_date(start, 'long')} – {format_date(end, 'long')}"


def _contact(event) -> str:
    parts = [event.contact_name, event.contact_email, event.contact_phone]
    return ", ".join(p for p in parts if p) or current_app.config.get("MAIL_REPLY_TO") or \
        current_app.config["MAIL_DEFAULT_SENDER"]


def placeholder_values(event, unit_names: dict[str, str], people: list[dict], purpose: str,
                       reference: str, issued: datetime, language: str) -> dict[str, str]:
    with force_locale(language):
        names = [p["name_zh"] or p["name"] if language == "zh" else p["name"] for p in people]
        note = (f"（{purpose}）" if language == "zh" else f" ({purpose})") if purpose else ""
        return {"event": event.shown("title", language), "dates": event_dates(event, language),
                "venue": event.where(language), "city": event.place(language), "unit": unit_names[language],
                "names": ("、" if language == "zh" else ", ").join(names), "purpose": note,
                "contact": _contact(event), "reference": reference,
                "date": format_date(to_local(issued, event.timezone).date(), "long")}


def snapshot_for(event, settings, unit_names: dict[str, str], people: list[dict], purpose: str,
                 reference: str, issued: datetime) -> dict[str, Any]:
    texts = {language: rules.fill(body_of(settings, language), placeholder_values(
        event, unit_names, people, purpose, reference, issued, language)) for language in ("en", "zh")}
    return {"people": people, "purpose": purpose, "texts": texts, "unit": unit_names}


def doc_of(letter: Letter) -> document.LetterDoc:
    return document.LetterDoc(
        reference=letter.reference, issued_on=to_local(letter.issued_at, letter.event.timezone).date(),
        printed=letter.printed, verify_url=external_url("letters.verify", token=letter.token))


def letter_pdf(letter: Letter) -> bytes:
    if not letter.printed:
        raise DomainError(_("The personal data of this letter was erased; it can no longer be printed."))
    return document.letter_pdf(doc_of(letter))


def download(letter: Letter, by: str, actor=None, delegate=None) -> bytes:
    """The PDF for someone downloading it, recorded in the audit log (it carries passport
    numbers): who (`actor`, else the logged-in user; a delegate through their link has no
    account) and as what (`by`: organizer, liaison, delegate)."""
    data = letter_pdf(letter)
    if actor is None and delegate is not None:
        actor = SimpleNamespace(id=None, email=f"delegate #{delegate.id} {delegate.email}".strip())
    record("letter.download", letter, actor=actor, target_label=letter.reference,
           details={"by": by, "delegation": letter.delegation_id})
    db.session.commit()
    return data


# --- requests ----------------------------------------------------------------------------------


def _request_problems(delegation, chosen: list, asked: set[int]) -> Problems:
    from .queries import taken_delegate_ids

    problems = Problems()
    if not delegation.is_live:
        problems.add(None, _("Letters can be requested only for a registered delegation."))
    if not asked:
        problems.add("people", _("Choose at least one member."))
    if len(chosen) != len(asked):
        problems.add("people", _("A chosen member is not in this delegation."))
    taken = taken_delegate_ids(delegation.id)
    for delegate in chosen:
        name = delegate.display_name(current_app.config["BABEL_DEFAULT_LOCALE"])
        if rules.missing_details(delegate):
            problems.add("people", _("%(name)s: the passport details are not complete.", name=name))
        elif delegate.id in taken:
            problems.add("people", _("%(name)s already has a letter or a request.", name=name))
    return problems


def request_letters(delegation, delegate_ids: list[int], purpose: str, actor=None) -> list[LetterRequest]:
    """A liaison asks for letters for the chosen members (active, with complete passports)."""
    asked = set(delegate_ids)
    chosen = [d for d in delegation.delegates if d.id in asked and d.is_active]
    _request_problems(delegation, chosen, asked).raise_if_any()
    made = [LetterRequest(event_id=delegation.event_id, delegation_id=delegation.id, delegate_id=d.id,
                          purpose=purpose.strip(), requested_by_id=getattr(actor, "id", None)) for d in chosen]
    db.session.add_all(made)
    record("letter.request", delegation, actor=actor, details={"people": len(made)})
    if settings_of(delegation.event_id).issue_on_confirmation:  # no review for confirmed members
        db.session.flush()  # the others' wait for their confirmation (issue_for_confirmed)
        confirmed = [r for r in made if r.delegate.status == "confirmed"]
        _claim(confirmed, "issued")
        _issue_requests(delegation.event, confirmed, actor)
    db.session.commit()
    return made


def _open_requests(event, request_ids: list[int]) -> list[LetterRequest]:
    found = db.session.scalars(sa.select(LetterRequest).where(
        LetterRequest.event_id == event.id, LetterRequest.id.in_(request_ids or [-1]),
        LetterRequest.status == "requested").order_by(LetterRequest.id)).all()
    if not found:
        raise DomainError(_("Choose at least one open request."))
    return found


def issue(event, request_ids: list[int], actor=None) -> list[Letter]:
    """Issue letters for the chosen open requests: one per delegation (its chosen members) or one
    per person, as the event's settings say; each is mailed as a PDF."""
    requests = _open_requests(event, request_ids)
    _claim(requests, "issued")
    letters = _issue_requests(event, requests, actor)
    db.session.commit()
    return letters


def issue_for_confirmed(delegation, delegates: list, actor=None) -> list[Letter]:
    """When the event issues letters on confirmation: the open requests of the people just
    confirmed (delegations' `delegates_confirmed`, heard by letters/receivers.py) become letters,
    mailed in the confirming service's transaction (no commit here). A request an organizer
    decided at the same moment is left to them; a passport no longer complete waits for review."""
    if not delegates or not delegation.is_live or not settings_of(delegation.event_id).issue_on_confirmation:
        return []
    ready = [d.id for d in delegates if d.status == "confirmed" and not rules.missing_details(d)]
    if not ready:
        return []
    claimed = set(db.session.scalars(
        sa.update(LetterRequest).where(LetterRequest.delegate_id.in_(ready), LetterRequest.status == "requested")
        .values(status="issued").returning(LetterRequest.id).execution_options(synchronize_session=False)))
    requests = db.session.scalars(sa.select(LetterRequest).where(LetterRequest.id.in_(claimed or [-1]))
                                  .order_by(LetterRequest.id)).all()
    return _issue_requests(delegation.event, list(requests), actor)


def _claim(requests: list[LetterRequest], status: str) -> None:
    """Decide the requests by one conditional UPDATE: of two organizers pressing at the same
    moment, the second finds them decided and is told so (never two letters for one request)."""
    if not requests:
        return
    claimed = db.session.execute(
        sa.update(LetterRequest).where(LetterRequest.id.in_([r.id for r in requests]),
                                       LetterRequest.status == "requested")
        .values(status=status).execution_options(synchronize_session=False))
    if claimed.rowcount != len(requests):
        raise DomainError(_("Someone decided some of these requests at the same moment: look at "
                            "the list again."))


def _issue_requests(event, requests: list[LetterRequest], actor) -> list[Letter]:
    """Letters for requests the caller has claimed (_claim)."""
    settings = settings_of(event.id)
    groups: dict[tuple, list[LetterRequest]] = defaultdict(list)
    for item in requests:
        key = (item.delegation_id,) if settings.mode == "delegation" else (item.delegation_id, item.delegate_id)
        groups[key].append(item)
    letters = []
    for items in groups.values():
        personal = items[0].delegate if settings.mode == "person" else None
        purpose = "; ".join(dict.fromkeys(i.purpose for i in items if i.purpose))
        letter = _issue_letter(event, settings, items[0].delegation, [i.delegate for i in items],
                               personal, purpose, actor)
        for item in items:
            item.status, item.letter_id = "issued", letter.id
            item.decided_at, item.decided_by_id = now_utc(), getattr(actor, "id", None)
        letters.append(letter)
    return letters


def _issue_letter(event, settings, delegation, people: list, personal, purpose: str, actor) -> Letter:
    issued = now_utc()
    sequence = next_sequence(event.id)
    reference = reference_for(event.id, to_local(issued, event.timezone).year, sequence)
    raw, digest = new_token()
    unit_names = {language: delegation.unit.display_name(language) for language in ("en", "zh")}
    printed = snapshot_for(event, settings, unit_names, [person_fields(p) | {"id": p.id} for p in people],
                           purpose, reference, issued)
    letter = Letter(event_id=event.id, delegation_id=delegation.id, delegate_id=getattr(personal, "id", None),
                    sequence=sequence, reference=reference, token_hash=digest, token=raw,
                    snapshot=json.dumps(printed, ensure_ascii=False), issued_at=issued,
                    issued_by_id=getattr(actor, "id", None), people=list(people))
    db.session.add(letter)
    db.session.flush()
    notifications.letter_issued(letter, letter_pdf(letter))
    record("letter.issue", letter, actor=actor, details={"delegation": delegation.id, "people": len(people)})
    return letter


def decline(event, request_ids: list[int], reason: str, actor=None) -> int:
    requests = _open_requests(event, request_ids)
    if not reason.strip():
        raise DomainError(_("Say why the request is declined."), "reason")
    _claim(requests, "declined")
    for item in requests:
        item.status, item.decline_reason = "declined", reason.strip()
        item.decided_at, item.decided_by_id = now_utc(), getattr(actor, "id", None)
        record("letter.decline", item, actor=actor)
    notifications.requests_declined(requests, reason.strip())
    db.session.commit()
    return len(requests)


# --- after issue -------------------------------------------------------------------------------


def reissue(letter: Letter, actor=None) -> Letter:
    """A new letter (new reference, today's data) for the same people; the old one is replaced."""
    if letter.status != "valid":
        raise DomainError(_("Only a valid letter can be re-issued."))
    people = [p for p in letter.people if p.is_active]
    if not people:
        raise DomainError(_("Nobody on this letter is still registered: revoke it instead."))
    incomplete = [p for p in people if rules.missing_details(p)]
    if incomplete:
        raise DomainError(_("The passport details of someone on this letter are no longer complete."))
    new = _issue_letter(letter.event, settings_of(letter.event_id), letter.delegation, people,
                        letter.delegate, letter.printed.get("purpose", ""), actor)
    letter.status, letter.replaced_by_id = "replaced", new.id
    db.session.execute(sa.update(LetterRequest).where(LetterRequest.letter_id == letter.id)
                       .values(letter_id=new.id))
    record("letter.reissue", letter, actor=actor, details={"new": new.reference})
    db.session.commit()
    return new


def revoke(letter: Letter, reason: str, actor=None) -> None:
    if letter.status != "valid":
        raise DomainError(_("Only a valid letter can be revoked."))
    if not reason.strip():
        raise DomainError(_("Say why the letter is revoked."), "reason")
    letter.status, letter.revoke_reason = "revoked", reason.strip()
    letter.revoked_at, letter.revoked_by_id = now_utc(), getattr(actor, "id", None)
    record("letter.revoke", letter, actor=actor)
    db.session.commit()


def erase_event(event_id: int, now: datetime) -> int:
    """For privacy/erasure.py (inside its transaction): letters keep reference, status and dates
    and lose what they printed; requests lose their notes. Returns how many letters."""
    letters = db.session.scalars(sa.select(Letter).where(Letter.event_id == event_id,
                                                         Letter.snapshot_erased_at.is_(None))).all()
    for letter in letters:
        letter.snapshot, letter.snapshot_erased_at, letter.revoke_reason = "", now, ""
    db.session.execute(sa.update(LetterRequest).where(LetterRequest.event_id == event_id)
                       .values(purpose="", decline_reason=""))
    return len(letters)
