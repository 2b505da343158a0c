"""Cover images of events: only what Pillow reads as JPEG, PNG or WebP, within MAX_BYTES and
MAX_PIXELS (decompression bombs), re-encoded (dropping EXIF and anything hidden after the image)
and kept under the instance folder, never in the static one."""
from __future__ import annotations

import io
import re
import secrets
import warnings
from pathlib import Path

from flask import current_app
from PIL import Image, ImageOps, UnidentifiedImageError

from ..audit.services import record
from ..core.domain import DomainError
from ..core.gettext import gettext as _
from ..core.pagecache import bump
from ..extensions import db
from .models import Event

MAX_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 40_000_000
# Pillow format -> (file extension, content type)
FORMATS = {"JPEG": ("jpg", "image/jpeg"), "PNG": ("png", "image/png"), "WEBP": ("webp", "image/webp")}
# Pillow format -> (modes it keeps, the mode others become, save options)
ENCODINGS = {"JPEG": (("RGB", "L"), "RGB", {"quality": 88, "optimize": True}),
             "PNG": (("RGB", "RGBA", "L", "LA", "P"), "RGBA", {"optimize": True}),
             "WEBP": (("RGB", "RGBA"), "RGBA", {"quality": 85})}
STORED_NAME = re.compile(r"^[0-9a-f]{32}\.(jpg|png|webp)$")


def covers_dir() -> Path:
    return Path(current_app.instance_path) / "uploads" / "covers"


def cover_path(event: Event) -> Path | None:
    """The file of the event's cover, if it has one that exists."""
    name = event.cover_file
    if not name or not STORED_NAME.match(name):
        return None
    path = covers_dir() / name
    return path if path.is_file() else None


def clean_image(data: bytes) -> tuple[bytes, str, str]:
    """(re-encoded bytes, extension, content type) of an uploaded image, or DomainError."""
    if len(data) > MAX_BYTES:
        raise DomainError(_("The image is larger than %(n)d MB.", n=MAX_BYTES // (1024 * 1024)), "file")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=list(FORMATS)) as probe:
                kind = probe.format
                width, height = probe.size
                if width * height > MAX_PIXELS:
                    raise DomainError(_("The image is too large (%(w)d × %(h)d pixels; at most %(n)d "
                                       "megapixels).", w=width, h=height, n=MAX_PIXELS // 1_000_000),
                                     "file")
                probe.verify()
            with Image.open(io.BytesIO(data), formats=[kind]) as image:
                image.load()
                image = ImageOps.exif_transpose(image)
                return _encode(image, kind)
    except DomainError:
        raise
    except Image.DecompressionBombError:
        raise DomainError(_("The image is too large (at most %(n)d megapixels).",
                           n=MAX_PIXELS // 1_000_000), "file") from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError,
            KeyError, IndexError, TypeError):
        raise DomainError(_("This file is not a JPEG, PNG or WebP image."), "file") from None


def _encode(image: Image.Image, kind: str) -> tuple[bytes, str, str]:
    modes, fallback, options = ENCODINGS[kind]
    out = io.BytesIO()
    (image if image.mode in modes else image.convert(fallback)).save(out, kind, **options)
    return out.getvalue(), *FORMATS[kind]


def _remove(name: str | None) -> None:
    if name and STORED_NAME.match(name):
        (covers_dir() / name).unlink(missing_ok=True)


def set_cover(event: Event, data: bytes) -> None:
    """Store `data` as the event's cover, replacing (and deleting) the old one."""
    content, extension, content_type = clean_image(data)
    folder = covers_dir()
    folder.mkdir(parents=True, exist_ok=True)
    name = f"{secrets.token_hex(16)}.{extension}"
    (folder / name).write_bytes(content)
    old = event.cover_file
    event.cover_file, event.cover_content_type = name, content_type
    record("event.cover", event, target_label=event.title_en or event.title_zh,
           details={"action": "replace" if old else "upload", "content_type": content_type,
                    "bytes": len(content)})
    bump("events", f"event:{event.id}")
    try:
        db.session.commit()
    except Exception:
        db.session.rollback()
        _remove(name)
        raise
    _remove(old)


def remove_cover(event: Event) -> bool:
    """Drop the cover; False when there was none."""
    old = event.cover_file
    if not old:
        return False
    event.cover_file = event.cover_content_type = None
    record("event.cover", event, target_label=event.title_en or event.title_zh,
           details={"action": "remove"})
    bump("events", f"event:{event.id}")
    db.session.commit()
    _remove(old)
    return True
