"""Admin pages: which process definition runs where (bindings), and which office works a lane (routing)."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from app.core.errors import ServiceError
from app.extensions import db
from app.lifecycle import libraries
from app.models import SECTORS, TIERS, Office, ProcessDefinition, Region
from app.web.admin import bp
from app.web.admin.forms import BindingForm, RoutingRuleForm
from app.web.admin.labels import LANE_LABELS
from app.web.common import form_invalid, role_required, service_failed
from app.web.labels import SECTOR_LABELS, TIER_LABELS, label
from app.workflow import bindings, definitions, routing

ANY = ("", "—")
NONE = ("", _l("nothing"))


def _regions() -> list[tuple[str, str]]:
    return [(r.code, f"{r.code} {r.name}") for r in db.session.scalars(db.select(Region).order_by(Region.code))]


def _forms() -> tuple[BindingForm, RoutingRuleForm]:
    definitions.active_bpmn_ids()  # a new installation lists the shipped definitions (deployed on first use)
    binding = BindingForm(prefix="binding")
    binding.process_name.choices = [(p, p) for p in bindings.PROCESSES]
    keys = db.session.scalars(db.select(ProcessDefinition.key).where(ProcessDefinition.kind == "bpmn").distinct()
                              .order_by(ProcessDefinition.key))
    binding.definition_key.choices = [(k, k) for k in keys]
    binding.tier.choices = [ANY] + [(t, label(TIER_LABELS, t)) for t in TIERS]
    binding.region_code.choices = [ANY] + _regions()
    binding.sector.choices = [ANY] + [(s, label(SECTOR_LABELS, s)) for s in SECTORS]
    binding.requires_tier.choices = [NONE] + [(t, label(TIER_LABELS, t)) for t in TIERS]
    binding.requires_library.choices = [NONE] + [(lib.key, libraries.label(lib)) for lib in libraries.all_libraries()]
    rule = RoutingRuleForm(prefix="rule")
    rule.lane.choices = [(lane, f"{lane} · {label(LANE_LABELS, lane)}") for lane in routing.LANE_LEVELS]
    rule.region_code.choices = [ANY] + _regions()
    rule.sector.choices = [ANY] + [(s, label(SECTOR_LABELS, s)) for s in SECTORS]
    rule.office_code.choices = [(o.code, f"{o.code} {o.name}")
                                for o in db.session.scalars(db.select(Office).order_by(Office.code))]
    return binding, rule


def _page(binding: BindingForm, rule: RoutingRuleForm, status: int = 200) -> ResponseReturnValue:
    return render_template("admin/processes.html", binding_form=binding, rule_form=rule,
                           bindings=bindings.bindings(), rules=routing.rules(),
                           regions=dict(_regions()),
                           library_names={lib.key: libraries.label(lib) for lib in libraries.all_libraries()}), status


@bp.get("/processes")
@role_required("admin")
def processes() -> ResponseReturnValue:
    return _page(*_forms())


@bp.post("/processes/bindings")
@role_required("admin")
def add_binding() -> ResponseReturnValue:
    binding, rule = _forms()
    if not binding.validate_on_submit():
        return _page(binding, rule, form_invalid())
    try:
        bindings.add(current_user, binding.values())
    except ServiceError as exc:
        return _page(binding, rule, service_failed(exc, binding))
    flash(_("The process binding was saved; new applications it matches run that definition."), "success")
    return redirect(url_for("admin.processes"))


@bp.post("/processes/bindings/<int:binding_id>/delete")
@role_required("admin")
def delete_binding(binding_id: int) -> ResponseReturnValue:
    try:
        bindings.delete(current_user, binding_id)
    except ServiceError as exc:
        service_failed(exc)
        return redirect(url_for("admin.processes"))
    flash(_("The process binding was deleted."), "success")
    return redirect(url_for("admin.processes"))


@bp.post("/processes/routing-rules")
@role_required("admin")
def add_routing_rule() -> ResponseReturnValue:
    binding, rule = _forms()
    if not rule.validate_on_submit():
        return _page(binding, rule, form_invalid())
    try:
        routing.add(current_user, rule.values())
    except ServiceError as exc:
        return _page(binding, rule, service_failed(exc, rule))
    flash(_("The routing rule was saved; tasks arriving from now on follow it."), "success")
    return redirect(url_for("admin.processes") + "#routing")


@bp.post("/processes/routing-rules/<int:rule_id>/delete")
@role_required("admin")
def delete_routing_rule(rule_id: int) -> ResponseReturnValue:
    try:
        routing.delete(current_user, rule_id)
    except ServiceError as exc:
        service_failed(exc)
        return redirect(url_for("admin.processes") + "#routing")
    flash(_("The routing rule was deleted."), "success")
    return redirect(url_for("admin.processes") + "#routing")

