"""Public notice (公示): applications about to be recognized are listed publicly for the notice period;
anyone may object. The BPMN holds the period (a service task's `open_public_notice` operation sets when it
ends, a timer of kind `notice_period` waits for it) and an objection is the `objection` signal, which opens a task of
kind `objections`. Recognition follows only when the period ends with no objection upheld.

The public page shows the enterprise's name, region and tier only.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import datetime
from typing import Any

from flask_babel import gettext as _
from sqlalchemy.orm import joinedload

from app.core import audit, workdays
from app.core.errors import Conflict, Invalid, NotFound
from app.core.vocabulary import StepKind, TimerKind
from app.extensions import db
from app.models import Application, Enterprise, HumanTask, Objection, ProcessInstance, ProcessTimer, User
from app.models.base import utcnow
from app.workflow import instances

NOTICE_KIND = TimerKind.NOTICE_PERIOD  # the timer kind that holds a notice period
OBJECTION_KIND = StepKind.OBJECTION_REVIEW  # the step kind that reviews objections
SIGNAL = "objection"
LIMITS = {"name": 100, "contact": 100, "text": 2000}
RESULTS = {"approve": "dismissed", "reject": "upheld", "return": "returned"}
MAX_PER_CONTACT = 3  # objections one contact may raise against one application (the page needs no login)


def _in_notice():
    """Applications in their notice period: waiting for it to end, or with an objection under review."""
    now = utcnow()
    waiting = db.select(ProcessTimer.application_id).where(
        ProcessTimer.kind == NOTICE_KIND, ProcessTimer.state == "waiting", ProcessTimer.due_at > now)
    reviewing = db.select(HumanTask.application_id).where(HumanTask.kind == OBJECTION_KIND,
                                                         HumanTask.state == "open")
    running = db.select(ProcessInstance.subject_id).where(ProcessInstance.subject_type == "application",
                                                          ProcessInstance.status == "running")
    ended = db.select(ProcessTimer.application_id).where(ProcessTimer.kind == NOTICE_KIND,
                                                         ProcessTimer.due_at <= now)
    return ((Application.status == "in_review") & Application.id.in_(running)
            & (Application.id.in_(waiting) | (Application.id.in_(reviewing) & Application.id.not_in(ended))))


def notice_ends(application_id: int) -> datetime | None:
    return db.session.scalar(db.select(db.func.max(ProcessTimer.due_at)).where(
        ProcessTimer.application_id == application_id, ProcessTimer.kind == NOTICE_KIND))


def _notice_step(application_id: int) -> str | None:
    """The timer event that holds the application's notice period (its id in the BPMN)."""
    return db.session.scalar(db.select(ProcessTimer.step).where(
        ProcessTimer.application_id == application_id, ProcessTimer.kind == NOTICE_KIND)
        .order_by(ProcessTimer.id.desc()).limit(1))


def public_list(*, page: int = 1, per_page: int = 50) -> tuple[list[dict[str, Any]], int]:
    """What the public sees: enterprise name, region and tier, and when the notice ends."""
    query = db.select(Application).where(_in_notice())
    total = db.session.scalar(db.select(db.func.count()).select_from(query.subquery())) or 0
    ends = (db.select(ProcessTimer.application_id, db.func.max(ProcessTimer.due_at).label("ends"))
            .where(ProcessTimer.kind == NOTICE_KIND).group_by(ProcessTimer.application_id).subquery())
    rows = db.session.execute(
        db.select(Application, ends.c.ends).join(ends, ends.c.application_id == Application.id)
        .where(_in_notice()).options(joinedload(Application.enterprise).joinedload(Enterprise.region))
        .order_by(ends.c.ends, Application.id).offset((max(page, 1) - 1) * per_page).limit(per_page)).all()
    return [public_entry(application, end) for application, end in rows], total


def _region_label(region) -> str:
    names = []
    while region is not None and region.level != "national":
        names.append(region.name)
        region = region.parent
    return " ".join(reversed(names))


def public_entry(application: Application, ends: datetime | None) -> dict[str, Any]:
    region = application.enterprise.region
    return {"application_id": application.id, "enterprise": application.enterprise.name,
            "region": _region_label(region),
            "region_code": region.code, "target_tier": application.target_tier,
            "notice_ends": ends.isoformat() if ends else None}


def get_public(application_id: Any) -> tuple[Application, datetime | None]:
    """An application in its notice period, else 404 (nothing else is public)."""
    application = db.session.scalar(db.select(Application).where(Application.id == application_id, _in_notice())) \
        if isinstance(application_id, int) else None
    if application is None:
        raise NotFound(_("This application is not under public notice."))
    return application, notice_ends(application.id)


_PHONE = re.compile(r"^(?:\+?86|0086)?(\d{7,12})$")


