"""Expert review (专家评审): a panel drawn at random from the expert pool scores each application blind.

The BPMN runs the panel: a service task `draw_expert_panel` draws it (this module), a multi-instance
subprocess gives each expert a task of kind `expert_score` with an interrupting deadline timer, a script
sums up. Experts never see each other's scores or names; the office that sent the application to the
panel sees its mean and spread on its next task (the `context` property).
"""

from __future__ import annotations

import json
import random
import secrets
from pathlib import Path
from typing import Any

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload

from app.core import audit
from app.core.errors import Conflict, Forbidden, Invalid, NotFound
from app.extensions import db
from app.models import Application, Attachment, ConflictOfInterest, HumanTask, Region, User
from app.models.base import utcnow
from app.workbench import notifications
from app.workflow import instances

SCORE_RANGE = (0, 100)
EXPERT_KIND = "expert_score"
RUBRICS = Path(__file__).resolve().parents[2] / "workflows" / "rubrics.json"
RECUSED = "recused"  # the decision on a panel task the expert stepped back from (回避)


def _city_code(region: Region | None) -> str | None:
    city = region.ancestor("city") if region is not None else None
    return city.code if city is not None else None


def eligible(application: Application, exclude_home_city: bool = True) -> list[User]:
    """The expert pool for this application: active experts with no declared conflict with the
    enterprise and (by default) not from its city."""
    enterprise = application.enterprise
    conflicted = db.select(ConflictOfInterest.user_id).where(ConflictOfInterest.enterprise_id == enterprise.id)
    experts = db.session.scalars(db.select(User).where(
        User.role == "expert", User.active.is_(True), User.id.not_in(conflicted))
        .options(joinedload(User.region)).order_by(User.id))
    city = _city_code(enterprise.region) if exclude_home_city else None
    return [e for e in experts if city is None or _city_code(e.region) != city]


def draw_panel(application: Application, size: int | None = None, *, step: str | None = None,
               office_id: int | None = None, exclude_home_city: bool = True) -> list[int]:
    """Draw the panel (user ids), reproducibly from a seed recorded in the history; 422 when the pool
    is empty. A pool smaller than the panel gives everyone in it."""
    size = current_app.config["EXPERT_PANEL_SIZE"] if size is None else size
    if size <= 0:
        return []
    pool = eligible(application, exclude_home_city)
    if not pool:
        raise Invalid(_("No expert can review this application: every expert in the pool is from the "
                        "enterprise's city or declared a conflict. Add experts first."), code="no_experts")
    seed = secrets.token_hex(8)
    panel = random.Random(f"{seed}:{application.id}").sample([e.id for e in pool], min(size, len(pool)))
    audit.record("expert_panel_drawn", application=application, step=step, office_id=office_id,
                 details={"seed": seed, "pool": [e.id for e in pool], "size": len(panel)})
    return panel


def replay(seed: str, application_id: int, pool: list[int], size: int) -> list[int]:
    """The panel a recorded draw gave (for auditors)."""
    return random.Random(f"{seed}:{application_id}").sample(pool, size)


def _require_expert(user: User) -> None:
    if user.role != "expert":
        raise Forbidden(_("Only an expert can do this."))


def inbox(user: User, *, page: int = 1, per_page: int = 20, state: str = "open") -> tuple[list[HumanTask], int]:
    """The expert's own panel tasks, oldest first (open ones, or `state="done"` for the scored ones)."""
    _require_expert(user)
    states = ("open",) if state == "open" else ("completed", "cancelled")
    query = db.select(HumanTask).where(HumanTask.assignee_id == user.id, HumanTask.state.in_(states))
    total = db.session.scalar(db.select(db.func.count()).select_from(query.subquery()))
    rows = db.session.scalars(query.order_by(HumanTask.created_at, HumanTask.id)
                              .offset((max(page, 1) - 1) * per_page).limit(per_page))
    return list(rows), total or 0


def open_task_ids(user: User) -> dict[int, int]:
    """Application id → the expert's open panel task on it (where a notice about it leads)."""
    rows = db.session.execute(db.select(HumanTask.application_id, HumanTask.id).where(
        HumanTask.assignee_id == user.id, HumanTask.state == "open"))
    return {application_id: task_id for application_id, task_id in rows}


def get_task(user: User, task_id: Any) -> HumanTask:
    _require_expert(user)
    task = db.session.get(HumanTask, task_id) if isinstance(task_id, int) else None
    if task is None or task.assignee_id != user.id:
        raise NotFound(_("Task not found."))
    return task


def check_score(score: Any, comment: Any) -> tuple[float, str]:
    low, high = SCORE_RANGE
    if isinstance(score, str):
        try:
            score = float(score.strip())
        except ValueError:
            score = None
    if isinstance(score, bool) or not isinstance(score, (int, float)) or not low <= score <= high:
        raise Invalid(_("Give a score from 0 to 100."), fields={"score": _("0 to 100")})
    comment = comment.strip() if isinstance(comment, str) else ""
    if not comment:
        raise Invalid(_("A short opinion is required with the score."), fields={"comment": _("required")})
    return round(float(score), 1), comment[:2000]


