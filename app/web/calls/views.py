"""Views of the calls blueprint (administrators)."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from app.core.errors import ServiceError
from app.extensions import db
from app.models import TIERS, Region, RuleSet
from app.recognition import calls
from app.web.calls import bp
from app.web.calls.forms import DEADLINE_PREFIX, CallForm, call_form
from app.web.common import form_invalid, role_required, service_failed
from app.web.labels import TIER_LABELS, label, step_label
from app.workflow import definitions


def _form() -> CallForm:
    form = call_form(_steps())
    form.tier.choices = [(t, label(TIER_LABELS, t)) for t in TIERS]
    form.region_code.choices = [(r.code, f"{r.code} {r.name}")
                                for r in db.session.scalars(db.select(Region).order_by(Region.code))]
    form.rule_set.choices = [("", _("The rule set in force"))] + [
        (r.key, f"{r.name}（{label(TIER_LABELS, r.tier)}）")
        for r in db.session.scalars(db.select(RuleSet).order_by(RuleSet.tier, RuleSet.key))]
    return form


@bp.route("", methods=["GET", "POST"])
@role_required("admin")
def index() -> ResponseReturnValue:
    form = _form()
    status = 200
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
    rows = [(c, calls.progress(c)) for c in calls.calls()]
    return render_template("calls/index.html", form=form, rows=rows, steps=form.steps, prefix=DEADLINE_PREFIX), status


@bp.get("/<int:call_id>")
@role_required("admin")
def detail(call_id: int) -> ResponseReturnValue:
    call = calls.get(call_id)
    return render_template("calls/detail.html", call=call, progress=calls.progress(call), steps=_steps())


def _steps() -> list[tuple[str, str]]:
    return [(step, step_label(step)) for step, _name in definitions.deadline_steps()]
