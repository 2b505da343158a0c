"""The one PDF engine for everything printable (the programme, invitation letters): WeasyPrint
with Debian's Noto CJK fonts, which WeasyPrint embeds (subset) in every file, so a Chinese page
reads the same on a machine without them. Nothing is fetched from the network: images come as
data URIs or from `base_url` (a local folder)."""
from __future__ import annotations

import base64
import mimetypes
from pathlib import Path

import segno

# The font stack every printable template starts its CSS with (templates use this name).
FONT_STACK = '"Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", sans-serif'


def html_to_pdf(html: str, base_url: str | None = None) -> bytes:
    """The PDF of a rendered HTML page (A4 and fonts are the template's CSS)."""
    # Imported here: WeasyPrint takes a noticeable time to import and only printing needs it.
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    # data: and file: only: a printable page never reaches the network.
    fetcher = URLFetcher(allowed_protocols={"data", "file"})
    return HTML(string=html, base_url=base_url, url_fetcher=fetcher).write_pdf()


def data_uri(path: Path) -> str | None:
    """An image file as a data: URI for a printable page (None when it is not there)."""
    if not path.is_file():
        return None
    kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return f"data:{kind};base64,{base64.b64encode(path.read_bytes()).decode('ascii')}"


def qr_data_uri(text: str, scale: int = 6) -> str:
    """`text` (an address) as a QR code for a printable page: PNG data URI, medium error correction
    (letters' and certificates' verification address, a badge's check-in code)."""
    return segno.make(text, error="m").png_data_uri(scale=scale, border=4)
