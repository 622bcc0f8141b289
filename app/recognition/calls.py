"""Calls for applications (申报批次): when and where a tier accepts submissions, and per-step deadlines."""

from __future__ import annotations

import random
import secrets
from datetime import date
from typing import Any

from flask_babel import gettext as _

from app.core import audit, permissions
from app.core.errors import Conflict, Forbidden, Invalid, NotFound
from app.extensions import db
from app.models import TIERS, Application, Call, Region, User
from app.models.base import utcnow
from app.workflow import definitions


def _window_and_deadlines(opens_on: date, closes_on: date, step_deadlines: dict[str, Any] | None,
                          errors: dict[str, str]) -> dict[str, int]:
    """The checked step deadlines (working days per step); problems with them or the window go into `errors`."""
    if not isinstance(opens_on, date) or not isinstance(closes_on, date) or closes_on < opens_on:
        errors["closes_on"] = _("the call must close on or after the day it opens")
    deadlines = {}
    steps = {step for step, _name in definitions.deadline_steps()} if step_deadlines else set()
    for step, days in (step_deadlines or {}).items():
        if step not in steps or not isinstance(days, int) or isinstance(days, bool) or not 1 <= days <= 120:
            errors["step_deadlines"] = _("give 1 to 120 working days for known steps")
        else:
            deadlines[step] = days
    return deadlines


def open_call(user: User | None, *, name: str, tier: str, region_code: str, opens_on: date, closes_on: date,
              step_deadlines: dict[str, Any] | None = None, spot_check_share: float = 0.1,
              spot_check_seed: str | None = None, rule_set: str | None = None) -> Call:
    """Open a call; `user` None is the system (demo data). `rule_set` pins the rule set the call's
    applications are judged by (004 附件3–5 备注: 具体以年度申报通知要求为准)."""
    if user is not None:
        permissions.require_admin(user)
    errors: dict[str, str] = {}
    if not (name or "").strip():
        errors["name"] = _("This field is required.")
    if tier not in TIERS:
        errors["tier"] = _("unknown tier")
    if db.session.get(Region, region_code or "") is None:
        errors["region_code"] = _("unknown region code")
    deadlines = _window_and_deadlines(opens_on, closes_on, step_deadlines, errors)
    if not isinstance(spot_check_share, (int, float)) or not 0 <= spot_check_share <= 1:
        errors["spot_check_share"] = _("a share between 0 and 1")
    if rule_set:
        from app.models import RuleSet

        pinned = db.session.scalar(db.select(RuleSet).where(RuleSet.key == rule_set))
        if pinned is None or pinned.tier != tier:
            errors["rule_set"] = _("choose a rule set of the call's tier")
    if errors:
        raise Invalid(_("The call cannot be opened; check the marked fields."), fields=errors)
    call = Call(rule_set_key=rule_set or None, name=name.strip(), tier=tier, region_code=region_code,
                opens_on=opens_on, closes_on=closes_on,
                step_deadlines=deadlines, created_by_id=user.id if user else None,
                spot_check_share=float(spot_check_share), spot_check_seed=spot_check_seed or secrets.token_hex(8))
    db.session.add(call)
    db.session.flush()
    audit.record("open_call", actor=user, details=call.to_dict())
    return call


def current(tier: str, region: Region, on: date) -> Call | None:
    """The open call for `tier` that covers `region` on `on`; the most specific jurisdiction wins."""
    chain = region.lineage()
    calls = list(db.session.scalars(db.select(Call).where(
        Call.tier == tier, Call.region_code.in_(chain), Call.opens_on <= on, Call.closes_on >= on,
        Call.closed_at.is_(None))))
    return min(calls, key=lambda c: (chain.index(c.region_code), -c.opens_on.toordinal()), default=None)


def require_open(application: Application, on: date) -> Call:
    call = current(application.target_tier, application.enterprise.region, on)
    if call is None:
        raise Invalid(_("No call for applications is open for this tier in your region today; submissions "
                        "are accepted only while a call (申报批次) is open."), code="no_open_call")
    return call


def spot_check_drawn(application: Application) -> bool:
    """Whether the application is drawn for an on-site check: reproducible from the call's recorded seed."""
    call = application.call
    if call is None or call.spot_check_share <= 0:
        return False
    return random.Random(f"{call.spot_check_seed}:{application.id}").random() < call.spot_check_share


def calls() -> list[Call]:
    return list(db.session.scalars(db.select(Call).order_by(Call.opens_on.desc(), Call.id.desc())))


def may_manage(user: User, call: Call) -> bool:
    """Administrators, and the reviewers of the general office of the call's jurisdiction (the office that owns it),
    may edit and close a call."""
    if user.role == "admin":
        return True
    office = user.office if user.role == "reviewer" else None
    return office is not None and office.sector is None and office.region_code == call.region_code


def _require_manager(user: User, call: Call) -> None:
    if not may_manage(user, call):
        raise Forbidden(_("Only an administrator or the office that owns the call can change it."))


def update_call(user: User, call_id: int, *, name: str, opens_on: date, closes_on: date,
                step_deadlines: dict[str, Any] | None = None) -> Call:
    """Rename the call, move its window, change its step deadlines (tier and jurisdiction stay: applications
    were submitted under them). A closed call cannot be edited."""
    call = get(call_id)
    _require_manager(user, call)
    if call.closed_at is not None:
        raise Conflict(_("The call is closed; it can no longer be changed."))
    errors: dict[str, str] = {}
    if not (name or "").strip() or len(name.strip()) > 200:
        errors["name"] = _("This field is required.")
    deadlines = _window_and_deadlines(opens_on, closes_on, step_deadlines, errors)
    if errors:
        raise Invalid(_("The call was not changed; check the marked fields."), fields=errors)
    before = call.to_dict()
    call.name, call.opens_on, call.closes_on, call.step_deadlines = name.strip(), opens_on, closes_on, deadlines
    db.session.flush()
    audit.record("update_call", actor=user, details={"before": before, "after": call.to_dict()})
    return call


def close_call(user: User, call_id: int) -> Call:
    """Close the call now: no submission under it from this moment (applications already submitted go on)."""
    call = get(call_id)
    _require_manager(user, call)
    if call.closed_at is not None:
        raise Conflict(_("The call is already closed."))
    call.closed_at = utcnow()
    call.closed_by_id = user.id
    db.session.flush()
    audit.record("close_call", actor=user, details=call.to_dict())
    return call


def get(call_id: int) -> Call:
    call = db.session.get(Call, call_id)
    if call is None:
        raise NotFound(_("Call not found."))
    return call


def progress(call: Call) -> dict[str, int]:
    """How many applications submitted under the call are in each status."""
    rows = db.session.execute(db.select(Application.status, db.func.count(Application.id))
                              .where(Application.call_id == call.id).group_by(Application.status))
    return {status: count for status, count in rows}
