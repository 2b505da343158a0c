"""Travel documents are encrypted at rest: the database holds ciphertext, the model plain values,
and a second key decrypts what the first wrote (rotation)."""
from datetime import date

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import text

from eventsite.core.crypto import configured_keys, key_problem
from eventsite.delegations.models import Delegate
from eventsite.extensions import db
from tests.factories import make_delegation, make_event, make_unit

pytestmark = pytest.mark.both_dbs


def _stored(delegate_id):
    return db.session.execute(text(
        "select passport_name, passport_number, nationality, birth_date, passport_expiry "
        "from delegate where id = :id"), {"id": delegate_id}).one()


def test_passport_details_are_ciphertext_in_the_database(app_ctx):
    _, head = make_delegation(make_event(), make_unit())
    head.passport_name, head.passport_number, head.nationality = "LI MING", "E12345678", "CN"
    head.birth_date, head.passport_expiry = date(1970, 5, 4), date(2031, 1, 31)
    db.session.commit()
    stored = _stored(head.id)
    # Each column holds a Fernet token, never its plain value. (Not "the text does not contain
    # 'CN'": random base64 contains two given letters often enough to fail one run in ten.)
    assert all(value.startswith("gAAAAA") for value in stored)
    plain = ("LI MING", "E12345678", "CN", "1970-05-04", "2031-01-31")
    assert not any(shown in value for value, shown in zip(stored, plain) if len(shown) > 4)
    db.session.expire_all()
    again = db.session.get(Delegate, head.id)
    assert (again.passport_name, again.passport_number, again.nationality) == ("LI MING", "E12345678", "CN")
    assert (again.birth_date, again.passport_expiry) == (date(1970, 5, 4), date(2031, 1, 31))


def test_empty_details_stay_empty(app_ctx):
    _, head = make_delegation(make_event(), make_unit())
    db.session.commit()
    assert _stored(head.id) == ("", "", "", None, None)


def test_a_new_key_in_front_still_reads_what_the_old_one_wrote(app, app_ctx):
    _, head = make_delegation(make_event(), make_unit())
    head.passport_number = "E12345678"
    db.session.commit()
    old = configured_keys(app.config)
    app.config["DATA_ENCRYPTION_KEYS"] = [Fernet.generate_key().decode(), *old]
    app.extensions.pop("eventsite_fernet", None)
    db.session.expire_all()
    assert db.session.get(Delegate, head.id).passport_number == "E12345678"
    app.config["DATA_ENCRYPTION_KEYS"] = [Fernet.generate_key().decode()]  # the old key removed
    app.extensions.pop("eventsite_fernet", None)
    db.session.expire_all()
    with pytest.raises(RuntimeError, match="DATA_ENCRYPTION_KEYS"):
        db.session.get(Delegate, head.id).passport_number  # noqa: B018


def test_key_problems_are_named():
    assert "empty" in key_problem([])
    assert "not a Fernet key" in key_problem(["nope"])
    assert key_problem([Fernet.generate_key().decode()]) is None


def test_rekey_writes_every_value_again_under_the_new_key(app, app_ctx, runner):
    """`flask privacy rekey` after a new key went in front: afterwards the old key can go."""
    _, head = make_delegation(make_event(), make_unit())
    head.passport_number, head.birth_date = "E12345678", date(1970, 5, 4)
    db.session.commit()
    before = _stored(head.id)
    new = Fernet.generate_key().decode()
    app.config["DATA_ENCRYPTION_KEYS"] = [new, *configured_keys(app.config)]
    app.extensions.pop("eventsite_fernet", None)
    result = runner.invoke(args=["privacy", "rekey"])
    assert result.exit_code == 0, result.output
    assert "delegate 1" in result.output and "letter" in result.output
    after = _stored(head.id)
    assert after[1] != before[1] and after[3] != before[3] and after[0] == ""  # empty stays empty
    app.config["DATA_ENCRYPTION_KEYS"] = [new]  # the old key removed
    app.extensions.pop("eventsite_fernet", None)
    db.session.expire_all()
    again = db.session.get(Delegate, head.id)
    assert (again.passport_number, again.birth_date) == ("E12345678", date(1970, 5, 4))
