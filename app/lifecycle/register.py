"""The register (认定名录): one entry per recognized application, its validity, and every change of state.

Entries are written by BPMN service tasks (lifecycle/operations.py): `record_recognition` at the end of a
recognition process, `update_register` at the end of a re-verification or a revocation. Nothing here
knows a step id.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from flask_babel import gettext as _
from sqlalchemy.orm import joinedload

from app.core import audit, signals, workdays
from app.core.errors import Invalid, NotFound
from app.core.vocabulary import RecognitionStatus, Tier
from app.extensions import db
from app.lifecycle import names
from app.models import Application, AuditEvent, Enterprise, LifecycleCase, Office, Recognition, Region, User
from app.workbench import notifications
from app.workflow import routing, worker

TIER_LANE = {"seed": "county", "city": "city", "province": "province", "national": "national"}
TIER_LETTER = {"seed": "S", "city": "C", "province": "P", "national": "N"}
LOWER = {"national": "province", "province": "city", "city": "seed"}
LIVE = (RecognitionStatus.ACTIVE.value, RecognitionStatus.UNDER_REVIEW.value)  # held: the ladder counts these


def add_years(day: date, years: int) -> date:
    """The same day `years` later; a 29 February counts as 1 March in a year without one (so a period from
    29 February 2024 for three years ends on 28 February 2027)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return date(day.year + years, 3, 1)


def period_end(start: date, years: int) -> date:
    """The last day of a period of `years` years starting on `start`."""
    return add_years(start, years) - timedelta(days=1)


def recognizing_office(tier: str, enterprise: Enterprise, lane: str | None = None) -> Office | None:
    """The office that recognizes `tier` for the enterprise: the lane of the tier's level, routed."""
    return routing.office_for_lane(lane or TIER_LANE[tier], enterprise.region, enterprise.sector)


def _numbers(office: Office, tier: str, on: date, call_id: int | None) -> tuple[str, str]:
    """认定文号 and certificate number, under a lock on the region row (the offices of one region share the
    certificate prefix). A 文号 is the office's notice for one batch: entries of the same call, office and
    year share it; each batch (and each entry outside a call) takes the office's next number of the year.
    Certificates are numbered per region, tier and year. The 文号 is an official identifier: always
    Chinese, whoever reads it, never the language of the request that happened to record it."""
    db.session.execute(db.select(Region.code).where(Region.code == office.region_code).with_for_update())
    year = (Recognition.valid_from >= date(on.year, 1, 1)) & (Recognition.valid_from <= date(on.year, 12, 31))
    document_no = db.session.scalar(db.select(Recognition.document_no).where(
        Recognition.office_id == office.id, Recognition.call_id == call_id, year).limit(1)) if call_id else None
    if document_no is None:
        issued = db.session.scalar(db.select(db.func.count(db.distinct(Recognition.document_no))).where(
            Recognition.office_id == office.id, year)) or 0
        document_no = f"{office.name}认定〔{on.year}〕{issued + 1}号"
    prefix = f"{office.region_code}{TIER_LETTER[tier]}{on.year}"
    taken = db.session.scalar(db.select(db.func.count(Recognition.id)).where(
        Recognition.certificate_no.like(f"{prefix}%"))) or 0
    return document_no, f"{prefix}{taken + 1:05d}"


def record(enterprise: Enterprise, tier: str, office: Office, *, on: date, valid_years: int,
           application: Application | None = None, rule_set: str | None = None, source: str = "application",
           previous: Recognition | None = None, document_no: str | None = None) -> Recognition:
    """Write a register entry (and end an active one of the same tier it replaces)."""
    for old in db.session.scalars(db.select(Recognition).where(
            Recognition.enterprise_id == enterprise.id, Recognition.tier == tier, Recognition.status.in_(LIVE))):
        with names.stored_language():
            reason = _("replaced by a new recognition")
        _end(old, RecognitionStatus.EXITED, reason, on)
    generated, certificate_no = _numbers(office, tier, on, application.call_id if application else None)
    entry = Recognition(
        enterprise_id=enterprise.id, tier=tier, office_id=office.id, region_code=office.region_code,
        application_id=application.id if application else None,
        call_id=application.call_id if application else None, rule_set=rule_set,
        document_no=document_no or generated, certificate_no=certificate_no, valid_from=on,
        valid_until=period_end(on, valid_years), valid_years=valid_years,
        status=RecognitionStatus.ACTIVE.value, source=source, previous_id=previous.id if previous else None)
    db.session.add(entry)
    db.session.flush()
    audit.record("recognition_recorded", application=application, office=office, subject=("recognition", entry.id),
                 details={"tier": tier, "certificate_no": certificate_no, "valid_until": entry.valid_until.isoformat(),
                          "source": source})
    signals.recognition_granted.send(entry, application=application, on=on)
    return entry


