"""The operations lifecycle service tasks name (see workflow/operations.py): the register is written by the
BPMN — `record_recognition` and `enter_library` end a recognition process, `update_register` applies the
decision of a re-verification or a revocation, `flag_missed_deadline` marks a member that did not update."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.core import audit, workdays
from app.core.errors import Invalid
from app.core.vocabulary import Decision
from app.extensions import db
from app.lifecycle import libraries, register
from app.models import Library, Recognition
from app.workflow.operations import Context, Operation, Param
from app.workflow.operations import register as register_operation

APPLICATION = ("application",)
CASE = ("case",)
REGISTER_ACTIONS = (Decision.KEEP, Decision.DOWNGRADE, Decision.EXIT, Decision.REVOKE, Decision.DISMISS)


def _record_recognition(ctx: Context, params: dict[str, Any]) -> str:
    application = ctx.subject
    done = db.session.scalar(db.select(Recognition).where(Recognition.application_id == application.id))
    if done is not None:  # one entry per application: an instance an administrator moved back records it once
        return done.certificate_no
    lane = params.get("lane")
    office = register.recognizing_office(application.target_tier, application.enterprise, lane)
    if office is None:
        raise Invalid(_("No office recognizes this tier for the enterprise's region."), code="no_office")
    rule_set = ((application.evaluation or {}).get("rule_set") or {}).get("id")
    entry = register.record(application.enterprise, application.target_tier, office,
                            on=workdays.china_date(ctx.now), valid_years=params.get("valid_years", 3),
                            application=application, rule_set=rule_set)
    return entry.certificate_no


def _enter_library(ctx: Context, params: dict[str, Any]) -> int:
    application = ctx.subject
    library = db.session.get(Library, params["library"])
    if library is None:
        raise Invalid(_("Library %(key)s is not set up.", key=params["library"]), code="no_library")
    member = libraries.enter(library, application.enterprise, on=workdays.china_date(ctx.now), source="application",
                             source_ref=f"application {application.id}", application=application)
    return member.id


def _update_register(ctx: Context, params: dict[str, Any]) -> str:
    from app.lifecycle import cases

    return cases.apply_outcome(ctx.subject, params["action"], workdays.china_date(ctx.now))


def _flag_missed(ctx: Context, params: dict[str, Any]) -> bool:
    case = ctx.subject
    case.missed = True
    audit.record("deadline_missed", subject=("case", case.id), step=ctx.step,
                 details={"campaign_id": case.campaign_id})
    return True


register_operation(Operation(
    "record_recognition", _l("Record the recognition in the register"),
    _l("Writes the register entry (认定名录) for the recognized application: the recognizing office (the "
       "tier's level, routed), document and certificate numbers, valid from today for the given years. An "
       "active entry of the same tier is replaced."),
    APPLICATION, _record_recognition,
    {"valid_years": Param("int", _l("Years the recognition is valid (3 for the national tiers)"), minimum=1,
                          maximum=10),
     "lane": Param("str", _l("The lane of the recognizing office (default: the tier's level)"))},
    result=_l("the certificate number")))
register_operation(Operation(
    "enter_library", _l("Enter the enterprise in a library"),
    _l("Adds the applicant to a cultivation library that is not a recognition (e.g. Jinhu's county library), "
       "with today's date and the application as its source."),
    APPLICATION, _enter_library,
    {"library": Param("str", _l("The library's key, e.g. \"jinhu_county\""), required=True)},
    result=_l("the membership id")))
register_operation(Operation(
    "update_register", _l("Apply a decision to the register"),
    _l("Applies a re-verification's or a revocation's outcome to the register entry of the case: keep, "
       "downgrade (to the tier below), exit, revoke, dismiss (the entry is active again), or review (the "
       "entry is under review while a revocation is decided). Exit, downgrade and revoke take the deciding "
       "reviewer's reason."),
    CASE, _update_register,
    {"action": Param("str", _l("keep, downgrade, exit, revoke, dismiss or review, e.g. \"keep\""), required=True)},
    result=_l("the register entry's new status")))
register_operation(Operation(
    "flag_missed_deadline", _l("Flag a missed deadline"),
    _l("Marks the member as having missed the campaign's deadline: the office's decision then proposes exit."),
    CASE, _flag_missed, {}, result=_l("true")))

