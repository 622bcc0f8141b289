"""An enterprise's applications: draft, edit, submit and resubmit, and how they look from outside."""

from __future__ import annotations

from datetime import date
from functools import cache
from typing import Any

from flask_babel import gettext as _
from sqlalchemy.orm import joinedload

from app.core import audit, workdays
from app.core.errors import Conflict, Forbidden, Invalid, NotFound
from app.core.vocabulary import StepKind
from app.extensions import db
from app.models import (
    TIERS,
    Application,
    Attachment,
    AuditEvent,
    Enterprise,
    HumanTask,
    Notification,
    Office,
    ProcessTimer,
    User,
)
from app.models.base import utcnow
from app.recognition import calls, eligibility, indicators, materials, numbers
from app.recognition.jurisdiction import can_view, office_for_lane
from app.workbench import notifications
from app.workflow import definitions, instances, prerequisites

PROCESS = "recognition"

# the step kinds in which the enterprise acts and resubmits: it amends, or updates the data asked for
ENTERPRISE_KINDS = (StepKind.AMENDMENT, StepKind.DATA_UPDATE)


def _require_enterprise(user: User) -> None:
    if user.role != "enterprise" or user.enterprise_id is None:
        raise Forbidden(_("Only an enterprise account can do this."))


def _check_tier(target_tier: Any) -> str:
    if target_tier not in TIERS:
        raise Invalid(_("Unknown target tier; use one of: %(tiers)s", tiers=", ".join(TIERS)),
                      fields={"target_tier": _("unknown tier")})
    return target_tier


def get_for(user: User, application_id: Any) -> Application:
    """The application if `user` may see it; 404 otherwise, so its existence does not leak."""
    application = db.session.get(Application, application_id) if isinstance(application_id, int) else None
    if application is None or not can_view(user, application):
        raise NotFound(_("Application not found."))
    return application


def _own(user: User, application_id: int) -> Application:
    _require_enterprise(user)
    application = get_for(user, application_id)
    if application.enterprise_id != user.enterprise_id:
        raise NotFound(_("Application not found."))
    return application


def check_ladder(enterprise: Enterprise, tier: str, on: date | None = None) -> None:
    """422 `prerequisite_missing` when the binding in force needs a tier or library the enterprise does not
    hold, or the enterprise already holds `tier` actively (the register answers; workflow/prerequisites.py)."""
    prerequisites.check(PROCESS, enterprise_id=enterprise.id, region=enterprise.region, sector=enterprise.sector,
                        tier=tier, on=on or workdays.china_date(), refuse_held=True)


def ladder(application: Application) -> list[dict[str, Any]]:
    """What the binding in force requires before this application, each with whether it is held now."""
    enterprise = application.enterprise
    return [r.to_dict() for r in prerequisites.requirements(
        PROCESS, enterprise_id=enterprise.id, region=enterprise.region, sector=enterprise.sector,
        tier=application.target_tier, on=workdays.china_date(application.submitted_at))]


def create(user: User, target_tier: Any, data: Any) -> Application:
    _require_enterprise(user)
    tier = _check_tier(target_tier)
    clean = indicators.validate(data if data is not None else {})
    check_ladder(db.session.get(Enterprise, user.enterprise_id), tier)
    application = Application(enterprise_id=user.enterprise_id, target_tier=tier, status="draft", data=clean)
    db.session.add(application)
    db.session.flush()
    audit.record("create", application=application, actor=user, details={"target_tier": tier})
    return application


def update(user: User, application_id: int, data: Any, target_tier: Any = None) -> Application:
    application = _own(user, application_id)
    if not application.editable:
        raise Conflict(_("Only a draft or a returned application can be edited; this one is already "
                         "under review or decided."))
    clean = indicators.validate(data if data is not None else {})
    if target_tier is not None and target_tier != application.target_tier:
        if application.status != "draft":
            raise Conflict(_("The target tier cannot change once the application was submitted."))
        application.target_tier = _check_tier(target_tier)
    application.data = clean
    application.updated_at = utcnow()
    db.session.flush()
    audit.record("update", application=application, actor=user, details={"keys": sorted(clean)})
    return application


