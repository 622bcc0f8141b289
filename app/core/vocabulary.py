"""One vocabulary: every code the platform stores or exchanges, defined once with its label.

Labels are English msgids translated by the catalogue (Chinese by default); `tests/test_vocabulary.py`
checks that every member of every enum here has a Chinese label. Code compares with the members (they
are `str`), so a typo is a NameError rather than a silent mismatch.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from flask_babel import lazy_gettext as _l


class Vocabulary(StrEnum):
    """A code with a label; subclasses give `_labels_` as {value: lazy label}."""

    @property
    def label(self) -> str:
        return str(LABELS[type(self)][self.value])

    @classmethod
    def values(cls) -> tuple[str, ...]:
        return tuple(member.value for member in cls)

    @classmethod
    def labels(cls) -> dict[str, Any]:
        """{code: lazy label} for templates and forms."""
        return dict(LABELS[cls])


class Tier(Vocabulary):
    SEED = "seed"
    CITY = "city"
    PROVINCE = "province"
    NATIONAL = "national"


class ApplicationStatus(Vocabulary):
    DRAFT = "draft"
    IN_REVIEW = "in_review"
    RETURNED = "returned"
    RECOGNIZED = "recognized"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"


class Decision(Vocabulary):
    APPROVE = "approve"
    RETURN = "return"
    REJECT = "reject"
    # after recognition: re-verification (动态管理) and revocation (撤销)
    KEEP = "keep"
    DOWNGRADE = "downgrade"
    EXIT = "exit"
    REVOKE = "revoke"
    DISMISS = "dismiss"
    # a claim to a USCC (issue 16 §8): the county office confirms the claimant or refuses
    CONFIRM = "confirm"
    REFUSE = "refuse"
    # a problem (问题诉求, issue 14): a service team resolves or escalates it; the enterprise confirms or reopens
    RESOLVE = "resolve"
    ESCALATE = "escalate"
    REOPEN = "reopen"

    @property
    def needs_reason(self) -> bool:
        return self in (Decision.RETURN, Decision.REJECT, Decision.DOWNGRADE, Decision.EXIT, Decision.REVOKE,
                        Decision.REFUSE, Decision.ESCALATE, Decision.REOPEN)

    @classmethod
    def review(cls) -> tuple[str, ...]:
        """What a review step offers when its BPMN names no decisions."""
        return (cls.APPROVE.value, cls.RETURN.value, cls.REJECT.value)


class RecognitionStatus(Vocabulary):
    """A register entry's state (认定名录)."""

    ACTIVE = "active"
    UNDER_REVIEW = "under_review"
    EXPIRED = "expired"
    EXITED = "exited"
    REVOKED = "revoked"


class MembershipStatus(Vocabulary):
    ACTIVE = "active"
    EXITED = "exited"


class CaseKind(Vocabulary):
    """A lifecycle case about a register entry: a yearly re-verification or a revocation."""

    REVERIFICATION = "reverification"
    REVOCATION = "revocation"


class CaseOutcome(Vocabulary):
    """How a lifecycle case ended: an end event's `outcome`, or `unchanged` when the entry had ended meanwhile."""

    KEPT = "kept"
    DOWNGRADED = "downgraded"
    EXITED = "exited"
    REVOKED = "revoked"
    DISMISSED = "dismissed"
    UNCHANGED = "unchanged"


class ClaimStatus(Vocabulary):
    """Where a reward claim stands (its process decides; app/rewards/adapter.py)."""

    CHECKING = "checking"
    WAITING_BASE = "waiting_base"
    IN_REVIEW = "in_review"
    FINANCE_REVIEW = "finance_review"
    AWAITING_PAYMENT = "awaiting_payment"
    PAID = "paid"
    REJECTED = "rejected"
    REVERSED = "reversed"


class RewardTrigger(Vocabulary):
    """What a reward policy pays for."""

    FIRST_RECOGNITION = "first_recognition"
    LISTING = "listing"
    TECH_CENTRE = "tech_centre"
    TECHNICIAN_STUDIO = "technician_studio"


