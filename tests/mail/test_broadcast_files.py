"""Messages to groups with files and personal placeholders: files checked by content and name,
stored once per broadcast and delivered intact over SMTP; {name} {unit} {role} previewed per
recipient in their language and filled in the mail as delivered; each recipient's status."""
from __future__ import annotations

import io
import zipfile

import pytest

from eventsite.extensions import db
from eventsite.mail.models import Broadcast, BroadcastAttachment, OutboxAttachment, OutboxMessage
from eventsite.mail.worker import send_pending
from tests import factories
from tests.conftest import csrf_token

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n" + bytes(range(256))
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64
PERSONAL = {"subject_en": "Notice for {unit}", "body_en": "Dear {name},\n\nAs {role} of {unit}, please read the file.",
            "subject_zh": "致{unit}的通知", "body_zh": "{name}您好：\n\n请{unit}的{role}阅读附件。"}


def docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        package.writestr("word/document.xml", "<document>通知</document>")
    return buffer.getvalue()


DOCX = docx()  # once: a zip records when it was written


def zip_named_docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("payload.js", "alert(1)")
    return buffer.getvalue()


@pytest.fixture
def mayors(app):
    with app.app_context():
        a = factories.make_unit(name_en="Alpha City", name_zh="阿尔法市")
        b = factories.make_unit(name_en="Beta City", name_zh="贝塔市")
        factories.make_contact(a, role="mayor", language="en", name_latin="Anna Li", name_zh="李安娜",
                               email="mayor.a@example.org")
        factories.make_contact(b, role="mayor", language="zh", name_latin="Wang Wei", name_zh="王伟",
                               email="mayor.b@example.org")
        db.session.commit()
        return {"a": a.id, "b": b.id}


def _post(client, token, files=(), action="preview", key="k" * 24, **fields):
    data = {"csrf_token": token, "roles": ["mayor"], "submission_key": key, action: "x", **PERSONAL, **fields}
    if files:
        data["attachments"] = [(io.BytesIO(content), name) for name, content in files]
    return client.post("/messages/new", data=data, content_type="multipart/form-data")


def _count(model) -> int:
    return db.session.scalar(db.select(db.func.count()).select_from(model))


def test_preview_fills_placeholders_per_recipient_in_their_language(app, organizer_client, mayors):
    token = csrf_token(organizer_client, "/messages/new")
    page = _post(organizer_client, token).get_data(as_text=True)
    # A name reads as the directory shows it in the recipient's language (both scripts).
    assert "Notice for Alpha City" in page and "Dear Anna Li 李安娜," in page and "As Mayor of Alpha City" in page
    assert "致贝塔市的通知" in page and "王伟 Wang Wei您好" in page and "请贝塔市的市长阅读附件" in page
    samples = page[page.index('id="preview-title"'):page.index('enctype="multipart/form-data"')]
    assert 'data-recipient="mayor.a@example.org" lang="en"' in samples
    assert 'data-recipient="mayor.b@example.org" lang="zh-Hans"' in samples
    assert "{name}" not in samples and "{unit}" not in samples
    with app.app_context():
        assert _count(OutboxMessage) == 0 and _count(Broadcast) == 0


@pytest.mark.parametrize("language", ["en", "zh"])
def test_unknown_placeholders_are_a_form_error_listing_them(app, organizer_client, mayors, language):
    with app.app_context():
        db.session.get(factories.User, organizer_client.user_id).locale = language
        db.session.commit()
    token = csrf_token(organizer_client, "/messages/new")
    response = _post(organizer_client, token, action="send", body_en="Dear {nmae}, see {unit} and {date}.")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    words = {"en": "Unknown placeholder {nmae}, {date}. You can use: {name}, {unit}, {role}.",
             "zh": "无法识别的占位符：{nmae}, {date}。可用的占位符：{name}, {unit}, {role}。"}
    assert words[language] in page and "{nmae}, {date}" in page
    with app.app_context():
        assert _count(OutboxMessage) == 0 and _count(Broadcast) == 0


