"""The pipeline of applications within the caller's scope: applications per status, open steps (the
`human_task` rows of recognition processes) per step with the overdue ones (`due_at` passed), pass rates per
level (approved / decided, where decided = approved + rejected; returns are counted beside them) and the
median days a step took (a completed task's `created_at` → `completed_at`: the inbox row records when a step
opened and when it was done)."""

from __future__ import annotations

from datetime import datetime
from statistics import median
from typing import Any

from sqlalchemy import case, func

from app.core.vocabulary import Decision, Lane, TaskState
from app.extensions import db
from app.models import Application, Enterprise, HumanTask, User
from app.models.base import utcnow
from app.reporting import scope as scopes

LEVEL_ORDER = ("county", "city", "province", "national", "expert")


def _tasks(scope: scopes.Scope, *columns: Any) -> Any:
    query = db.select(*columns).where(HumanTask.subject_type == "application")
    if scope.prefix:
        query = query.where(HumanTask.region_code.startswith(scope.prefix, autoescape=True))
    if scope.sector:
        query = query.where(HumanTask.sector == scope.sector)
    return query


def _applications(scope: scopes.Scope, *columns: Any) -> Any:
    query = db.select(*columns).select_from(Application).join(Enterprise, Enterprise.id == Application.enterprise_id)
    if scope.prefix:
        query = query.where(Enterprise.region_code.startswith(scope.prefix, autoescape=True))
    if scope.sector:
        query = query.where(Enterprise.sector == scope.sector)
    return query


def _median_days(scope: scopes.Scope) -> dict[str, float]:
    seconds = (func.extract("epoch", HumanTask.completed_at) - func.extract("epoch", HumanTask.created_at))
    done = (HumanTask.state == TaskState.COMPLETED.value, HumanTask.completed_at.is_not(None))
    if db.engine.dialect.name == "postgresql":  # percentile in SQL
        rows = db.session.execute(_tasks(scope, HumanTask.step, func.percentile_cont(0.5).within_group(
            seconds)).where(*done).group_by(HumanTask.step)).all()
        return {step: round(float(value) / 86400, 1) for step, value in rows if value is not None}
    # SQLite has no percentile: one narrow column per step, ordered, median taken here
    found: dict[str, list[float]] = {}
    for step, created, completed in db.session.execute(_tasks(
            scope, HumanTask.step, HumanTask.created_at, HumanTask.completed_at).where(*done)):
        found.setdefault(step, []).append((completed - created).total_seconds())
    return {step: round(median(values) / 86400, 1) for step, values in found.items()}


def pipeline(user: User | None, region: str | None = None, now: datetime | None = None) -> dict[str, Any]:
    scope = scopes.narrowed(scopes.of(user), region)
    now = now or utcnow()
    statuses = dict(db.session.execute(_applications(scope, Application.status, func.count(Application.id))
                                       .group_by(Application.status)).all())
    overdue = func.sum(case((HumanTask.due_at < now, 1), else_=0))
    steps = db.session.execute(_tasks(scope, HumanTask.step, func.max(HumanTask.step_name), func.max(HumanTask.lane),
                                      func.count(HumanTask.id), overdue)
                               .where(HumanTask.state == TaskState.OPEN.value)
                               .group_by(HumanTask.step).order_by(HumanTask.step)).all()
    medians = _median_days(scope)
    decided = db.session.execute(_tasks(scope, HumanTask.lane, HumanTask.decision, func.count(HumanTask.id)).where(
        HumanTask.state == TaskState.COMPLETED.value, HumanTask.decision.in_(
            (Decision.APPROVE.value, Decision.RETURN.value, Decision.REJECT.value)))
        .group_by(HumanTask.lane, HumanTask.decision)).all()
    levels: dict[str, dict[str, int]] = {}
    for lane, decision, count in decided:
        levels.setdefault(lane or "", {"approve": 0, "return": 0, "reject": 0})[decision] = int(count)
    level_rows = []
    for lane in sorted(levels, key=lambda k: (LEVEL_ORDER.index(k) if k in LEVEL_ORDER else 99, k)):
        counts = levels[lane]
        final = counts["approve"] + counts["reject"]
        level_rows.append({"lane": lane, "label": Lane(lane).label if lane in Lane.values() else lane,
                           "approved": counts["approve"], "returned": counts["return"], "rejected": counts["reject"],
                           "pass_rate": round(counts["approve"] / final, 4) if final else None})
    step_rows = [{"step": step, "name": name or step, "lane": lane, "open": int(count), "overdue": int(late or 0),
                  "median_days": medians.get(step)} for step, name, lane, count, late in steps]
    for step, days in sorted(medians.items()):  # steps with history but nothing open now
        if step not in {r["step"] for r in step_rows}:
            step_rows.append({"step": step, "name": step, "lane": None, "open": 0, "overdue": 0, "median_days": days})
    return {"scope": {"region_code": scope.region.code, "region": scope.region.name},
            "statuses": {k: int(v) for k, v in statuses.items()}, "steps": step_rows, "levels": level_rows,
            "open": sum(r["open"] for r in step_rows), "overdue": sum(r["overdue"] for r in step_rows)}


def applications_at(user: User | None, step: str | None, *, region: str | None = None, overdue: bool = False,
                    page: int = 1, per_page: int = 50, now: datetime | None = None) -> tuple[list[Any], int]:
    """The open steps behind a pipeline figure (the application of each), oldest first; their count."""
    scope = scopes.narrowed(scopes.of(user), region)
    query = _tasks(scope, HumanTask).where(HumanTask.state == TaskState.OPEN.value)
    if step:
        query = query.where(HumanTask.step == step)
    if overdue:
        query = query.where(HumanTask.due_at < (now or utcnow()))
    total = db.session.scalar(db.select(func.count()).select_from(query.subquery())) or 0
    query = query.order_by(HumanTask.created_at, HumanTask.id)
    if per_page:
        query = query.limit(per_page).offset((max(page, 1) - 1) * per_page)
    return list(db.session.scalars(query)), int(total)
