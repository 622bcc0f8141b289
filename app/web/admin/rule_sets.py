"""Admin page: the rule sets — which standard judges which tier where, its source, life and status; a
provisional one is applied only once the admin activates it."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from app.core.errors import ServiceError
from app.recognition import eligibility
from app.web.admin import bp
from app.web.common import role_required, service_failed


@bp.get("/rule-sets")
@role_required("admin")
def rule_sets() -> ResponseReturnValue:
    return render_template("admin/rule_sets.html", rule_sets=eligibility.rule_sets(),
                           issued_by=eligibility.manifest().get("issued_by", {}))


@bp.post("/rule-sets/<key>/activation")
@role_required("admin")
def rule_set_activation(key: str) -> ResponseReturnValue:
    active = request.form.get("active") == "1"
    try:
        eligibility.set_active(current_user, key, active)
    except ServiceError as exc:
        status = service_failed(exc)
        return render_template("admin/rule_sets.html", rule_sets=eligibility.rule_sets(),
                               issued_by=eligibility.manifest().get("issued_by", {})), status
    flash(_("The rule set is applied now.") if active else _("The rule set is no longer applied."), "success")
    return redirect(url_for("admin.rule_sets"))
