"""Where an application stands: its review chain as a timeline, and its history (read-only).

The chain runs county → city → province → national, up to the office of the target tier. After a
return the process restarts at the county, so a step counts as done only when it was completed in
the current round: after the latest completed amendment (resubmission), or since the first submission.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from app.core import audit
from app.core.vocabulary import Lane, StepKind
from app.extensions import db
from app.models import Application, AuditEvent, HumanTask, Office, User
from app.models.base import utcnow
from app.recognition import applications
from app.recognition.jurisdiction import CHAIN, TIER_LEVEL, office_for_lane
from app.workflow import definitions

# the step kinds in which the enterprise acts (amends after a return, updates the data asked for)
ENTERPRISE_KINDS = (StepKind.AMENDMENT, StepKind.DATA_UPDATE)
DECISION = StepKind.DECISION  # the step kind an office reviews in: one timeline row per lane
ORDER = (Lane.COUNTY, Lane.CITY, Lane.PROVINCE, Lane.SME_AUTHORITY, Lane.NATIONAL)  # how a chain climbs
DECISION_STATE = {"approve": "done", "return": "returned", "reject": "rejected"}


@dataclass
class StepView:
    """One step of the timeline.

    state: done (✓), current (waiting now), returned / rejected (this step decided so),
    pending (still to come) or skipped (not reached: the application was closed before).
    """

    step: str
    state: str
    office: Office | None = None
    name: str | None = None
    since: datetime | None = None  # when the step started waiting (current)
    at: datetime | None = None  # when it was completed (a public notice: when it ends)
    actor: User | None = None
    claimed_by: User | None = None
    comment: str | None = None
    task_id: int | None = None
    kind: str | None = None  # a timer event's kind (notice_period: the public notice), else None
    panel: tuple[int, int] | None = None  # an expert panel working for this step: (scored, drawn)


@dataclass
class Timeline:
    steps: list[StepView]
    amend: StepView | None = None  # the open amendment after a return, with the reviewer's reason
    history: list[AuditEvent] = field(default_factory=list)
    round: int = 1  # 1 for the first submission, +1 per resubmission

    @property
    def current(self) -> StepView | None:
        if self.amend is not None:
            return self.amend
        return next((s for s in self.steps if s.state == "current"), None)


def waiting(since: datetime | None, now: datetime | None = None) -> timedelta | None:
    """How long a step has been waiting (never negative)."""
    if since is None:
        return None
    return max((now or utcnow()) - since, timedelta(0))


def _tasks(application_id: int) -> list[HumanTask]:
    return list(db.session.scalars(
        db.select(HumanTask).where(HumanTask.application_id == application_id).order_by(HumanTask.id)))


def _round(tasks: list[HumanTask], returned: bool) -> tuple[list[HumanTask], HumanTask | None, int]:
    """The review tasks of the round to show, the open amendment task (if returned), and the round number."""
    amends = [t for t in tasks if t.kind in ENTERPRISE_KINDS and t.state != "cancelled"]
    completed = [t for t in amends if t.state == "completed"]
    open_amend = next((t for t in reversed(amends) if t.state == "open"), None) if returned else None
    start = completed[-1].id if completed else 0
    end = open_amend.id if open_amend is not None else None
    rows = [t for t in tasks if t.kind not in ENTERPRISE_KINDS and t.id > start and (end is None or t.id < end)]
    return rows, open_amend, len(completed) + 1


def _decision_events(history: list[AuditEvent]) -> dict[int, AuditEvent]:
    events: dict[int, AuditEvent] = {}
    for event in history:
        details = event.details if isinstance(event.details, dict) else {}
        task_id = details.get("task_id")
        if isinstance(task_id, int) and event.action in DECISION_STATE:
            events[task_id] = event
    return events


def _from_task(task: HumanTask, events: dict[int, AuditEvent], default_office: Office | None) -> StepView:
    view = StepView(step=task.step, state="pending", office=task.office or default_office, name=task.step_name,
                    task_id=task.id)
    if task.state == "open":
        view.state, view.since, view.claimed_by = "current", task.created_at, task.claimed_by
        return view
    event = events.get(task.id)
    view.state = DECISION_STATE.get(task.decision or "", "done")
    view.at, view.actor = task.completed_at, task.completed_by
    view.comment = event.comment if event is not None else None
    return view


def _lane_steps(application: Application) -> dict[str, str]:
    """Lane → the first decision step of that lane in the application's process (for rows still to come)."""
    instance = application.instance
    if instance is None:
        return {}
    pspec = definitions.process_spec(instance.definition_id)
    steps: dict[str, str] = {}
    for step in pspec.step_names:
        if pspec.properties.get(step, {}).get("kind", DECISION) == DECISION and pspec.lanes.get(step) \
                and step in pspec.properties and _is_user_task(pspec, step):
            steps.setdefault(pspec.lanes[step], step)
    return steps


