"""Tags on units, named in English, Chinese or both. What people type: "Belt and Road / 一带一路"
gives both names (either order); a single name goes to the language of its script ("一带一路" is
the Chinese name, "Smart city pilot" the English one) and finds a tag by either of its names, so
old CSV files and old habits keep working."""
from __future__ import annotations

import re

from ..core.collation import has_han, sort_key
from ..core.domain import DomainError
from ..core.gettext import gettext as _
from ..extensions import db
from .models import Tag

TAG_SEPARATORS = re.compile(r"[,，、;；]")
# Between the two names of one tag: a slash (ASCII or full-width), when one side is Chinese.
PAIR_SEPARATOR = re.compile(r"\s*[/／]\s*")
TAG_MAX = 100


def parse_tags(text: str | None) -> list[str]:
    """Tag entries from 'a, b、c / 丙' (comma, full-width comma, 、 or semicolon), in order, unique."""
    names = (" ".join(part.split()) for part in TAG_SEPARATORS.split(text or ""))
    return list(dict.fromkeys(name for name in names if name))


def split_names(entry: str) -> tuple[str, str]:
    """(English name, Chinese name) of one entry: 'Belt and Road / 一带一路' → both; 'Belt and
    Road' → ('Belt and Road', ''); '一带一路' → ('', '一带一路')."""
    parts = PAIR_SEPARATOR.split(entry.strip())
    if len(parts) == 2 and all(parts) and has_han(parts[0]) != has_han(parts[1]):
        return (parts[0], parts[1]) if has_han(parts[1]) else (parts[1], parts[0])
    if len(parts) == 2 and any(parts) and not all(parts):  # "一带一路 /": one name, a stray slash
        entry = parts[0] or parts[1]
    return ("", entry) if has_han(entry) else (entry, "")


def check_tag_names(entries: list[str]) -> None:
    for entry in entries:
        if any(len(name) > TAG_MAX for name in split_names(entry)):
            raise DomainError(_("A tag may have at most %(n)d characters.", n=TAG_MAX))
        if "\x00" in entry:
            raise DomainError(_("Line breaks and control characters are not allowed here."))


def tags_named(entries: list[str]) -> list[Tag]:
    """The Tag rows for `entries`, creating those that do not exist yet (in the session) and
    giving an existing tag the name it lacked when an entry brings it (unless another tag has it)."""
    pairs = [split_names(entry) for entry in entries]
    if not pairs:
        return []
    english = {en for en, _zh in pairs if en}
    chinese = {zh for _en, zh in pairs if zh}
    found = db.session.scalars(db.select(Tag).where(Tag.name_en.in_(english) | Tag.name_zh.in_(chinese))).all()
    by_en = {t.name_en: t for t in found if t.name_en}
    by_zh = {t.name_zh: t for t in found if t.name_zh}
    result: list[Tag] = []
    for en, zh in pairs:
        tag = by_en.get(en) or by_zh.get(zh)
        if tag is None:
            tag = Tag(name_en=en, name_zh=zh)
            db.session.add(tag)
        elif en and not tag.name_en and en not in by_en:
            tag.name_en = en
        elif zh and not tag.name_zh and zh not in by_zh:
            tag.name_zh = zh
        if tag.name_en:
            by_en.setdefault(tag.name_en, tag)
        if tag.name_zh:
            by_zh.setdefault(tag.name_zh, tag)
        if tag not in result:
            result.append(tag)
    return result


def sorted_tags(tags, language: str) -> list[Tag]:
    """Tags in the reader's order of their names (pinyin order in Chinese)."""
    return sorted(tags, key=lambda t: (sort_key(t.display_name(language), language), t.id or 0))


def all_tags(language: str) -> list[Tag]:
    return sorted_tags(db.session.scalars(db.select(Tag)), language)


def tag_matching(name: str):
    """The condition 'this tag is called `name`' in either language."""
    return (Tag.name_en == name) | (Tag.name_zh == name)
