"""CSV import of units and of contacts: all or nothing, with a reason for every bad row. A row
updates the record its `id` names, else the one with the same names (a unit: in the same country;
a contact: in the same unit), else creates one; columns missing from the file change nothing."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy.orm import selectinload

from ...audit.services import record
from ...core.addresses import AddressError, clean_address
from ...core.dates import day_in_range
from ...core.domain import DomainError
from ...core.gettext import gettext as _
from ...core.numbers import whole_number
from ...core.pagecache import bump
from ...extensions import db
from .. import labels, services
from ..models import Contact, MemberUnit
from .table import CsvTable, read_table

UNIT_COLUMNS = {
    "id": ("编号", "unit id"),
    "kind": ("type", "种类", "类型", "类别", "单位类型"),
    "name_zh": ("chinese name", "name (zh)", "name chinese", "中文名称", "中文名", "名称", "单位名称"),
    "name_en": ("english name", "name (en)", "name english", "英文名称", "英文名"),
    "country": ("国家", "国家/地区", "国别"),
    "province": ("region", "state", "省份", "省", "省/地区", "地区", "所在省份"),
    "batch": ("批次",),
    "joined_on": ("joined", "joining date", "date joined", "入盟日期", "加入日期", "入盟时间"),
    "tags": ("tag", "标签"),
    "website": ("web", "url", "网站", "网址"),
    "active": ("is_active", "status", "有效", "是否有效", "状态", "启用"),
    "notes": ("note", "备注"),
}
CONTACT_COLUMNS = {
    "id": ("contact id", "编号"),
    "unit_id": ("单位编号",),
    "unit": ("unit name", "单位", "单位名称", "成员单位"),
    "role": ("职能", "角色", "类别"),
    "name_zh": ("chinese name", "name (zh)", "中文姓名", "姓名"),
    "name_latin": ("latin name", "name (latin)", "pinyin", "英文姓名", "拼音", "拼音/英文姓名"),
    "title": ("position", "职务", "职位"),
    "email": ("e-mail", "mail", "电子邮件", "电子邮箱", "邮箱"),
    "phone": ("telephone", "mobile", "电话", "手机", "联系电话"),
    "language": ("lang", "语言"),
    "receives_invitations": ("invitations", "receives invitations", "接收邀请", "是否接收邀请"),
}
TRUE_WORDS = {"1", "yes", "y", "true", "是", "有效", "启用", "x", "✓"}
FALSE_WORDS = {"0", "no", "n", "false", "否", "无效", "停用"}
LIMITS = {"name_zh": 200, "name_en": 200, "name_latin": 200, "title": 200, "province": 100,
          "website": 300, "email": 320, "phone": 64, "unit": 200, "notes": 5000}


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    ignored_columns: list[str] = field(default_factory=list)


class ImportFailed(Exception):
    """Nothing was written: `message` for the whole file, or `rows` [(line, reason), ...]."""

    def __init__(self, message: str = "", rows: list[tuple[int, str]] | None = None):
        super().__init__(message or f"{len(rows or [])} bad rows")
        self.message = message
        self.rows = rows or []


def _text(values: dict, name: str, *, multiline: bool = False) -> str:
    value = values.get(name, "")
    if "\x00" in value or (not multiline and ("\r" in value or "\n" in value)):
        raise DomainError(_("%(column)s: line breaks and control characters are not allowed.", column=name))
    if len(value) > LIMITS.get(name, 200):
        raise DomainError(_("%(column)s: at most %(n)d characters.", column=name, n=LIMITS.get(name, 200)))
    return value.replace("\r\n", "\n")


def _coded(values: dict, name: str) -> str:
    code = labels.parse(name, values.get(name, ""))
    if code is None:
        raise DomainError(_("%(column)s: unknown value “%(value)s”.", column=name, value=values.get(name, "")[:50]))
    return code


def _bool(value: str, column: str) -> bool:
    key = value.strip().casefold()
    if key in TRUE_WORDS or key == "":
        return True
    if key in FALSE_WORDS:
        return False
    raise DomainError(_("%(column)s: write yes or no.", column=column))


def _int(value: str, column: str) -> int | None:
    if value == "":
        return None
    number = whole_number(value, 0, 999_999_999)
    if number is None:
        raise DomainError(_("%(column)s: not a whole number.", column=column))
    return number


def _date(value: str) -> date | None:
    if value == "":
        return None
    value = value.removesuffix(" 00:00:00").removesuffix(" 0:00")
    for pattern in ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日"):
        try:
            day = datetime.strptime(value, pattern).date()
        except ValueError:
            continue
        if day_in_range(day):
            return day
    raise DomainError(_("joined_on: not a date (write it as 2021-06-30)."))


def _website(value: str) -> str:
    if value and not (urlsplit(value).scheme in ("http", "https") and urlsplit(value).netloc):
        raise DomainError(_("website: must start with http:// or https://."))
    return value


def _run(table: CsvTable, parse_row, kind: str) -> ImportResult:
    errors: list[tuple[int, str]] = []
    plans = []
    seen: dict[tuple, int] = {}
    for line, values in table.rows:
        try:
            plan, keys = parse_row(values)
            for key in keys:
                if key in seen:
                    raise DomainError(_("duplicates line %(line)d.", line=seen[key]))
            for key in keys:
                seen[key] = line
            plans.append(plan)
        except DomainError as error:
            errors.append((line, str(error.message)))
    if errors:
        raise ImportFailed(rows=errors)
    result = ImportResult(ignored_columns=table.ignored)
    for apply in plans:
        outcome = apply()
        setattr(result, outcome, getattr(result, outcome) + 1)
    record("member.import", None, target_label=kind, details={
        "file": kind, "created": result.created, "updated": result.updated, "unchanged": result.unchanged})
    bump("members")
    db.session.commit()
    return result


def _read(data: bytes, columns: dict, *required: tuple[str, ...]) -> CsvTable:
    """The file as a table, or ImportFailed naming the required columns (or alternatives) it lacks."""
    try:
        table = read_table(data, columns)
    except DomainError as error:
        raise ImportFailed(error.message) from None
    missing = [" / ".join(group) for group in required if not set(group) & set(table.columns)]
    if missing:
        raise ImportFailed(_("Required columns are missing: %(columns)s.", columns=", ".join(missing)))
    return table


# Unit columns read by one function each (the rest depend on each other: see _unit_values).
UNIT_READERS = (
    ("batch", "batch", lambda row: _int(row["batch"], "batch")),
    ("joined_on", "joined_on", lambda row: _date(row["joined_on"])),
    ("website", "website", lambda row: _website(_text(row, "website"))),
    ("active", "is_active", lambda row: _bool(row["active"], "active")),
    ("notes", "notes", lambda row: _text(row, "notes", multiline=True)),
)


def _unit_values(row: dict[str, str], present: set[str]) -> dict[str, Any]:
    """The unit fields a row gives (only the columns the file has)."""
    values: dict[str, Any] = {}
    if "kind" in present:
        values["kind"] = _coded(row, "kind")
    for name in ("name_zh", "name_en"):
        if name in present:
            values[name] = _text(row, name)
    if "country" in present:
        values["country"] = labels.parse_country(row["country"]) if row["country"] else "CN"
        if values["country"] is None:
            raise DomainError(_("country: unknown value “%(value)s”.", value=row["country"][:50]))
    if "province" in present:
        province = _text(row, "province")
        if values.get("country", "CN") == "CN" and province:
            province = _coded(row, "province")
        values["province"] = province
    for column, field_name, read in UNIT_READERS:
        if column in present:
            values[field_name] = read(row)
    return values


def _unit_apply(unit: MemberUnit | None, values: dict[str, Any], tags: list[str] | None):
    """What writing one checked row does, run once every row has passed."""
    def apply() -> str:
        if unit is None:
            new = MemberUnit(**{"country": "CN", "province": ""} | values)
            new.tags = services.tags_named(tags or [])
            db.session.add(new)
            return "created"
        changes = services.apply_values(unit, values, services.UNIT_FIELDS)
        if tags is not None:
            changes |= services.apply_tags(unit, tags)
        return "updated" if changes else "unchanged"
    return apply


def import_units(data: bytes) -> ImportResult:
    """Validate every row first; write only if all are good (one commit, one audit entry)."""
    table = _read(data, UNIT_COLUMNS, ("kind",), ("name_zh", "name_en"))
    units = db.session.scalars(db.select(MemberUnit).options(selectinload(MemberUnit.tags))).all()
    by_id = {u.id: u for u in units}
    by_zh = _index(units, lambda u: (u.name_zh, u.country) if u.name_zh else None)
    by_en = _index(units, lambda u: (u.name_en.casefold(), u.country) if u.name_en else None)
    present = set(table.columns)

    def parse_row(row: dict[str, str]):
        values = _unit_values(row, present)
        country = values.get("country", "CN")
        tags = services.parse_tags(row["tags"]) if "tags" in present else None
        if tags:
            services.check_tag_names(tags)
        unit = _match_unit(_int(row.get("id", ""), "id"), values, country, by_id, by_zh, by_en)
        base = {f: getattr(unit, f) for f in services.UNIT_FIELDS} if unit else {
            "country": "CN", "province": "", "batch": None, "is_active": True}
        services.check_unit(base | values)
        keys = [("zh", values["name_zh"], country)] if values.get("name_zh") else []
        if values.get("name_en"):
            keys.append(("en", values["name_en"].casefold(), country))
        if unit is not None:
            keys.append(("id", unit.id))
        return _unit_apply(unit, values, tags), keys

    return _run(table, parse_row, "units")


def _index(items, *keys) -> dict:
    """{key: [items]} for every key (not None) that one of `keys` gives an item."""
    table: dict = {}
    for item in items:
        for k in {key(item) for key in keys} - {None}:
            table.setdefault(k, []).append(item)
    return table


def _match_unit(unit_id, values, country, by_id, by_zh, by_en) -> MemberUnit | None:
    if unit_id is not None:
        if unit_id not in by_id:
            raise DomainError(_("id: there is no unit %(id)d.", id=unit_id))
        return by_id[unit_id]
    found = set()
    if values.get("name_zh"):
        found.update(u.id for u in by_zh.get((values["name_zh"], country), []))
    if values.get("name_en") and not found:
        found.update(u.id for u in by_en.get((values["name_en"].casefold(), country), []))
    if len(found) > 1:
        raise DomainError(_("several units have this name; give the id."))
    return by_id[found.pop()] if found else None


def _contact_values(row: dict[str, str], present: set[str]) -> dict[str, Any]:
    """The contact fields a row gives (only the columns the file has)."""
    values: dict[str, Any] = {"role": _coded(row, "role")}
    for name in ("name_zh", "name_latin", "title", "phone"):
        if name in present:
            values[name] = _text(row, name)
    if "email" in present:
        values["email"] = _email(row.get("email", ""))  # the address rule checks it whole
    if "language" in present and row["language"]:
        values["language"] = _coded(row, "language")
    if "receives_invitations" in present:
        values["receives_invitations"] = _bool(row["receives_invitations"], "receives_invitations")
    return values


def _contact_apply(unit: MemberUnit, contact: Contact | None, values: dict[str, Any], language: str):
    """What writing one checked row does, run once every row has passed."""
    def apply() -> str:
        if contact is None:
            db.session.add(Contact(unit=unit, **{"language": language} | values))
            return "created"
        changed = services.apply_values(contact, values, services.CONTACT_FIELDS)
        return "updated" if changed else "unchanged"
    return apply


def import_contacts(data: bytes) -> ImportResult:
    table = _read(data, CONTACT_COLUMNS, ("role",), ("unit_id", "unit"), ("name_zh", "name_latin"))
    units = db.session.scalars(db.select(MemberUnit).options(selectinload(MemberUnit.contacts))).all()
    by_id = {u.id: u for u in units}
    by_name = _index(units, lambda u: u.name_zh or None, lambda u: u.name_en.casefold() or None)
    contacts = {c.id: c for u in units for c in u.contacts}
    present = set(table.columns)

    def parse_row(row: dict[str, str]):
        unit = _contact_unit(row, by_id, by_name)
        values = _contact_values(row, present)
        contact = _match_contact(_int(row.get("id", ""), "id"), unit, values, contacts)
        language = "zh" if unit.country == "CN" else "en"
        base = ({f: getattr(contact, f) for f in services.CONTACT_FIELDS} if contact
                else {"language": language, "name_zh": "", "name_latin": ""})
        services.check_contact(base | values)
        keys = [("name", unit.id, values.get("name_zh", ""), values.get("name_latin", "").casefold())]
        if contact is not None:
            keys.append(("id", contact.id))
        return _contact_apply(unit, contact, values, language), keys

    return _run(table, parse_row, "contacts")


def _email(value: str) -> str:
    if not value.strip():
        return ""
    try:
        return clean_address(value)
    except AddressError as exc:
        raise DomainError(_("email: %(problem)s", problem=exc.message)) from None


def _contact_unit(row, by_id, by_name) -> MemberUnit:
    unit_id = _int(row.get("unit_id", ""), "unit_id")
    name = row.get("unit", "")
    if unit_id is not None:
        unit = by_id.get(unit_id)
        if unit is None:
            raise DomainError(_("unit_id: there is no unit %(id)d.", id=unit_id))
        if name and name not in (unit.name_zh, unit.name_en) and name.casefold() != unit.name_en.casefold():
            raise DomainError(_("unit: the name does not match unit %(id)d.", id=unit_id))
        return unit
    if not name:
        raise DomainError(_("unit: give the unit's id or name."))
    found = {u.id: u for u in by_name.get(name, []) + by_name.get(name.casefold(), [])}
    if not found:
        raise DomainError(_("unit: no unit is called “%(name)s”.", name=name[:50]))
    if len(found) > 1:
        raise DomainError(_("unit: several units are called “%(name)s”; give unit_id.", name=name[:50]))
    return next(iter(found.values()))


def _match_contact(contact_id, unit, values, contacts) -> Contact | None:
    if contact_id is not None:
        contact = contacts.get(contact_id)
        if contact is None or contact.unit_id != unit.id:
            raise DomainError(_("id: there is no contact %(id)d in this unit.", id=contact_id))
        return contact
    zh, latin = values.get("name_zh", ""), values.get("name_latin", "").casefold()
    return next((c for c in unit.contacts if c.name_zh == zh and c.name_latin.casefold() == latin), None)
