"""The figures of problems (问题诉求, issue 14) in the caller's jurisdiction: counts by category, level and sector
(SQL GROUP BY), the median working time to close, the escalation rate and the overdue count. A sector
department reads its sector only, as for the other dashboard figures (app/reporting/scope.py)."""

from __future__ import annotations

from statistics import median
from typing import Any

from app.core.vocabulary import ProblemStatus
from app.extensions import db
from app.models import HumanTask, Problem, User
from app.reporting import scope as scopes


def _where(scope: scopes.Scope) -> list[Any]:
    conditions = [scopes.within(Problem.region_code, scope.prefix)] if scope.prefix else []
    if scope.sector is not None:
        conditions.append(Problem.sector == scope.sector)
    return conditions


def figures(user: User, region: str | None = None) -> dict[str, Any]:
    scope = scopes.narrowed(scopes.of(user), region)
    where = _where(scope)

    def grouped(column: Any) -> list[dict[str, Any]]:
        rows = db.session.execute(db.select(column, db.func.count(Problem.id)).where(*where).group_by(column))
        return sorted(({"key": key, "count": int(count)} for key, count in rows), key=lambda r: (-r["count"],
                                                                                                 str(r["key"])))

    total, escalated = db.session.execute(db.select(
        db.func.count(Problem.id), db.func.count(Problem.id).filter(Problem.escalations > 0)).where(*where)).one()
    status = {key: int(n) for key, n in db.session.execute(
        db.select(Problem.status, db.func.count(Problem.id)).where(*where).group_by(Problem.status))}
    overdue = db.session.scalar(db.select(db.func.count(db.distinct(HumanTask.subject_id))).where(
        HumanTask.subject_type == "problem", HumanTask.state == "open", HumanTask.escalated_at.is_not(None),
        HumanTask.subject_id.in_(db.select(Problem.id).where(*where)))) or 0
    durations = [(closed - created).total_seconds() / 86400 for created, closed in db.session.execute(
        db.select(Problem.created_at, Problem.closed_at).where(*where, Problem.closed_at.is_not(None)))]
    return {
        "total": int(total or 0), "open": status.get(ProblemStatus.OPEN.value, 0),
        "resolved": status.get(ProblemStatus.RESOLVED.value, 0), "closed": status.get(ProblemStatus.CLOSED.value, 0),
        "overdue": int(overdue), "escalated": int(escalated or 0),
        "escalation_rate": round(escalated / total, 4) if total else None,
        "median_days_to_close": round(median(durations), 1) if durations else None,
        "by_category": grouped(Problem.category), "by_level": grouped(Problem.level),
        "by_sector": grouped(Problem.sector),
    }
