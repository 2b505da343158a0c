"""core.collation: the order Chinese and English readers expect, the same in Python and in SQL."""
from __future__ import annotations

import random

import pytest
import sqlalchemy as sa

from eventsite.core.collation import KEY_LENGTH, has_han, sort_key, sorted_by_name
from eventsite.extensions import db

# By code point these come as 上海市闵行区 (U+4E0A), 两江新区 (U+4E24), 中国… (U+4E2D), 义乌
# (U+4E49), 乌镇 (U+4E4C). In pinyin: liǎng, shàng, wū, yì, zhōng.
PINYIN_ORDER = ["两江新区", "上海市闵行区", "乌镇", "义乌", "中国（浙江）自由贸易试验区"]


def test_chinese_names_sort_in_pinyin_order_not_by_code_point():
    shuffled = random.Random(7).sample(PINYIN_ORDER, len(PINYIN_ORDER))
    assert sorted(PINYIN_ORDER) != PINYIN_ORDER  # code-point order is another order
    assert sorted(shuffled, key=lambda n: sort_key(n, "zh")) == PINYIN_ORDER


def test_polyphonic_characters_are_read_in_their_words():
    # 长 is cháng in 长沙, 重 is chóng in 重庆: chang before chong (code points say 重 first).
    assert sorted(["重庆", "长沙", "成都"], key=lambda n: sort_key(n, "zh")) == ["长沙", "成都", "重庆"]


def test_syllables_compare_before_their_tones_and_shorter_syllables_first():
    # shān (山) before shàng (上): a prefix comes first; xī'ān (西安) before xián (咸阳).
    assert sort_key("山东", "zh") < sort_key("上海", "zh")
    assert sort_key("西安", "zh") < sort_key("咸阳", "zh")
    # the same syllable: by tone (吴 wú after 乌 wū)
    assert sort_key("乌镇", "zh") < sort_key("吴江", "zh")


def test_english_order_ignores_case_and_accents():
    names = ["lyon", "Århus", "Zagreb", "Brussels", "Ängelholm"]
    assert sorted_by_name(names, lambda n: n, "en") == ["Ängelholm", "Århus", "Brussels", "lyon", "Zagreb"]


def test_latin_names_in_a_chinese_list_sort_by_their_letters():
    assert sorted(["Yiwu", "杜伊斯堡", "Lyon"], key=lambda n: sort_key(n, "zh")) == ["杜伊斯堡", "Lyon", "Yiwu"]


def test_empty_and_odd_input_never_fail():
    for text in ("", None, "   ", "\x00", "（）", "🏙️", "a" * 5000, "中" * 5000, "\ufdfa" * 200, "㍿" * 200):
        for language in ("zh", "en"):
            key = sort_key(text, language)
            assert isinstance(key, str) and len(key) <= KEY_LENGTH
    assert has_han("Brussels 布鲁塞尔") and not has_han("Brussels")


@pytest.mark.both_dbs
def test_the_database_sorts_the_keys_as_python_does(app_ctx):
    """Stored keys are plain ASCII: PostgreSQL's collation and SQLite's give Python's order."""
    names = PINYIN_ORDER + ["长沙", "重庆", "山东", "上海", "西安", "咸阳", "Duisburg", "Lyon"]
    keys = [sort_key(n, "zh") for n in names]
    assert all(k.isascii() for k in keys)
    rows = " UNION ALL ".join(f"SELECT '{k}' AS k" for k in keys)
    in_sql = db.session.scalars(sa.text(f"SELECT k FROM ({rows}) AS t ORDER BY k")).all()
    assert list(in_sql) == sorted(keys)