def _end(entry: Recognition, status: RecognitionStatus, reason: str | None, on: date,
         actor: User | None = None) -> None:
    entry.status, entry.exit_reason, entry.exited_on = status.value, reason, on
    audit.record(f"recognition_{status.value}", actor=actor, subject=("recognition", entry.id), comment=reason,
                 details={"tier": entry.tier, "certificate_no": entry.certificate_no, "on": on.isoformat()})
    if status == RecognitionStatus.REVOKED:
        signals.recognition_revoked.send(entry, reason=reason, on=on)
    else:
        signals.recognition_ended.send(entry, status=status.value, reason=reason, on=on)


def keep(entry: Recognition, on: date, actor: User | None = None) -> None:
    """A re-verification kept the entry: at `valid_until` it is renewed. Its status stays as it is (a
    revocation under way still decides); an entry that ended meanwhile is not revived."""
    if entry.status in LIVE:
        entry.verified_on = on
    audit.record("recognition_kept", actor=actor, subject=("recognition", entry.id),
                 details={"tier": entry.tier, "on": on.isoformat(), "status": entry.status})


def exit_(entry: Recognition, reason: str, on: date, actor: User | None = None) -> None:
    _end(entry, RecognitionStatus.EXITED, reason, on, actor)


def revoke(entry: Recognition, reason: str, on: date, actor: User | None = None) -> None:
    _end(entry, RecognitionStatus.REVOKED, reason, on, actor)


def under_review(entry: Recognition, actor: User | None = None) -> None:
    """A revocation is under way: an active entry is held under review until it is decided."""
    if entry.status == RecognitionStatus.ACTIVE.value:
        entry.status = RecognitionStatus.UNDER_REVIEW.value
    audit.record("recognition_under_review", actor=actor, subject=("recognition", entry.id),
                 details={"status": entry.status})


def restore(entry: Recognition, on: date, actor: User | None = None) -> None:
    """A revocation was dismissed: an entry under review is active again (one that a re-verification ended
    or that expired meanwhile stays so)."""
    if entry.status == RecognitionStatus.UNDER_REVIEW.value:
        entry.status = RecognitionStatus.ACTIVE.value
    audit.record("recognition_restored", actor=actor, subject=("recognition", entry.id),
                 details={"on": on.isoformat(), "status": entry.status})


def downgrade(entry: Recognition, reason: str, on: date, actor: User | None = None) -> Recognition:
    """Exit the entry and record the enterprise at the tier below, recognized by that tier's office."""
    lower = LOWER.get(entry.tier)
    office = recognizing_office(lower, entry.enterprise) if lower else None
    if lower is None or office is None:
        raise Invalid(_("There is no tier below %(tier)s to downgrade to.", tier=Tier(entry.tier).label),
                      fields={"decision": _("no lower tier")})
    with names.stored_language():
        reason = _("downgraded: %(reason)s", reason=reason)
    exit_(entry, reason, on, actor)
    return record(entry.enterprise, lower, office, on=on, valid_years=entry.valid_years, source="downgrade",
                  previous=entry)