@pytest.mark.both_dbs
def test_files_kept_from_preview_stored_once_and_delivered_intact(app, organizer_client, mayors, smtp_server):
    token = csrf_token(organizer_client, "/messages/new")
    preview = _post(organizer_client, token, files=[("Notice 2026.pdf", PDF), ("议程.docx", DOCX)])
    page = preview.get_data(as_text=True)
    assert preview.status_code == 200 and "Notice 2026.pdf" in page and "议程.docx" in page
    # Send without choosing the files again: the preview kept them with the form's key.
    response = _post(organizer_client, token, action="send")
    assert response.status_code == 302
    with app.app_context():
        broadcast = db.session.scalar(db.select(Broadcast))
        broadcast_id = broadcast.id
        files = {f.filename: f for f in broadcast.attachments}
        assert set(files) == {"Notice 2026.pdf", "议程.docx"}
        assert files["Notice 2026.pdf"].content_type == "application/pdf"
        assert _count(BroadcastAttachment) == 2 and _count(OutboxAttachment) == 0  # once, not per copy
        assert send_pending()["sent"] == 2
    received = {m.rcpt_tos[0]: m.message for m in smtp_server.received}
    for address in ("mayor.a@example.org", "mayor.b@example.org"):
        parts = {p.get_filename(): p for p in received[address].iter_attachments()}
        assert parts["Notice 2026.pdf"].get_content() == PDF
        assert parts["Notice 2026.pdf"].get_content_type() == "application/pdf"
        assert parts["议程.docx"].get_content() == DOCX
    english = received["mayor.a@example.org"]
    assert english["Subject"] == "Notice for Alpha City"
    assert "Dear Anna Li 李安娜," in english.get_body(("plain",)).get_content()
    chinese = received["mayor.b@example.org"]
    assert chinese["Subject"] == "致贝塔市的通知"
    assert "请贝塔市的市长阅读附件" in chinese.get_body(("plain",)).get_content()
    detail = organizer_client.get(f"/messages/{broadcast_id}").get_data(as_text=True)
    assert "Notice 2026.pdf" in detail


@pytest.mark.parametrize("files, setting, error", [
    ([("report.pdf", EXE)], {}, "report.pdf is not a PDF file, whatever its name says."),
    ([("agenda.docx", zip_named_docx())], {}, "agenda.docx is not a Word file"),
    ([("tool.exe", EXE)], {}, "tool.exe: this kind of file cannot be attached."),
    ([("photo.png", PDF)], {}, "photo.png is not a PNG file"),
    ([("big.pdf", PDF)], {"MAIL_ATTACHMENT_MAX_BYTES": 100}, "big.pdf is too large"),
    ([("a.pdf", PDF), ("b.pdf", PDF)], {"MAIL_ATTACHMENTS_MAX_TOTAL": 400}, "The files are too large together"),
    ([("a.pdf", PDF), ("b.pdf", PDF)], {"MAIL_ATTACHMENTS_MAX_FILES": 1}, "Attach at most 1 files."),
    ([("empty.pdf", b"")], {}, "empty.pdf is empty."),
])
def test_refused_files_change_nothing(app, organizer_client, mayors, files, setting, error):
    app.config.update(setting)
    token = csrf_token(organizer_client, "/messages/new")
    for action in ("preview", "send"):
        response = _post(organizer_client, token, files=files, action=action)
        assert response.status_code == 200
        assert error in response.get_data(as_text=True)
    with app.app_context():
        assert _count(BroadcastAttachment) == 0 and _count(OutboxMessage) == 0 and _count(Broadcast) == 0


def test_refusal_in_chinese_and_a_good_file_kept_beside_a_bad_one_is_not(app, organizer_client, mayors):
    with app.app_context():
        db.session.get(factories.User, organizer_client.user_id).locale = "zh"
        db.session.commit()
    token = csrf_token(organizer_client, "/messages/new")
    page = _post(organizer_client, token, files=[("ok.pdf", PDF), ("report.pdf", EXE)]).get_data(as_text=True)
    assert "report.pdf 的内容不是 PDF 文件，与其文件名不符。" in page
    with app.app_context():
        assert _count(BroadcastAttachment) == 0  # one refused file keeps none of them


