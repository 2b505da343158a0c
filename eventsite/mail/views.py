"""The admin's outbox pages and the organizers' messages to groups of contacts."""
from __future__ import annotations

import io

from flask import Blueprint, abort, flash, make_response, redirect, render_template, send_file, url_for
from flask_login import current_user
from werkzeug.datastructures import FileStorage
from wtforms import SelectChoice

from ..accounts.permissions import admin_required, staff_required
from ..core.domain import DomainError, show_on_form
from ..core.gettext import gettext as _
from ..core.gettext import ngettext
from ..core.i18n import current_language
from ..core.listing import paginate, query_arg
from ..core.lookup import get_or_404
from ..extensions import db
from ..members.audience import Audience, tag_names, unit_names
from ..members.labels import kind_label, province_name, role_label
from . import labels, queries, uploads
from . import services as service
from .forms import BroadcastForm
from .mime import attachments_of, body_text, message_bytes, parsed, sample
from .models import MESSAGE_STATES, Broadcast, OutboxMessage

bp = Blueprint("mail", __name__)

# The HTML part is someone else's document: no scripts, no requests, no same-origin access.
HTML_PART_CSP = "sandbox; default-src 'none'; img-src data:; style-src 'unsafe-inline'"


@bp.context_processor
def mail_labels():
    return {"state_labels": labels.STATE_LABELS, "state_badges": labels.STATE_BADGES,
            "delivery_labels": labels.DELIVERY_LABELS, "delivery_badges": labels.DELIVERY_BADGES,
            "size_text": uploads.size_text, "transport_labels": labels.TRANSPORT_LABELS}


def _bytes(message_id: int) -> bytes:
    """The exact bytes sent; 404 for a row no message can be built from (recorded as not sent
    because of its address: the message page shows what was stored instead)."""
    try:
        return message_bytes(get_or_404(OutboxMessage, message_id))
    except ValueError:
        abort(404)


@bp.after_app_request
def _tell_about_unmailed(response):
    """Staff who caused mail that cannot be sent (an address stored before the address rule)
    read whom it did not reach; the operation itself went through (mail.services.enqueue)."""
    unmailed = service.unmailed_this_request()
    if unmailed and current_user.is_authenticated and current_user.is_staff:
        flash(_("Not mailed, the address cannot receive mail: %(list)s. Correct it in the "
                "directory, the account or the registration.",
                list=", ".join(f"{name} <{address}>" if name else address
                               for address, name in unmailed)), "warning")
    return response


# --- outbox (admin) --------------------------------------------------------------------------
@bp.get("/admin/outbox/")
@admin_required
def outbox():
    filters = {"state": query_arg("state", 16), "kind": query_arg("kind", 64), "q": query_arg("q", 320)}
    page = paginate(queries.outbox_query(filters["state"], filters["kind"], filters["q"]), per_page=50)
    return render_template("mail/outbox.html", page=page, counts=queries.outbox_counts(),
                           kinds=queries.outbox_kinds(), states=MESSAGE_STATES, filters=filters)


@bp.get("/admin/outbox/<int:message_id>")
@admin_required
def message(message_id: int):
    row = get_or_404(OutboxMessage, message_id)
    try:
        sent = parsed(message_bytes(row))
    except ValueError:  # not sendable as stored: show what was stored
        return render_template(
            "mail/message.html", row=row, headers=[("To", row.to_addr)], text=row.body_text,
            has_html=False, attachments=[], unbuildable=True)
    names = ("From", "To", "Reply-To", "Subject", "Date", "Message-ID", "Content-Language")
    headers = [(name, str(sent[name])) for name in names if sent[name] is not None]
    attachments = [(n, *attachment) for n, attachment in enumerate(attachments_of(sent))]
    return render_template("mail/message.html", row=row, headers=headers, attachments=attachments,
                           text=body_text(sent, "plain") or "", has_html=body_text(sent, "html") is not None)


@bp.get("/admin/outbox/<int:message_id>/html")
@admin_required
def message_html(message_id: int):
    html = body_text(parsed(_bytes(message_id)), "html")
    if html is None:
        abort(404)
    response = make_response(html)
    response.headers["Content-Type"] = "text/html; charset=utf-8"
    response.headers["Content-Security-Policy"] = HTML_PART_CSP
    response.headers["X-Frame-Options"] = "SAMEORIGIN"  # shown in our own <iframe sandbox>
    return response


@bp.get("/admin/outbox/<int:message_id>/attachments/<int:n>")
@admin_required
def attachment(message_id: int, n: int):
    parts = list(parsed(_bytes(message_id)).iter_attachments())
    if n >= len(parts):
        abort(404)
    data = parts[n].get_content()
    data = data.encode("utf-8") if isinstance(data, str) else data
    # Always a download, never rendered by the browser on our origin.
    return send_file(io.BytesIO(data), mimetype="application/octet-stream", as_attachment=True,
                     download_name=parts[n].get_filename() or f"attachment-{n}")


