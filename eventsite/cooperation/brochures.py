"""Brochures of projects: PDF or images only, recognised by their first bytes (a program renamed
brochure.pdf is refused), each at most MAX_BYTES, at most MAX_FILES per project. The type served
back is ours, never the browser's."""
from __future__ import annotations

from ..core.domain import Problems
from ..core.gettext import gettext as _

MAX_BYTES = 5 * 1024 * 1024
MAX_FILES = 5
# extension -> (content type, kind's name, first bytes)
KINDS = {
    "pdf": ("application/pdf", "PDF", (b"%PDF-",)),
    "png": ("image/png", "PNG", (b"\x89PNG\r\n\x1a\n",)),
    "jpg": ("image/jpeg", "JPEG", (b"\xff\xd8\xff",)),
    "jpeg": ("image/jpeg", "JPEG", (b"\xff\xd8\xff",)),
}


def clean_filename(name: str) -> str:
    """The name as the browser sent it, without folders, control characters or quotes."""
    name = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if ch.isprintable() and ch not in '"<>;')
    return name.strip()[-200:]


def size_text(size: int) -> str:
    if size < 1024 * 1024:
        return f"{max(1, round(size / 1024))} KB"
    return f"{size / (1024 * 1024):.1f} MB"


def content_type(filename: str, data: bytes, already: int) -> str:
    """The file's content type; DomainError (field `file`) with every problem."""
    problems = Problems()
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    kind = KINDS.get(extension)
    if not filename or not data:
        problems.add("file", _("Choose a file."))
    elif kind is None:
        problems.add("file", _("%(file)s: attach a PDF, PNG or JPEG file.", file=filename))
    elif len(data) > MAX_BYTES:
        problems.add("file", _("%(file)s is too large (%(size)s): at most %(limit)s.", file=filename,
                               size=size_text(len(data)), limit=size_text(MAX_BYTES)))
    elif not data.startswith(kind[2]):
        problems.add("file", _("%(file)s is not a %(kind)s file, whatever its name says.", file=filename,
                               kind=kind[1]))
    if already >= MAX_FILES:
        problems.add("file", _("A project has at most %(num)d brochures.", num=MAX_FILES))
    problems.raise_if_any()
    return kind[0]
