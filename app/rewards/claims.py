"""Reward claims: opened by the register when a recognition is recorded (triggers.py), or filed by the
enterprise for what the register cannot see (a listing, a technology centre, a technician studio). Each runs
the `reward_claim` process: automatic checks → the SME office → finance → payment recorded."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from flask_babel import gettext as _

from app.core import audit, workdays
from app.core.errors import Conflict, Forbidden, Invalid, NotFound
from app.core.vocabulary import ClaimStatus, StepKind
from app.extensions import db
from app.models import (
    Enterprise,
    Fund,
    HumanTask,
    Office,
    ProcessInstance,
    Recognition,
    RewardClaim,
    RewardPolicy,
    User,
)
from app.models.base import utcnow
from app.rewards import ledger, policies
from app.workflow import instances

PROCESS = "reward_claim"
CLOSED = (ClaimStatus.PAID.value, ClaimStatus.REJECTED.value, ClaimStatus.REVERSED.value)
OPEN = tuple(status for status in ClaimStatus.values() if status not in CLOSED)
FINANCE = "finance"  # a finance bureau (财政局) is the office of its region with this sector code


def finance_office(region_code: str) -> Office | None:
    return db.session.scalar(db.select(Office).where(Office.region_code == region_code, Office.sector == FINANCE))


def fund_of(claim: RewardClaim) -> Fund:
    return db.session.scalar(db.select(Fund).where(Fund.key == claim.policy.fund_key))


def open_claim(enterprise: Enterprise, due: policies.Due, *, source: str, recognition: Recognition | None = None,
               evidence: str | None = None) -> RewardClaim | None:
    """Open a claim and start its process; None when the enterprise has claimed under this policy before (a
    first-time reward is claimed once: a second recognition at the tier claims nothing)."""
    taken = db.session.scalar(db.select(RewardClaim.id).where(
        RewardClaim.policy_id == due.policy.id, RewardClaim.enterprise_id == enterprise.id,
        RewardClaim.occurrence == "first"))
    if taken is not None:
        return None
    claim = RewardClaim(policy_id=due.policy.id, enterprise_id=enterprise.id, occurrence="first", source=source,
                        recognition_id=recognition.id if recognition else None, amount=due.amount, basis=due.basis,
                        evidence=evidence, status="checking")
    db.session.add(claim)
    db.session.flush()
    audit.record("claim_opened", subject=("claim", claim.id),
                 details={"policy": due.policy.key, "amount": due.amount, "source": source})
    instances.start("claim", claim, PROCESS)
    return claim


def open_for_recognition(entry: Recognition, on: date) -> list[RewardClaim]:
    """The first-recognition rewards a register entry earns: none when it is not the enterprise's first entry at
    that tier (a downgrade, a backfilled one, a renewal after expiry or exit), else every policy due."""
    if entry.source in ("downgrade", "backfill") or db.session.scalar(db.select(Recognition.id).where(
            Recognition.enterprise_id == entry.enterprise_id, Recognition.tier == entry.tier,
            Recognition.id != entry.id).limit(1)) is not None:
        return []
    opened = [open_claim(entry.enterprise, due, source="register", recognition=entry)
              for due in policies.due(entry.enterprise, "first_recognition", on, tier=entry.tier)]
    return [claim for claim in opened if claim is not None]


def file(user: User, values: dict[str, Any]) -> RewardClaim:
    """The enterprise files a claim for a trigger the register cannot see: `{"policy", "evidence"}` (what was
    achieved and its proof: the listing, the certificate); 422 when the policy does not apply to it."""
    if user.role != "enterprise" or user.enterprise_id is None:
        raise Forbidden(_("Only an enterprise account can file a reward claim."))
    enterprise = db.session.get(Enterprise, user.enterprise_id)
    policy = db.session.scalar(db.select(RewardPolicy).where(RewardPolicy.key == values.get("policy"))) \
        if isinstance(values.get("policy"), str) else None
    evidence = values.get("evidence")
    errors = {}
    if policy is None or policy.trigger not in policies.FILED:
        errors["policy"] = _("a reward policy an enterprise files for (listing, technology centre, studio)")
    if not isinstance(evidence, str) or not evidence.strip() or len(evidence) > 4000:
        errors["evidence"] = _("say what was achieved and where the proof is (at most 4000 characters)")
    if errors:
        raise Invalid(_("The claim cannot be filed; check the marked fields."), fields=errors)
    today = workdays.china_date()
    applicable = {d.policy.id: d for d in policies.due(enterprise, policy.trigger, today, level=policy.level)}
    if policy.id not in applicable:
        raise Invalid(_("This reward does not apply to your enterprise (its jurisdiction, period or conditions)."),
                      code="not_eligible", fields={"policy": _("not applicable")})
    claim = open_claim(enterprise, applicable[policy.id], source="enterprise", evidence=evidence.strip())
    if claim is None:
        raise Conflict(_("Your enterprise has claimed this reward before."), code="duplicate")
    audit.record("claim_filed", actor=user, subject=("claim", claim.id))
    return claim


# --- who sees and acts -----------------------------------------------------------------------------

def visible(user: User, query: Any) -> Any:
    """The enterprise its own claims; the SME office the claims of its funds; a finance bureau those of its
    region's funds; the admin all."""
    if user.role == "admin":
        return query
    if user.role == "enterprise":
        return query.where(RewardClaim.enterprise_id == user.enterprise_id)
    if user.role == "reviewer" and user.office is not None:
        funds = db.select(Fund.key).where(Fund.office_id == user.office_id) if user.office.sector != FINANCE \
            else db.select(Fund.key).where(Fund.region_code == user.office.region_code)
        paid_from = db.select(RewardPolicy.id).where(RewardPolicy.fund_key.in_(funds))
        return query.where(RewardClaim.policy_id.in_(paid_from))
    return query.where(db.false())


