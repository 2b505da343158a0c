"""An event's invitations and delegations list units in the reader's order: pinyin order for
Chinese readers (not code-point order), alphabetical for English readers."""
from __future__ import annotations

import pytest

from eventsite.delegations import queries as delegation_queries
from eventsite.extensions import db
from eventsite.invitations import queries as invitation_queries

from .. import factories

# (Chinese name, English name), stored in code-point order of the Chinese names.
UNITS = [("上海市闵行区", "Minhang District"), ("两江新区", "Liangjiang New Area"), ("义乌市", "Yiwu"),
         ("乌镇", "Wuzhen")]


@pytest.mark.both_dbs
def test_invitations_and_delegations_in_the_readers_order(app_ctx):
    event = factories.make_event(capacity=None)
    for name_zh, name_en in UNITS:
        unit = factories.make_unit(name_zh=name_zh, name_en=name_en)
        factories.make_invitation(event, unit)
        factories.make_delegation(event, unit)
    db.session.commit()

    def invited(lang):
        return [row.unit.display_name(lang) for row in invitation_queries.rows_for(event, lang=lang)]

    def delegated(lang):
        rows = delegation_queries.delegations(event.id, delegation_queries.Filters(), lang=lang)
        return [d.unit.display_name(lang) for d in rows]

    assert invited("zh") == delegated("zh") == ["两江新区", "上海市闵行区", "乌镇", "义乌市"]
    assert invited("en") == delegated("en") == ["Liangjiang New Area", "Minhang District", "Wuzhen", "Yiwu"]