def expire(today: date) -> dict[str, int]:
    """At `valid_until`: renewed when a re-verification kept it in its last year, otherwise expired. Rows
    another worker holds are skipped (it handles them)."""
    counts = {"renewed": 0, "expired": 0}
    for entry in db.session.scalars(db.select(Recognition).where(
            Recognition.status == RecognitionStatus.ACTIVE.value, Recognition.valid_until < today)
            .order_by(Recognition.id).with_for_update(skip_locked=True)):
        if entry.verified_on is not None and entry.verified_on > add_years(entry.valid_until, -1):
            entry.valid_until = period_end(entry.valid_until + timedelta(days=1), entry.valid_years)
            audit.record("recognition_renewed", subject=("recognition", entry.id),
                         details={"valid_until": entry.valid_until.isoformat()})
            counts["renewed"] += 1
        else:
            with names.stored_language():
                reason = _("validity ended without re-verification")
            _end(entry, RecognitionStatus.EXPIRED, reason, today)
            counts["expired"] += 1
    db.session.flush()
    return counts


EXPIRY_NOTICE_DAYS = 90  # the enterprise hears this long before its recognition runs out


def expiry_notices(today: date) -> int:
    """Tell each enterprise once, EXPIRY_NOTICE_DAYS before `valid_until`, that its recognition runs out and
    what keeps it (a re-verification); how many were told."""
    told = db.select(AuditEvent.subject_id).where(AuditEvent.subject_type == "recognition",
                                                 AuditEvent.action == "expiry_notice")
    due = db.session.scalars(db.select(Recognition).where(
        Recognition.status == RecognitionStatus.ACTIVE.value, Recognition.valid_until >= today,
        Recognition.valid_until <= today + timedelta(days=EXPIRY_NOTICE_DAYS), Recognition.id.not_in(told))
        .order_by(Recognition.id)).all()
    for entry in due:
        users = list(db.session.scalars(db.select(User.id).where(User.enterprise_id == entry.enterprise_id,
                                                                 User.active.is_(True))))
        notifications.notify_users(users, "expiry_notice", _(
            "Your recognition as %(tier)s (certificate %(number)s) is valid until %(date)s; a re-verification by "
            "%(office)s keeps it.", tier=names.tier_label(entry.tier, entry.enterprise.region),
            number=entry.certificate_no, date=entry.valid_until.isoformat(), office=entry.office.name))
        audit.record("expiry_notice", subject=("recognition", entry.id),
                     details={"valid_until": entry.valid_until.isoformat()})
    db.session.flush()
    return len(due)


def _expiry_pass(now: datetime) -> dict[str, int]:
    today = workdays.china_date(now)
    return expire(today) | {"expiry_notices": expiry_notices(today)}


worker.add_pass("register_expiry", _expiry_pass)


# --- reading -----------------------------------------------------------------------------------------

def region_prefix(region: Region) -> str:
    """The code prefix of every region under `region` (GB/T 2260: 22 province, 2206 city, 220602 county)."""
    return {"national": "", "province": region.code[:2], "city": region.code[:4]}.get(region.level, region.code)


def is_public(user: User | None) -> bool:
    """Whoever is neither an office, an enterprise nor the admin (anonymous, an expert) reads the public list."""
    return user is None or user.role not in ("admin", "enterprise", "reviewer") or (
        user.role == "reviewer" and user.office is None)


def jurisdiction_filter(office: Office) -> Any:
    """The enterprises an office looks after: those of its region and below, of its sector for a sector
    office (a provincial construction department sees construction firms only)."""
    condition = Enterprise.region_code.startswith(region_prefix(office.region))
    return condition & (Enterprise.sector == office.sector) if office.sector else condition


def office_sees(office: Office, enterprise: Enterprise) -> bool:
    return enterprise.region_code.startswith(region_prefix(office.region)) and office.sector in (None,
                                                                                                  enterprise.sector)


def visible(user: User | None, query: Any) -> Any:
    """Limit a query over Recognition to what `user` may see: an office its jurisdiction (and sector), an
    enterprise its own, the admin everything, anyone else active entries (not one under review: a pending
    revocation is not public)."""
    if user is not None and user.role == "admin":
        return query
    if user is not None and user.role == "enterprise":
        return query.where(Recognition.enterprise_id == user.enterprise_id)
    if not is_public(user):
        return query.where(Recognition.enterprise_id.in_(db.select(Enterprise.id).where(
            jurisdiction_filter(user.office))))
    return query.where(Recognition.status == RecognitionStatus.ACTIVE.value)  # the public: active entries


