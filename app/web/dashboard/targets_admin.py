"""Admin page 发展目标 (/admin/targets): every target with its clause and computed progress; the admin edits a
target's value, range and note or adds one (app.reporting.targets validates and audits; bad input stores
nothing)."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from wtforms import SelectChoice

from app.core.errors import ServiceError
from app.core.vocabulary import TargetMetric, TargetStatus
from app.extensions import db
from app.models import Region
from app.reporting import targets
from app.web.common import form_invalid, role_required, service_failed
from app.web.dashboard.forms import NewTargetForm, TargetForm
from app.web.dashboard.views import BADGES

admin_bp = Blueprint("targets_admin", __name__, url_prefix="/admin/targets", template_folder="templates")


def _new_form() -> NewTargetForm:
    form = NewTargetForm(prefix="new")
    form.region_code.choices = [SelectChoice(r.code, f"{r.code} {r.name}") for r in db.session.scalars(
        db.select(Region).order_by(Region.code))]
    return form


def _list(new: NewTargetForm | None = None, status: int = 200) -> ResponseReturnValue:
    actuals = targets.Actuals()
    order = {code: n for n, code in enumerate(TargetMetric.values())}
    rows = [targets.to_dict(t, actuals) for t in sorted(targets.all_targets(), key=lambda t: (
        t.region_code, t.year, order.get(t.metric, 99)))]
    return render_template("dashboard/admin_targets.html", rows=rows, form=new or _new_form(), badges=BADGES,
                           status_labels=TargetStatus.labels()), status


@admin_bp.get("")
@role_required("admin")
def index() -> ResponseReturnValue:
    return _list()


@admin_bp.post("")
@role_required("admin")
def add() -> ResponseReturnValue:
    form = _new_form()
    if not form.validate_on_submit():
        return _list(form, form_invalid())
    try:
        targets.create(current_user, form.values())
    except ServiceError as exc:
        return _list(form, service_failed(exc, form))
    flash(_("The target was added."), "success")
    return redirect(url_for("targets_admin.index"))


@admin_bp.route("/<int:target_id>", methods=["GET", "POST"])
@role_required("admin")
def edit(target_id: int) -> ResponseReturnValue:
    target = targets.get(target_id)
    form = TargetForm(data={"value": target.value, "value_max": target.value_max, "note": target.note})
    if form.is_submitted():
        if not form.validate_on_submit():
            return _edit_page(target, form, form_invalid())
        try:
            targets.update(current_user, target_id, form.values())
        except ServiceError as exc:
            return _edit_page(targets.get(target_id), form, service_failed(exc, form))
        flash(_("The target was saved; progress is computed against it from now on."), "success")
        return redirect(url_for("targets_admin.index"))
    return _edit_page(target, form)


def _edit_page(target, form: TargetForm, status: int = 200) -> ResponseReturnValue:
    return render_template("dashboard/admin_target.html", target=target, row=targets.to_dict(target), form=form,
                           badges=BADGES, status_labels=TargetStatus.labels()), status
