"""一企一册 (004 §四(六)): one ledger per enterprise — its profile, recognitions and library memberships with
their history, every application and its outcome, lifecycle cases and documents; room for what later issues
add (services, monitoring). Read-only over the other domains.

Who may open it: the enterprise itself, an office on its chain (an office whose region is in the enterprise's
region lineage: county, city, province, national) and the admin. Anyone else gets 404, so that an
enterprise's existence does not leak.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from flask_babel import gettext as _

from app.core.errors import NotFound
from app.extensions import db
from app.lifecycle import cases, libraries, names, register
from app.models import (
    Application,
    Attachment,
    AuditEvent,
    Enterprise,
    LibraryMembership,
    LifecycleCase,
    Problem,
    Recognition,
    RewardClaim,
    ServiceAssignment,
    ServiceVisit,
    User,
)
from app.models.base import utcnow
from app.org.regions import full_name
from app.services_desk import assignments, problems, visits

LATER = ("services", "monitoring")  # filled by later issues; empty lists until then
OUTCOMES = ("recognized", "rejected", "withdrawn")  # an application's closing status
REASON_ACTIONS = ("reject", "rejected", "withdraw")  # the audit entries whose comment explains an outcome


def can_view(user: User | None, enterprise: Enterprise) -> bool:
    if user is None:
        return False
    if user.role == "admin":
        return True
    if user.role == "enterprise":
        return user.enterprise_id == enterprise.id
    if user.role == "reviewer" and user.office is not None:
        # an office on its chain; a sector office only for firms of its sector
        return user.office.region_code in enterprise.region.lineage() and user.office.sector in (
            None, enterprise.sector)
    if user.role == "secretary":  # a service secretary: the firms it serves (app/services_desk/assignments.py)
        return assignments.serves(user, enterprise.id) is not None
    return False


def get_for(user: User | None, enterprise_id: Any) -> Enterprise:
    enterprise = db.session.get(Enterprise, enterprise_id) if isinstance(enterprise_id, int) else None
    if enterprise is None or not can_view(user, enterprise):
        raise NotFound(_("Enterprise not found."))
    return enterprise


@dataclass
class ApplicationLine:
    application: Application
    outcome: str | None  # recognized, rejected, withdrawn; None while it is open
    reason: str | None  # the comment that closed it (a rejection's reason)
    recognition: Recognition | None  # the register entry it led to


@dataclass
class Ledger:
    enterprise: Enterprise
    region_name: str
    recognitions: list[Recognition]
    histories: dict[int, list[dict[str, Any]]]  # recognition id → register.history
    memberships: list[LibraryMembership]
    applications: list[ApplicationLine]
    cases: list[LifecycleCase]
    documents: list[Attachment]  # of its applications, then of its lifecycle cases
    rewards: list[RewardClaim] = field(default_factory=list)  # its reward claims, newest first
    # 服务秘书 and 挂钩领导 (active first, then the ended), and the visits, latest first (app/services_desk)
    service_assignments: list[ServiceAssignment] = field(default_factory=list)
    service_visits: list[ServiceVisit] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)  # its 问题诉求, newest first (app/services_desk)
    generated_at: datetime = field(default_factory=utcnow)

    def tier_label(self, tier: str) -> str:
        """`tier` as the enterprise's jurisdiction calls it (吉林: 优质“种子企业”; 山西: 省级专精特新“小巨人”企业)."""
        return names.tier_label(tier, self.enterprise.region)


def _applications(user: User, enterprise: Enterprise) -> list[Application]:
    query = db.select(Application).where(Application.enterprise_id == enterprise.id)
    # a draft never submitted is the enterprise's own business (jurisdiction.can_view)
    if user.role in ("reviewer", "secretary"):
        query = query.where(Application.submitted_at.is_not(None))
    return list(db.session.scalars(query.order_by(Application.created_at.desc(), Application.id.desc())))


def _lines(applications: list[Application], recognitions: list[Recognition]) -> list[ApplicationLine]:
    ids = [a.id for a in applications]
    reasons: dict[int, str] = {}
    if ids:
        for event in db.session.scalars(db.select(AuditEvent).where(
                AuditEvent.application_id.in_(ids), AuditEvent.action.in_(REASON_ACTIONS),
                AuditEvent.comment.is_not(None)).order_by(AuditEvent.at, AuditEvent.id)):
            reasons[event.application_id] = event.comment
    by_application = {r.application_id: r for r in recognitions if r.application_id is not None}
    lines = []
    for a in applications:
        outcome = a.status if a.status in OUTCOMES else None
        lines.append(ApplicationLine(a, outcome, reasons.get(a.id) if outcome in ("rejected", "withdrawn") else None,
                                     by_application.get(a.id)))
    return lines


