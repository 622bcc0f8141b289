"""The operations monitoring service tasks name: year-on-year changes of a filed report, recording an alert
the diagram's rule raised, and the cycle's two steps (when does the current period end; open the period that
just ended). What counts as an alert is the gateway condition in monitoring_report.bpmn, never Python."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

from app.core import audit
from app.core.vocabulary import MonitoringAlert
from app.extensions import db
from app.models import ProcessInstance
from app.monitoring import figures, periods
from app.workflow import instances
from app.workflow.operations import Context, Operation, Param, register

REPORT = ("monitoring_report",)
PROGRAMME = ("monitoring_programme",)
PRIOR = {"revenue": "revenue_prior", "rd_expense": "rd_expense_prior"}


def _change(ctx: Context, params: dict[str, Any]) -> float | None:
    figure = params["figure"]
    if figure not in PRIOR:
        raise ValueError(f"figure must be one of {', '.join(PRIOR)}")
    return figures.change(getattr(ctx.subject, figure), getattr(ctx.subject, PRIOR[figure]))


def _alert(ctx: Context, params: dict[str, Any]) -> list[str]:
    alert = params["alert"]
    if alert not in MonitoringAlert.values():
        raise ValueError(f"alert must be one of {', '.join(MonitoringAlert.values())}")
    report = ctx.subject
    report.alerts = sorted(set(report.alerts or []) | {alert})
    audit.record("monitoring_alert", subject=("monitoring_report", report.id), step=ctx.step,
                 details={"alert": alert})
    return report.alerts


def _plan(ctx: Context, params: dict[str, Any]) -> str:
    return periods.current_end(ctx.subject, ctx.now)


def _open(ctx: Context, params: dict[str, Any]) -> int:
    return periods.open_ended(ctx.subject, ctx.now)


def start_cycles() -> int:
    """Start the `monitoring_cycle` of every active programme that has none running (idempotent)."""
    from app.monitoring import programmes

    started = 0
    for programme in programmes.active_programmes():
        running = db.session.scalar(db.select(ProcessInstance.id).where(
            ProcessInstance.subject_type == PROGRAMME[0], ProcessInstance.subject_id == programme.id,
            ProcessInstance.status == "running").limit(1))
        if running is None:
            instances.start(PROGRAMME[0], programme, "monitoring_cycle")
            started += 1
    return started


register(Operation(
    "year_on_year_change", _l("Year-on-year change of a monitoring figure"),
    _l("The change of a filed figure against the same period last year, as a ratio (-0.25: down a quarter); "
       "empty without last year's figure."), REPORT, _change,
    {"figure": Param("str", _l("revenue or rd_expense"), required=True)}, result=_l("the change as a ratio")))
register(Operation(
    "record_monitoring_alert", _l("Record a monitoring alert"),
    _l("Marks the report with the alert the diagram's rule raised (revenue_drop, rd_drop, loss)."), REPORT, _alert,
    {"alert": Param("str", _l("revenue_drop, rd_drop or loss"), required=True)},
    result=_l("the report's alerts")))
register(Operation(
    "plan_monitoring_period", _l("When the current monitoring period ends"),
    _l("The moment the programme's current period ends (the start of the next day, China time), for a timer."),
    PROGRAMME, _plan, {}, result=_l("a date and time")))
register(Operation(
    "open_monitoring_period", _l("Open the monitoring period that just ended"),
    _l("Opens the programme's period that ended last, with a report and a filing task for every member it "
       "covers; leaves a period the office opened already as it is."), PROGRAMME, _open, {},
    result=_l("the period's id")))
