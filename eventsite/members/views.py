"""Pages of the member directory: the public list, the staff directory, unit pages, contacts,
CSV import and export. Views validate, call one service, flash and redirect."""
from __future__ import annotations

from datetime import date

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from ..accounts.permissions import can_manage_unit, role_required, staff_required
from ..calendar.links import feed_links, unit_feed_url
from ..core.domain import DomainError, show_on_form
from ..core.gettext import gettext as _
from ..core.i18n import current_language, language_label
from ..core.listing import paginate, query_arg
from ..core.lookup import get_or_404
from ..core.pagecache import cached_page
from ..extensions import db
from . import exports, importer, labels, queries, services
from .forms import ContactForm, ImportForm, LiaisonUnitForm, UnitForm
from .models import UNIT_KINDS, Contact, MemberUnit
from .tags import sorted_tags

bp = Blueprint("members", __name__)

signed_in = role_required("admin", "organizer", "liaison")
PER_PAGE = 50


@bp.app_template_global()
def member_labels():
    """Label helpers for member templates (translated, in the reader's language)."""
    lang = current_language()
    return {"kind": labels.kind_label, "role": labels.role_label, "language": language_label,
            "region": lambda unit: labels.region_label(unit, lang),
            "province": lambda code: labels.province_name(code, lang),
            "name": lambda obj: obj.display_name(lang),
            "tags": lambda unit: sorted_tags(unit.tags, lang)}


def _managed_unit(unit_id: int) -> MemberUnit:
    """The unit, if the current user may manage it: staff any unit, a liaison only their own."""
    unit = get_or_404(MemberUnit, unit_id)
    if not can_manage_unit(current_user, unit):
        abort(403)
    return unit


@bp.get("/alliance/members")
@cached_page("members")
def public_list():
    lang = current_language()
    kind, q = query_arg("kind", 32), query_arg("q")
    page = paginate(queries.public_query(kind if kind in UNIT_KINDS else "", q, lang), PER_PAGE)
    return render_template("members/public_list.html", page=page, kind=kind, q=q,
                           kinds=labels.KIND_LABELS)


@bp.get("/directory/")
@staff_required
def index():
    status = query_arg("status", 16)
    filters = queries.DirectoryFilters(query_arg("q"), query_arg("kind", 32), query_arg("province"),
                                       query_arg("tag"),
                                       status if status in labels.DIRECTORY_STATUS_LABELS else "active")
    lang = current_language()
    return render_template(
        "members/index.html", page=paginate(queries.directory_query(filters, lang), PER_PAGE), filters=filters,
        kinds=labels.KIND_LABELS, statuses=labels.DIRECTORY_STATUS_LABELS,
        provinces=labels.province_choices(lang), tags=queries.all_tag_names(lang))


@bp.get("/my-unit")
@signed_in
def my_unit():
    if current_user.role == "liaison" and current_user.unit_id:
        return redirect(url_for("members.detail", unit_id=current_user.unit_id))
    return redirect(url_for("members.index"))


@bp.get("/directory/<int:unit_id>")
@signed_in
def detail(unit_id: int):
    unit = _managed_unit(unit_id)
    # The unit's secret feed, shown to its own liaison only (the one who can renew it).
    own = current_user.role == "liaison" and current_user.unit_id == unit.id
    return render_template("members/detail.html", unit=unit, liaisons=queries.liaisons_of(unit),
                           is_staff=current_user.is_staff,
                           unit_feed=feed_links(unit_feed_url(unit), unit.display_name(current_language()),
                                                  current_language())
                           if own else None)


@bp.route("/directory/new", methods=["GET", "POST"])
@staff_required
def create():
    form = UnitForm()
    if request.method == "GET":
        form.country.data = "CN"
    if form.validate_on_submit():
        try:
            unit = services.create_unit(_unit_values(form), services.parse_tags(form.tags.data))
        except DomainError as error:
            show_on_form(None, error)
        else:
            flash(_("The unit was created."), "success")
            return redirect(url_for("members.detail", unit_id=unit.id))
    return render_template("members/unit_form.html", form=form, unit=None)


@bp.route("/directory/<int:unit_id>/edit", methods=["GET", "POST"])
@signed_in
def edit(unit_id: int):
    unit = _managed_unit(unit_id)
    staff = current_user.is_staff
    form_class = UnitForm if staff else LiaisonUnitForm
    # Prefill from the unit only on GET: a POST that omits a field must not fall back to it.
    form = form_class(obj=unit) if request.method == "GET" else form_class()
    if request.method == "GET" and staff:
        form.fill_place(unit)
        form.tags.data = ", ".join(t.both_names() for t in sorted_tags(unit.tags, current_language()))
    if form.validate_on_submit():
        try:
            if staff:
                changes = services.update_unit(unit, _unit_values(form), services.parse_tags(form.tags.data))
            else:
                changes = services.update_unit(unit, {f: getattr(form, f).data or "" for f in
                                                      services.LIAISON_UNIT_FIELDS},
                                               fields=services.LIAISON_UNIT_FIELDS)
        except DomainError as error:
            show_on_form(None, error)
        else:
            flash(_("The changes were saved.") if changes else _("Nothing was changed."), "success")
            return redirect(url_for("members.detail", unit_id=unit.id))
    return render_template("members/unit_form.html", form=form, unit=unit)


