"""Reviewers' work: the office inbox and decisions on tasks."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import joinedload
from sqlalchemy.orm.exc import StaleDataError

from app.core import audit, params
from app.core.errors import Conflict, Forbidden, Invalid, NotFound, ServiceError, lost_race
from app.core.vocabulary import Decision, StepKind
from app.extensions import db
from app.models import Application, HumanTask, User
from app.models.base import utcnow
from app.recognition import checklist as checklist_rules
from app.recognition import notices
from app.workbench import claims, evidence
from app.workflow import instances

DECISIONS = Decision.review()
DECIDED_KINDS = (StepKind.DECISION, StepKind.OBJECTION_REVIEW, StepKind.SPOT_CHECK)  # step kinds an office decides
SORTS = ("oldest", "newest")


def _require_reviewer(user: User) -> None:
    if user.role != "reviewer" or user.office_id is None:
        raise Forbidden(_("Only a reviewer of an office can do this."))


def inbox(user: User, *, page: int = 1, per_page: int = 20, sort: str = "oldest",
          tier: str | None = None, filters: dict[str, Any] | None = None) -> tuple[list[HumanTask], int]:
    """Open tasks of the reviewer's office (see app/workbench/inbox.py for every filter and sort)."""
    from app.workbench import inbox as inbox_service

    params = dict(filters or {})
    if tier:
        params["tier"] = tier
    column, direction = {"oldest": ("age", "asc"), "newest": ("age", "desc")}.get(sort, (sort, "asc"))
    if sort.startswith("-"):
        column, direction = sort[1:], "desc"
    return inbox_service.search(user, inbox_service.InboxFilter.from_params(params), page=page,
                                per_page=per_page, sort=column, direction=direction)


def get_task(user: User, task_id: Any) -> HumanTask:
    """A task the reviewer's office holds; 404 for anything else."""
    _require_reviewer(user)
    task = db.session.get(HumanTask, task_id, options=[joinedload(HumanTask.office)]) \
        if isinstance(task_id, int) else None
    if task is None or task.office_id != user.office_id or task.application_id is None:
        raise NotFound(_("Task not found."))  # lifecycle tasks are worked in app/lifecycle/cases.py
    return task


def offered(task: HumanTask) -> list[str]:
    """The decisions the task's step offers (declared in the BPMN)."""
    return [action[0] for action in task.actions or []] or list(DECISIONS)


def check_decision(decision: Any, comment: Any, task: HumanTask | None = None) -> str:
    """The cleaned comment, or 422 for a decision the step does not offer or a missing reason."""
    allowed = offered(task) if task is not None else list(DECISIONS)
    if decision not in allowed:
        message = _("Unknown decision; use approve, return or reject.") if len(allowed) == len(DECISIONS) \
            else _("This step offers these decisions: %(decisions)s.", decisions=", ".join(allowed))
        raise Invalid(message, fields={"decision": _("unknown")})
    comment = (comment or "").strip() if isinstance(comment, str) else ""
    if decision in ("return", "reject") and not comment:
        raise Invalid(_("A reason is required to return or reject."), fields={"comment": _("required")})
    return comment


