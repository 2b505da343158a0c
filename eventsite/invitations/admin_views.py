"""Organizers issue invitations to member units and follow every answer (staff only)."""
from __future__ import annotations

from dataclasses import asdict

from flask import Blueprint, Response, flash, jsonify, redirect, render_template, request, url_for
from flask_login import current_user

from ..accounts.permissions import staff_required
from ..core.domain import DomainError, mark_on_form, show_on_form
from ..core.gettext import gettext as _
from ..core.gettext import ngettext
from ..core.i18n import current_language
from ..core.listing import query_arg
from ..core.lookup import get_or_404
from ..core.numbers import whole_number
from ..core.timefmt import local_time
from ..events.models import Event
from ..extensions import db
from ..mail.services import Content, check_content
from ..members.audience import Audience
from ..members.labels import kind_label, province_name
from ..members.models import UNIT_KINDS
from . import labels, notifications, queries
from .forms import IssueForm, QuotaForm, RemindForm
from .models import Invitation
from .services import issuing, reminders

bp = Blueprint("invitation_admin", __name__, url_prefix="/organizer/events")

MAX_PICKS = 5000  # more values than this in one filter is not a person choosing


@bp.context_processor
def helpers():
    return {"status_labels": labels.STATUS_LABELS, "status_styles": labels.STATUS_STYLES,
            "kind_label": kind_label, "province_name": province_name, "local_time": local_time,
            "province_label": lambda code: province_name(code, current_language())}


@bp.app_context_processor
def invitation_status_labels():
    return {"invitation_status_labels": labels.STATUS_LABELS}


def _title(event: Event) -> str:
    return event.text("title", current_language())[0]


@bp.get("/<int:event_id>/invitations")
@staff_required
def index(event_id: int):
    event = get_or_404(Event, event_id)
    filters = queries.Filters(status=query_arg("status", 16), kind=query_arg("kind", 32),
                             province=query_arg("province", 100), q=query_arg("q", 200))
    if filters.status not in labels.STATUSES:
        filters.status = ""
    return render_template("invitation_admin/index.html", event=event, title=_title(event),
                           table=queries.table(event, filters, lang=current_language()), filters=filters, statuses=labels.STATUSES,
                           can_issue=_refusal(issuing.check_can_issue, event),
                           quota_form=QuotaForm(), lang=current_language())


def _refusal(check, event: Event) -> str:
    """'' when `check(event)` passes now, else the reason why not."""
    try:
        check(event)
    except DomainError as error:
        return error.message
    return ""


def _act(event_id: int, invitation_id: int, action) -> Response:
    """One service call on one invitation: `action(invitation, actor)` returns the success
    message, a broken rule is flashed."""
    event = get_or_404(Event, event_id)
    invitation = get_or_404(Invitation, invitation_id, event_id=event.id)
    try:
        flash(action(invitation, current_user._get_current_object()), "success")
    except DomainError as error:
        show_on_form(None, error)
    return redirect(url_for("invitation_admin.index", event_id=event.id))


@bp.post("/<int:event_id>/invitations/<int:invitation_id>/resend")
@staff_required
def resend(event_id: int, invitation_id: int):
    return _act(event_id, invitation_id, lambda invitation, actor: ngettext(
        "The invitation is queued again for %(num)d contact.",
        "The invitation is queued again for %(num)d contacts.", issuing.resend(invitation, actor)))


@bp.post("/<int:event_id>/invitations/<int:invitation_id>/revoke")
@staff_required
def revoke(event_id: int, invitation_id: int):
    def run(invitation, actor):
        issuing.revoke(invitation, actor)
        return _("The invitation is revoked: its links no longer work.")

    return _act(event_id, invitation_id, run)


@bp.post("/<int:event_id>/invitations/<int:invitation_id>/quota")
@staff_required
def quota(event_id: int, invitation_id: int):
    form = QuotaForm()

    def set_quota(invitation, actor):
        if not form.validate_on_submit():
            raise DomainError(_("Each quota is a whole number from 1 to %(n)d.", n=issuing.MAX_QUOTA))
        changed = issuing.set_quota(invitation, form.quota.data, actor)
        _warn_over_quota(invitation)
        return _("The quota was changed.") if changed else _("Nothing was changed.")

    return _act(event_id, invitation_id, set_quota)


def _warn_over_quota(invitation: Invitation) -> None:
    """A quota below the people already registered removes nobody: say what it means."""
    registered = queries.registered_people(invitation.event_id, invitation.unit_id)
    if registered > invitation.quota:
        flash(_("%(unit)s has %(registered)d people registered, more than its quota of %(quota)d. "
                "Nobody is removed: the liaison can still correct their details, but can add "
                "nobody until the delegation is within the quota.",
                unit=invitation.unit.display_name(current_language()), registered=registered,
                quota=invitation.quota), "warning")


def _ids(values) -> list[int]:
    return [n for v in values[:MAX_PICKS] if (n := whole_number(v, 1)) is not None]


def _audience_from(args) -> Audience:
    """An audience from query arguments (the live count and links such as "invite again")."""
    return Audience(everyone=args.get("everyone", "") in ("y", "1", "on", "true"),
                    kinds=[k for k in args.getlist("kinds")[:MAX_PICKS] if k in UNIT_KINDS],
                    provinces=[p.replace("\x00", "")[:100] for p in args.getlist("provinces")[:MAX_PICKS]],
                    tag_ids=_ids(args.getlist("tags")), unit_ids=_ids(args.getlist("units")))