def search(user: User | None, *, tier: str | None = None, region: str | None = None, status: str | None = None,
           year: int | None = None, call_id: int | None = None, q: str | None = None, page: int = 1,
           per_page: int = 50) -> tuple[list[Recognition], int]:
    query = visible(user, db.select(Recognition))
    if tier:
        query = query.where(Recognition.tier == tier)
    if status:
        query = query.where(Recognition.status == status)
    if year:
        query = query.where(Recognition.valid_from >= date(year, 1, 1), Recognition.valid_from <= date(year, 12, 31))
    if call_id:
        query = query.where(Recognition.call_id == call_id)
    if region or q:
        enterprises = db.select(Enterprise.id)
        if region:
            area = db.session.get(Region, region)
            if area is None:
                raise Invalid(_("Unknown region code."), fields={"region": _("unknown region code")})
            enterprises = enterprises.where(Enterprise.region_code.startswith(region_prefix(area)))
        if q:
            enterprises = enterprises.where(Enterprise.name.contains(q.replace("%", ""))
                                            | (Enterprise.uscc == q.upper()))
        query = query.where(Recognition.enterprise_id.in_(enterprises))
    total = db.session.scalar(db.select(db.func.count()).select_from(query.order_by(None).subquery())) or 0
    rows = list(db.session.scalars(query.order_by(Recognition.valid_from.desc(), Recognition.id.desc())
                                   .limit(per_page).offset((max(page, 1) - 1) * per_page)
                                   .options(joinedload(Recognition.enterprise), joinedload(Recognition.office))))
    return rows, int(total)


def get_for(user: User | None, recognition_id: Any) -> Recognition:
    entry = db.session.get(Recognition, recognition_id) if isinstance(recognition_id, int) else None
    if entry is None or db.session.scalar(visible(user, db.select(Recognition.id)).where(
            Recognition.id == entry.id)) is None:
        raise NotFound(_("Recognition not found."))
    return entry


def of_enterprise(enterprise_id: int) -> list[Recognition]:
    return list(db.session.scalars(db.select(Recognition).where(Recognition.enterprise_id == enterprise_id)
                                   .order_by(Recognition.valid_from.desc(), Recognition.id.desc())))


def held_tiers(enterprise_id: int, on: date | None = None) -> dict[str, Recognition]:
    """The tiers the enterprise holds (active or under review, not past `valid_until`)."""
    on = on or workdays.china_date()
    return {r.tier: r for r in db.session.scalars(db.select(Recognition).where(
        Recognition.enterprise_id == enterprise_id, Recognition.status.in_(LIVE), Recognition.valid_until >= on)
        .options(joinedload(Recognition.enterprise)))}


def to_dict(entry: Recognition, *, public: bool = False) -> dict[str, Any]:
    enterprise = entry.enterprise
    body = {
        "id": entry.id, "enterprise": enterprise.summary(), "tier": entry.tier,
        "tier_label": names.tier_label(entry.tier, enterprise.region),
        "office": entry.office.to_dict(), "region_code": entry.region_code,
        "document_no": entry.document_no, "certificate_no": entry.certificate_no,
        "valid_from": entry.valid_from.isoformat(), "valid_until": entry.valid_until.isoformat(),
        "status": entry.status, "call_id": entry.call_id,
    }
    if public:
        return body
    return body | {
        "application_id": entry.application_id, "rule_set": entry.rule_set, "source": entry.source,
        "verified_on": entry.verified_on.isoformat() if entry.verified_on else None,
        "exit_reason": entry.exit_reason, "exited_on": entry.exited_on.isoformat() if entry.exited_on else None,
        "previous_id": entry.previous_id,
    }


def history(entry: Recognition) -> list[dict[str, Any]]:
    """The entry's audit trail and that of its lifecycle cases, oldest first."""
    case_ids = list(db.session.scalars(db.select(LifecycleCase.id).where(LifecycleCase.recognition_id == entry.id)))
    events = sorted(audit.subject_history("recognition", [entry.id]) + audit.subject_history("case", case_ids),
                    key=lambda e: (e.at, e.id))
    return [{"action": e.action, "actor": e.actor.username if e.actor else None,
             "office": e.office.to_dict() if e.office else None, "comment": e.comment, "details": e.details,
             "at": e.at.isoformat()} for e in events]
