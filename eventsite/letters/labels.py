"""Translated labels of the letters' codes, and the default letter texts (one per language: each
is the letter's own text on its page, not a translation shown to a reader)."""
from __future__ import annotations

from ..core.gettext import lazy_gettext as _l
from .models import LETTER_MODES, LETTER_STATUSES, REQUEST_STATUSES

STATUS_LABELS = {"valid": _l("Valid"), "replaced": _l("Replaced"), "revoked": _l("Revoked")}
STATUS_STYLES = {"valid": "success", "replaced": "secondary", "revoked": "danger"}
REQUEST_LABELS = {"requested": _l("Requested"), "issued": _l("Issued"), "declined": _l("Not issued")}
MODE_LABELS = {"delegation": _l("One letter per delegation, listing its members"),
               "person": _l("One letter per person")}
# What a member lacks before a letter can name them (rules.missing_details gives the codes).
MISSING_LABELS = {"passport_name": _l("name as in passport"), "passport_number": _l("passport number"),
                  "nationality": _l("nationality"), "birth_date": _l("date of birth"),
                  "passport_expiry": _l("passport expiry")}

if (set(STATUS_LABELS) != set(LETTER_STATUSES) or set(STATUS_STYLES) != set(LETTER_STATUSES)
        or set(REQUEST_LABELS) != set(REQUEST_STATUSES) or set(MODE_LABELS) != set(LETTER_MODES)):
    raise RuntimeError("every letter status, request status and mode needs its label")

DEFAULT_BODY = {
    "en": (
        "On behalf of the alliance secretariat, we have the honour to invite the following "
        "members of the delegation of {unit} to attend {event}, to be held at {venue} from {dates}.\n\n"
        "{names}\n\n"
        "The purpose of the visit is to take part in the meetings and exchanges of the event{purpose}. "
        "The organizer will provide local transport and meals during the event; international "
        "travel, accommodation and insurance are covered by the delegates' own organization unless "
        "agreed otherwise.\n\n"
        "We kindly ask the competent authorities to grant the necessary visas. For any question "
        "please contact the secretariat: {contact}."),
    "zh": (
        "兹代表联盟秘书处，诚邀{unit}代表团下列成员出席{event}。活动将于{dates}在{venue}举行。\n\n"
        "{names}\n\n"
        "此次访问的目的是参加活动的会议与交流{purpose}。活动期间的当地交通与餐饮由主办方提供；"
        "国际旅费、住宿及保险除另有约定外，由代表所在单位承担。\n\n"
        "恳请有关主管部门惠予办理签证手续。如有任何问题，请与秘书处联系：{contact}。"),
}