def get_for(user: User, claim_id: Any) -> RewardClaim:
    claim = db.session.get(RewardClaim, claim_id) if isinstance(claim_id, int) else None
    if claim is None or db.session.scalar(visible(user, db.select(RewardClaim.id)).where(
            RewardClaim.id == claim.id)) is None:
        raise NotFound(_("Reward claim not found."))
    return claim


SORTS = {  # the order of a claims list: oldest first by default
    "oldest": (RewardClaim.created_at, RewardClaim.id),
    "newest": (RewardClaim.created_at.desc(), RewardClaim.id.desc()),
    "amount_desc": (RewardClaim.amount.desc(), RewardClaim.id),
    "amount_asc": (RewardClaim.amount, RewardClaim.id),
}


def search(user: User, *, status: str | None = None, policy: str | None = None, fund: str | None = None,
           year: int | None = None, q: str | None = None, sort: str = "oldest", page: int = 1,
           per_page: int = 50) -> tuple[list[RewardClaim], int]:
    """The claims the user sees, filtered; `q`: part of the enterprise's name or its whole USCC."""
    query = visible(user, db.select(RewardClaim))
    if status:
        query = query.where(RewardClaim.status == status)
    if policy:
        query = query.where(RewardClaim.policy_id.in_(db.select(RewardPolicy.id).where(RewardPolicy.key == policy)))
    if fund:
        query = query.where(RewardClaim.policy_id.in_(db.select(RewardPolicy.id).where(RewardPolicy.fund_key == fund)))
    if year:
        start, end = (datetime(y, 1, 1, tzinfo=workdays.CHINA) for y in (year, year + 1))  # the year in China
        query = query.where(RewardClaim.created_at >= start, RewardClaim.created_at < end)
    if q and q.strip():
        q = q.strip()
        query = query.where(RewardClaim.enterprise_id.in_(db.select(Enterprise.id).where(
            Enterprise.name.contains(q, autoescape=True) | (Enterprise.uscc == q.upper()))))
    total = db.session.scalar(db.select(db.func.count()).select_from(query.order_by(None).subquery())) or 0
    rows = db.session.scalars(query.order_by(*SORTS.get(sort, SORTS["oldest"])).limit(per_page)
                              .offset((max(page, 1) - 1) * per_page))
    return list(rows), int(total)


