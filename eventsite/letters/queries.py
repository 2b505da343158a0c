"""The read side of letters: what the organizer's list, the liaison's page, the delegate's page
and the public verification page show."""
from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from ..core.masking import mask_passport
from ..core.timezones import to_local
from ..core.tokens import hash_token, plausible
from ..extensions import db
from . import rules
from .models import Letter, LetterRequest, letter_person


def changed_since_issue(letter: Letter) -> bool:
    """Whether someone on a valid letter now has other details than it printed (read time)."""
    from .services import person_fields

    if not letter.is_valid or not letter.printed:
        return False
    printed = {p.get("id"): p for p in letter.printed.get("people", [])}
    for person in letter.people:
        was = dict(printed.get(person.id) or {})
        was.pop("id", None)
        if was != person_fields(person):
            return True
    return False


@dataclass
class LetterRow:
    letter: Letter
    changed: bool

    @property
    def issued_on(self) -> str:
        """The issue day in the event's time zone, as the letter prints it."""
        return to_local(self.letter.issued_at, self.letter.event.timezone).date().isoformat()


def rows(letters) -> list[LetterRow]:
    return [LetterRow(letter, changed_since_issue(letter)) for letter in letters]


def event_letters(event_id: int) -> list[LetterRow]:
    return rows(db.session.scalars(sa.select(Letter).where(Letter.event_id == event_id)
                                   .order_by(Letter.sequence.desc())))


def open_requests(event_id: int) -> list[LetterRequest]:
    return list(db.session.scalars(sa.select(LetterRequest).where(
        LetterRequest.event_id == event_id, LetterRequest.status == "requested")
        .order_by(LetterRequest.delegation_id, LetterRequest.id)))


def delegation_letters(delegation_id: int) -> list[LetterRow]:
    return rows(db.session.scalars(sa.select(Letter).where(Letter.delegation_id == delegation_id)
                                   .order_by(Letter.sequence.desc())))


def delegation_requests(delegation_id: int) -> list[LetterRequest]:
    return list(db.session.scalars(sa.select(LetterRequest).where(LetterRequest.delegation_id == delegation_id)
                                   .order_by(LetterRequest.id.desc())))


def delegate_letters(delegate_id: int) -> list[Letter]:
    """The valid letters that name the delegate (a delegation letter or their own)."""
    return list(db.session.scalars(sa.select(Letter).join(letter_person).where(
        letter_person.c.delegate_id == delegate_id, Letter.status == "valid").order_by(Letter.sequence)))


def taken_delegate_ids(delegation_id: int) -> set[int]:
    """Members with an open request or on a valid letter: a new request for them waits."""
    requested = sa.select(LetterRequest.delegate_id).where(
        LetterRequest.delegation_id == delegation_id, LetterRequest.status == "requested")
    lettered = sa.select(letter_person.c.delegate_id).join(Letter).where(
        Letter.delegation_id == delegation_id, Letter.status == "valid")
    return set(db.session.scalars(requested)) | set(db.session.scalars(lettered))


@dataclass
class MemberChoice:
    delegate: object
    missing: list[str]
    taken: bool

    @property
    def can_choose(self) -> bool:
        return not self.missing and not self.taken


def member_choices(delegation) -> list[MemberChoice]:
    taken = taken_delegate_ids(delegation.id)
    return [MemberChoice(d, rules.missing_details(d), d.id in taken)
            for d in delegation.delegates if d.is_active]


def by_token(raw: str | None) -> Letter | None:
    if not plausible(raw):
        return None
    return db.session.scalar(sa.select(Letter).where(Letter.token_hash == hash_token(raw)))


def masked_people(letter: Letter) -> list[dict[str, str]]:
    """Names with masked passport numbers, as the public verification page shows them."""
    return [{"name": p.get("name", ""), "name_zh": p.get("name_zh", ""),
             "passport": mask_passport(p.get("passport_number", ""))}
            for p in letter.printed.get("people", [])]
