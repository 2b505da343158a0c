"""The stand list of an exposition for the venue: XLSX or CSV (core/spreadsheet.py), every name in
both languages side by side (the venue reads either), headers in both languages too."""
from __future__ import annotations

from flask_babel import force_locale

from ..core.gettext import lazy_gettext as _l
from ..core.spreadsheet import write_csv, write_xlsx
from ..members.labels import KIND_LABELS, country_name, province_name

HEADINGS = (_l("Hall"), _l("Stand"), _l("Size (m²)"), _l("Unit (English)"), _l("Unit (Chinese)"), _l("Kind"),
            _l("Region"))


def header() -> list[str]:
    out = []
    for heading in HEADINGS:
        with force_locale("en"):
            english = str(heading)
        with force_locale("zh"):
            chinese = str(heading)
        out.append(english if english == chinese else f"{english} / {chinese}")
    return out


def _both(english: str, chinese: str) -> str:
    return english if english == chinese else " / ".join(p for p in (english, chinese) if p)


def _region(unit) -> str:
    if unit.country == "CN" and unit.province.startswith("CN-"):
        return _both(province_name(unit.province, "en"), province_name(unit.province, "zh"))
    return _both(country_name(unit.country, "en"), country_name(unit.country, "zh"))


def rows(stands) -> list[list[object]]:
    out = []
    for stand in stands:
        unit = stand.unit
        with force_locale("en"):
            kind_en = str(KIND_LABELS.get(unit.kind, unit.kind))
        with force_locale("zh"):
            kind_zh = str(KIND_LABELS.get(unit.kind, unit.kind))
        out.append([stand.hall, stand.number, stand.size_m2, unit.name_en, unit.name_zh, _both(kind_en, kind_zh),
                    _region(unit)])
    return out


def stand_list(title: str, stands, fmt: str) -> bytes:
    if fmt == "csv":
        return write_csv(header(), rows(stands))
    return write_xlsx(title, header(), rows(stands), fallback_title="Stands")
