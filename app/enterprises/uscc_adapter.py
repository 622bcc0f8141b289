"""The claim to a USCC as a process subject (issue 16 §8). Its jurisdiction is the registered enterprise's region
and sector, so the `county` lane goes where the routing rules send that region's county work; the claim's status
follows its end event's `outcome` (`confirmed`, `declined`)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask_babel import gettext as _

from app import engine
from app.core import audit, workdays
from app.core.vocabulary import Lane, UsccClaimStatus
from app.extensions import db
from app.models import HumanTask, Office, ProcessInstance, Region, UsccClaim
from app.workbench import notifications
from app.workflow import routing, subjects, timers

SUBJECT = "uscc_claim"
OUTCOMES = (UsccClaimStatus.CONFIRMED.value, UsccClaimStatus.DECLINED.value)


class UsccClaimAdapter:
    subject_type = SUBJECT
    outcomes = OUTCOMES

    def load(self, subject_id: int) -> UsccClaim:
        return db.session.get(UsccClaim, subject_id)

    def of_instance(self, instance: ProcessInstance) -> UsccClaim:
        return self.load(instance.subject_id)

    def lock_options(self) -> list[Any]:
        return []

    def jurisdiction(self, subject: UsccClaim) -> tuple[Region, str | None]:
        return subject.enterprise.region, subject.enterprise.sector

    def binding_facts(self, subject: UsccClaim) -> dict[str, Any]:
        return {"tier": None, "on": workdays.china_date(subject.created_at)}

    def engine_data(self, subject: UsccClaim) -> dict[str, Any]:
        return {"uscc": subject.uscc, "enterprise_id": subject.enterprise_id}

    def deadline_days(self, subject: UsccClaim, pspec: engine.ProcessSpec, step: str) -> int | None:
        return timers.bpmn_deadline_days(pspec, step, {})

    def fixed_due(self, subject: UsccClaim, ready: engine.ReadyTask) -> datetime | None:
        return None

    def lane_office(self, subject: UsccClaim, lane: str | None) -> Office | None:
        return None  # the routing rules decide

    def task_columns(self, subject: UsccClaim) -> dict[str, Any]:
        return {"region_code": subject.enterprise.region_code, "sector": subject.enterprise.sector}

    def task_arrived(self, subject: UsccClaim, office: Office | None, assignee: int | None,
                     step_name: str | None) -> None:
        if office is not None:
            notifications.notify_office(office.id, "task_arrived", _(
                "New claim to the USCC %(uscc)s (%(name)s): check the business licence.", uscc=subject.uscc,
                name=subject.registered_name), None)

    def advanced(self, instance: ProcessInstance, subject: UsccClaim, result: engine.Advance,
                 pspec: engine.ProcessSpec, now: datetime) -> None:
        if not result.completed:
            return
        outcome = pspec.properties.get(result.end_event or "", {}).get("outcome")
        subject.status = outcome if outcome in OUTCOMES else UsccClaimStatus.DECLINED.value
        # closed: the USCC and the username may be claimed again; the password's hash is kept by nobody but the
        # new account
        subject.open_uscc = subject.open_username = subject.password_hash = None
        audit.record(f"uscc_claim_{subject.status}", actor=subject.decided_by, subject=(SUBJECT, subject.id),
                     comment=subject.reason if subject.status == UsccClaimStatus.DECLINED else None,
                     details={"enterprise_id": subject.enterprise_id, "uscc": subject.uscc})

    def timer_fired(self, subject: UsccClaim, task: HumanTask | None, timer: engine.Timer, now: datetime) -> None:
        audit.record(f"timer_{timer.kind}", subject=(SUBJECT, subject.id), step=timer.step)
        if task is None or task.office_id is None:
            return
        step = task.step_name or task.step
        if timer.kind == "reminder":
            task.reminded_at = now
            notifications.notify_office(task.office_id, "reminder", _(
                "Reminder: %(step)s for %(enterprise)s is due soon.", step=step, enterprise=subject.registered_name),
                None)
        elif timer.kind == "overdue":
            task.escalated_at = now
            message = _("Overdue: %(step)s for %(enterprise)s.", step=step, enterprise=subject.registered_name)
            notifications.notify_office(task.office_id, "overdue", message, None)
            region, sector = self.jurisdiction(subject)
            above = routing.office_for_lane(Lane.CITY, region, sector)
            if above is not None and above.id != task.office_id:
                notifications.notify_office(above.id, "overdue", message, None)

    def summary(self, subject: UsccClaim) -> dict[str, Any]:
        return {"uscc_claim_id": subject.id, "uscc": subject.uscc, "enterprise": subject.registered_name}

    def audit_refs(self, subject: UsccClaim) -> dict[str, Any]:
        return {"subject": (SUBJECT, subject.id)}

    def ended(self, subject: UsccClaim, step: str | None) -> None:
        audit.record("uscc_claim_ended", subject=(SUBJECT, subject.id), step=step)


subjects.register(UsccClaimAdapter())
