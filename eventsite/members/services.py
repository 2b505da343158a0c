"""Use cases of the member directory: units, their tags and contacts."""
from __future__ import annotations

from datetime import date
from typing import Any

from ..audit.services import record
from ..core.addresses import AddressError, clean_address
from ..core.dates import day_in_range, range_message
from ..core.domain import DomainError
from ..core.gettext import gettext as _
from ..core.pagecache import bump
from ..extensions import db
from .labels import PROVINCE_CODES, country_codes
from .models import CONTACT_LANGUAGES, CONTACT_ROLES, UNIT_KINDS, Contact, MemberUnit
from .tags import check_tag_names, parse_tags, tags_named  # noqa: F401 (the directory's use cases)

# What staff may change on a unit; a liaison only the second set, on their own unit.
UNIT_FIELDS = ("kind", "name_zh", "name_en", "country", "province", "batch", "joined_on",
               "website", "notes", "is_active")
LIAISON_UNIT_FIELDS = ("name_zh", "name_en", "website", "notes")
CONTACT_FIELDS = ("role", "name_zh", "name_latin", "title", "email", "phone", "language",
                  "receives_invitations")
def check_unit(values: dict[str, Any]) -> None:
    """The rules every unit must satisfy, whoever edits it (form or import)."""
    if values.get("kind") not in UNIT_KINDS:
        raise DomainError(_("Choose a valid kind of unit."))
    if not (values.get("name_zh") or values.get("name_en")):
        raise DomainError(_("Give the unit a Chinese or an English name."))
    country = values.get("country")
    if country not in country_codes():
        raise DomainError(_("Choose a valid country."))
    province = values.get("province") or ""
    if country == "CN" and province and province not in PROVINCE_CODES:
        raise DomainError(_("Choose a valid province."))
    if country != "CN" and province in PROVINCE_CODES:
        raise DomainError(_("A Chinese province was given for a unit outside China."))
    batch = values.get("batch")
    if batch is not None and not (1 <= batch <= 99):
        raise DomainError(_("The batch must be a number from 1 to 99."))
    joined = values.get("joined_on")
    if isinstance(joined, date) and not day_in_range(joined):
        raise DomainError(range_message())


def check_contact(values: dict[str, Any]) -> dict[str, Any]:
    """The rules every contact must satisfy (form or import); the email as core/addresses.py spells it."""
    if values.get("role") not in CONTACT_ROLES:
        raise DomainError(_("Choose a valid role."))
    if values.get("language") not in CONTACT_LANGUAGES:
        raise DomainError(_("Choose a valid language."))
    if not (values.get("name_zh") or values.get("name_latin")):
        raise DomainError(_("Give the contact a Chinese or a Latin name."))
    if values.get("email"):
        try:
            values = values | {"email": clean_address(values["email"])}
        except AddressError as exc:
            raise DomainError(str(exc.message)) from None
    return values


def _jsonable(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str) and len(value) > 200:
        return value[:200] + "…"
    return value


def apply_values(obj: Any, values: dict[str, Any], fields: tuple[str, ...]) -> dict[str, list]:
    """Set `fields` of `obj` from `values`; return {field: [old, new]} for those that changed."""
    changes = {}
    for field in (f for f in fields if f in values):
        old, new = getattr(obj, field), values[field]
        if old != new:
            setattr(obj, field, new)
            changes[field] = [_jsonable(old), _jsonable(new)]
    return changes


def apply_tags(unit: MemberUnit, names: list[str]) -> dict[str, list]:
    old = sorted(t.both_names() for t in unit.tags)
    before = set(unit.tags)
    tags = tags_named(names)
    new = sorted(t.both_names() for t in tags)
    if set(tags) == before and old == new:
        return {}
    unit.tags = tags
    return {"tags": [", ".join(old), ", ".join(new)]}


def create_unit(values: dict[str, Any], tag_names: list[str]) -> MemberUnit:
    check_unit(values)
    check_tag_names(tag_names)
    unit = MemberUnit()
    apply_values(unit, values, UNIT_FIELDS)
    unit.tags = tags_named(tag_names)
    db.session.add(unit)
    _saved("member.create", unit)
    return unit


def _saved(action: str, unit: MemberUnit, **details: Any) -> None:
    record(action, unit, **details)
    bump("members")
    db.session.commit()


def update_unit(unit: MemberUnit, values: dict[str, Any], tag_names: list[str] | None = None,
                *, fields: tuple[str, ...] = UNIT_FIELDS) -> dict[str, list]:
    """Change `fields` (staff: all; a liaison: LIAISON_UNIT_FIELDS); returns what changed."""
    merged = {f: getattr(unit, f) for f in UNIT_FIELDS} | {f: values[f] for f in fields if f in values}
    check_unit(merged)
    changes = apply_values(unit, values, fields)
    if tag_names is not None:
        check_tag_names(tag_names)
        changes |= apply_tags(unit, tag_names)
    if changes:
        _saved("member.update", unit, details={"changed": changes})
    return changes


def set_unit_active(unit: MemberUnit, active: bool) -> bool:
    """Deactivate or reactivate; returns False when it already was in that state."""
    if unit.is_active == active:
        return False
    unit.is_active = active
    _saved("member.reactivate" if active else "member.deactivate", unit)
    return True


def add_contact(unit: MemberUnit, values: dict[str, Any]) -> Contact:
    values = check_contact(values)
    contact = Contact(unit=unit)
    apply_values(contact, values, CONTACT_FIELDS)
    db.session.add(contact)
    record("contact.create", contact, details={"unit_id": unit.id})
    db.session.commit()
    return contact


def update_contact(contact: Contact, values: dict[str, Any]) -> dict[str, list]:
    merged = check_contact({f: getattr(contact, f) for f in CONTACT_FIELDS} | values)
    changes = apply_values(contact, {f: merged[f] for f in values}, CONTACT_FIELDS)
    if changes:
        record("contact.update", contact, details={"unit_id": contact.unit_id, "changed": changes})
        db.session.commit()
    return changes


def delete_contact(contact: Contact) -> None:
    record("contact.delete", contact, details={"unit_id": contact.unit_id, "email": contact.email})
    db.session.delete(contact)
    db.session.commit()
