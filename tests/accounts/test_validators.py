"""The shared form validators (eventsite/core/validators.py)."""
from __future__ import annotations

import pytest
from flask_wtf import FlaskForm
from wtforms import StringField

from eventsite.core.validators import email_address, email_filter, no_control_chars


class _Form(FlaskForm):
    class Meta:
        csrf = False

    name = StringField(validators=[no_control_chars])
    email = StringField(filters=[email_filter], validators=[no_control_chars, email_address])


@pytest.mark.parametrize(
    "name, email, ok",
    [
        ("Zhang Wei 张伟", " Zhang@Example.ORG ", True),
        ("", "", True),
        ("a\rb", "a@example.org", False),
        ("a\nb", "a@example.org", False),
        ("a\0b", "a@example.org", False),
        ("ok", "a@example.org\r\nBcc: x@example.org", False),
        ("ok", "not an address", False),
        ("ok", "a@b", False),
    ],
)
def test_validators(app, name, email, ok):
    with app.test_request_context(method="POST", data={"name": name, "email": email}):
        form = _Form()
        assert form.validate() is ok
        if ok and email:
            assert form.email.data == "zhang@example.org"