class RevocationGround(Vocabulary):
    """Grounds for revoking a recognition (POLICY.md "After recognition")."""

    FALSE_INFORMATION = "false_information"
    MAJOR_ACCIDENT = "major_accident"
    ABNORMAL_LISTING = "abnormal_listing"
    PROHIBITED_PRODUCTS = "prohibited_products"


class Sector(Vocabulary):
    INDUSTRY = "industry"
    AGRICULTURE = "agriculture"
    CONSTRUCTION = "construction"
    COMMERCE = "commerce"
    CULTURE_TOURISM = "culture_tourism"
    ENERGY = "energy"


class Lane(Vocabulary):
    """A role in a chain; at run time a routing rule (or the level's general office) resolves it."""

    ENTERPRISE = "enterprise"
    COUNTY = "county"
    CITY = "city"
    PROVINCE = "province"
    NATIONAL = "national"
    EXPERT = "expert"
    SERVICE_TEAM = "service_team"
    SME_AUTHORITY = "sme_authority"
    REGISTRAR = "registrar"
    FINANCE = "finance"


class StepKind(Vocabulary):
    """What a user task is, declared by its `kind` property: the form, API and inbox follow it."""

    DECISION = "decision"
    EXPERT_SCORE = "expert_score"
    SPOT_CHECK = "spot_check"
    OBJECTION_REVIEW = "objections"
    AMENDMENT = "amendment"
    DATA_UPDATE = "data_update"
    RESPONSE = "response"
    PAYMENT = "payment"
    PERIODIC_REPORT = "periodic_report"
    MONITORING_DATA = "monitoring_data"
    FOLLOW_UP = "follow_up"


class MonitoringFrequency(Vocabulary):
    """How often a monitoring programme opens a period (运行监测, 001 §二(一)7)."""

    MONTHLY = "monthly"
    QUARTERLY = "quarterly"
    HALF_YEAR = "half_year"
    YEAR = "year"


class MonitoringStatus(Vocabulary):
    """Where a member's monitoring report stands."""

    WAITING = "waiting"
    SUBMITTED = "submitted"
    MISSED = "missed"


class MonitoringAlert(Vocabulary):
    """What a monitoring process's rule flagged on a report (the rule itself is a BPMN gateway condition)."""

    REVENUE_DROP = "revenue_drop"
    RD_DROP = "rd_drop"
    LOSS = "loss"


class TaskState(Vocabulary):
    OPEN = "open"
    SUSPENDED = "suspended"
    COMPLETED = "completed"
    CANCELLED = "cancelled"


class InstanceStatus(Vocabulary):
    RUNNING = "running"
    SUSPENDED = "suspended"
    COMPLETED = "completed"


class TimerKind(Vocabulary):
    """What a timer event does when it fires, declared by its `escalation` property."""

    REMINDER = "reminder"
    OVERDUE = "overdue"
    HAND_UP = "hand_up"
    EXPERT_DEADLINE = "expert_deadline"
    NOTICE_PERIOD = "notice_period"
    TIMER = "timer"


class TimerState(Vocabulary):
    WAITING = "waiting"
    FIRED = "fired"
    CANCELLED = "cancelled"
    FAILED = "failed"


class ReportFrequency(Vocabulary):
    """How often a periodic report is due (定期调度, 000 §四(三): 每季度末、半年末、年终)."""

    QUARTERLY = "quarterly"
    HALF_YEAR = "half_year"
    YEAR = "year"


class ReportStatus(Vocabulary):
    """Where a city's periodic report stands (its process decides; app/reporting/periodic_adapter.py)."""

    OPEN = "open"
    SUBMITTED = "submitted"
    RETURNED = "returned"
    ACCEPTED = "accepted"


class TargetMetric(Vocabulary):
    """What a target counts (workflows/targets.json); app/reporting/targets.py says where each is computed
    from, and shows "no data source yet" for those Tierflow does not record."""

    TIER_SEED = "tier_seed"
    TIER_CITY = "tier_city"
    TIER_PROVINCE = "tier_province"
    TIER_NATIONAL = "tier_national"
    CHAMPION = "champion"
    LIBRARY_MEMBERS = "library_members"
    NEEQ_LISTED = "neeq_listed"
    EXCHANGE_LISTED = "exchange_listed"
    RD_INTENSITY = "rd_intensity"
    RD_STAFF_SHARE = "rd_staff_share"
    PLATFORM_NATIONAL = "platform_national"
    PLATFORM_PROVINCIAL = "platform_provincial"
    INCUBATOR_NATIONAL = "incubator_national"
    INCUBATOR_PROVINCIAL_DEMO = "incubator_provincial_demo"
    INCUBATOR_PROVINCIAL = "incubator_provincial"
    FACILITY_OPEN_RATE = "facility_open_rate"
    TRAINEES = "trainees"
    RD_INSTITUTIONS = "rd_institutions"


