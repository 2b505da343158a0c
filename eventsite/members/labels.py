"""Translated labels of the directory's codes, China's provincial-level divisions (ISO 3166-2:CN)
and country names (Babel's); the `*_ALIASES` let the CSV import read what people type."""
from __future__ import annotations

import re
from functools import lru_cache

from babel import Locale

from ..core.collation import sort_key
from ..core.gettext import lazy_gettext as _l
from ..core.i18n import LANGUAGE_LABELS
from .models import CONTACT_LANGUAGES, CONTACT_ROLES, UNIT_KINDS

KIND_LABELS = {"prefecture_city": _l("Prefecture-level city"), "county_city": _l("County-level city"),
               "new_area": _l("National-level new area"), "district": _l("District"), "county": _l("County"),
               "town": _l("Town"), "foreign_city": _l("Foreign partner city"),
               "institution": _l("Institution")}
ROLE_LABELS = {"mayor": _l("Mayor"), "vice_mayor": _l("Vice-mayor"), "liaison": _l("Liaison"),
               "foreign_affairs": _l("Foreign affairs office"), "other": _l("Other")}
DIRECTORY_STATUS_LABELS = {"active": _l("Active"), "inactive": _l("Inactive"), "all": _l("All")}
# Explicit checks, not `assert` (removed under python -O): a code without a label fails at import.
if set(KIND_LABELS) != set(UNIT_KINDS) or set(ROLE_LABELS) != set(CONTACT_ROLES):
    raise RuntimeError("every unit kind and contact role needs a label")
if set(LANGUAGE_LABELS) != set(CONTACT_LANGUAGES):
    raise RuntimeError("every contact language needs a label")

# Spellings accepted by the import besides the code: English label (msgid) and Chinese terms.
KIND_ALIASES = {
    "prefecture_city": ("Prefecture-level city", "prefecture city", "地级市", "地级", "地级城市"),
    "county_city": ("County-level city", "county city", "县级市", "县级城市"),
    "new_area": ("National-level new area", "new area", "国家级新区", "新区"),
    "district": ("District", "区", "市辖区"),
    "county": ("County", "县"),
    "town": ("Town", "镇", "乡镇", "建制镇"),
    "foreign_city": ("Foreign partner city", "foreign city", "国外城市", "外国城市", "国外合作城市",
                     "外国伙伴城市"),
    "institution": ("Institution", "机构", "智库", "协会", "企业"),
}
ROLE_ALIASES = {
    "mayor": ("Mayor", "市长", "县长", "区长", "镇长"),
    "vice_mayor": ("Vice-mayor", "vice mayor", "deputy mayor", "副市长", "副县长", "副区长", "副镇长"),
    "liaison": ("Liaison", "联络人", "联络员"),
    "foreign_affairs": ("Foreign affairs office", "foreign affairs", "外事办", "外事办公室", "外办"),
    "other": ("Other", "其他"),
}
LANGUAGE_ALIASES = {
    "zh": ("Chinese", "中文", "汉语", "zh-cn", "zh-hans", "chinese (simplified)"),
    "en": ("English", "英文", "英语", "en-gb", "en-us"),
}

# (ISO 3166-2 code, full Chinese name, short Chinese name, English name, other English spellings)
PROVINCES: tuple[tuple[str, str, str, str, tuple[str, ...]], ...] = (
    ("CN-BJ", "北京市", "北京", "Beijing", ()),
    ("CN-TJ", "天津市", "天津", "Tianjin", ()),
    ("CN-HE", "河北省", "河北", "Hebei", ()),
    ("CN-SX", "山西省", "山西", "Shanxi", ()),
    ("CN-NM", "内蒙古自治区", "内蒙古", "Inner Mongolia", ("Nei Mongol",)),
    ("CN-LN", "辽宁省", "辽宁", "Liaoning", ()),
    ("CN-JL", "吉林省", "吉林", "Jilin", ()),
    ("CN-HL", "黑龙江省", "黑龙江", "Heilongjiang", ()),
    ("CN-SH", "上海市", "上海", "Shanghai", ()),
    ("CN-JS", "江苏省", "江苏", "Jiangsu", ()),
    ("CN-ZJ", "浙江省", "浙江", "Zhejiang", ()),
    ("CN-AH", "安徽省", "安徽", "Anhui", ()),
    ("CN-FJ", "福建省", "福建", "Fujian", ()),
    ("CN-JX", "江西省", "江西", "Jiangxi", ()),
    ("CN-SD", "山东省", "山东", "Shandong", ()),
    ("CN-HA", "河南省", "河南", "Henan", ()),
    ("CN-HB", "湖北省", "湖北", "Hubei", ()),
    ("CN-HN", "湖南省", "湖南", "Hunan", ()),
    ("CN-GD", "广东省", "广东", "Guangdong", ()),
    ("CN-GX", "广西壮族自治区", "广西", "Guangxi", ()),
    ("CN-HI", "海南省", "海南", "Hainan", ()),
    ("CN-CQ", "重庆市", "重庆", "Chongqing", ()),
    ("CN-SC", "四川省", "四川", "Sichuan", ()),
    ("CN-GZ", "贵州省", "贵州", "Guizhou", ()),
    ("CN-YN", "云南省", "云南", "Yunnan", ()),
    ("CN-XZ", "西藏自治区", "西藏", "Xizang", ("Tibet",)),
    ("CN-SN", "陕西省", "陕西", "Shaanxi", ()),
    ("CN-GS", "甘肃省", "甘肃", "Gansu", ()),
    ("CN-QH", "青海省", "青海", "Qinghai", ()),
    ("CN-NX", "宁夏回族自治区", "宁夏", "Ningxia", ()),
    ("CN-XJ", "新疆维吾尔自治区", "新疆", "Xinjiang", ()),
    ("CN-TW", "台湾省", "台湾", "Taiwan", ()),
    ("CN-HK", "香港特别行政区", "香港", "Hong Kong", ("Hongkong",)),
    ("CN-MO", "澳门特别行政区", "澳门", "Macao", ("Macau",)),
)
PROVINCE_CODES = tuple(p[0] for p in PROVINCES)
_PROVINCE_BY_CODE = {p[0]: p for p in PROVINCES}
_PROVINCE_RANK = {p[0]: n for n, p in enumerate(PROVINCES)}