def normalize_contact(value: str) -> str:
    """One spelling per contact, so the per-contact limit counts people, not spellings: full-width characters
    folded (NFKC), a phone number reduced to its digits without the country code (`+86 139-0000-0000` is
    `13900000000`), an e-mail address in lower case."""
    value = unicodedata.normalize("NFKC", value).strip()
    compact = re.sub(r"[\s\-().]", "", value)
    phone = _PHONE.match(compact)
    if phone:
        return phone.group(1)
    return value.lower() if "@" in value else value


def _clean(values: dict[str, Any]) -> dict[str, str]:
    cleaned, errors = {}, {}
    for key, limit in LIMITS.items():
        value = values.get(key)
        value = value.strip() if isinstance(value, str) else ""
        if not value:
            errors[key] = _("required")
        elif len(value) > limit:
            errors[key] = _("at most %(n)s characters", n=limit)
        cleaned[key] = value
    if cleaned.get("contact"):
        cleaned["contact"] = normalize_contact(cleaned["contact"])
    if not errors and len(cleaned["text"]) < 10:
        errors["text"] = _("describe the objection in at least 10 characters")
    if errors:
        raise Invalid(_("The objection cannot be filed; check the marked fields."), fields=errors)
    return cleaned


def _open_for_objections(application_id: Any) -> Application:
    """The application under notice; 409 `notice_ended` once its notice period is over, 404 for anything else."""
    try:
        return get_public(application_id)[0]
    except NotFound:
        ends = notice_ends(application_id) if isinstance(application_id, int) else None
        if ends is not None and ends <= utcnow():
            raise Conflict(_("The public notice ended on %(date)s; objections are no longer accepted.",
                             date=workdays.china_date(ends).isoformat()), code="notice_ended") from None
        raise


def raise_objection(application_id: Any, values: dict[str, Any]) -> Objection:
    """File an objection (anyone, no login). The first one of a review opens a task of kind `objections`."""
    application = _open_for_objections(application_id)
    cleaned = _clean(values)
    earlier = db.session.scalar(db.select(db.func.count(Objection.id)).where(
        Objection.application_id == application.id, Objection.contact == cleaned["contact"]))
    if earlier >= MAX_PER_CONTACT:
        raise Invalid(_("You have already raised %(n)s objections against this application; the province "
                        "reviews them all.", n=MAX_PER_CONTACT), code="too_many_objections")
    instance = instances.lock(application.instance.id)
    _open_for_objections(application.id)  # still under notice now that we hold the lock (it may just have ended)
    objection = Objection(application_id=application.id, created_at=utcnow(), **cleaned)
    db.session.add(objection)
    if not instances.signal(instance, SIGNAL):
        # an objection review is already open: this objection joins it (its office was told when it opened:
        # once per review, not once per objection)
        if instances.open_task(instance, OBJECTION_KIND) is None:
            raise NotFound(_("This application is not under public notice."))
    audit.record("objection_raised", application=application, step=_notice_step(application.id))
    db.session.flush()
    return objection


def open_objections(application: Application) -> list[Objection]:
    return list(db.session.scalars(db.select(Objection).where(
        Objection.application_id == application.id, Objection.state == "open").order_by(Objection.id)))


def objections(application: Application) -> list[Objection]:
    return list(db.session.scalars(db.select(Objection).where(
        Objection.application_id == application.id).order_by(Objection.id)))


def objections_decided(application: Application, user: User, decision: str, instance: ProcessInstance) -> None:
    """The province decided its objection review: every objection it covered takes the result. Objections
    dismissed after the notice period ended: the period's timer is due already, so it fires now and the
    application is recognized at once rather than at the worker's next pass. (The caller holds the lock.)"""
    now = utcnow()
    for objection in open_objections(application):
        objection.state = RESULTS.get(decision, "dismissed")
        objection.decided_at, objection.decided_by_id = now, user.id
    ends = notice_ends(application.id)
    if RESULTS.get(decision) == "dismissed" and ends is not None and ends <= now:
        instances.fire_due(instance, now)


def may_see_objectors(user: User, application: Application) -> bool:
    """Who raised an objection (name, contact) is for admins and the office that reviews objections."""
    if user.role == "admin":
        return True
    return user.role == "reviewer" and user.office_id is not None and db.session.scalar(
        db.select(HumanTask.id).where(HumanTask.application_id == application.id, HumanTask.kind == OBJECTION_KIND,
                                      HumanTask.office_id == user.office_id).limit(1)) is not None


def supersede_open(application: Application, user: User | None) -> int:
    """An administrator moved the application back: its open objections are closed as superseded (they
    stay listed for the province; the application goes through the notice again)."""
    now, closed = utcnow(), 0
    for objection in open_objections(application):
        objection.state, objection.decided_at = "superseded", now
        objection.decided_by_id = user.id if user else None
        closed += 1
    return closed


def objection_to_dict(objection: Objection) -> dict[str, Any]:
    return {"id": objection.id, "name": objection.name, "contact": objection.contact, "text": objection.text,
            "state": objection.state, "created_at": objection.created_at.isoformat(),
            "decided_at": objection.decided_at.isoformat() if objection.decided_at else None}