def _unit_values(form: UnitForm) -> dict:
    values = {f: getattr(form, f).data for f in services.UNIT_FIELDS if f != "province"}
    return values | {f: values[f] or "" for f in ("name_zh", "name_en", "website", "notes")} | {
        "province": form.province_value(), "is_active": bool(form.is_active.data)}


def _set_active(unit_id: int, active: bool, done: str):
    if services.set_unit_active(get_or_404(MemberUnit, unit_id), active):
        flash(done, "success")
    return redirect(url_for("members.detail", unit_id=unit_id))


@bp.post("/directory/<int:unit_id>/deactivate")
@staff_required
def deactivate(unit_id: int):
    return _set_active(unit_id, False, _("The unit was deactivated."))


@bp.post("/directory/<int:unit_id>/reactivate")
@staff_required
def reactivate(unit_id: int):
    return _set_active(unit_id, True, _("The unit was reactivated."))


@bp.route("/directory/<int:unit_id>/contacts/new", methods=["GET", "POST"])
@signed_in
def contact_new(unit_id: int):
    unit = _managed_unit(unit_id)
    form = ContactForm()
    if request.method == "GET":
        form.language.data = "zh" if unit.country == "CN" else "en"
    if form.validate_on_submit():
        try:
            services.add_contact(unit, _contact_values(form))
        except DomainError as error:
            show_on_form(None, error)
        else:
            flash(_("The contact was added."), "success")
            return redirect(url_for("members.detail", unit_id=unit.id))
    return render_template("members/contact_form.html", form=form, unit=unit, contact=None)


@bp.route("/directory/<int:unit_id>/contacts/<int:contact_id>/edit", methods=["GET", "POST"])
@signed_in
def contact_edit(unit_id: int, contact_id: int):
    unit = _managed_unit(unit_id)
    contact = get_or_404(Contact, contact_id, unit_id=unit.id)
    form = ContactForm(obj=contact) if request.method == "GET" else ContactForm()
    if form.validate_on_submit():
        try:
            changes = services.update_contact(contact, _contact_values(form))
        except DomainError as error:
            show_on_form(None, error)
        else:
            flash(_("The changes were saved.") if changes else _("Nothing was changed."), "success")
            return redirect(url_for("members.detail", unit_id=unit.id))
    return render_template("members/contact_form.html", form=form, unit=unit, contact=contact)


@bp.post("/directory/<int:unit_id>/contacts/<int:contact_id>/delete")
@signed_in
def contact_delete(unit_id: int, contact_id: int):
    unit = _managed_unit(unit_id)
    services.delete_contact(get_or_404(Contact, contact_id, unit_id=unit.id))
    flash(_("The contact was deleted."), "success")
    return redirect(url_for("members.detail", unit_id=unit.id))


def _contact_values(form: ContactForm) -> dict:
    return {f: getattr(form, f).data or "" for f in services.CONTACT_FIELDS} | {
        "receives_invitations": bool(form.receives_invitations.data)}


@bp.route("/directory/import", methods=["GET", "POST"])
@staff_required
def import_csv():
    form = ImportForm()
    result = failure = None
    if form.validate_on_submit():
        data = form.file.data.read(importer.table.MAX_BYTES + 1)
        run = importer.import_units if form.content.data == "units" else importer.import_contacts
        try:
            result = run(data)
        except importer.ImportFailed as failed:
            db.session.rollback()
            failure = failed
    return render_template("members/import.html", form=form, result=result, failure=failure,
                           content=form.content.data, max_rows=importer.MAX_ROWS,
                           max_mb=importer.MAX_BYTES // (1024 * 1024))


@bp.get("/directory/export/units.csv")
@staff_required
def export_units():
    return _csv_response(exports.units_csv(), "member-units")


@bp.get("/directory/export/contacts.csv")
@staff_required
def export_contacts():
    return _csv_response(exports.contacts_csv(), "member-contacts")


def _csv_response(data: bytes, stem: str) -> Response:
    return Response(data, mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="{stem}-{date.today().isoformat()}.csv"',
        "Content-Type": "text/csv; charset=utf-8"})
