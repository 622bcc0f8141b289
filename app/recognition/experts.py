"""Expert review (专家评审): a panel drawn at random from the expert pool scores each application blind.

The BPMN runs the panel: a service task `draw_expert_panel` draws it (this module), a multi-instance
subprocess gives each expert a task of kind `expert_score` with an interrupting deadline timer, a script
sums up. Experts never see each other's scores or names; the office that sent the application to the
panel sees its mean and spread on its next task (the `context` property).
"""

from __future__ import annotations

import random
import secrets
from typing import Any

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload

from app.core import audit
from app.core.errors import Conflict, Forbidden, Invalid, NotFound
from app.extensions import db
from app.models import Application, ConflictOfInterest, HumanTask, Region, User
from app.workflow import instances

SCORE_RANGE = (0, 100)


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
