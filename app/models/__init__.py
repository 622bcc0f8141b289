"""SQLAlchemy models, one concept per module."""

from app.models.application import EDITABLE_STATUSES, STATUSES, TIERS, Application, ApplicationNumberSequence
from app.models.audit import AuditEvent
from app.models.calls import Call
from app.models.enterprise import SECTORS, Enterprise
from app.models.lifecycle import (
    CASE_KINDS,
    RECOGNITION_STATUSES,
    Campaign,
    Library,
    LibraryMembership,
    LifecycleCase,
    Recognition,
)
from app.models.monitoring import FIGURES, MonitoringPeriod, MonitoringProgramme, MonitoringReport
from app.models.notice import Objection
from app.models.periodic import SECTIONS, PeriodicReport, ReportSchedule, ReportScheduleUnit
from app.models.problem import Problem
from app.models.process import (
    DefinitionDraft,
    HumanTask,
    ProcessBinding,
    ProcessDefinition,
    ProcessInstance,
    ProcessTimer,
    RoutingRule,
)
from app.models.ranking import RankingRun, RankingScheme
from app.models.region import Office, Region
from app.models.rewards import Fund, LedgerEntry, RewardClaim, RewardPolicy
from app.models.rules import RuleSet
from app.models.services_desk import ServiceAssignment, ServiceVisit
from app.models.targets import Target
from app.models.uscc_claim import UsccClaim
from app.models.user import ROLES, ApiToken, User
from app.models.workbench import (
    DOC_TYPES,
    Attachment,
    ConflictOfInterest,
    DocumentRequest,
    Notification,
    ReviewComment,
    SavedFilter,
)

__all__ = [
    "DOC_TYPES", "Attachment", "ConflictOfInterest", "DocumentRequest", "Notification", "ReviewComment",
    "SavedFilter", "ROLES", "SECTORS", "STATUSES", "TIERS", "EDITABLE_STATUSES",
    "ApiToken", "Application", "ApplicationNumberSequence",
    "AuditEvent", "Call", "DefinitionDraft", "Enterprise", "HumanTask", "Office",
    "Objection", "ProcessBinding", "ProcessDefinition", "ProcessInstance", "ProcessTimer", "Region", "RoutingRule",
    "RuleSet", "User", "CASE_KINDS", "RECOGNITION_STATUSES", "Campaign", "Library", "LibraryMembership",
    "LifecycleCase", "Recognition", "Fund", "LedgerEntry", "RewardClaim", "RewardPolicy",
    "FIGURES", "MonitoringPeriod", "MonitoringProgramme", "MonitoringReport", "Target",
    "SECTIONS", "PeriodicReport", "ReportSchedule", "ReportScheduleUnit",
    "RankingRun", "RankingScheme", "ServiceAssignment", "ServiceVisit",
    "UsccClaim",
    "Problem",
]
