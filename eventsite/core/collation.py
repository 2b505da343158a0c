"""The order in which readers expect names: pinyin order for Chinese, case- and accent-blind
alphabetical order for English. `sort_key` is the one helper every sorted list of names uses
(units, tags, cities, provinces where they are not in the official order).

The Chinese key is plain ASCII so that a database sorts it the same way Python does (the stored
`member_unit.sort_key_zh`): each Chinese character becomes its pinyin syllable (pypinyin, which
reads polyphonic characters in words: 重庆 chóngqìng, 长沙 chángshā) padded to six characters
with "0", then its tone (1-4, 5 for the neutral tone); other text keeps its letters and digits,
case-folded. "0" sorts before every letter, so "shan" comes before "shang" and the syllables of
两江 (liang jiang) before those of 上海 (shang hai), as in a dictionary.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from pypinyin import Style, lazy_pinyin

# CJK Unified Ideographs with extension A and the compatibility block.
_HAN = re.compile(r"([\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+)")
_SYLLABLE = re.compile(r"([a-zü]+)([1-5])")
# The stored key keeps the first this many characters of a name (names longer than this are
# ordered among themselves by the name itself, the query's next key).
KEY_CHARACTERS = 64
KEY_LENGTH = KEY_CHARACTERS * 7


def has_han(text: str | None) -> bool:
    """Whether `text` contains Chinese characters (which language a single name belongs to)."""
    return bool(_HAN.search(text or ""))


def _plain(text: str) -> str:
    """Letters and digits, case-folded and without accents ("Hôtel" → "hotel")."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if c.isalnum() and not unicodedata.combining(c))


def _pinyin_key(text: str) -> str:
    parts = []
    for n, run in enumerate(_HAN.split(text)):
        if n % 2 == 0:  # not Chinese characters
            parts.append(_plain(run))
            continue
        for syllable in lazy_pinyin(run, style=Style.TONE3, neutral_tone_with_five=True):
            match = _SYLLABLE.fullmatch(syllable)
            letters, tone = match.groups() if match else (_plain(syllable), "5")
            parts.append(letters.replace("ü", "v").ljust(6, "0")[:6] + tone)
    return "".join(parts)


@lru_cache(maxsize=4096)
def sort_key(text: str | None, language: str) -> str:
    """The key that puts `text` where a reader of `language` looks for it: pinyin order for
    "zh", alphabetical (case and accents ignored) otherwise. Empty text sorts first."""
    text = (text or "").strip()[:KEY_CHARACTERS]
    # At most KEY_LENGTH: the stored column's size (a character may decompose into several).
    return (_pinyin_key(text) if language == "zh" else _plain(text))[:KEY_LENGTH]


def sorted_by_name(items, name, language: str) -> list:
    """`items` in the reader's order of `name(item)` (ties: the name itself, so the order is stable)."""
    return sorted(items, key=lambda item: (sort_key(name(item), language), name(item) or ""))
