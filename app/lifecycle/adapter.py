"""The lifecycle case as a process subject: a member's yearly re-verification or a revocation.

The deciding office is the `registrar` lane (the office that keeps the register entry); the enterprise's
lane is the member itself. What the process does to the register is declared in the BPMN (service task
`update_register`); an end event's `outcome` says how the case closed.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

from flask_babel import gettext as _

from app import engine
from app.core import audit, workdays
from app.core.vocabulary import CaseKind, CaseOutcome, Lane, StepKind
from app.extensions import db
from app.models import Campaign, HumanTask, LifecycleCase, Office, ProcessInstance, Region
from app.workbench import notifications
from app.workflow import subjects, timers

# what an end event may declare (`unchanged` is the register's own word, never a diagram's)
OUTCOMES = tuple(o.value for o in CaseOutcome if o != CaseOutcome.UNCHANGED)


def case_tier(case: LifecycleCase) -> str | None:
    if case.recognition is not None:
        return case.recognition.tier
    return case.membership.library.tier if case.membership is not None else None


def _enterprise_users(case: LifecycleCase) -> list[int]:
    from app.models import User

    return list(db.session.scalars(db.select(User.id).where(User.enterprise_id == case.enterprise_id,
                                                            User.active.is_(True))))


def _close_campaign(case: LifecycleCase) -> None:
    """The campaign closes with its last open case (another campaign may then open for the year)."""
    campaign = case.campaign
    if campaign is None or campaign.status != "open":
        return
    # the campaign row is locked: two last cases decided at once cannot both see the other one open
    db.session.execute(db.select(Campaign.id).where(Campaign.id == campaign.id).with_for_update())
    still_open = db.session.scalar(db.select(LifecycleCase.id).where(
        LifecycleCase.campaign_id == campaign.id, LifecycleCase.status == "open", LifecycleCase.id != case.id)
        .limit(1))
    if still_open is None:
        campaign.status = "closed"
        audit.record("campaign_closed", subject=("campaign", campaign.id), office_id=campaign.office_id)


class CaseAdapter:
    subject_type = "case"
    outcomes = OUTCOMES

    def load(self, subject_id: int) -> LifecycleCase:
        return db.session.get(LifecycleCase, subject_id)

    def of_instance(self, instance: ProcessInstance) -> LifecycleCase:
        return self.load(instance.subject_id)

    def lock_options(self) -> list[Any]:
        return []

    def jurisdiction(self, subject: LifecycleCase) -> tuple[Region, str | None]:
        return subject.enterprise.region, subject.enterprise.sector

    def binding_facts(self, subject: LifecycleCase) -> dict[str, Any]:
        return {"tier": case_tier(subject), "on": workdays.china_date(subject.created_at)}

    def engine_data(self, subject: LifecycleCase) -> dict[str, Any]:
        campaign = subject.campaign
        # the campaign's deadline: the end of its due day, China time
        due = datetime.combine(campaign.due_on, time(23, 59), tzinfo=workdays.CHINA) if campaign else None
        # the reminder: ten days before the deadline (at once when the campaign opens later than that)
        remind = max(due - timedelta(days=10), datetime.now(workdays.CHINA)) if due else None
        return {"case_kind": subject.kind, "tier": case_tier(subject), "library": subject.membership.library_key
                if subject.membership else None, "update_due": due.isoformat() if due else None,
                "update_remind": remind.isoformat() if remind else None, "missed": False}

    def deadline_days(self, subject: LifecycleCase, pspec: engine.ProcessSpec, step: str) -> int | None:
        return timers.bpmn_deadline_days(pspec, step, {})

    def fixed_due(self, subject: LifecycleCase, ready: engine.ReadyTask) -> datetime | None:
        """A campaign's yearly update is due on the campaign's date (end of day, China time)."""
        if subject.campaign is None or ready.kind != StepKind.DATA_UPDATE:
            return None
        return datetime.combine(subject.campaign.due_on, time(23, 59), tzinfo=workdays.CHINA)

    def lane_office(self, subject: LifecycleCase, lane: str | None) -> Office | None:
        return subject.office if lane == Lane.REGISTRAR else None

    def task_columns(self, subject: LifecycleCase) -> dict[str, Any]:
        return {"target_tier": case_tier(subject), "region_code": subject.enterprise.region_code,
                "sector": subject.enterprise.sector}

    def task_arrived(self, subject: LifecycleCase, office: Office | None, assignee: int | None,
                     step_name: str | None) -> None:
        message = _("New task: %(enterprise)s, %(step)s", enterprise=subject.enterprise.name, step=step_name or "")
        if office is not None:
            notifications.notify_office(office.id, "task_arrived", message, None)
        else:  # the enterprise's own lane: update its data, state its case
            notifications.notify_users(_enterprise_users(subject), "task_arrived", message)

    def advanced(self, instance: ProcessInstance, subject: LifecycleCase, result: engine.Advance,
                 pspec: engine.ProcessSpec, now: datetime) -> None:
        if result.completed:
            subject.status, subject.closed_at = "closed", now
            outcome = pspec.properties.get(result.end_event or "", {}).get("outcome")
            subject.outcome = subject.outcome or outcome
            audit.record("case_closed", subject=("case", subject.id), details={"outcome": outcome})
            _close_campaign(subject)
            if subject.outcome in CaseOutcome.values():  # tell the enterprise how its case ended
                kind, outcome = CaseKind(subject.kind).label, CaseOutcome(subject.outcome).label
                message = _("%(kind)s of your recognition closed: %(outcome)s. Reason: %(reason)s", kind=kind,
                            outcome=outcome, reason=subject.reason) if subject.reason else _(
                    "%(kind)s of your recognition closed: %(outcome)s.", kind=kind, outcome=outcome)
                notifications.notify_users(_enterprise_users(subject), "case_closed", message)

    def timer_fired(self, subject: LifecycleCase, task: HumanTask | None, timer: engine.Timer, now: datetime) -> None:
        """A reminder goes to whoever holds the task; an overdue flag is marked on it and the deciding
        office is told (a member that missed its update, an office late with its decision)."""
        audit.record(f"timer_{timer.kind}", subject=("case", subject.id), step=timer.step,
                     details={"task_id": task.id if task else None})
        if task is None:
            return
        step = task.step_name or task.step
        if timer.kind == "reminder":
            task.reminded_at = now
            message = _("Reminder: %(step)s for %(enterprise)s is due soon.", step=step,
                        enterprise=subject.enterprise.name)
            if task.office_id is not None:
                notifications.notify_office(task.office_id, "reminder", message, None)
            else:
                notifications.notify_users(_enterprise_users(subject), "reminder", message)
        elif timer.kind == "overdue":
            task.escalated_at = now
            notifications.notify_office(subject.office_id, "overdue", _(
                "Overdue: %(step)s for %(enterprise)s.", step=step, enterprise=subject.enterprise.name), None)

    def summary(self, subject: LifecycleCase) -> dict[str, Any]:
        return {"case_id": subject.id, "kind": subject.kind, "enterprise": subject.enterprise.name,
                "tier": case_tier(subject)}

    def audit_refs(self, subject: LifecycleCase) -> dict[str, Any]:
        return {"subject": ("case", subject.id)}

    def ended(self, subject: LifecycleCase, step: str | None) -> None:
        audit.record("case_ended", subject=("case", subject.id), step=step)


subjects.register(CaseAdapter())

