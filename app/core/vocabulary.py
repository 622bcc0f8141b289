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


class StepKind(Vocabulary):
    """What a user task is, declared by its `kind` property: the form, API and inbox follow it."""

    DECISION = "decision"
    EXPERT_SCORE = "expert_score"
    SPOT_CHECK = "spot_check"
    OBJECTION_REVIEW = "objections"
    AMENDMENT = "amendment"
    DATA_UPDATE = "data_update"


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
    },
    StepKind: {
        "decision": _l("An office decides: approve, return or reject (return and reject need a reason)"),
        "expert_score": _l("An expert of the drawn panel scores the application, blind"),
        "spot_check": _l("The office records the on-site check (date, inspectors, findings, outcome) and decides"),
        "objections": _l("The office reviews an objection raised during the public notice"),
        "amendment": _l("The enterprise amends the returned application and resubmits it"),
        "data_update": _l("The enterprise updates the data asked for and submits it"),
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
}