class TargetStatus(Vocabulary):
    """A target's traffic light against the pro-rata expectation (app/reporting/targets.py)."""

    GREEN = "green"
    AMBER = "amber"
    RED = "red"
    NO_DATA = "no_data"
    NO_SOURCE = "no_source"


LABELS: dict[type[Vocabulary], dict[str, Any]] = {
    Tier: {
        "seed": _l("Innovative SME (seed enterprise)"),
        "city": _l("City-level SRDI SME"),
        "province": _l("Provincial SRDI SME"),
        "national": _l('National SRDI "little giant" enterprise'),
    },
    ApplicationStatus: {
        "draft": _l("Draft"),
        "in_review": _l("In review"),
        "returned": _l("Returned for amendment"),
        "recognized": _l("Recognized"),
        "rejected": _l("Not recognized"),
        "withdrawn": _l("Withdrawn"),
    },
    Decision: {
        "approve": _l("Approve / recommend"),
        "return": _l("Return for amendment"),
        "reject": _l("Reject"),
        "keep": _l("Keep in the register"),
        "downgrade": _l("Downgrade to the tier below"),
        "exit": _l("Exit the register"),
        "revoke": _l("Revoke the recognition"),
        "dismiss": _l("Dismiss: the recognition stands"),
        "confirm": _l("Confirm the claimant: freeze the current account and hand the enterprise over"),
        "refuse": _l("Refuse the claim"),
        "resolve": _l("Resolve"),
        "escalate": _l("Escalate to the level above"),
        "reopen": _l("Reopen: not solved"),
    },
    RecognitionStatus: {
        "active": _l("In force"),
        "under_review": _l("Under review (revocation pending)"),
        "expired": _l("Expired"),
        "exited": _l("Exited"),
        "revoked": _l("Revoked"),
    },
    MembershipStatus: {
        "active": _l("Member"),
        "exited": _l("Exited"),
    },
    CaseKind: {
        "reverification": _l("Yearly re-verification"),
        "revocation": _l("Revocation"),
    },
    CaseOutcome: {
        "kept": _l("Kept"),
        "downgraded": _l("Downgraded"),
        "exited": _l("Exited the register"),
        "revoked": _l("Recognition revoked"),
        "dismissed": _l("Dismissed: the recognition stands"),
        "unchanged": _l("Closed without change (the entry had already ended)"),
    },
    ClaimStatus: {
        "checking": _l("Automatic checks"),
        "waiting_base": _l("Waiting for the matched reward"),
        "in_review": _l("SME office review"),
        "finance_review": _l("Finance approval"),
        "awaiting_payment": _l("Awaiting payment"),
        "paid": _l("Paid"),
        "rejected": _l("Not granted"),
        "reversed": _l("Reversed"),
    },
    RewardTrigger: {
        "first_recognition": _l("First recognition"),
        "listing": _l("Listing"),
        "tech_centre": _l("Enterprise technology centre"),
        "technician_studio": _l("Chief technician studio"),
    },
    RevocationGround: {
        "false_information": _l("False information in the application"),
        "major_accident": _l("A major safety, quality or environmental accident, or tax evasion, in the last 3 years"),
        "abnormal_listing": _l("Listed as operating abnormally or as seriously dishonest"),
        "prohibited_products": _l("Makes prohibited or eliminated products"),
    },
    Sector: {
        "industry": _l("Industry"),
        "agriculture": _l("Agriculture"),
        "construction": _l("Construction"),
        "commerce": _l("Commerce"),
        "culture_tourism": _l("Culture and tourism"),
        "energy": _l("Energy"),
    },
    Lane: {
        "enterprise": _l("Applicant enterprise (amends returned applications)"),
        "county": _l("County office (first review)"),
        "city": _l("City office"),
        "province": _l("Provincial office (the sector office where one exists)"),
        "national": _l("National office (MIIT)"),
        "expert": _l("Expert review"),
        "service_team": _l("Service team"),
        "sme_authority": _l("Provincial SME authority (recommends after a sector department)"),
        "registrar": _l("The office that keeps the register entry (the recognizing office)"),
        "finance": _l("The finance bureau of the paying fund's jurisdiction"),
    },
    StepKind: {
        "decision": _l("An office decides: approve, return or reject (return and reject need a reason)"),
        "expert_score": _l("An expert of the drawn panel scores the application, blind"),
        "spot_check": _l("The office records the on-site check (date, inspectors, findings, outcome) and decides"),
        "objections": _l("The office reviews an objection raised during the public notice"),
        "amendment": _l("The enterprise amends the returned application and resubmits it"),
        "data_update": _l("The enterprise updates the data asked for and submits it"),
        "response": _l("The enterprise states its case before the office decides"),
        "payment": _l("The finance bureau records the payment (date and voucher number)"),
        "periodic_report": _l("A city's information reporter fills in the periodic report under the four headings "
                              "and submits it"),
        "monitoring_data": _l("The enterprise files its operating figures for the monitoring period"),
        "follow_up": _l("The county office follows up an alert on monitoring figures and notes what it found"),
    },
    MonitoringFrequency: {
        "monthly": _l("Monthly"),
        "quarterly": _l("Quarterly"),
        "half_year": _l("Half-yearly"),
        "year": _l("Yearly"),
    },
    MonitoringStatus: {
        "waiting": _l("Waiting for figures"),
        "submitted": _l("Figures submitted"),
        "missed": _l("Missed the due date"),
    },
    MonitoringAlert: {
        "revenue_drop": _l("Revenue down 20 per cent or more year on year"),
        "rd_drop": _l("R&D expense down year on year"),
        "loss": _l("Loss-making"),
    },
    TaskState: {
        "open": _l("Waiting to be worked"),
        "suspended": _l("Suspended"),
        "completed": _l("Completed"),
        "cancelled": _l("Cancelled"),
    },
    InstanceStatus: {
        "running": _l("Running"),
        "suspended": _l("Suspended"),
        "completed": _l("Completed"),
    },
    TimerKind: {
        "reminder": _l("Reminder before the deadline"),
        "overdue": _l("Overdue flag upward"),
        "hand_up": _l("Hand-up to the next office"),
        "expert_deadline": _l("Expert deadline"),
        "notice_period": _l("End of the public notice"),
        "timer": _l("End of the period"),
    },
    TimerState: {
        "waiting": _l("Waiting"),
        "fired": _l("Fired"),
        "cancelled": _l("Cancelled (step done)"),
        "failed": _l("Failed: see the history"),
    },
    ReportFrequency: {
        "quarterly": _l("Quarterly"),
        "half_year": _l("Half-yearly"),
        "year": _l("Yearly"),
    },
    ReportStatus: {
        "open": _l("To be filed"),
        "submitted": _l("Submitted, awaiting the province"),
        "returned": _l("Returned for revision"),
        "accepted": _l("Accepted"),
    },
}