def instance_of(claim: RewardClaim) -> ProcessInstance | None:
    return db.session.scalar(db.select(ProcessInstance).where(ProcessInstance.subject_type == "claim",
                                                              ProcessInstance.subject_id == claim.id))


def open_task(claim: RewardClaim) -> HumanTask | None:
    return db.session.scalar(db.select(HumanTask).where(HumanTask.subject_type == "claim",
                                                        HumanTask.subject_id == claim.id, HumanTask.state == "open")
                             .order_by(HumanTask.id).limit(1))


def decide(user: User, claim_id: Any, values: dict[str, Any]) -> RewardClaim:
    """The office holding the claim's task acts: `{"decision": "approve"|"reject", "comment"}` on a review,
    `{"decision": "pay", "voucher_no", "paid_on"}` on the payment. 409 when nothing waits for this office,
    422 for a decision the step does not offer, a missing reason or voucher."""
    if user.role != "reviewer" or user.office is None:
        raise Forbidden(_("Only a reviewer of an office can do this."))
    claim = get_for(user, claim_id)
    task = open_task(claim)
    if task is None or task.office_id != user.office_id:
        raise Conflict(_("This claim is not waiting for your office."), code="not_waiting")
    decision, comment = values.get("decision"), values.get("comment")
    comment = comment.strip() if isinstance(comment, str) else ""
    data: dict[str, Any] = {"decision": decision}
    if task.kind == StepKind.PAYMENT:
        if decision != "pay":
            raise Invalid(_("This step records the payment: decision pay."), fields={"decision": _("use pay")})
        voucher, paid_on = values.get("voucher_no"), values.get("paid_on")
        try:
            paid_on = date.fromisoformat(paid_on) if isinstance(paid_on, str) else None
        except ValueError:
            paid_on = None
        errors = {}
        if not isinstance(voucher, str) or not voucher.strip() or len(voucher) > 60:
            errors["voucher_no"] = _("the payment voucher number (at most 60 characters)")
        if paid_on is None or paid_on > workdays.china_date():
            errors["paid_on"] = _("the payment date YYYY-MM-DD, not in the future")
        if errors:
            raise Invalid(_("The payment cannot be recorded; check the marked fields."), fields=errors)
        _require_base_paid(claim)
        if policies.conditions_met(claim.policy, claim.enterprise, workdays.china_date()):
            raise Conflict(_("The enterprise no longer meets this reward's conditions; reject the claim."),
                           code="conditions_not_met")
        claim.voucher_no, claim.paid_on = voucher.strip(), paid_on
    else:
        allowed = [a[0] for a in task.actions or []]
        if decision not in allowed:
            raise Invalid(_("This step offers these decisions: %(decisions)s.", decisions=", ".join(allowed)),
                          fields={"decision": _("unknown")})
        if decision == "reject" and not comment:
            raise Invalid(_("A reason is required to return or reject."), fields={"comment": _("required")})
        if decision == "reject":
            claim.reason = comment
    instances.lock(task.instance_id)
    if task.state != "open" or claim.status in CLOSED:
        raise Conflict(_("This task is no longer open."))
    if task.claimed_by_id is None:
        task.claimed_by_id, task.claimed_at = user.id, utcnow()
    audit.record(decision, actor=user, office_id=task.office_id, step=task.step, comment=comment or None,
                 subject=("claim", claim.id), details={"voucher_no": claim.voucher_no} if decision == "pay" else None)
    instances.complete_task(task, user, data, decision=decision)
    return claim


