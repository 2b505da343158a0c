"""Checks the hotel services share; they read nothing but their arguments."""
from __future__ import annotations

from datetime import date

from ..core.domain import Problems
from ..core.gettext import gettext as _
from .models import BEDS, LIST_LANGUAGES, REQUEST_KINDS


def hotel_problems(values: dict) -> Problems:
    problems = Problems()
    if not (values.get("name_en") or values.get("name_zh")):
        problems.add("name_en", _("Give the hotel's name in English or in Chinese."))
    if values.get("list_language") not in LIST_LANGUAGES:
        problems.add("list_language", _("Choose English or Chinese."))
    return problems


def block_problems(values: dict, rooms_used: int = 0) -> Problems:
    """The block's own values; `rooms_used`: rooms that already have guests (never fewer rooms)."""
    problems = Problems()
    if not (values.get("room_type_en") or values.get("room_type_zh")):
        problems.add("room_type_en", _("Give the room type in English or in Chinese."))
    if values.get("beds") not in BEDS:
        problems.add("beds", _("Choose a single or a shared room."))
    check_in, check_out = values.get("check_in"), values.get("check_out")
    if not isinstance(check_in, date):
        problems.add("check_in", _("Give the check-in date."))
    if not isinstance(check_out, date):
        problems.add("check_out", _("Give the check-out date."))
    elif isinstance(check_in, date) and check_out <= check_in:
        problems.add("check_out", _("Check-out must be after check-in."))
    rooms = values.get("rooms")
    if not isinstance(rooms, int) or rooms < 0:
        problems.add("rooms", _("Give the number of rooms (0 or more)."))
    elif rooms < rooms_used:
        problems.add("rooms", _("%(num)d rooms have guests already: move or remove guests first.",
                                num=rooms_used))
    return problems


def dates_problem(block_in: date, block_out: date, check_in: date, check_out: date) -> str:
    """Why a guest's own nights do not fit the block's ("" if they do)."""
    if check_out <= check_in:
        return _("Check-out must be after check-in.")
    if check_in < block_in or check_out > block_out:
        return _("The dates must lie within the block's nights, %(first)s to %(last)s.",
                 first=block_in.isoformat(), last=block_out.isoformat())
    return ""


def request_problem(kind: str, share_with_id: int | None, own_id: int, members: set[int]) -> str:
    """Why a liaison's room request cannot be taken ("" if it can)."""
    if kind not in REQUEST_KINDS:
        return _("Choose what this person needs.")
    if kind == "share" and (share_with_id is None or share_with_id == own_id or share_with_id not in members):
        return _("Choose the member of your delegation to share the room with.")
    return ""