class RankingMetric(Vocabulary):
    """What a ranking scheme ranks regions by (app/reporting/ranking_metrics.py computes each for a year)."""

    RECOGNITIONS_NATIONAL = "recognitions_national"
    RECOGNITIONS_PROVINCE = "recognitions_province"
    RECOGNITIONS_CITY = "recognitions_city"
    RECOGNITIONS_SEED = "recognitions_seed"
    REVENUE_GROWTH = "revenue_growth"
    RD_GROWTH = "rd_growth"


LABELS[RankingMetric] = {
    "recognitions_national": _l("National little giants recognized in the year"),
    "recognitions_province": _l("Provincial SRDI SMEs recognized in the year"),
    "recognitions_city": _l("City-level SRDI SMEs recognized in the year"),
    "recognitions_seed": _l("Innovative SMEs recognized in the year"),
    "revenue_growth": _l("Revenue growth of the recognized enterprises"),
    "rd_growth": _l("R&D expense growth of the recognized enterprises"),
}
LABELS.update({
    TargetMetric: {
        "tier_seed": _l("Seed enterprises (recognized)"),
        "tier_city": _l("City-level SRDI SMEs (recognized)"),
        "tier_province": _l("Provincial SRDI SMEs (recognized)"),
        "tier_national": _l('National "little giants" (recognized)'),
        "champion": _l("National manufacturing single champions"),
        "library_members": _l("Enterprises entered in the cultivation library"),
        "neeq_listed": _l("SRDI SMEs quoted on the NEEQ"),
        "exchange_listed": _l("SRDI SMEs listed on a stock exchange"),
        "rd_intensity": _l("R&D expense / revenue of the provincial cohort (%)"),
        "rd_staff_share": _l("R&D staff / employees of the provincial cohort (%)"),
        "platform_national": _l("National SME public service demonstration platforms"),
        "platform_provincial": _l("Provincial SME public service platforms"),
        "incubator_national": _l("National entrepreneurship and innovation demonstration bases"),
        "incubator_provincial_demo": _l("Provincial entrepreneurship and innovation demonstration bases"),
        "incubator_provincial": _l("Provincial entrepreneurship and innovation incubation platforms"),
        "facility_open_rate": _l("Research facilities open to SRDI SMEs (%)"),
        "trainees": _l("People trained (cumulative person-times)"),
        "rd_institutions": _l("New R&D institutions of provincial level or above"),
    },
    TargetStatus: {
        "green": _l("On track"),
        "amber": _l("Slightly behind"),
        "red": _l("Behind"),
        "no_data": _l("No data yet"),
        "no_source": _l("No data source yet"),
    },
})


