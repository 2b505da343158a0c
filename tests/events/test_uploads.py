"""Cover images: only real JPEG/PNG/WebP within limits, re-encoded without EXIF, kept outside the
static folder and served with their type, nosniff, and to the public only for public events."""
from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path

import pytest
from PIL import Image

from eventsite.events import uploads
from eventsite.events.models import Event
from eventsite.extensions import db

from .. import factories
from ..conftest import csrf_token
from .test_admin_views import BASE, snapshot


def image_bytes(fmt="PNG", size=(64, 40), exif=None) -> bytes:
    out = io.BytesIO()
    image = Image.new("RGB", size, (200, 30, 30))
    kwargs = {"exif": exif} if exif is not None else {}
    image.save(out, fmt, **kwargs)
    return out.getvalue()


def gps_exif() -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "SpyCam"                      # Make
    exif[0x8825] = {1: "N", 2: (39.0, 54.0, 0.0)}  # GPSInfo
    return exif.tobytes()


def huge_png(width=30000, height=30000) -> bytes:
    """A tiny PNG file whose header claims enormous dimensions (a decompression bomb's shape)."""
    data = bytearray(image_bytes("PNG", (1, 1)))
    ihdr = 8 + 8  # signature, then length + type of the IHDR chunk
    data[ihdr:ihdr + 8] = struct.pack(">II", width, height)
    crc = zlib.crc32(bytes(data[12:ihdr + 13])) & 0xFFFFFFFF
    data[ihdr + 13:ihdr + 17] = struct.pack(">I", crc)
    return bytes(data)


@pytest.fixture
def event_id(app):
    with app.app_context():
        event = factories.make_event(status="draft")
        db.session.commit()
        return event.id


def upload(client, event_id, data: bytes, name: str):
    token = csrf_token(client, f"{BASE}/{event_id}")
    return client.post(f"{BASE}/{event_id}/cover/upload", content_type="multipart/form-data",
                       data={"csrf_token": token, "file": (io.BytesIO(data), name)}, follow_redirects=True)


def stored(app, event_id):
    with app.app_context():
        event = db.session.get(Event, event_id)
        return event.cover_file, event.cover_content_type


@pytest.mark.both_dbs
@pytest.mark.parametrize("fmt, content_type", [("PNG", "image/png"), ("JPEG", "image/jpeg"),
                                               ("WEBP", "image/webp")])
def test_good_image_is_stored_outside_static_and_served(app, organizer_client, client, event_id, fmt,
                                                        content_type):
    response = upload(organizer_client, event_id, image_bytes(fmt, exif=gps_exif()), "photo.bin")
    assert "The cover image was saved." in response.get_data(as_text=True)
    name, stored_type = stored(app, event_id)
    assert stored_type == content_type
    path = Path(app.instance_path) / "uploads" / "covers" / name
    assert path.is_file()
    assert Path(app.static_folder) not in path.resolve().parents
    # Re-encoded: no EXIF, no GPS.
    with Image.open(path) as image:
        assert image.format == fmt and image.size == (64, 40)
        assert not image.getexif() and "exif" not in image.info
    with organizer_client.get(f"{BASE}/{event_id}/cover") as served:
        assert served.status_code == 200 and served.mimetype == content_type
        assert served.headers["X-Content-Type-Options"] == "nosniff"
        assert served.data == path.read_bytes()
    # A draft's cover is for staff only; once published, anyone may fetch it (and cache it).
    assert client.get(f"{BASE}/{event_id}/cover").status_code == 404
    token = csrf_token(organizer_client, f"{BASE}/{event_id}")
    organizer_client.post(f"{BASE}/{event_id}/publish", data={"csrf_token": token})
    with client.get(f"{BASE}/{event_id}/cover") as public:
        assert public.status_code == 200 and public.mimetype == content_type
        assert public.headers["X-Content-Type-Options"] == "nosniff"
        assert "max-age=3600" in public.headers["Cache-Control"]


def test_replacing_and_removing_delete_the_old_file(app, organizer_client, event_id):
    upload(organizer_client, event_id, image_bytes("PNG"), "a.png")
    first = stored(app, event_id)[0]
    upload(organizer_client, event_id, image_bytes("JPEG"), "b.jpg")
    second = stored(app, event_id)[0]
    folder = Path(app.instance_path) / "uploads" / "covers"
    assert first != second and not (folder / first).exists() and (folder / second).exists()
    token = csrf_token(organizer_client, f"{BASE}/{event_id}")
    organizer_client.post(f"{BASE}/{event_id}/cover/remove", data={"csrf_token": token})
    assert stored(app, event_id) == (None, None) and not (folder / second).exists()
    assert organizer_client.get(f"{BASE}/{event_id}/cover").status_code == 404
    with app.app_context():
        from eventsite.audit.models import AuditEntry

        details = [e.details["action"] for e in db.session.scalars(
            db.select(AuditEntry).filter_by(action="event.cover").order_by(AuditEntry.id))]
    assert details == ["upload", "replace", "remove"]


SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect width="10" height="10"/></svg>'


@pytest.mark.parametrize("data, name, message", [
    (b"just some text, honestly", "cover.png", "not a JPEG, PNG or WebP image"),
    (SVG, "cover.svg", "not a JPEG, PNG or WebP image"),
    (image_bytes("GIF"), "cover.gif", "not a JPEG, PNG or WebP image"),
    (image_bytes("PNG")[:60], "truncated.png", "not a JPEG, PNG or WebP image"),
    (b"\x89PNG\r\n\x1a\n" + b"\x00" * (6 * 1024 * 1024), "big.png", "larger than 5 MB"),
    (huge_png(), "bomb.png", "too large"),
    (huge_png(70000, 70000), "bigger-bomb.png", "too large"),
])
def test_bad_files_are_refused_and_nothing_is_stored(app, organizer_client, event_id, data, name, message):
    before = snapshot(app)
    html = upload(organizer_client, event_id, data, name).get_data(as_text=True)
    assert message in html
    assert snapshot(app) == before
    folder = Path(app.instance_path) / "uploads" / "covers"
    assert not folder.exists() or not any(folder.iterdir())


def test_no_file_is_a_form_error(app, organizer_client, event_id):
    token = csrf_token(organizer_client, f"{BASE}/{event_id}")
    response = organizer_client.post(f"{BASE}/{event_id}/cover/upload", data={"csrf_token": token},
                                     follow_redirects=True)
    assert "Choose an image file." in response.get_data(as_text=True)


def test_liaison_cannot_upload(app, liaison_client, event_id):
    token = csrf_token(liaison_client, "/account")
    response = liaison_client.post(f"{BASE}/{event_id}/cover/upload", content_type="multipart/form-data",
                                   data={"csrf_token": token, "file": (io.BytesIO(image_bytes()), "a.png")})
    assert response.status_code == 403 and stored(app, event_id) == (None, None)


def test_stored_name_cannot_escape_the_folder(app):
    with app.app_context():
        event = factories.make_event(cover_file="../../config.py", cover_content_type="text/plain")
        assert uploads.cover_path(event) is None