def submit(user: User, application_id: int, *, declared: bool | None = None,
           require_materials: bool = True) -> Application:
    """Submit a draft or resubmit a returned application. Refused (422 `materials_missing`, with the list; checked
    after the indicators, the ladder, the call and the basic conditions) while a required material
    (workflows/materials.json) or a document a reviewer asked for is not uploaded. `declared`: the enterprise
    confirmed the truthfulness declaration (the web form requires it; recorded in the history).
    `require_materials` False skips the materials check (the JSON API, unless API_REQUIRE_MATERIALS)."""
    application = _own(user, application_id)
    if application.status not in ("draft", "returned"):
        raise Conflict(_("Only a draft or a returned application can be submitted; this one is already "
                         "under review or decided."))
    missing = indicators.missing_for_submit(application.data or {})
    if missing:
        raise Invalid(_("Fill in before submitting: %(keys)s", keys=indicators.labels(missing)),
                      fields={k: _("required") for k in missing})
    submitted_at = utcnow()
    if application.status == "draft":
        check_ladder(application.enterprise, application.target_tier, workdays.china_date(submitted_at))
    call = calls.require_open(application, workdays.china_date(submitted_at)) \
        if application.status == "draft" else application.call
    evaluation = eligibility.evaluate(application, workdays.china_date(submitted_at))
    if not evaluation["hard_passed"]:
        failed = eligibility.hard_failures(evaluation)
        raise Invalid(_("The application does not meet the basic conditions of this tier: %(failed)s",
                        failed=_(", ").join(failed)), code="ineligible", extra={"evaluation": evaluation})
    documents = materials.missing(application) if require_materials else []
    if documents:
        raise Invalid(materials.missing_message(documents), code="materials_missing", extra={"missing": documents})
    application.evaluation, application.score = evaluation, evaluation["score"]
    verdict = {"eligibility_passed": evaluation["passed"], "eligibility_score": evaluation["score"]}
    if application.status == "draft":
        application.submitted_at, application.call = submitted_at, call
        numbers.assign(application, submitted_at)
        instance = instances.start("application", application, PROCESS, verdict)
        audit.record("submit", application=application, actor=user,
                     step=definitions.process_spec(instance.definition_id).start_step,
                     details=_summary(evaluation) | ({"declared": True} if declared else {}))
    else:
        instance = instances.lock(application.instance.id)
        task = next((t for kind in ENTERPRISE_KINDS if (t := instances.open_task(instance, kind))), None)
        if task is None:
            raise Conflict(_("This application is not waiting for amendment."))
        instances.complete_task(task, user, {"decision": None, **verdict}, decision="resubmit")
        audit.record("resubmit", application=application, actor=user, step=task.step,
                     details=_summary(evaluation) | ({"declared": True} if declared else {}))
    return application


def decided_in_round(application: Application) -> bool:
    """Whether an office (or an expert) has completed a step since the latest (re)submission."""
    tasks = list(db.session.scalars(db.select(HumanTask).where(
        HumanTask.application_id == application.id, HumanTask.state == "completed").order_by(HumanTask.id)))
    resubmitted = max((t.id for t in tasks if t.kind in ENTERPRISE_KINDS), default=0)
    return any(t.id > resubmitted and t.kind not in ENTERPRISE_KINDS for t in tasks)


def may_withdraw(application: Application) -> bool:
    """A submitted application can be withdrawn while it waits for its first decision of the round."""
    return application.status == "in_review" and application.instance is not None \
        and application.instance.status == "running" and not decided_in_round(application)


WITHDRAW_REASON_MAX = 500


