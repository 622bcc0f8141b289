"""Views of the calls blueprint: administrators open calls; they and the office that owns a call edit and close it."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from app.core import workdays
from app.core.errors import ServiceError
from app.extensions import db
from app.models import TIERS, Region, RuleSet
from app.recognition import calls
from app.web.calls import bp
from app.web.calls.forms import DEADLINE_PREFIX, CallForm, call_form
from app.web.common import form_invalid, role_required, service_failed
from app.web.labels import TIER_LABELS, label, step_label
from app.workflow import definitions


def _form(call=None) -> CallForm:
    form = call_form(_steps(), call)
    form.tier.choices = [(t, label(TIER_LABELS, t)) for t in TIERS]
    form.region_code.choices = [(r.code, f"{r.code} {r.name}")
                                for r in db.session.scalars(db.select(Region).order_by(Region.code))]
    form.rule_set.choices = [("", _("The rule set in force"))] + [
        (r.key, f"{r.name}（{label(TIER_LABELS, r.tier)}）")
        for r in db.session.scalars(db.select(RuleSet).order_by(RuleSet.tier, RuleSet.key))]
    return form


def _visible(call) -> bool:
    return current_user.role == "admin" or calls.may_manage(current_user, call)


@bp.route("", methods=["GET", "POST"])
@role_required("admin", "reviewer")
def index() -> ResponseReturnValue:
    """Administrators see every call and open new ones; a reviewer sees the calls its office owns."""
    form = _form()
    status = 200
    if form.is_submitted() and current_user.role != "admin":
        abort(403)
    if form.validate_on_submit():
        try:
            call = calls.open_call(current_user, name=form.name.data, tier=form.tier.data,
                                   region_code=form.region_code.data, opens_on=form.opens_on.data,
                                   closes_on=form.closes_on.data, step_deadlines=form.deadlines(),
                                   rule_set=form.rule_set.data or None)
        except ServiceError as exc:
            status = service_failed(exc, form)
        else:
            flash(_("The call was opened."), "success")
            return redirect(url_for("calls.detail", call_id=call.id))
    elif form.is_submitted():
        status = form_invalid()
    today = workdays.china_date()
    rows = [(c, calls.progress(c), c.status(today)) for c in calls.calls() if _visible(c)]
    return render_template("calls/index.html", form=form, rows=rows, steps=form.steps, prefix=DEADLINE_PREFIX), status


@bp.route("/<int:call_id>", methods=["GET", "POST"])
@role_required("admin", "reviewer")
def detail(call_id: int) -> ResponseReturnValue:
    """The call, its progress, and (for whoever may manage it, while it is not closed) the edit form."""
    call = calls.get(call_id)
    if not _visible(call):
        abort(403)
    manage = calls.may_manage(current_user, call) and call.closed_at is None
    form = _form(call) if manage else None
    if form is not None:  # tier and jurisdiction are not edited (not on the form)
        form.tier.validators, form.region_code.validators = [], []
    status = 200
    if form is not None and form.is_submitted():
        if form.validate_on_submit():
            try:
                calls.update_call(current_user, call.id, name=form.name.data, opens_on=form.opens_on.data,
                                  closes_on=form.closes_on.data, step_deadlines=form.deadlines())
            except ServiceError as exc:
                status = service_failed(exc, form)
            else:
                flash(_("The call was saved."), "success")
                return redirect(url_for("calls.detail", call_id=call.id))
        else:
            status = form_invalid()
    elif form is None and request.method == "POST":
        abort(403)
    return render_template("calls/detail.html", call=call, progress=calls.progress(call), steps=_steps(),
                           call_status=call.status(workdays.china_date()), form=form, prefix=DEADLINE_PREFIX), status


@bp.post("/<int:call_id>/close")
@role_required("admin", "reviewer")
def close(call_id: int) -> ResponseReturnValue:
    try:
        calls.close_call(current_user, call_id)
    except ServiceError as exc:
        status = service_failed(exc)
        if status == 403:
            abort(403)
    else:
        flash(_("The call was closed: no more submissions under it."), "success")
    return redirect(url_for("calls.detail", call_id=call_id))


def _steps() -> list[tuple[str, str]]:
    return [(step, step_label(step)) for step, _name in definitions.deadline_steps()]
