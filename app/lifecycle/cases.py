"""Lifecycle cases: a member's yearly re-verification, a revocation. Each runs a BPMN process whose subject is
the case (lifecycle/adapter.py); people act on its tasks here: the enterprise updates its data or states its
case, the registrar office decides (four eyes: nobody decides a case twice, nor one they opened)."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace
from typing import Any

from flask_babel import gettext as _

from app.core import audit, workdays
from app.core.errors import Conflict, Forbidden, Invalid, NotFound
from app.core.vocabulary import CaseKind, CaseOutcome, Decision, RecognitionStatus, StepKind
from app.extensions import db
from app.lifecycle import libraries, names, register
from app.lifecycle.adapter import case_tier
from app.models import Attachment, HumanTask, LifecycleCase, ProcessInstance, User
from app.models.base import utcnow
from app.workflow import instances

OFFICE_KINDS = (StepKind.DECISION,)


def start(case: LifecycleCase, process: str) -> ProcessInstance:
    db.session.add(case)
    db.session.flush()
    audit.record("case_opened", actor=case.opened_by, subject=("case", case.id),
                 details={"kind": case.kind, "recognition_id": case.recognition_id,
                          "membership_id": case.membership_id, "campaign_id": case.campaign_id})
    return instances.start("case", case, process)


def instance_of(case: LifecycleCase) -> ProcessInstance | None:
    return db.session.scalar(db.select(ProcessInstance).where(
        ProcessInstance.subject_type == "case", ProcessInstance.subject_id == case.id))


def open_tasks(case: LifecycleCase) -> list[HumanTask]:
    return list(db.session.scalars(db.select(HumanTask).where(
        HumanTask.subject_type == "case", HumanTask.subject_id == case.id, HumanTask.state == "open")
        .order_by(HumanTask.id)))


# --- who may see a case -----------------------------------------------------------------------------

def can_view(user: User, case: LifecycleCase) -> bool:
    if user.role == "admin":
        return True
    if user.role == "enterprise":
        return user.enterprise_id == case.enterprise_id
    if user.role == "reviewer" and user.office is not None:
        return register.office_sees(user.office, case.enterprise)
    return False


def get_for(user: User, case_id: Any) -> LifecycleCase:
    case = db.session.get(LifecycleCase, case_id) if isinstance(case_id, int) else None
    if case is None or not can_view(user, case):
        raise NotFound(_("Case not found."))
    return case


def open_tasks_for(user: User, *, kind: str | None = None, page: int = 1, per_page: int = 50
                   ) -> tuple[list[HumanTask], int]:
    """The open lifecycle tasks the caller acts on, oldest first: a reviewer's office decides; an enterprise
    updates its data or states its case in its own cases."""
    query = db.select(HumanTask).where(HumanTask.state == "open", HumanTask.subject_type == "case")
    if user.role == "reviewer" and user.office_id is not None:
        query = query.where(HumanTask.office_id == user.office_id)
    elif user.role == "enterprise" and user.enterprise_id is not None:
        query = query.where(HumanTask.office_id.is_(None), HumanTask.subject_id.in_(
            db.select(LifecycleCase.id).where(LifecycleCase.enterprise_id == user.enterprise_id)))
    else:
        raise Forbidden(_("Only a reviewer of an office or an enterprise can do this."))
    if kind:
        query = query.where(HumanTask.subject_id.in_(db.select(LifecycleCase.id).where(LifecycleCase.kind == kind)))
    total = db.session.scalar(db.select(db.func.count()).select_from(query.order_by(None).subquery())) or 0
    rows = list(db.session.scalars(query.order_by(HumanTask.created_at, HumanTask.id).limit(per_page)
                                   .offset((max(page, 1) - 1) * per_page)))
    return rows, int(total)


# --- the enterprise acts ----------------------------------------------------------------------------

def _enterprise_task(user: User, case_id: Any, kind: str) -> tuple[LifecycleCase, HumanTask, ProcessInstance]:
    if user.role != "enterprise" or user.enterprise_id is None:
        raise Forbidden(_("Only an enterprise account can do this."))
    case = get_for(user, case_id)
    current = instance_of(case)
    if current is None:
        raise Conflict(_("This case is not waiting for the enterprise."))
    instance = instances.lock(current.id)
    task = instances.open_task(instance, kind)
    if task is None:
        raise Conflict(_("This case is not waiting for the enterprise."))
    return case, task, instance


def submit_update(user: User, case_id: Any, data: Any) -> LifecycleCase:
    """The member's yearly data (动态管理): validated like an application's, checked against the rule set in
    force for its tier; the office then decides."""
    from app.recognition import eligibility, indicators

    case, task, _instance = _enterprise_task(user, case_id, StepKind.DATA_UPDATE)
    clean = indicators.validate(data if data is not None else {})
    missing = indicators.missing_for_submit(clean)
    if missing:
        raise Invalid(_("Fill in before submitting: %(keys)s", keys=indicators.labels(missing)),
                      fields={k: _("required") for k in missing})
    tier = case_tier(case)
    if tier is not None:
        probe = SimpleNamespace(target_tier=tier, enterprise=case.enterprise, data=clean, submitted_at=None)
        case.evaluation = eligibility.evaluate(probe, workdays.china_date())
    case.data, case.updated_at = clean, utcnow()
    audit.record("case_data_updated", actor=user, subject=("case", case.id), step=task.step,
                 details={"keys": sorted(clean), "passed": (case.evaluation or {}).get("passed")})
    instances.complete_task(task, user, {"decision": None, "data_updated": True,
                                         "eligibility_passed": bool((case.evaluation or {}).get("passed", True))},
                            decision="submit")
    return case


def respond(user: User, case_id: Any, text: Any) -> LifecycleCase:
    """The enterprise states its case (陈述申辩) before the office decides on a revocation."""
    if not isinstance(text, str) or not text.strip():
        raise Invalid(_("Write the enterprise's statement."), fields={"response": _("required")})
    if len(text) > 10000:
        raise Invalid(_("The statement is too long (at most 10000 characters)."), fields={"response": _("too long")})
    case, task, _instance = _enterprise_task(user, case_id, StepKind.RESPONSE)
    case.response, case.responded_at = text.strip(), utcnow()
    audit.record("case_response", actor=user, subject=("case", case.id), step=task.step, comment=case.response)
    instances.complete_task(task, user, {"decision": None, "responded": True}, decision="respond")
    return case


# --- the office decides -----------------------------------------------------------------------------

def _check_four_eyes(user: User, case: LifecycleCase, task: HumanTask) -> None:
    """Whoever opened a revocation does not decide it (a campaign's opener decides its members' cases: a
    county office may have one reviewer); nobody decides two steps of one case."""
    if case.kind == CaseKind.REVOCATION and case.opened_by_id == user.id:
        raise Forbidden(_("Four eyes: you opened this case; another reviewer must decide it."), code="four_eyes")
    decided = db.session.scalar(db.select(HumanTask.step).where(
        HumanTask.subject_type == "case", HumanTask.subject_id == case.id, HumanTask.completed_by_id == user.id,
        HumanTask.office_id.is_not(None), HumanTask.step != task.step).limit(1))
    if decided is not None:
        raise Forbidden(_("Four eyes: you already decided this case at step %(step)s; another reviewer must "
                          "decide this step.", step=decided), code="four_eyes")


def offered(case: LifecycleCase, task: HumanTask) -> list[list[Any]]:
    """The decisions a case task offers ([decision, label or None]): what its BPMN declares, without a
    downgrade where there is no tier below (a seed entry, a library membership)."""
    tier = case.recognition.tier if case.recognition is not None else None
    no_lower = case.membership is not None or register.LOWER.get(tier or "") is None
    return [action for action in task.actions or [] if not (no_lower and action[0] == Decision.DOWNGRADE)]


def _check_register(case: LifecycleCase, decision: str) -> None:
    """A re-verification waits for a pending revocation of the same entry; an entry that has ended (expired,
    exited, revoked) can no longer be kept or downgraded — exiting just closes the case."""
    entry = case.recognition
    if case.kind != CaseKind.REVERIFICATION or entry is None:
        return
    pending = db.session.scalar(db.select(LifecycleCase.id).where(
        LifecycleCase.recognition_id == entry.id, LifecycleCase.kind == CaseKind.REVOCATION.value,
        LifecycleCase.status == "open").limit(1))
    if pending is not None:
        raise Conflict(_("A revocation of this recognition is pending; it is decided first."),
                       code="revocation_pending")
    if entry.status not in register.LIVE and decision in (Decision.KEEP, Decision.DOWNGRADE):
        raise Conflict(_("This recognition has ended (%(status)s); only exit closes the case.",
                         status=RecognitionStatus(entry.status).label), code="entry_ended")


def decide(user: User, task_id: Any, decision: Any, comment: Any) -> LifecycleCase:
    if user.role != "reviewer" or user.office_id is None:
        raise Forbidden(_("Only a reviewer of an office can do this."))
    task = db.session.get(HumanTask, task_id) if isinstance(task_id, int) else None
    if task is None or task.office_id != user.office_id or task.subject_type != "case":
        raise NotFound(_("Task not found."))
    if task.kind not in OFFICE_KINDS:
        raise Invalid(_("This task is not decided by the office."), code="wrong_task_kind")
    case = db.session.get(LifecycleCase, task.subject_id)
    allowed = [action[0] for action in offered(case, task)]
    if decision not in allowed:
        raise Invalid(_("This step offers these decisions: %(decisions)s.", decisions=", ".join(allowed)),
                      fields={"decision": _("unknown")})
    comment = comment.strip() if isinstance(comment, str) else ""
    if (decision not in Decision.values() or Decision(decision).needs_reason) and not comment:
        raise Invalid(_("A reason is required for this decision."), fields={"comment": _("required")})
    if task.state != "open":
        raise Conflict(_("This task is no longer open."))
    instances.lock(task.instance_id)
    if task.claimed_by_id not in (None, user.id):
        raise Conflict(_("This task is claimed by %(name)s.", name=task.claimed_by.username))
    _check_four_eyes(user, case, task)
    _check_register(case, decision)
    if decision in (Decision.DOWNGRADE, Decision.EXIT, Decision.REVOKE, Decision.KEEP, Decision.DISMISS):
        case.reason = comment or None
    if task.claimed_by_id is None:
        task.claimed_by_id, task.claimed_at = user.id, utcnow()
    # the decision first in the trail, then what the process does with it (the register entry, the close)
    audit.record(decision, actor=user, office_id=task.office_id, step=task.step, comment=comment,
                 subject=("case", case.id), details={"task_id": task.id})
    instances.complete_task(task, user, {"decision": decision}, decision=decision)
    return case


def apply_outcome(case: LifecycleCase, action: Any, on: date) -> str:
    """What the `update_register` service task does: the decision on the register entry (or library
    membership) of the case. Returns the entry's new status."""
    if action not in ("keep", "downgrade", "exit", "revoke", "dismiss", "review"):
        raise Invalid(_("Unknown register action %(action)s.", action=str(action)))
    with names.stored_language():
        reason = case.reason or (_("missed the re-verification deadline") if case.missed else None)
    case.outcome = {"keep": "kept", "downgrade": "downgraded", "exit": "exited", "revoke": "revoked",
                    "dismiss": "dismissed", "review": None}[action]
    if case.membership is not None:
        member = case.membership
        if action == "keep":
            libraries.keep(member, on)
        elif action in ("exit", "downgrade", "revoke"):
            libraries.exit_(member, reason or action, on)
        return member.status
    entry = case.recognition
    if entry.status not in register.LIVE and action != "review":  # ended meanwhile (expired…): left as it is
        case.outcome = CaseOutcome.UNCHANGED.value
        audit.record("register_unchanged", subject=("recognition", entry.id),
                     details={"case_id": case.id, "action": action, "status": entry.status})
        return entry.status
    if action == "keep":
        register.keep(entry, on)
    elif action == "downgrade":
        register.downgrade(entry, reason or action, on)
    elif action == "exit":
        register.exit_(entry, reason or action, on)
    elif action == "revoke":
        register.revoke(entry, reason or action, on)
    elif action == "dismiss":
        register.restore(entry, on)
    elif action == "review":
        register.under_review(entry)
    return entry.status