def withdraw(user: User, application_id: int, reason: Any = None) -> Application:
    """The enterprise takes back a submitted application nobody has decided on yet (status `withdrawn`): its
    process ends, the open tasks and timers are cancelled and the office is told. 409 once a step was decided."""
    application = _own(user, application_id)
    if reason is not None and (not isinstance(reason, str) or len(reason.strip()) > WITHDRAW_REASON_MAX):
        raise Invalid(_("The reason is text of at most %(n)s characters.", n=WITHDRAW_REASON_MAX),
                      fields={"reason": _("too long")})
    if application.status != "in_review" or application.instance is None:
        raise Conflict(_("Only a submitted application under review can be withdrawn."), code="not_withdrawable")
    instance = instances.lock(application.instance.id)
    if instance.status != "running" or decided_in_round(application):
        raise Conflict(_("An office has already decided on this application; it can no longer be withdrawn. "
                         "Contact the office if you need to stop it."), code="already_decided")
    now = utcnow()
    offices = set()
    for task in db.session.scalars(db.select(HumanTask).where(
            HumanTask.instance_id == instance.id, HumanTask.state.in_(("open", "suspended")))):
        task.state, task.completed_at = "cancelled", now
        if task.office_id is not None:
            offices.add(task.office_id)
    db.session.execute(db.update(ProcessTimer).where(ProcessTimer.instance_id == instance.id,
                                                     ProcessTimer.state == "waiting").values(state="cancelled"))
    instance.status = "completed"
    application.status, application.updated_at = "withdrawn", now
    audit.record("withdraw", application=application, actor=user, comment=(reason or "").strip() or None)
    message, details = notifications.text(notifications.WITHDRAWN_BY_ENTERPRISE, id=application.id,
                                          enterprise=application.enterprise.name)
    for office_id in offices:
        notifications.notify_office(office_id, "withdrawn", message, application, details)
    db.session.flush()
    return application


def delete_draft(user: User, application_id: int, upload_dir: Any = None) -> None:
    """The enterprise deletes a draft it never submitted, with its documents (409 once submitted)."""
    application = _own(user, application_id)
    if application.status != "draft" or application.submitted_at is not None or application.instance is not None:
        raise Conflict(_("Only a draft that was never submitted can be deleted."), code="not_a_draft")
    files = list(db.session.scalars(db.select(Attachment.stored_name).where(
        Attachment.application_id == application.id)))
    db.session.execute(db.delete(Attachment).where(Attachment.application_id == application.id))
    db.session.execute(db.delete(AuditEvent).where(AuditEvent.application_id == application.id))
    db.session.execute(db.delete(Notification).where(Notification.application_id == application.id))
    db.session.delete(application)
    db.session.flush()
    audit.record("delete_draft", actor=user, details={"application_id": application_id,
                                                      "target_tier": application.target_tier})
    if upload_dir is not None:
        for name in files:
            (upload_dir / name).unlink(missing_ok=True)


def _summary(evaluation: dict[str, Any]) -> dict[str, Any]:
    return {"rule_set": evaluation["rule_set"]["id"], "passed": evaluation["passed"], "score": evaluation["score"]}


def self_check(user: User, application_id: int) -> dict[str, Any]:
    """Evaluate the application against its tier's rules without submitting; kept as its latest evaluation."""
    application = get_for(user, application_id)
    evaluation = eligibility.evaluate(application)
    if user.role == "enterprise" and application.editable:
        application.evaluation, application.score = evaluation, evaluation["score"]
    return evaluation


def list_for(user: User, *, status: str | None = None) -> list[Application]:
    query = db.select(Application)
    if user.role == "enterprise":
        query = query.where(Application.enterprise_id == user.enterprise_id)
    elif user.role == "reviewer":
        touched = db.select(HumanTask.application_id).where(HumanTask.office_id == user.office_id)
        query = query.where(Application.id.in_(touched))
    elif user.role != "admin":  # experts work from their panel tasks only (blind review)
        return []
    if status:
        query = query.where(Application.status == status)
    return list(db.session.scalars(query.order_by(Application.updated_at.desc(), Application.id.desc())))


def current_task(application: Application) -> HumanTask | None:
    return db.session.scalars(db.select(HumanTask).where(
        HumanTask.application_id == application.id, HumanTask.state == "open")
        .options(joinedload(HumanTask.office)).order_by(HumanTask.id).limit(1)).first()


def waiting_event(application: Application) -> ProcessTimer | None:
    """The timer event an application in review waits at when no task is open (the public notice)."""
    if application.status != "in_review":
        return None
    return db.session.scalars(db.select(ProcessTimer).where(
        ProcessTimer.application_id == application.id, ProcessTimer.state == "waiting",
        ProcessTimer.attached_step.is_(None)).order_by(ProcessTimer.id)).first()


