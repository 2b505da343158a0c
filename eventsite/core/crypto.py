"""Personal data encrypted at rest (travel documents: passport names and numbers, nationality,
dates of birth and expiry). Fernet from the `cryptography` package (AES in CBC mode with an
HMAC; a value cannot be read or changed without the key) with keys from DATA_ENCRYPTION_KEYS:
the first key encrypts, every key decrypts, so a new key goes in front and the old one stays until
every value has been written again. The database, its backups and its logs hold only ciphertext.

A column declared `Encrypted()` or `EncryptedDate()` reads and writes plain values; the
conversion happens as SQLAlchemy binds and loads them, so no query or template knows about it.
Encrypted columns cannot be searched or sorted by the database: nothing needs to."""
from __future__ import annotations

import base64
import hashlib
from datetime import date

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from flask import current_app
from sqlalchemy import Text
from sqlalchemy.types import TypeDecorator


def configured_keys(config) -> list[str]:
    """DATA_ENCRYPTION_KEYS, else (development and tests only; production refuses to start
    without them) one key derived from SECRET_KEY."""
    keys = [k for k in config.get("DATA_ENCRYPTION_KEYS") or [] if k]
    if keys:
        return keys
    digest = hashlib.sha256(("eventsite data key:" + config["SECRET_KEY"]).encode()).digest()
    return [base64.urlsafe_b64encode(digest).decode()]


def key_problem(keys: list[str]) -> str | None:
    """Why `keys` cannot be used (None: they can)."""
    if not keys:
        return ("DATA_ENCRYPTION_KEYS is empty; generate a key with: python -c \"from "
                "cryptography.fernet import Fernet; print(Fernet.generate_key().decode())\"")
    for key in keys:
        try:
            Fernet(key)
        except (ValueError, TypeError):
            return "DATA_ENCRYPTION_KEYS holds a value that is not a Fernet key (44 URL-safe base64 characters)"
    return None


def _fernet() -> MultiFernet:
    app = current_app._get_current_object()
    fernet = app.extensions.get("eventsite_fernet")
    if fernet is None:
        fernet = MultiFernet([Fernet(k) for k in configured_keys(app.config)])
        app.extensions["eventsite_fernet"] = fernet
    return fernet


def encrypt(text: str) -> str:
    return _fernet().encrypt(text.encode()).decode("ascii")


def decrypt(token: str) -> str:
    try:
        return _fernet().decrypt(token.encode("ascii")).decode()
    except InvalidToken:
        # A configuration error (a key removed too early), never the user's: say which setting.
        raise RuntimeError("An encrypted value cannot be read with DATA_ENCRYPTION_KEYS: was a key "
                           "removed while values written with it remain?") from None


class Encrypted(TypeDecorator):
    """A text column stored encrypted. An empty value stays empty: nothing to hide, and a page
    can tell "not given" without the key."""
    impl = Text
    cache_ok = True

    def process_bind_param(self, value, dialect):
        return encrypt(value) if value else value

    def process_result_value(self, value, dialect):
        return decrypt(value) if value else value


class EncryptedDate(TypeDecorator):
    """A date column stored encrypted (as its ISO form)."""
    impl = Text
    cache_ok = True

    def process_bind_param(self, value, dialect):
        return None if value is None else encrypt(value.isoformat())

    def process_result_value(self, value, dialect):
        return None if value is None else date.fromisoformat(decrypt(value))


def rewrite_all(session, base, batch: int = 500) -> dict[str, int]:
    """Write every encrypted value again under the first key (after a new key was put in front
    of DATA_ENCRYPTION_KEYS; then the old key can go). Finds the encrypted columns of every model
    itself, so a new feature's columns are included. Commits per batch; returns rows per table."""
    from sqlalchemy import select
    from sqlalchemy.orm.attributes import flag_modified

    done: dict[str, int] = {}
    for mapper in base.registry.mappers:
        names = [attr.key for attr in mapper.column_attrs
                 if any(isinstance(column.type, Encrypted | EncryptedDate) for column in attr.columns)]
        if not names:
            continue
        model, (key,) = mapper.class_, mapper.primary_key
        last, count = None, 0
        while True:
            query = select(model).order_by(key).limit(batch)
            rows = session.scalars(query if last is None else query.where(key > last)).all()
            if not rows:
                break
            for row in rows:
                for name in names:
                    flag_modified(row, name)  # the same value, written again: encrypted anew
            session.commit()
            last, count = getattr(rows[-1], key.key), count + len(rows)
        done[mapper.local_table.name] = count
    return done