class AssignmentStatus(Vocabulary):
    """A service secretary's assignment to an enterprise (服务秘书, 001 §三(三)); ended ones stay as history."""

    ACTIVE = "active"
    ENDED = "ended"


LABELS[AssignmentStatus] = {
    "active": _l("Active"),
    "ended": _l("Ended"),
}


class UsccClaimStatus(Vocabulary):
    """Where a claim to a USCC stands (issue 16 §8; its process decides: app/enterprises/uscc_adapter.py)."""

    OPEN = "open"
    CONFIRMED = "confirmed"
    DECLINED = "declined"


LABELS[UsccClaimStatus] = {
    "open": _l("Waiting for the county office"),
    "confirmed": _l("Confirmed: the account was handed over"),
    "declined": _l("Refused"),
}


class ProblemCategory(Vocabulary):
    """What an enterprise's problem (问题诉求, issue 14) is about."""

    FINANCE = "finance"
    LAND = "land"
    TALENT = "talent"
    MARKET = "market"
    TECHNOLOGY = "technology"
    PERMITS = "permits"
    OTHER = "other"


class ProblemStatus(Vocabulary):
    """Where a problem stands (its process decides: app/services_desk/adapter.py)."""

    OPEN = "open"  # a service team holds it
    RESOLVED = "resolved"  # resolved, waiting for the enterprise to confirm or reopen
    CLOSED = "closed"  # confirmed by the enterprise (闭环), or closed itself without a confirmation


class ProblemLevel(Vocabulary):
    """The level holding a problem (问题解决工作制度, 001 §三(三), 000 §四(三))."""

    CITY = "city"
    PROVINCE = "province"
    LEADING_GROUP = "leading_group"
    GOVERNMENT = "government"


LABELS.update({
    ProblemCategory: {
        "finance": _l("Financing"),
        "land": _l("Land"),
        "talent": _l("Talent"),
        "market": _l("Market"),
        "technology": _l("Technology"),
        "permits": _l("Permits and approvals"),
        "other": _l("Other"),
    },
    ProblemStatus: {
        "open": _l("Being handled"),
        "resolved": _l("Resolved, waiting for confirmation"),
        "closed": _l("Closed"),
    },
    ProblemLevel: {
        "city": _l("City service team"),
        "province": _l("Provincial service team"),
        "leading_group": _l("Leading group's office"),
        "government": _l("Provincial government (major problem)"),
    },
})
