"""The pipeline of applications within the caller's scope: applications per status, open steps (the
`human_task` rows of recognition processes) per step with the overdue ones (`due_at` passed), pass rates per
level (approved / decided, where decided = approved + rejected; returns are counted beside them) and the
median days a step took (a completed task's `created_at` → `completed_at`: the inbox row records when a step
opened and when it was done). Pass rates and median days cover the steps completed in the last twelve
months (WINDOW_DAYS), the statuses the applications open now (draft, in review, returned) and those that
ended in those months: what the offices do now, not five years of history."""

from __future__ import annotations

from datetime import datetime, timedelta
from statistics import median
from typing import Any

from sqlalchemy import case, func
from sqlalchemy.orm import joinedload

from app.core.vocabulary import ApplicationStatus, Decision, Lane, TaskState
from app.extensions import db
from app.models import Application, Enterprise, HumanTask, User
from app.models.base import utcnow
from app.reporting import scope as scopes

LEVEL_ORDER = ("county", "city", "province", "national", "expert")
OPEN_STATUSES = (ApplicationStatus.DRAFT.value, ApplicationStatus.IN_REVIEW.value, ApplicationStatus.RETURNED.value)


def _tasks(scope: scopes.Scope, *columns: Any) -> Any:
    query = db.select(*columns).where(HumanTask.subject_type == "application")
    if scope.prefix:
        query = query.where(scopes.within(HumanTask.region_code, scope.prefix))
    if scope.sector:
        query = query.where(HumanTask.sector == scope.sector)
    return query


def _applications(scope: scopes.Scope, *columns: Any) -> Any:
    query = db.select(*columns).select_from(Application).join(Enterprise, Enterprise.id == Application.enterprise_id)
    if scope.prefix:
        query = query.where(scopes.within(Enterprise.region_code, scope.prefix))
    if scope.sector:
        query = query.where(Enterprise.sector == scope.sector)
    return query


WINDOW_DAYS = 365  # pass rates and median days: the steps completed in the last twelve months


def _completed(scope: scopes.Scope, since: datetime) -> list[dict[str, Any]]:
    """Per step, over the steps completed since `since`: its lane, approved / returned / rejected, median days.
    One scan; PostgreSQL takes the median in SQL, SQLite (no percentile) from one narrow column per step."""
    done = (HumanTask.state == TaskState.COMPLETED.value, HumanTask.completed_at >= since)

    def n(decision: str) -> Any:
        return func.sum(case((HumanTask.decision == decision, 1), else_=0))

    columns = [HumanTask.step, func.max(HumanTask.lane), n(Decision.APPROVE.value), n(Decision.RETURN.value),
               n(Decision.REJECT.value)]
    postgres = db.engine.dialect.name == "postgresql"
    if postgres:
        columns.append(func.percentile_cont(0.5).within_group(
            func.extract("epoch", HumanTask.completed_at - HumanTask.created_at)))
    rows = db.session.execute(_tasks(scope, *columns).where(*done).group_by(HumanTask.step)).all()
    medians: dict[str, float] = {}
    if postgres:
        medians = {row[0]: float(row[5]) for row in rows if row[5] is not None}
    else:
        found: dict[str, list[float]] = {}
        for step, created, completed in db.session.execute(_tasks(
                scope, HumanTask.step, HumanTask.created_at, HumanTask.completed_at).where(*done)):
            found.setdefault(step, []).append((completed - created).total_seconds())
        medians = {step: median(values) for step, values in found.items()}
    return [{"step": row[0], "lane": row[1], "approve": int(row[2] or 0), "return": int(row[3] or 0),
             "reject": int(row[4] or 0), "median_days": round(medians[row[0]] / 86400, 1)
             if row[0] in medians else None} for row in rows]


def pipeline(user: User | None, region: str | None = None, now: datetime | None = None) -> dict[str, Any]:
    scope = scopes.narrowed(scopes.of(user), region)
    now = now or utcnow()
    since = now - timedelta(days=WINDOW_DAYS)
    live = Application.status.in_(OPEN_STATUSES)
    ended = Application.status.not_in(OPEN_STATUSES) & (Application.updated_at >= since)
    statuses = dict(db.session.execute(_applications(scope, Application.status, func.count(Application.id))
                                       .where(live | ended).group_by(Application.status)).all())
    overdue = func.sum(case((HumanTask.due_at < now, 1), else_=0))
    steps = db.session.execute(_tasks(scope, HumanTask.step, func.count(), overdue)  # from the index alone
                               .where(HumanTask.state == TaskState.OPEN.value)
                               .group_by(HumanTask.step).order_by(HumanTask.step)).all()
    completed = _completed(scope, since)
    medians = {row["step"]: row["median_days"] for row in completed}
    levels: dict[str, dict[str, int]] = {}
    for row in completed:
        if row["approve"] or row["return"] or row["reject"]:
            counts = levels.setdefault(row["lane"] or "", {"approve": 0, "return": 0, "reject": 0})
            for decision in counts:
                counts[decision] += row[decision]
    level_rows = []
    for lane in sorted(levels, key=lambda k: (LEVEL_ORDER.index(k) if k in LEVEL_ORDER else 99, k)):
        counts = levels[lane]
        final = counts["approve"] + counts["reject"]
        level_rows.append({"lane": lane, "label": Lane(lane).label if lane in Lane.values() else lane,
                           "approved": counts["approve"], "returned": counts["return"], "rejected": counts["reject"],
                           "pass_rate": round(counts["approve"] / final, 4) if final else None})
    lanes = {row["step"]: row["lane"] for row in completed}
    step_rows = [{"step": step, "name": step, "lane": lanes.get(step), "open": int(count), "overdue": int(late or 0),
                  "median_days": medians.get(step)} for step, count, late in steps]
    for step, days in sorted(medians.items()):  # steps with history but nothing open now
        if step not in {r["step"] for r in step_rows}:
            step_rows.append({"step": step, "name": step, "lane": lanes.get(step), "open": 0, "overdue": 0,
                              "median_days": days})
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
    query = query.order_by(HumanTask.created_at, HumanTask.id).options(  # the list's columns, in the same query
        joinedload(HumanTask.application).joinedload(Application.enterprise).joinedload(Enterprise.region),
        joinedload(HumanTask.office))
    if per_page:
        query = query.limit(per_page).offset((max(page, 1) - 1) * per_page)
    return list(db.session.scalars(query)), int(total)
