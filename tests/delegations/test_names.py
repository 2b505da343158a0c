"""People show both names where both exist, the reader's script first (issue 16)."""
from __future__ import annotations

import pytest

import eventsite.models  # noqa: F401  (every model, so the mappers configure)
from eventsite.delegations.models import Delegate
from eventsite.members.models import Contact


@pytest.mark.parametrize("fields, en, zh", [
    ({"name_zh": "胡超", "given_name": "Chao", "family_name": "Hu"}, "Chao HU 胡超", "胡超 Chao HU"),
    ({"name_zh": "", "given_name": "Anna", "family_name": "Rossi"}, "Anna ROSSI", "Anna ROSSI"),
    ({"name_zh": "李娜", "given_name": "", "family_name": ""}, "李娜", "李娜"),
])
def test_a_delegate_shows_both_names(fields, en, zh):
    delegate = Delegate(**fields)
    assert delegate.display_name("en") == en and delegate.display_name("zh") == zh


def test_a_contact_shows_both_names():
    contact = Contact(name_zh="王伟", name_latin="Wang Wei")
    assert contact.display_name("en") == "Wang Wei 王伟" and contact.display_name("zh") == "王伟 Wang Wei"
    assert Contact(name_zh="", name_latin="Wang Wei").display_name("zh") == "Wang Wei"