def decide(user: User, task_id: Any, decision: Any, comment: Any,
           requested_documents: Any = None, *, inspection: dict[str, Any] | None = None,
           checklist: Any = None) -> Application:
    """Decide an open task of the reviewer's office. An on-site check is decided only with its inspection record
    (`spot_checks.record` passes it): a bare decision, alone or in bulk, cannot complete it. `checklist` ticks the
    criteria only a reviewer can judge (app.recognition.checklist)."""
    _require_reviewer(user)
    # One statement finds the task's instance, locks it and asks the four-eyes question. Under the instance lock
    # the engine state is fresh: a task completed meanwhile is not ready there any more (409), and the version
    # column catches a writer that slipped past the lock.
    probe, probe_params = claims.may_decide_probe(user, task_id)
    instance, (refusal,) = instances.lock_task(task_id, probe, params=probe_params) \
        if isinstance(task_id, int) else (None, (None,))
    task = get_task(user, task_id) if instance is not None else None  # the open row is in the session already
    if task is None:
        raise NotFound(_("Task not found."))
    if task.kind not in DECIDED_KINDS:
        raise Invalid(_("This task is not decided with approve, return or reject."), code="wrong_task_kind")
    if task.kind == StepKind.SPOT_CHECK and not inspection:
        raise Invalid(_("An on-site check is decided with its inspection record: date, inspectors, findings and "
                        "outcome (the on-site check form, or POST /api/v1/tasks/<id>/spot-check)."),
                      code="spot_check_record_required")
    comment = check_decision(decision, comment, task)
    ticked = checklist_rules.check(task, decision, checklist)
    if task.state != "open":
        raise Conflict(_("This task is no longer open."))
    if instance.status != "running":
        raise Conflict(_("This application's process is suspended; it cannot be decided now."))
    if task.claimed_by_id not in (None, user.id):
        raise Conflict(_("This task is claimed by %(name)s.", name=task.claimed_by.username))
    claims.check_probe(refusal)
    if task.claimed_by_id is None:
        task.claimed_by_id, task.claimed_at = user.id, utcnow()
    application = instance.application
    with db.session.no_autoflush:  # the claim goes out with the completion, in one UPDATE
        instances.complete_task(task, user, {"decision": decision}, decision=decision)
    if task.kind == StepKind.OBJECTION_REVIEW:
        notices.objections_decided(application, user, decision, instance)
    if requested_documents and decision != "return":
        raise Invalid(_("Documents can only be requested when returning an application."),
                      fields={"requested_documents": _("only with return")})
    evidence.request_documents(user, application, requested_documents)
    audit.record(decision, application=application, actor=user, office_id=task.office_id, step=task.step,
                 comment=comment, details={"task_id": task.id} | ({"checklist": ticked} if ticked else {}))
    if application.status in ("recognized", "rejected"):
        audit.record(application.status, application=application, office_id=task.office_id, step=task.step)
    return application


def task_to_dict(task: HumanTask) -> dict[str, Any]:
    application = task.application
    return {
        "id": task.id,
        "application_id": task.application_id,
        "enterprise": application.enterprise.summary(),
        "target_tier": application.target_tier,
        "step": task.step,
        "office": task.office.to_dict() if task.office else None,
        "created_at": task.created_at.isoformat(),
        "due_at": task.due_at.isoformat() if task.due_at else None,
        "claimed_by": task.claimed_by.username if task.claimed_by else None,
        # what the step's form needs, as the BPMN declares it: its kind and the decisions it offers, each with
        # the step's own wording (null: the standard wording of that decision)
        "kind": task.kind,
        "decisions": [{"decision": decision, "label": label} for decision, label in _labelled(task)],
    }


def _labelled(task: HumanTask) -> list[list[Any]]:
    """[decision, label or None] for each decision the task offers (none for a task not decided so)."""
    if task.actions:
        return task.actions
    return [[decision, None] for decision in DECISIONS] if task.kind in DECIDED_KINDS else []


def bulk_decide(user: User, task_ids: list[Any], decision: Any, comment: Any) -> list[dict[str, Any]]:
    """Decide many tasks with one comment; each separately, under its own lock, in its own savepoint.

    A task that fails (no longer open, claimed by someone else, four eyes…) is reported and left whole.
    """
    task_ids = params.id_list(task_ids, "task_ids")
    check_decision(decision, comment)
    results = []
    for task_id in task_ids:
        try:
            with db.session.begin_nested():
                application = decide(user, task_id, decision, comment)
                db.session.flush()
            results.append({"task_id": task_id, "ok": True, "application_id": application.id,
                            "status": application.status})
        except ServiceError as exc:
            results.append({"task_id": task_id, "ok": False,
                            "error": {"code": exc.code, "message": exc.message}})
        except (StaleDataError, OperationalError) as exc:
            # a decision that raced this one (SQLite has no row lock: the version check or the busy database
            # reports it): this task fails, the others keep their results, as on PostgreSQL
            if isinstance(exc, OperationalError) and not lost_race(exc):
                raise
            results.append({"task_id": task_id, "ok": False, "error": {
                "code": "conflict", "message": _("Someone else decided this task at the same time.")}})
    return results
