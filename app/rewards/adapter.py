"""The reward claim as a process subject. The SME office that keeps the paying fund reviews (lane
`registrar`), the finance bureau of the fund's region approves and pays (lane `finance`); the claim's status
follows where its process waits, and an end event's `outcome` says how it closed."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask_babel import gettext as _

from app import engine
from app.core import audit, workdays
from app.core.vocabulary import Lane, StepKind
from app.extensions import db
from app.models import HumanTask, Office, ProcessInstance, Region, RewardClaim, User
from app.rewards import claims
from app.workbench import notifications
from app.workflow import subjects, timers

OUTCOMES = ("paid", "rejected", "reversed")


def _enterprise_users(claim: RewardClaim) -> list[int]:
    return list(db.session.scalars(db.select(User.id).where(User.enterprise_id == claim.enterprise_id,
                                                            User.active.is_(True))))


def _yuan_wan(amount: int) -> str:
    return f"{amount / 10000:g}"


class ClaimAdapter:
    subject_type = "claim"
    outcomes = OUTCOMES

    def load(self, subject_id: int) -> RewardClaim:
        return db.session.get(RewardClaim, subject_id)

    def of_instance(self, instance: ProcessInstance) -> RewardClaim:
        return self.load(instance.subject_id)

    def lock_options(self) -> list[Any]:
        return []

    def jurisdiction(self, subject: RewardClaim) -> tuple[Region, str | None]:
        return subject.enterprise.region, subject.enterprise.sector

    def binding_facts(self, subject: RewardClaim) -> dict[str, Any]:
        return {"tier": subject.policy.tier, "on": workdays.china_date(subject.created_at)}

    def engine_data(self, subject: RewardClaim) -> dict[str, Any]:
        return {"policy": subject.policy.key, "trigger": subject.policy.trigger, "amount": subject.amount,
                "matching": bool(subject.policy.match_policy_key), "source": subject.source}

    def deadline_days(self, subject: RewardClaim, pspec: engine.ProcessSpec, step: str) -> int | None:
        return timers.bpmn_deadline_days(pspec, step, {})

    def fixed_due(self, subject: RewardClaim, ready: engine.ReadyTask) -> datetime | None:
        return None

    def lane_office(self, subject: RewardClaim, lane: str | None) -> Office | None:
        fund = claims.fund_of(subject)
        if lane == Lane.REGISTRAR:
            return fund.office
        if lane == Lane.FINANCE:
            return claims.finance_office(fund.region_code)
        return None

    def task_columns(self, subject: RewardClaim) -> dict[str, Any]:
        return {"target_tier": subject.policy.tier, "region_code": subject.enterprise.region_code,
                "sector": subject.enterprise.sector}

    def task_arrived(self, subject: RewardClaim, office: Office | None, assignee: int | None,
                     step_name: str | None) -> None:
        if office is not None:
            notifications.notify_office(office.id, "task_arrived", _(
                "New task: %(enterprise)s, %(step)s", enterprise=subject.enterprise.name, step=step_name or ""), None)

    def advanced(self, instance: ProcessInstance, subject: RewardClaim, result: engine.Advance,
                 pspec: engine.ProcessSpec, now: datetime) -> None:
        previous = subject.status
        if result.completed:
            outcome = pspec.properties.get(result.end_event or "", {}).get("outcome")
            subject.status = outcome if outcome in OUTCOMES else "rejected"
        elif any(r.kind == StepKind.PAYMENT for r in result.ready):
            subject.status = "awaiting_payment"
        elif any(r.lane == Lane.FINANCE for r in result.ready):
            subject.status = "finance_review"
        elif result.ready:
            subject.status = "in_review"
        else:
            subject.status = "waiting_base"  # a match waits for the reward it matches
        if subject.status != previous and subject.status in OUTCOMES:
            audit.record(f"claim_{subject.status}", subject=("claim", subject.id),
                         details={"amount": subject.amount, "voucher_no": subject.voucher_no})
            messages = {
                "paid": _("Your reward %(name)s of %(wan)s万元 was paid (voucher %(voucher)s).",
                          name=subject.policy.name, wan=_yuan_wan(subject.amount), voucher=subject.voucher_no or ""),
                "rejected": _("Your reward claim %(name)s was not granted: %(reason)s", name=subject.policy.name,
                              reason=subject.reason or ""),
                "reversed": _("Your reward claim %(name)s was withdrawn: the recognition it rests on was revoked.",
                              name=subject.policy.name),
            }
            notifications.notify_users(_enterprise_users(subject), "reward", messages[subject.status])
            claims.wake_matches(subject)

    def timer_fired(self, subject: RewardClaim, task: HumanTask | None, timer: engine.Timer, now: datetime) -> None:
        audit.record(f"timer_{timer.kind}", subject=("claim", subject.id), step=timer.step)
        if task is None or task.office_id is None:
            return
        if timer.kind == "reminder":
            task.reminded_at = now
            notifications.notify_office(task.office_id, "reminder", _(
                "Reminder: %(step)s for %(enterprise)s is due soon.", step=task.step_name or task.step,
                enterprise=subject.enterprise.name), None)
        elif timer.kind == "overdue":
            task.escalated_at = now
            notifications.notify_office(task.office_id, "overdue", _(
                "Overdue: %(step)s for %(enterprise)s.", step=task.step_name or task.step,
                enterprise=subject.enterprise.name), None)

    def summary(self, subject: RewardClaim) -> dict[str, Any]:
        return {"claim_id": subject.id, "enterprise": subject.enterprise.name, "policy": subject.policy.key}

    def audit_refs(self, subject: RewardClaim) -> dict[str, Any]:
        return {"subject": ("claim", subject.id)}

    def ended(self, subject: RewardClaim, step: str | None) -> None:
        audit.record("claim_ended", subject=("claim", subject.id), step=step)


subjects.register(ClaimAdapter())