def score(user: User, task_id: Any, score_value: Any, comment: Any) -> HumanTask:
    """Record the expert's score: the engine collects it into the panel's results."""
    _require_expert(user)
    # the task's instance locked, with the open task, in one statement (kept referenced: the session holds
    # loaded rows weakly)
    instance, _columns = instances.lock_task(task_id) if isinstance(task_id, int) else (None, ())
    task = get_task(user, task_id)
    value, comment = check_score(score_value, comment)
    if task.state != "open":
        raise Conflict(_("This task is no longer open."))
    if instance is None or instance.status != "running":
        raise Conflict(_("This application's process is suspended; it cannot be decided now."))
    task.result = {"score": value, "comment": comment}
    with db.session.no_autoflush:  # the result goes out with the completion, in one UPDATE
        instances.complete_task(task, user, {"expert_score": value}, decision="scored")
    # blind: the history records that a panel member scored, not who or what
    audit.record("expert_scored", application=instance.application, step=task.step)
    return task


def panel_summary(task: HumanTask) -> dict[str, Any] | None:
    """What the province sees of the panel on its task: count, scored, mean, spread; never names."""
    context = task.context or {}
    if not context.get("experts_done"):
        return None
    return {key: context.get(f"expert_{key}") for key in ("count", "scored", "mean", "spread")}


# --- what the expert works with: the documents and the rubric; stepping back (回避) --------------------------

def documents(user: User, task_id: Any) -> list[Attachment]:
    """The documents the enterprise uploaded for the application of the expert's panel task (blind review: the
    files only, not the history, the reviewers' comments or the other experts)."""
    task = get_task(user, task_id)
    return list(db.session.scalars(db.select(Attachment).where(Attachment.application_id == task.application_id)
                                   .order_by(Attachment.id)))


def document(user: User, task_id: Any, attachment_id: Any, upload_dir: Path) -> tuple[Attachment, Path]:
    """One of those documents and its file; 404 for a document of another application."""
    found = next((a for a in documents(user, task_id) if a.id == attachment_id), None)
    path = upload_dir / found.stored_name if found is not None else None
    if path is None or not path.is_file():
        raise NotFound(_("Document not found."))
    return found, path


def rubric(tier: str | None) -> dict[str, Any] | None:
    """The scoring rubric of a target tier (workflows/rubrics.json): title and items (dimension, points,
    guidance); None when the file names none for the tier."""
    try:
        found = json.loads(RUBRICS.read_text(encoding="utf-8")).get(tier or "")
    except (OSError, ValueError):
        return None
    return found if isinstance(found, dict) and found.get("items") else None


def _panel_members(task: HumanTask) -> set[int]:
    """Everyone who holds or held a panel task on this application (never drawn twice for it)."""
    return set(db.session.scalars(db.select(HumanTask.assignee_id).where(
        HumanTask.application_id == task.application_id, HumanTask.kind == EXPERT_KIND,
        HumanTask.assignee_id.is_not(None))))


def recuse(user: User, task_id: Any, reason: Any) -> HumanTask:
    """The expert steps back from an open panel task (回避) with a reason: a conflict with the enterprise is
    recorded (never drawn for it again), and another expert from the pool, not on the panel, takes over the
    same engine task with its deadline. The panel keeps its progress: the other experts' tasks and scores are
    untouched. 422 `no_experts` when nobody else can take it (nothing changes); returns the new task."""
    task = get_task(user, task_id)
    reason = reason.strip() if isinstance(reason, str) else ""
    if not reason:
        raise Invalid(_("Give the reason for stepping back."), fields={"reason": _("required")})
    if len(reason) > 500:
        raise Invalid(_("At most 500 characters."), fields={"reason": _("too long")})
    if task.state != "open" or task.kind != EXPERT_KIND:
        raise Conflict(_("This task is no longer open."))
    if instances.lock(task.instance_id).status != "running":
        raise Conflict(_("This application's process is suspended; it cannot be decided now."))
    application = task.application
    taken = _panel_members(task)
    pool = [e.id for e in eligible(application) if e.id not in taken and e.id != user.id]
    if not pool:
        raise Invalid(_("No other expert can take over this review now; ask the provincial office to add "
                        "experts to the pool."), code="no_experts")
    seed = secrets.token_hex(8)
    replacement = random.Random(f"{seed}:{application.id}:{task.id}").choice(pool)
    now = utcnow()
    if db.session.scalar(db.select(ConflictOfInterest.id).where(
            ConflictOfInterest.user_id == user.id,
            ConflictOfInterest.enterprise_id == application.enterprise_id)) is None:
        db.session.add(ConflictOfInterest(user_id=user.id, enterprise_id=application.enterprise_id,
                                          reason=reason))
    task.state, task.decision, task.completed_at, task.completed_by_id = "cancelled", RECUSED, now, user.id
    task.result = {"recused": reason}
    successor = HumanTask(
        instance_id=task.instance_id, subject_type=task.subject_type, subject_id=task.subject_id,
        application_id=task.application_id, engine_task_id=task.engine_task_id, step=task.step,
        step_name=task.step_name, lane=task.lane, kind=task.kind, actions=task.actions, office_id=task.office_id,
        assignee_id=replacement, context=task.context, created_at=now, due_at=task.due_at,
        target_tier=task.target_tier, region_code=task.region_code, sector=task.sector, score=task.score)
    db.session.add(successor)
    db.session.flush()
    # blind: the history says a panel member stepped back, not who (the details keep it for auditors)
    audit.record("expert_recused", application=application, step=task.step,
                 details={"task_id": task.id, "new_task_id": successor.id, "seed": seed, "pool": pool,
                          "from": user.id, "to": replacement})
    notifications.notify_users([replacement], "task_arrived", _(
        "New task: %(enterprise)s, %(step)s", enterprise=application.enterprise.name, step=task.step_name or ""),
        application)
    return successor