@bp.get("/<int:event_id>/invitations/count")
@staff_required
def count(event_id: int):
    """The live count of the issuing page (JSON for static/js/invitation_count.js)."""
    return jsonify(issuing.plan(get_or_404(Event, event_id), _audience_from(request.args)).counts())


@bp.route("/<int:event_id>/invitations/new", methods=["GET", "POST"])
@staff_required
def new(event_id: int):
    event = get_or_404(Event, event_id)
    form = IssueForm()
    form.fill_choices()
    form.ensure_submission_key()
    blocked = _refusal(issuing.check_can_issue, event)
    if request.method == "GET":
        for name, text in asdict(notifications.default_content()).items():
            form[name].data = text
        picked = _audience_from(request.args)
        form.units.data = [u for u in picked.unit_ids if u in {c.value for c in form.units.choices}]
        form.kinds.data, form.everyone.data = picked.kinds, picked.everyone
    preview = None
    quotas = {unit_id: value for name, value in list(request.form.items())[:MAX_PICKS]
              if name.startswith("quota-") and (unit_id := whole_number(name[6:], 1)) is not None}
    if form.validate_on_submit():
        audience, content = form.audience(everyone=bool(form.everyone.data)), Content.from_form(form)
        if form.issue.data and not blocked:
            try:
                round_ = issuing.issue(event, audience, content, current_user._get_current_object(),
                                       quotas=quotas, submission_key=form.submission_key.data)
            except DomainError as error:
                show_on_form(form, error)
            else:
                flash(ngettext("%(num)d invitation was issued; the mails are queued.",
                               "%(num)d invitations were issued; the mails are queued.",
                               round_.unit_count), "success")
                return redirect(url_for("invitation_admin.index", event_id=event.id))
        elif audience.is_empty():
            flash(_("Choose the units to invite: all, or by kind, province, tag or name."), "error")
        preview = _preview(event, audience, content, quotas, form)
    return render_template("invitation_admin/new.html", event=event, title=_title(event), form=form,
                           blocked=blocked, preview=preview, placeholders=notifications.PLACEHOLDERS,
                           lang=current_language())


def _preview(event: Event, audience: Audience, content: Content, quotas: dict,
             form: IssueForm) -> dict:
    plan = issuing.plan(event, audience)
    error = ""
    try:
        check_content(content, notifications.PLACEHOLDERS)
    except DomainError as exc:
        error = exc.message
        mark_on_form(form, exc)
    with_address = [p for p in plan.to_invite if p.recipients]
    chosen = next((p for p in with_address if p.unit.id == form.preview_unit.data),
                  with_address[0] if with_address else None)
    samples = []
    if chosen is not None and not error:
        quota = whole_number(quotas.get(chosen.unit.id, "").strip(), 1) or event.default_quota
        invitation = Invitation(event_id=event.id, unit_id=chosen.unit.id, quota=quota,
                                expires_at=issuing.deadline_of(event))
        invitation.event, invitation.unit = event, chosen.unit
        samples = _samples(invitation, chosen.recipients, content, reminder=False)
        if invitation in db.session:  # a preview never saves anything
            db.session.expunge(invitation)
    return {"plan": plan, "counts": plan.counts(), "chosen": chosen, "samples": samples,
            "quotas": {p.unit.id: quotas.get(p.unit.id, event.default_quota) for p in plan.to_invite},
            "with_address": with_address, "error": error}


def _samples(invitation: Invitation, recipients, content: Content | None, *,
             reminder: bool) -> list[dict]:
    """The mail as the unit's first recipient gets it, and as a contact of the other language
    would (so both languages are checked before anything is sent)."""
    first = recipients[0]
    other = notifications.Recipient(first.contact_id, first.email, first.name,
                                    "en" if first.language == "zh" else "zh")
    samples: dict[str, dict] = {}
    for recipient in (first, other):
        sample = notifications.preview(invitation, invitation.unit, recipient, content, reminder=reminder)
        samples.setdefault(sample["language"], sample | {"as_written_for": recipient.language})
    return list(samples.values())


@bp.route("/<int:event_id>/invitations/remind", methods=["GET", "POST"])
@staff_required
def remind(event_id: int):
    event = get_or_404(Event, event_id)
    form = RemindForm()
    form.ensure_submission_key()
    if form.validate_on_submit():
        try:
            units = reminders.remind_all(event, current_user._get_current_object(),
                                         form.submission_key.data)
        except DomainError as error:
            show_on_form(None, error)
        else:
            flash(ngettext("A reminder is queued for %(num)d unit.",
                           "Reminders are queued for %(num)d units.", units), "success")
            return redirect(url_for("invitation_admin.index", event_id=event.id))
    waiting = reminders.non_responders(event)
    contacts = notifications.receiving_contacts([i.unit_id for i in waiting])
    reachable = [i for i in waiting if contacts[i.unit_id]]
    first = reachable[0] if reachable else None
    samples = _samples(first, contacts[first.unit_id], None, reminder=True) if first else []
    return render_template("invitation_admin/remind.html", event=event, title=_title(event), form=form,
                           waiting=waiting, contacts=contacts, reachable=reachable, samples=samples,
                           blocked=_refusal(reminders.check_event, event))