def _is_user_task(pspec, step: str) -> bool:
    spec = pspec.spec.task_specs.get(step)
    return bool(spec is not None and getattr(spec, "manual", False))


def build(application: Application) -> Timeline:
    """The timeline of `application` for its target tier, plus its full history."""
    history = audit.history(application.id)
    events = _decision_events(history)
    tasks = _tasks(application.id)
    returned = application.status == "returned"
    rows, open_amend, round_no = _round(tasks, returned)
    # the offices up to the tier's, plus any lane this round's tasks reached (a variant's province step for a
    # seed firm, the SME authority's recommendation…), in the order the chain climbs
    reached = {t.lane for t in rows if t.kind == DECISION}
    tier_lanes = CHAIN[: CHAIN.index(TIER_LEVEL[application.target_tier]) + 1]
    lanes = [lane for lane in ORDER if lane in tier_lanes or lane in reached]
    steps: list[StepView] = []
    stopped = False  # a step of this round returned or rejected: later steps were not reached
    first_steps = _lane_steps(application)
    for lane in lanes:
        step = first_steps.get(lane)
        office = office_for_lane(lane, application.enterprise)
        task = next((t for t in reversed(rows) if t.lane == lane and t.kind == DECISION and t.state != "cancelled"),
                    None)
        if task is None and step is None:
            continue  # this application's process has no review in the lane
        if task is None or stopped:
            closed = application.status in ("rejected", "withdrawn", "recognized")
            steps.append(StepView(step=step, state="skipped" if closed else "pending", office=office))
            continue
        view = _from_task(task, events, office)
        stopped = view.state in ("returned", "rejected")
        steps.append(view)
    known = {s.task_id for s in steps}
    panel = [t for t in rows if t.assignee_id is not None]  # personal tasks: the experts of a panel
    open_panel = [t for t in panel if t.state == "open"]
    if open_panel:  # one row: the step that sent the panel waits for it (not ✓ done above one row per expert)
        sender = next((s for s in reversed(steps) if s.task_id is not None and s.task_id < open_panel[0].id), None)
        scored = sum(1 for t in panel if t.state == "completed")
        if sender is not None:
            sender.state, sender.since, sender.at = "current", open_panel[0].created_at, None
            sender.panel = (scored, len(panel))
        known |= {t.id for t in panel}
    for task in rows:  # steps a newer process version added: shown where they wait
        if task.state == "open" and task.id not in known:
            steps.append(_from_task(task, events, None))
    notice = applications.waiting_event(application)
    if notice is not None:  # the public notice (公示): waits on a timer, not on anyone's task
        steps.append(StepView(step=notice.step, state="current", since=notice.created_at, at=notice.due_at,
                              kind=notice.kind, office=applications.current_step(application)[1]))
    amend = None
    if open_amend is not None:
        reason = next((s for s in steps if s.state == "returned"), None)
        amend = StepView(step=open_amend.step, state="current", since=open_amend.created_at, name=open_amend.step_name,
                         task_id=open_amend.id, comment=reason.comment if reason else None,
                         actor=reason.actor if reason else None, office=reason.office if reason else None)
    return Timeline(steps=steps, amend=amend, history=history, round=round_no)