def _require_base_paid(claim: RewardClaim) -> None:
    """A matching reward is paid after the reward it matches."""
    base_key = claim.policy.match_policy_key
    if not base_key:
        return
    base = _base_claim(claim)
    if base is None or base.status != "paid":
        raise Conflict(_("The reward this one matches has not been paid yet."), code="base_not_paid")


def _base_claim(claim: RewardClaim) -> RewardClaim | None:
    return db.session.scalar(db.select(RewardClaim).join(RewardPolicy, RewardPolicy.id == RewardClaim.policy_id)
                             .where(RewardPolicy.key == claim.policy.match_policy_key,
                                    RewardClaim.enterprise_id == claim.enterprise_id))


def base_state(claim: RewardClaim) -> str:
    """For the automatic check: `ok` (no match, or the matched reward is paid), `wait` (it is under way),
    `no` (it was refused, reversed or never claimed)."""
    if not claim.policy.match_policy_key:
        return "ok"
    base = _base_claim(claim)
    if base is None or base.status in ("rejected", "reversed"):
        return "no"
    return "ok" if base.status == "paid" else "wait"


def wake_matches(base: RewardClaim) -> None:
    """The matched reward ended (paid, refused or reversed): claims waiting for it check again (BPMN signal
    `base_paid`): they go on after a payment and end otherwise."""
    waiting = db.session.scalars(db.select(RewardClaim).join(RewardPolicy, RewardPolicy.id == RewardClaim.policy_id)
                                 .where(RewardPolicy.match_policy_key == base.policy.key,
                                        RewardClaim.enterprise_id == base.enterprise_id,
                                        RewardClaim.status == "waiting_base"))
    for claim in list(waiting):
        instance = instance_of(claim)
        if instance is not None:
            instances.signal(instances.lock(instance.id), "base_paid")


def reverse_for(recognition: Recognition) -> int:
    """The recognition was revoked: its claims not yet paid are reversed (BPMN signal `recognition_revoked`:
    what was committed is released); how many."""
    reversed_ = 0
    resting = db.select(RewardPolicy.id).where(RewardPolicy.conditions["held_tier"].as_string() == recognition.tier)
    for claim in list(db.session.scalars(db.select(RewardClaim).where(
            RewardClaim.status.in_(OPEN), (RewardClaim.recognition_id == recognition.id) | (
                (RewardClaim.enterprise_id == recognition.enterprise_id) & RewardClaim.policy_id.in_(resting)))
            .order_by(RewardClaim.id))):
        instance = instance_of(claim)
        if instance is None:
            continue
        locked = instances.lock(instance.id)
        if instances.signal(locked, "recognition_revoked"):
            reversed_ += 1
        elif claim.status == "waiting_base":  # a match waiting for its base: it checks again and ends
            instances.signal(locked, "base_paid")
    return reversed_


def to_dict(claim: RewardClaim) -> dict[str, Any]:
    task = open_task(claim)
    return {"id": claim.id, "enterprise": claim.enterprise.summary(), "policy": claim.policy.key,
            "policy_name": claim.policy.name, "fund": claim.policy.fund_key, "trigger": claim.policy.trigger,
            "tier": claim.policy.tier, "amount": claim.amount, "basis": claim.basis, "source": claim.source,
            "recognition_id": claim.recognition_id, "evidence": claim.evidence, "status": claim.status,
            "reason": claim.reason, "voucher_no": claim.voucher_no,
            "paid_on": claim.paid_on.isoformat() if claim.paid_on else None, "clause": claim.policy.clause,
            "committed": ledger.committed_of(claim), "created_at": claim.created_at.isoformat(),
            "waiting": None if task is None else {
                "task_id": task.id, "step": task.step, "step_name": task.step_name, "kind": task.kind,
                "office": task.office.to_dict() if task.office else None,
                "decisions": [d for d, _label in (task.actions or [])] or (["pay"] if task.kind == "payment" else []),
                "due_at": task.due_at.isoformat() if task.due_at else None}}