def test_a_kept_file_can_be_removed_and_belongs_to_its_uploader(app, organizer_client, mayors, login):
    token = csrf_token(organizer_client, "/messages/new")
    _post(organizer_client, token, files=[("Notice.pdf", PDF)])
    with app.app_context():
        file_id = db.session.scalar(db.select(BroadcastAttachment.id))
        other = factories.make_user(role="organizer")
        db.session.commit()
        intruder = app.test_client()
        login(intruder, other)
    # Another organizer replaying the form's key sees nothing of it.
    page = _post(intruder, csrf_token(intruder, "/messages/new")).get_data(as_text=True)
    assert "Notice.pdf" not in page
    page = _post(organizer_client, token, remove_files=[str(file_id)]).get_data(as_text=True)
    assert "Notice.pdf" not in page
    with app.app_context():
        assert _count(BroadcastAttachment) == 0


def test_each_recipients_status_with_counts(app, organizer_client, mayors, smtp_server):
    token = csrf_token(organizer_client, "/messages/new")
    response = _post(organizer_client, token, action="send")
    with app.app_context():
        broadcast_id = db.session.scalar(db.select(Broadcast.id))
        send_pending(limit=1)  # the first copy is accepted
        smtp_server.reject_with = "550 5.1.1 no such user"
        send_pending()
    assert response.status_code == 302
    page = organizer_client.get(f"/messages/{broadcast_id}").get_data(as_text=True)
    counts = page[page.index('id="delivery-counts"'):page.index("</dd>", page.index('id="delivery-counts"'))]
    assert "queued</span> 0" in counts and "sent</span> 1" in counts and "failed</span> 1" in counts
    rows = page[page.index('id="broadcast-recipients"'):]
    assert 'data-state="sent"' in rows and 'data-state="failed"' in rows
    assert "The recipient&#39;s mail server refused the message." in rows and "no such user" in rows


@pytest.mark.both_dbs  # PostgreSQL enforces the column's length
def test_a_subject_filled_with_long_names_fits_the_outbox(app_ctx, outbox):
    from eventsite.mail import services as broadcasts
    from eventsite.members.audience import Audience

    unit = factories.make_unit(name_en="N" * 200, name_zh="长" * 200)
    factories.make_contact(unit, role="mayor", language="en", name_latin="L" * 200, name_zh="名" * 200,
                           email="long@example.org")
    db.session.commit()
    broadcasts.send(Audience(roles=["mayor"]), broadcasts.Content(
        subject_en="{name} / {unit} / {name} / {unit}", body_en="Dear {name}"), factories.make_user())
    [row] = outbox()
    assert len(row.subject) == 400 and row.subject.startswith("L" * 200)


@pytest.mark.parametrize("size, text", [(0, "0 KB"), (1, "1 KB"), (80, "1 KB"), (1023, "1 KB"), (1024, "1 KB"),
                                        (10 * 1024, "10 KB"), (3 * 1024 * 1024 // 2, "1.5 MB")])
def test_a_small_file_reads_at_least_one_kilobyte(size, text):
    from eventsite.mail.uploads import size_text

    assert size_text(size) == text


def _table(page: str, table_id: str) -> str:
    start = page.index(f'id="{table_id}"')
    return page[page.rindex("<table", 0, start):page.index("</table>", start)]


def test_recipient_lists_become_cards_on_a_phone(app, organizer_client, mayors):
    """The preview's recipients, a message's recipients and a unit's messages are data_tables
    (.table-cards, each cell labelled): at 375 px a stack of cards, not a table to swipe."""
    token = csrf_token(organizer_client, "/messages/new")
    page = _post(organizer_client, token).get_data(as_text=True)
    # A long list scrolls in its own box: a named region the keyboard can reach (axe).
    assert 'class="table-responsive mb-3 preview-list" tabindex="0" role="region" aria-label="Recipients"' in page
    preview = _table(page, "preview-recipients")
    assert "table-cards" in preview and 'data-label="Email">mayor.a@example.org' in preview.replace(
        ' class="text-break"', "")
    _post(organizer_client, token, action="send")
    with app.app_context():
        broadcast_id = db.session.scalar(db.select(Broadcast.id))
    sent = _table(organizer_client.get(f"/messages/{broadcast_id}").get_data(as_text=True), "broadcast-recipients")
    assert "table-cards" in sent and sent.count('data-label="State"') == 2
    history = organizer_client.get(f"/directory/{mayors['a']}").get_data(as_text=True)
    history = _table(history, "unit-history")
    assert "table-cards" in history and 'data-label="Subject"' in history and "Notice for Alpha City" in history