def collect(user: User, enterprise: Enterprise) -> Ledger:
    """Everything the ledger shows, for a caller that may open it (see get_for)."""
    recognitions = register.of_enterprise(enterprise.id)
    applications = _applications(user, enterprise)
    ids = [a.id for a in applications]
    documents = list(db.session.scalars(db.select(Attachment).where(Attachment.application_id.in_(ids))
                                        .order_by(Attachment.application_id.desc(), Attachment.id))) if ids else []
    lifecycle_cases = list(db.session.scalars(db.select(LifecycleCase).where(
        LifecycleCase.enterprise_id == enterprise.id).order_by(LifecycleCase.created_at.desc(),
                                                              LifecycleCase.id.desc())))
    case_ids = [c.id for c in lifecycle_cases]
    if case_ids:  # then the evidence of its lifecycle cases (a revocation's, the enterprise's statement's)
        documents += list(db.session.scalars(db.select(Attachment).where(Attachment.case_id.in_(case_ids))
                                             .order_by(Attachment.case_id.desc(), Attachment.id)))
    return Ledger(
        enterprise=enterprise, region_name=full_name(enterprise.region), recognitions=recognitions,
        histories={r.id: register.history(r) for r in recognitions},
        memberships=libraries.of_enterprise(enterprise.id), applications=_lines(applications, recognitions),
        cases=lifecycle_cases, documents=documents,
        rewards=list(db.session.scalars(db.select(RewardClaim).where(RewardClaim.enterprise_id == enterprise.id)
                                        .order_by(RewardClaim.created_at.desc(), RewardClaim.id.desc()))),
        service_assignments=assignments.of_enterprise(enterprise.id),
        service_visits=visits.of_enterprise(enterprise.id),
        problems=problems.of_enterprise(enterprise.id))


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def application_dict(line: ApplicationLine) -> dict[str, Any]:
    a = line.application
    return {"id": a.id, "target_tier": a.target_tier,
            "tier_label": names.tier_label(a.target_tier, a.enterprise.region), "status": a.status,
            "outcome": line.outcome, "outcome_reason": line.reason,
            "recognition_id": line.recognition.id if line.recognition else None, "call_id": a.call_id,
            "submitted_at": _iso(a.submitted_at), "created_at": _iso(a.created_at), "updated_at": _iso(a.updated_at)}


def document_dict(document: Attachment) -> dict[str, Any]:
    return {"id": document.id, "application_id": document.application_id, "case_id": document.case_id,
            "doc_type": document.doc_type,
            "name": document.original_name, "content_type": document.content_type, "size": document.size,
            "sha256": document.sha256, "uploaded_at": _iso(document.uploaded_at)}


def case_dict(case: LifecycleCase) -> dict[str, Any]:
    body = cases.to_dict(case)
    body.pop("waiting", None)
    return body


def reward_dict(claim: RewardClaim) -> dict[str, Any]:
    """A reward claim as the ledger lists it (amount in yuan)."""
    policy = claim.policy
    return {"id": claim.id, "policy": policy.key, "policy_name": policy.name, "clause": policy.clause,
            "trigger": policy.trigger, "tier": policy.tier, "fund": policy.fund_key, "amount": claim.amount,
            "status": claim.status, "reason": claim.reason, "voucher_no": claim.voucher_no,
            "paid_on": _iso(claim.paid_on), "created_at": _iso(claim.created_at)}


def to_dict(ledger: Ledger) -> dict[str, Any]:
    enterprise = ledger.enterprise
    return {
        "profile": enterprise.to_dict() | {"region_name": ledger.region_name,
                                           "registered_at": _iso(enterprise.created_at)},
        "recognitions": [register.to_dict(r) | {"history": ledger.histories.get(r.id, [])}
                         for r in ledger.recognitions],
        "library_memberships": [libraries.membership_to_dict(m) for m in ledger.memberships],
        "applications": [application_dict(line) for line in ledger.applications],
        "cases": [case_dict(c) for c in ledger.cases],
        "documents": [document_dict(d) for d in ledger.documents],
        "rewards": [reward_dict(c) for c in ledger.rewards],
        "service_assignments": [assignments.to_dict(a) for a in ledger.service_assignments],
        "service_visits": [visits.to_dict(v) for v in ledger.service_visits],
        "problems": [problems.to_dict(p, detail=False) for p in ledger.problems],
        **{key: [] for key in LATER},
        "generated_at": _iso(ledger.generated_at),
    }