# Babel territories that are not countries for our purposes: supranational groupings, test
# locales, "unknown", and parts of China (listed above as provincial-level divisions).
_NOT_COUNTRIES = {"EU", "EZ", "UN", "QO", "XA", "XB", "ZZ", "TW", "HK", "MO"}


def lookup_key(value: str) -> str:
    """The form in which codes and labels are compared: case-folded, without spaces or dashes."""
    return re.sub(r"[\s_\-·.]+", "", value).casefold()


def lookup_table(pairs) -> dict[str, str]:
    return {lookup_key(spelling): code for code, spellings in pairs for spelling in (code, *spellings)}


_LOOKUPS = {
    "kind": lookup_table((code, KIND_ALIASES.get(code, ())) for code in KIND_LABELS),
    "role": lookup_table((code, ROLE_ALIASES.get(code, ())) for code in ROLE_LABELS),
    "language": lookup_table((code, LANGUAGE_ALIASES.get(code, ())) for code in LANGUAGE_LABELS),
    "province": lookup_table((code, (code[3:], full_zh, short_zh, en, f"{en} province", *others))
                        for code, full_zh, short_zh, en, others in PROVINCES),
}


def parse(column: str, value: str) -> str | None:
    """The code of a kind, role, language or province from what a spreadsheet says (a code, an
    English or a Chinese name: 四川, 四川省, Sichuan, CN-SC, SC), or None."""
    return _LOOKUPS[column].get(lookup_key(value))


def kind_label(code: str) -> str:
    return str(KIND_LABELS.get(code, code))


def role_label(code: str) -> str:
    return str(ROLE_LABELS.get(code, code))


def province_name(code: str, lang: str = "en") -> str:
    """The name of a Chinese provincial-level division in `lang`; unknown values as they are."""
    row = _PROVINCE_BY_CODE.get(code)
    return code if row is None else row[1] if lang == "zh" else row[3]


def provinces_in_order(codes, lang: str = "en") -> list[str]:
    """`codes` in the order a reader expects: for Chinese readers the official order of GB/T 2260
    (北京, 天津, 河北 … 台湾, 香港, 澳门: the order of PROVINCES, which every Chinese form and
    statistical yearbook uses), for English readers alphabetical. Values that are not codes (a
    foreign region) come last, in the reader's name order."""
    known = [c for c in codes if c in _PROVINCE_RANK]
    others = sorted((c for c in codes if c not in _PROVINCE_RANK), key=lambda c: (sort_key(c, lang), c))
    if lang == "zh":
        return sorted(known, key=_PROVINCE_RANK.__getitem__) + others
    return sorted(known, key=lambda c: sort_key(province_name(c, lang), lang)) + others


def province_choices(lang: str = "en") -> list[tuple[str, str]]:
    return [(code, province_name(code, lang)) for code in provinces_in_order(PROVINCE_CODES, lang)]


@lru_cache(maxsize=8)
def _countries(lang: str) -> dict[str, str]:
    territories = Locale.parse("zh_Hans" if lang == "zh" else "en").territories
    return {code: name for code, name in territories.items()
            if len(code) == 2 and code.isalpha() and code not in _NOT_COUNTRIES}


def country_codes() -> frozenset[str]:
    return frozenset(_countries("en"))


def country_name(code: str, lang: str = "en") -> str:
    return _countries(lang).get(code, code)


def country_choices(lang: str = "en") -> list[tuple[str, str]]:
    """(code, name) pairs sorted by name in the reader's language, China first."""
    names = _countries(lang)
    rest = sorted((item for item in names.items() if item[0] != "CN"), key=lambda item: item[1])
    return [("CN", names["CN"]), *rest]


@lru_cache(maxsize=1)
def _country_lookup() -> dict[str, str]:
    table = {lookup_key(name): code for lang in ("en", "zh") for code, name in _countries(lang).items()}
    table |= {lookup_key(code): code for code in _countries("en")}
    return table | {lookup_key(name): "CN" for name in ("中华人民共和国", "PRC", "People's Republic of China")}


def parse_country(value: str) -> str | None:
    """An ISO 3166-1 alpha-2 code from a code (DE) or a name in English or Chinese (Germany, 德国)."""
    return _country_lookup().get(lookup_key(value))


def region_label(unit, lang: str = "en") -> str:
    """'Sichuan' for a Chinese unit; 'Lombardy, Italy' for a foreign one."""
    if unit.country == "CN":
        return province_name(unit.province, lang) if unit.province else country_name("CN", lang)
    country = country_name(unit.country, lang)
    return f"{unit.province}, {country}" if unit.province else country