def current_step(application: Application) -> tuple[str | None, Office | None]:
    """The step that waits (a task, else a timer event such as public_notice) and its office."""
    task = current_task(application)
    if task is not None:
        return task.step, task.office
    return _waiting_event_step(application)


def _waiting_event_step(application: Application) -> tuple[str | None, Office | None]:
    event = waiting_event(application)
    if event is None:
        return None, None
    lane = definitions.process_spec(application.instance.definition_id).lanes.get(event.step)
    return event.step, office_for_lane(lane, application.enterprise)


def _answer_rows(application: Application) -> tuple[Any, list[Any]]:
    """The open task's step and office (None without one) and the history, as plain rows of one statement."""
    rows = db.session.execute(_answer_statement(), {"answer_application_id": application.id}).all()
    current = rows[0] if rows and rows[0].part == 0 else None
    return current, rows[1:] if current is not None else rows


@cache
def _answer_statement() -> Any:
    """UNION ALL of the application's open task (part 0, at most one) and its history (part 1, oldest first)."""
    text, at = db.String(), AuditEvent.at.type
    task = (db.select(db.literal(0).label("part"), HumanTask.step, db.cast(db.null(), text).label("action"),
                      db.cast(db.null(), text).label("comment"), db.cast(db.null(), at).label("at"),
                      db.cast(db.null(), text).label("actor"), Office.code.label("office_code"),
                      Office.name.label("office_name"), Office.region_code.label("office_region"),
                      HumanTask.id)
            .outerjoin(Office, Office.id == HumanTask.office_id)
            .where(HumanTask.application_id == db.bindparam("answer_application_id"), HumanTask.state == "open")
            .order_by(HumanTask.id).limit(1).subquery())
    history = audit.history_select("answer_application_id").add_columns(db.literal(1).label("part")).subquery()
    columns = ("step", "action", "comment", "at", "actor", "office_code", "office_name", "office_region", "id")
    merged = db.union_all(db.select(task.c.part, *[task.c[c] for c in columns]),
                          db.select(history.c.part, *[history.c[c] for c in columns])).subquery()
    return db.select(merged).order_by(merged.c.part, merged.c.at, merged.c.id)


def _iso(dt) -> str | None:
    return dt.isoformat() if dt else None


# History entries about the offices' own work, not shown to the enterprise (who claimed a task, reminders…).
# (Suspending, resuming, reassigning and moving back change the application's course, and the experts' scores
# — anonymous — are its progress: the enterprise sees them.)
INTERNAL_ACTIONS = frozenset({
    "claim", "release", "hand_over", "reassign_in_office", "reminder", "overdue", "handed_up", "spot_check_draw",
    "migrate", "timer_failed",
})


def history_for(user: User | None, events: list[Any]) -> list[Any]:
    """The history `user` reads: an enterprise does not see the offices' internal events."""
    if user is None or user.role != "enterprise":
        return events
    return [e for e in events if e.action not in INTERNAL_ACTIONS]


def to_dict(application: Application, viewer: User | None = None) -> dict[str, Any]:
    current, history = _answer_rows(application)
    if current is not None:
        step, office = current.step, Office.dict_of(current.office_code, current.office_name, current.office_region)
    else:
        step, waiting_office = _waiting_event_step(application)
        office = waiting_office.to_dict() if waiting_office else None
    return {
        "id": application.id,
        "number": application.number,  # 2026-320831-0007, set at first submission (app/recognition/numbers.py)
        "enterprise": application.enterprise.summary(),
        "target_tier": application.target_tier,
        "status": application.status,
        "current_step": step,
        "current_office": office,
        "data": application.data or {},
        "evaluation": application.evaluation,
        "history": [
            {
                "step": e.step,
                "office": Office.dict_of(e.office_code, e.office_name, e.office_region),
                "actor": e.actor,
                "action": e.action,
                "comment": e.comment,
                "at": _iso(e.at),
            }
            for e in history_for(viewer, history)
        ],
        "created_at": _iso(application.created_at),
        "updated_at": _iso(application.updated_at),
    }
