"""Process definitions (versions of BPMN/DMN), running instances, and the inbox table."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.vocabulary import TaskState, TimerState
from app.extensions import db
from app.models.base import JSONType, UTCDateTime, utcnow

TASK_STATES = TaskState.values()  # dead codes go: the vocabulary is the one list


class ProcessDefinition(db.Model):
    """One deployed version of a BPMN or DMN file; versions count up per key."""

    __tablename__ = "process_definition"
    __table_args__ = (UniqueConstraint("key", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(64))
    version: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(8), default="bpmn")
    xml: Mapped[str] = mapped_column(Text)
    comment: Mapped[str | None] = mapped_column(String(500))
    is_active: Mapped[bool] = mapped_column(default=True)
    deployed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    deployed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    deployed_by = relationship("User")


class DefinitionDraft(db.Model):
    """Work in progress on a definition, saved from the browser editor; never run until deployed."""

    __tablename__ = "definition_draft"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[str] = mapped_column(String(8), default="bpmn")
    xml: Mapped[str] = mapped_column(Text)
    based_on_version: Mapped[int | None] = mapped_column(Integer)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    updated_by = relationship("User")


class ProcessInstance(db.Model):
    """The engine state of one run of a process about one subject (an application, a recognition, a
    claim…; see app/workflow/subjects.py); `lock_version` guards concurrent advances."""

    __tablename__ = "process_instance"
    __table_args__ = (
        Index("ix_process_instance_subject", "subject_type", "subject_id", "process"),
        # one live run of a process per subject: two simultaneous starts give one instance and one conflict
        Index("uq_process_instance_live_subject", "subject_type", "subject_id", "process", unique=True,
              postgresql_where=text("status <> 'completed'"), sqlite_where=text("status <> 'completed'")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    process: Mapped[str] = mapped_column(String(32))  # the process kind a binding chose a definition for
    subject_type: Mapped[str] = mapped_column(String(32))
    subject_id: Mapped[int] = mapped_column(Integer)
    definition_id: Mapped[int] = mapped_column(ForeignKey("process_definition.id"), index=True)
    state: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default="running")
    end_event: Mapped[str | None] = mapped_column(String(64))
    lock_version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    # the subject when it is an application (read-only: the subject columns are the truth)
    application = relationship(
        "Application", viewonly=True, uselist=False,
        primaryjoin="and_(ProcessInstance.subject_type == 'application', "
                    "foreign(ProcessInstance.subject_id) == Application.id)")
    definition = relationship("ProcessDefinition")
    # the open inbox rows, read when the instance is advanced (loaded with the instance lock)
    open_tasks = relationship(
        "HumanTask", viewonly=True, order_by="HumanTask.id",
        primaryjoin="and_(HumanTask.instance_id == ProcessInstance.id, HumanTask.state == 'open')")

    waiting_timers = relationship(
        "ProcessTimer", viewonly=True, order_by="ProcessTimer.id",
        primaryjoin="and_(ProcessTimer.instance_id == ProcessInstance.id, ProcessTimer.state == 'waiting')")

    __mapper_args__ = {"version_id_col": lock_version}


class HumanTask(db.Model):
    """A ready user task copied out of the engine so an inbox is one indexed query."""

    __tablename__ = "human_task"
    __table_args__ = (
        Index("ix_human_task_office_state_created", "office_id", "state", "created_at"),
        Index("ix_human_task_instance_state", "instance_id", "state"),
        Index("ix_human_task_office_state_due", "office_id", "state", "due_at"),
        Index("ix_human_task_office_state_tier", "office_id", "state", "target_tier", "created_at"),
        Index("ix_human_task_office_state_score", "office_id", "state", "score"),
        Index("ix_human_task_office_state_sector", "office_id", "state", "sector", "due_at"),
        Index("ix_human_task_state_due", "state", "due_at"),
        Index("ix_human_task_assignee_state", "assignee_id", "state", "created_at"),
        # the dashboards (migration 0014): open steps of a jurisdiction; steps completed in the last months
        # (covering: the aggregations read the index alone)
        Index("ix_human_task_state_region", "state", "subject_type", "region_code", "step", "due_at"),
        Index("ix_human_task_state_completed", "state", "completed_at", "subject_type", "region_code", "step", "lane",
              "decision", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    instance_id: Mapped[int] = mapped_column(ForeignKey("process_instance.id"))
    subject_type: Mapped[str] = mapped_column(String(32), default="application")
    subject_id: Mapped[int] = mapped_column(Integer)
    # set when the subject is an application (or belongs to one), for the inbox's joins
    application_id: Mapped[int | None] = mapped_column(ForeignKey("application.id"), index=True)
    engine_task_id: Mapped[str] = mapped_column(String(36))
    step: Mapped[str] = mapped_column(String(64))
    step_name: Mapped[str | None] = mapped_column(String(128))
    lane: Mapped[str | None] = mapped_column(String(32))
    # what the BPMN declares for the step: its kind (the form it needs) and the decisions it offers
    kind: Mapped[str] = mapped_column(String(32), default="decision")
    actions: Mapped[list | None] = mapped_column(JSONType)  # [[decision, label or null], …]
    office_id: Mapped[int | None] = mapped_column(ForeignKey("office.id"))
    state: Mapped[str] = mapped_column(String(16), default="open")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    due_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    claimed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    completed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    decision: Mapped[str | None] = mapped_column(String(16))
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())   # deadline reminder sent
    escalated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())  # overdue flag raised upward
    # copied from the application when the task is created, so inbox filters need no joins
    target_tier: Mapped[str | None] = mapped_column(String(16))
    region_code: Mapped[str | None] = mapped_column(String(6))
    sector: Mapped[str | None] = mapped_column(String(32))
    score: Mapped[float | None] = mapped_column(Float)
    # a task for one person rather than an office (an expert of a panel)
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    # the engine data the step shows (the `context` BPMN property): the panel's mean and spread…
    context: Mapped[dict | None] = mapped_column(JSONType)
    # what an expert gave at this step (seen only by that expert and admins)
    result: Mapped[dict | None] = mapped_column(JSONType)

    application = relationship("Application")
    office = relationship("Office")
    claimed_by = relationship("User", foreign_keys=[claimed_by_id])
    assignee = relationship("User", foreign_keys=[assignee_id])
    completed_by = relationship("User", foreign_keys=[completed_by_id])


TIMER_STATES = TimerState.values()


class ProcessTimer(db.Model):
    """A timer event the engine waits on, copied out so the worker finds due ones with one query."""

    __tablename__ = "process_timer"
    __table_args__ = (
        # not unique: a timer that waits again (after a move back) gets a new row, the old one stays as history
        Index("ix_process_timer_instance_state", "instance_id", "state"),
        Index("ix_process_timer_state_due", "state", "due_at"),
        Index("ix_process_timer_application_state", "application_id", "state"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    instance_id: Mapped[int] = mapped_column(ForeignKey("process_instance.id"))
    application_id: Mapped[int | None] = mapped_column(ForeignKey("application.id"))
    engine_task_id: Mapped[str] = mapped_column(String(36))
    step: Mapped[str] = mapped_column(String(64))  # the timer event's id
    kind: Mapped[str] = mapped_column(String(32))  # reminder, overdue, hand_up, expert_deadline, timer
    attached_step: Mapped[str | None] = mapped_column(String(64))  # the task a boundary timer watches
    due_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    state: Mapped[str] = mapped_column(String(16), default="waiting")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    fired_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    application = relationship("Application")


class ProcessBinding(db.Model):
    """Which definition runs for a process kind, tier, jurisdiction, sector and date (null = any).

    The most specific region wins (a county's binding beats its city's, its province's, the national
    one), then a named sector over any sector, a named tier over any tier, the latest `effective_from`.
    """

    __tablename__ = "process_binding"

    id: Mapped[int] = mapped_column(primary_key=True)
    process: Mapped[str] = mapped_column(String(32))
    definition_key: Mapped[str] = mapped_column(String(64))
    tier: Mapped[str | None] = mapped_column(String(16))
    region_code: Mapped[str | None] = mapped_column(String(6))  # shipped before the regions are loaded: no FK
    sector: Mapped[str | None] = mapped_column(String(32))
    effective_from: Mapped[date | None] = mapped_column(Date)
    # the ladder: what the enterprise must hold before this process starts (an active recognition at a
    # tier, an active membership of a library), and the clause that says so
    requires_tier: Mapped[str | None] = mapped_column(String(16))
    requires_library: Mapped[str | None] = mapped_column(String(40))
    clause: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class RoutingRule(db.Model):
    """Which office works a lane for subjects of a jurisdiction and sector (null = any).

    Without a rule, a lane goes to the general office of its level above the subject's region.
    """

    __tablename__ = "routing_rule"

    id: Mapped[int] = mapped_column(primary_key=True)
    lane: Mapped[str] = mapped_column(String(32))
    region_code: Mapped[str | None] = mapped_column(ForeignKey("region.code"), index=True)
    sector: Mapped[str | None] = mapped_column(String(32))
    office_id: Mapped[int] = mapped_column(ForeignKey("office.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    office = relationship("Office")