def documents(case: LifecycleCase) -> list[Attachment]:
    """The case's evidence documents (app/lifecycle/evidence.py), in upload order."""
    return list(db.session.scalars(db.select(Attachment).where(Attachment.case_id == case.id)
                                   .order_by(Attachment.id)))


def document_dict(a: Attachment) -> dict[str, Any]:
    return {"id": a.id, "case_id": a.case_id, "name": a.original_name, "content_type": a.content_type,
            "size": a.size, "sha256": a.sha256, "uploaded_by": a.uploaded_by.role if a.uploaded_by else None,
            "uploaded_at": a.uploaded_at.isoformat()}


def to_dict(case: LifecycleCase) -> dict[str, Any]:
    tasks = open_tasks(case)
    return {
        "id": case.id, "kind": case.kind, "status": case.status, "enterprise": case.enterprise.summary(),
        "recognition": register.to_dict(case.recognition) if case.recognition else None,
        "membership": libraries.membership_to_dict(case.membership) if case.membership else None,
        "campaign_id": case.campaign_id, "due_on": case.campaign.due_on.isoformat() if case.campaign else None,
        "office": case.office.to_dict(), "ground": case.ground,
        "details": case.details, "data": case.data, "evaluation": case.evaluation,
        "updated_at": case.updated_at.isoformat() if case.updated_at else None, "response": case.response,
        "responded_at": case.responded_at.isoformat() if case.responded_at else None, "missed": case.missed,
        "outcome": case.outcome, "reason": case.reason, "created_at": case.created_at.isoformat(),
        "closed_at": case.closed_at.isoformat() if case.closed_at else None,
        "attachments": [document_dict(a) for a in documents(case)],
        "waiting": [{"task_id": t.id, "step": t.step, "step_name": t.step_name, "kind": t.kind,
                     "office": t.office.to_dict() if t.office else None,
                     "decisions": [{"decision": d, "label": label} for d, label in offered(case, t)],
                     "due_at": t.due_at.isoformat() if t.due_at else None} for t in tasks],
    }


def history(case: LifecycleCase) -> list[dict[str, Any]]:
    return [{"action": e.action, "actor": e.actor.username if e.actor else None, "step": e.step,
             "comment": e.comment, "details": e.details, "at": e.at.isoformat()}
            for e in audit.subject_history("case", [case.id])]

