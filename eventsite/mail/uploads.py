"""Files sent with a message to a group: what may be attached, checked by content and name, and
kept once per broadcast (models.BroadcastAttachment) from the first submission of the form.

A file is accepted when its extension is one of ALLOWED *and* its first bytes (its structure, for
Office files) are that kind's: a program renamed report.pdf is refused whatever the browser said
its type was. The type written into the mail is ours, never the browser's. Sizes per file and in
all, and the number of files, are settings (MAIL_ATTACHMENT_MAX_BYTES, MAIL_ATTACHMENTS_MAX_TOTAL,
MAIL_ATTACHMENTS_MAX_FILES). Files uploaded with a form that is never sent are deleted after
STAGED_FOR by the worker.
"""
from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from datetime import timedelta
from typing import Callable

from flask import current_app

from ..core.domain import Problems
from ..core.gettext import lazy_gettext as _l
from ..extensions import db, now_utc
from .models import BroadcastAttachment
from .worker import register_job

STAGED_FOR = timedelta(days=2)


def _starts(*magics: bytes) -> Callable[[bytes], bool]:
    return lambda data: data.startswith(magics)


def _office(member: str) -> Callable[[bytes], bool]:
    """An Office Open XML package: a zip holding [Content_Types].xml and the kind's main part."""
    def check(data: bytes) -> bool:
        if not data.startswith(b"PK\x03\x04"):
            return False
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as package:
                names = set(package.namelist())
        except (zipfile.BadZipFile, ValueError, OSError):
            return False
        return "[Content_Types].xml" in names and member in names
    return check


@dataclass(frozen=True)
class Kind:
    content_type: str
    name: str  # for messages
    matches: Callable[[bytes], bool]


_JPEG = Kind("image/jpeg", "JPEG", _starts(b"\xff\xd8\xff"))
ALLOWED = {
    "pdf": Kind("application/pdf", "PDF", _starts(b"%PDF-")),
    "doc": Kind("application/msword", "Word", _starts(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")),
    "docx": Kind("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "Word",
                 _office("word/document.xml")),
    "xlsx": Kind("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "Excel",
                 _office("xl/workbook.xml")),
    "png": Kind("image/png", "PNG", _starts(b"\x89PNG\r\n\x1a\n")),
    "jpg": _JPEG,
    "jpeg": _JPEG,
    "gif": Kind("image/gif", "GIF", _starts(b"GIF87a", b"GIF89a")),
}


@dataclass
class Upload:
    filename: str
    data: bytes


def size_text(size: int) -> str:
    """Kilobytes (at least 1: a small file read "0 KB") below a megabyte, then megabytes."""
    if size < 1024 * 1024:
        return f"{max(1, round(size / 1024)) if size else 0} KB"
    return f"{size / (1024 * 1024):.1f} MB"


def clean_filename(name: str) -> str:
    """The name as the browser sent it, without folders, control characters or quotes."""
    name = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if ch.isprintable() and ch not in '"<>')
    return name.strip()[:200]


def kind_of(filename: str) -> Kind | None:
    return ALLOWED.get(filename.rsplit(".", 1)[-1].lower()) if "." in filename else None


def check(uploads: list[Upload], already: int = 0, already_bytes: int = 0) -> list[tuple[Upload, Kind]]:
    """Each upload with its kind; every problem at once (DomainError on the `attachments` field)."""
    config = current_app.config
    per_file, total, most = (config["MAIL_ATTACHMENT_MAX_BYTES"], config["MAIL_ATTACHMENTS_MAX_TOTAL"],
                             config["MAIL_ATTACHMENTS_MAX_FILES"])
    problems, accepted = Problems(), []
    for upload in uploads:
        kind = kind_of(upload.filename)
        if kind is None:
            problems.add("attachments", _l(
                "%(file)s: this kind of file cannot be attached. Attach PDF, Word (.doc, .docx), "
                "Excel (.xlsx) or image (PNG, JPEG, GIF) files.", file=upload.filename))
        elif not upload.data:
            problems.add("attachments", _l("%(file)s is empty.", file=upload.filename))
        elif len(upload.data) > per_file:
            problems.add("attachments", _l("%(file)s is too large (%(size)s): each file may have at most %(limit)s.",
                                           file=upload.filename, size=size_text(len(upload.data)),
                                           limit=size_text(per_file)))
        elif not kind.matches(upload.data):
            problems.add("attachments", _l("%(file)s is not a %(kind)s file, whatever its name says.",
                                           file=upload.filename, kind=kind.name))
        else:
            accepted.append((upload, kind))
    if already + len(uploads) > most:
        problems.add("attachments", _l("Attach at most %(num)d files.", num=most))
    size = already_bytes + sum(len(u.data) for u in uploads)
    if size > total:
        problems.add("attachments", _l("The files are too large together (%(size)s): at most %(limit)s in all.",
                                       size=size_text(size), limit=size_text(total)))
    problems.raise_if_any()
    return accepted


def staged(submission_key: str | None, user_id: int | None) -> list[BroadcastAttachment]:
    """The files uploaded with this form (by this user) and not sent yet."""
    if not submission_key:
        return []
    return list(db.session.scalars(
        db.select(BroadcastAttachment).where(BroadcastAttachment.submission_key == submission_key,
                                             BroadcastAttachment.uploaded_by_id == user_id,
                                             BroadcastAttachment.broadcast_id.is_(None))
        .order_by(BroadcastAttachment.id)))


def stage(submission_key: str, user_id: int | None, uploads: list[Upload],
          remove: list[int] | tuple = ()) -> list[BroadcastAttachment]:
    """Keep the new files of this form (checked first: one refused file keeps none of them),
    forget the ones the user removed; commits. Returns the form's files."""
    kept = staged(submission_key, user_id)
    for row in [r for r in kept if r.id in set(remove)]:
        db.session.delete(row)
        kept.remove(row)
    uploads = [u for u in uploads if u.filename or u.data]
    accepted = check(uploads, len(kept), sum(r.size for r in kept))
    for upload, kind in accepted:
        row = BroadcastAttachment(submission_key=submission_key, uploaded_by_id=user_id, filename=upload.filename,
                                  content_type=kind.content_type, size=len(upload.data), data=upload.data)
        db.session.add(row)
        kept.append(row)
    db.session.commit()
    return kept


@register_job(every=3600)
def prune_staged() -> int:
    """Files of forms never sent, after STAGED_FOR."""
    result = db.session.execute(db.delete(BroadcastAttachment).where(
        BroadcastAttachment.broadcast_id.is_(None), BroadcastAttachment.created_at < now_utc() - STAGED_FOR))
    db.session.commit()
    return result.rowcount or 0