@bp.get("/admin/outbox/<int:message_id>.eml")
@admin_required
def message_eml(message_id: int):
    return send_file(io.BytesIO(_bytes(message_id)), mimetype="message/rfc822", as_attachment=True,
                     download_name=f"message-{message_id}.eml")


@bp.post("/admin/outbox/<int:message_id>/retry")
@admin_required
def message_retry(message_id: int):
    row = get_or_404(OutboxMessage, message_id)
    try:
        service.retry(row)
    except DomainError as error:
        flash(error.message, "warning")
    else:
        flash(_("The message is queued again."), "success")
    return redirect(url_for("mail.message", message_id=row.id))


# --- messages to groups (staff) ---------------------------------------------------------------
@bp.get("/messages/")
@staff_required
def broadcasts():
    page = paginate(db.select(Broadcast).order_by(Broadcast.id.desc()), per_page=30)
    counts = queries.state_counts([b.id for b in page.items])
    return render_template("mail/broadcasts.html", page=page, counts=counts)


@bp.route("/messages/new", methods=["GET", "POST"])
@staff_required
def broadcast_new():
    form = BroadcastForm()
    form.fill_choices()
    form.ensure_submission_key()
    files = uploads.staged(form.submission_key.data, current_user.id)
    form.remove_files.choices = [SelectChoice(f.id, f.filename) for f in files]
    preview = None
    if form.validate_on_submit():
        audience = form.audience(roles=list(form.roles.data or []),
                                 invitations_only=bool(form.invitations_only.data))
        content = service.Content.from_form(form)
        try:
            files = uploads.stage(form.submission_key.data, current_user.id, _uploads(form),
                                  form.remove_files.data or [])
            if form.send.data:
                broadcast = service.send(audience, content, current_user._get_current_object(),
                                         form.submission_key.data, attachments=files)
                flash(ngettext("The message is queued for %(num)d recipient.", "The message is queued for %(num)d recipients.", broadcast.recipient_count), "success")
                return redirect(url_for("mail.broadcast", broadcast_id=broadcast.id))
            service.check(audience, content)
            preview = _preview(audience, content, current_language())
        except DomainError as error:
            show_on_form(form, error)
            files = uploads.staged(form.submission_key.data, current_user.id)
        form.remove_files.choices = [SelectChoice(f.id, f.filename) for f in files]
        form.remove_files.data = []
    return render_template("mail/broadcast_new.html", form=form, preview=preview, files=files,
                           placeholders=service.PLACEHOLDERS)


def _uploads(form: BroadcastForm) -> list[uploads.Upload]:
    return [uploads.Upload(uploads.clean_filename(f.filename or ""), f.read())
            for f in form.attachments.data or [] if isinstance(f, FileStorage)]


@bp.get("/messages/<int:broadcast_id>")
@staff_required
def broadcast(broadcast_id: int):
    item = get_or_404(Broadcast, broadcast_id)
    messages = queries.broadcast_messages(item.id)
    return render_template("mail/broadcast.html", item=item, messages=messages,
                           counts=queries.state_counts([item.id])[item.id],
                           delivery=queries.delivery_counts(messages),
                           audience=_describe_audience(item.audience or {}))


def _preview(audience: Audience, content: service.Content, lang: str) -> dict:
    """The recipients, and the mail as a few of them will get it: their placeholders filled, in
    their language (the first recipient of each language, then the next ones, up to SAMPLES)."""
    resolution = service.resolve(audience, content, locale=lang)
    samples = [{"recipient": recipient, **sample(service.preview_message(content, recipient))}
               for recipient in _sample_recipients(resolution.recipients)]
    return {"recipients": [{**r.__dict__, "role_label": role_label(r.role)} for r in resolution.recipients],
            "skipped": resolution.skipped, "samples": samples}


SAMPLES = 3


def _sample_recipients(recipients: list) -> list:
    firsts: dict[str, int] = {}
    for n, r in enumerate(recipients):
        firsts.setdefault(r.language, n)
    chosen = set(firsts.values())
    chosen.update(n for n in range(len(recipients)) if n not in chosen and len(chosen) < SAMPLES)
    return [recipients[n] for n in sorted(chosen)][:max(SAMPLES, len(firsts))]


def _describe_audience(audience: dict) -> list[tuple[str, str]]:
    lang = current_language()
    parts = ((_("Contact roles"), "roles", lambda codes: map(role_label, codes)),
             (_("Unit kinds"), "kinds", lambda codes: map(kind_label, codes)),
             (_("Provinces / regions"), "provinces", lambda codes: (province_name(p, lang) for p in codes)),
             (_("Tags"), "tag_ids", lambda ids: tag_names(ids, lang)),
             (_("Specific units"), "unit_ids", lambda ids: unit_names(ids, lang)),
             (_("Only contacts who receive invitations"), "invitations_only", lambda _on: [_("yes")]))
    return [(label, ", ".join(names(audience[key]))) for label, key, names in parts if audience.get(key)]
