"""Secret links (account, invitation and delegate links): random tokens that exist only in the
email or URL; the database keeps a SHA-256, so a leaked database gives no working link."""
from __future__ import annotations

import hashlib
import secrets

# token_urlsafe(32) gives 43 characters; anything much longer is not one of ours.
MAX_TOKEN_LENGTH = 100


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8", "surrogatepass")).hexdigest()


def new_token() -> tuple[str, str]:
    """(raw, hash): 256 random bits for the link, the SHA-256 for the database."""
    raw = secrets.token_urlsafe(32)
    return raw, hash_token(raw)


def plausible(raw: str | None) -> bool:
    """Cheap refusal of values that cannot be a token, before touching the database."""
    return bool(raw) and len(raw) <= MAX_TOKEN_LENGTH  # type: ignore[arg-type]
