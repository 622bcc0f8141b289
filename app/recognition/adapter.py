"""The application as a process subject: its data for the engine, its jurisdiction, its status.

What the process does to an application is declared in the BPMN: an end event's `outcome` property
(`recognized`, `rejected`) closes it so; a waiting step of kind `amendment` means it is returned.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask_babel import gettext as _
from sqlalchemy.orm import joinedload

from app import engine
from app.core import appends, audit, workdays
from app.core.vocabulary import ApplicationStatus, StepKind
from app.extensions import db
from app.models import Application, Enterprise, HumanTask, Office, ProcessInstance, Region
from app.recognition import escalation, milestones
from app.workbench import notifications
from app.workflow import routing, subjects, timers

# what an end event's `outcome` may say about the application
OUTCOMES = (ApplicationStatus.RECOGNIZED, ApplicationStatus.REJECTED)
RETURNED_KINDS = (StepKind.AMENDMENT, StepKind.DATA_UPDATE)  # the enterprise must act


class ApplicationAdapter:
    subject_type = "application"
    outcomes = tuple(o.value for o in OUTCOMES)

    def load(self, subject_id: int) -> Application:
        return db.session.get(Application, subject_id)

    def of_instance(self, instance: ProcessInstance) -> Application:
        return instance.application if instance.application is not None else self.load(instance.subject_id)

    def lock_options(self) -> list[Any]:
        """The application, its call and its enterprise's region chain come with the locked instance."""
        application = joinedload(ProcessInstance.application)
        return [application.joinedload(Application.call),
                joinedload(ProcessInstance.application).joinedload(Application.enterprise, innerjoin=True)
                .joinedload(Enterprise.region, innerjoin=True)
                .joinedload(Region.parent).joinedload(Region.parent).joinedload(Region.parent)]

    def jurisdiction(self, subject: Application) -> tuple[Region, str | None]:
        return subject.enterprise.region, subject.enterprise.sector

    def binding_facts(self, subject: Application) -> dict[str, Any]:
        return {"tier": subject.target_tier, "on": workdays.china_date(subject.submitted_at)}

    def engine_data(self, subject: Application) -> dict[str, Any]:
        return {"target_tier": subject.target_tier, "sector": subject.enterprise.sector, "spot_check": False}

    def deadline_days(self, subject: Application, pspec: engine.ProcessSpec, step: str) -> int | None:
        overrides = (subject.call.step_deadlines or {}) if subject.call_id else {}
        return timers.bpmn_deadline_days(pspec, step, overrides)

    def fixed_due(self, subject: Application, ready: engine.ReadyTask) -> datetime | None:
        return None  # every step's deadline is in working days (the call may override them)

    def lane_office(self, subject: Application, lane: str | None) -> Office | None:
        return None  # every lane of the recognition chain is routed

    def task_columns(self, subject: Application) -> dict[str, Any]:
        return {"application_id": subject.id, "target_tier": subject.target_tier,
                "region_code": subject.enterprise.region_code, "sector": subject.enterprise.sector,
                "score": subject.score}

    def task_arrived(self, subject: Application, office: Office | None, assignee: int | None,
                     step_name: str | None) -> None:
        if office is not None:
            notifications.task_arrived(office.id, subject, step_name)
        if assignee is not None:
            notifications.notify_users([assignee], "task_arrived", _(
                "New task: %(enterprise)s, %(step)s", enterprise=subject.enterprise.name, step=step_name or ""),
                subject)

    def advanced(self, instance: ProcessInstance, subject: Application, result: engine.Advance,
                 pspec: engine.ProcessSpec, now: datetime) -> None:
        previous = subject.status
        if result.completed:
            outcome = pspec.properties.get(result.end_event or "", {}).get("outcome")
            subject.status = outcome if outcome in OUTCOMES else ApplicationStatus.REJECTED.value
        elif any(r.kind in RETURNED_KINDS for r in result.ready):
            subject.status = ApplicationStatus.RETURNED.value
        else:
            subject.status = ApplicationStatus.IN_REVIEW.value
        if subject.status != previous:
            notifications.status_changed(subject)
        if subject.status == ApplicationStatus.IN_REVIEW.value:
            self._milestones(subject, result, pspec)
        appends.update_loaded(subject, updated_at=now)  # the status with it, queued with the notices

    def _milestones(self, subject: Application, result: engine.Advance, pspec: engine.ProcessSpec) -> None:
        """Tell the enterprise about the milestones its waiting steps declare (`enterprise_notice`)."""
        region, sector = self.jurisdiction(subject)
        waits = [(r.properties, r.lane, None) for r in result.ready] + [
            (pspec.properties.get(t.step), pspec.lanes.get(t.step), t.due_at) for t in result.timers
            if t.attached_to is None]
        told: set[str] = set()  # a panel of experts is one milestone
        for properties, lane, until in waits:
            key = milestones.declared(properties)
            if key is not None and key not in told:
                told.add(key)
                office = routing.office_for_lane(lane, region, sector) if lane else None
                milestones.reached(subject, key, office.name if office else None, until)

    def timer_fired(self, subject: Application, task: HumanTask | None, timer: engine.Timer, now: datetime) -> None:
        escalation.on_fired(subject, task, timer, now)

    def summary(self, subject: Application) -> dict[str, Any]:
        return {"application_id": subject.id, "enterprise": subject.enterprise.name,
                "target_tier": subject.target_tier}

    def audit_refs(self, subject: Application) -> dict[str, Any]:
        return {"application": subject}

    def ended(self, subject: Application, step: str | None) -> None:
        """The process ended without a decision (a timer, a signal): the history says how."""
        audit.record(subject.status, application=subject, step=step)


subjects.register(ApplicationAdapter())
