"""Checks the cooperation services share; they read nothing but their arguments."""
from __future__ import annotations

import re

from ..core.domain import Problems
from ..core.gettext import gettext as _
from ..members.labels import PROVINCE_CODES, country_codes
from .models import SECTORS, SIZE_BANDS, STAGES

CODE = re.compile(r"^[a-z][a-z0-9_]{1,39}$")
MAX_STAND_M2 = 10_000


def topic_problems(values: dict, taken_codes: set[str]) -> Problems:
    problems = Problems()
    code = values.get("code") or ""
    if not CODE.match(code):
        problems.add("code", _("Give a code of 2 to 40 small letters, digits or underscores, starting with a letter."))
    elif code in taken_codes:
        problems.add("code", _("Another topic has this code."))
    if not (values.get("name_en") or values.get("name_zh")):
        problems.add("name_en", _("Give the topic's name in English or in Chinese."))
    return problems


def profile_problems(values: dict, known_topics: set[int]) -> Problems:
    problems = Problems()
    for kind in ("offers", "seeks"):
        if set(values.get(kind) or ()) - known_topics:
            problems.add(kind, _("Choose topics from the list."))
    return problems


def project_problems(values: dict, known_topics: set[int]) -> Problems:
    problems = Problems()
    if not (values.get("title_en") or values.get("title_zh")):
        problems.add("title_en", _("Give the project's title in English or in Chinese."))
    if not (values.get("description_en") or values.get("description_zh")):
        problems.add("description_en", _("Describe the project in English or in Chinese."))
    if values.get("sector") not in SECTORS:
        problems.add("sector", _("Choose a sector."))
    if values.get("stage") not in STAGES:
        problems.add("stage", _("Choose the project's stage."))
    if values.get("size_band") not in SIZE_BANDS:
        problems.add("size_band", _("Choose the project's size."))
    country = values.get("country") or ""
    if country not in country_codes():
        problems.add("country", _("Choose a country."))
    province = values.get("province") or ""
    if country == "CN" and province and province not in PROVINCE_CODES:
        problems.add("province", _("Choose a province from the list."))
    if country != "CN" and province:
        problems.add("province", _("A province is given only for projects in China."))
    if set(values.get("topics") or ()) - known_topics:
        problems.add("topics", _("Choose topics from the list."))
    if not (values.get("contact_email") or values.get("contact_phone")):
        problems.add("contact_email", _("Give an email address or a phone number for enquiries."))
    return problems


def stand_problems(values: dict) -> Problems:
    problems = Problems()
    if not values.get("unit_id"):
        problems.add("unit_id", _("Choose a unit."))
    if not values.get("hall"):
        problems.add("hall", _("Give the hall."))
    if not values.get("number"):
        problems.add("number", _("Give the stand number."))
    size = values.get("size_m2")
    if not isinstance(size, int) or not 1 <= size <= MAX_STAND_M2:
        problems.add("size_m2", _("Give the size in square metres (1 to %(max)d).", max=MAX_STAND_M2))
    return problems
