"""Yearly re-verification campaigns (动态管理): an office opens one for a tier or a library of its
jurisdiction; every active member gets a case running the `reverification` process (update the data by the
due date → the office keeps, downgrades or exits it). Progress counts the cases by where they stand."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask_babel import gettext as _

from app.core import audit, workdays
from app.core.errors import Conflict, Forbidden, Invalid, NotFound
from app.core.vocabulary import CaseKind, MembershipStatus, StepKind, Tier
from app.extensions import db
from app.lifecycle import cases, libraries, names, register
from app.models import Campaign, Enterprise, Library, LibraryMembership, LifecycleCase, Office, Recognition, User
from app.workflow import instances

PROCESS = "reverification"
DEFAULT_DUE = (4, 30)  # 30 April: the annual update of the national tiers (POLICY.md "After recognition")


def _require_office(user: User) -> None:
    if user.role != "reviewer" or user.office_id is None:
        raise Forbidden(_("Only a reviewer of an office can do this."))


def _members(prefix: str, tier: str | None, library: Library | None, office_id: int) -> list[Any]:
    """The members the campaign covers: entries the office recorded at the tier (active, or under a pending
    revocation: checked this year too if it is dismissed), or active members of the library; a member whose
    re-verification from an earlier campaign is still open is left to that one."""
    busy = db.select(LifecycleCase.id).where(LifecycleCase.kind == CaseKind.REVERIFICATION.value,
                                            LifecycleCase.status == "open")
    if library is not None:
        return list(db.session.scalars(db.select(LibraryMembership).where(
            LibraryMembership.library_key == library.key, LibraryMembership.status == MembershipStatus.ACTIVE.value,
            ~busy.where(LifecycleCase.membership_id == LibraryMembership.id).exists())
            .order_by(LibraryMembership.id)))
    return list(db.session.scalars(db.select(Recognition).where(
        Recognition.tier == tier, Recognition.status.in_(register.LIVE), Recognition.office_id == office_id,
        Recognition.enterprise_id.in_(db.select(Enterprise.id).where(Enterprise.region_code.startswith(prefix))),
        ~busy.where(LifecycleCase.recognition_id == Recognition.id).exists())
        .order_by(Recognition.id)))


def _recognizes(office: Office, tier: str) -> bool:
    """The office recognizes the tier: it is the tier's level, or it has recorded entries of it (a sector
    department that decides a tier, 000 §三)."""
    return register.TIER_LANE[tier] == office.region.level or db.session.scalar(db.select(Recognition.id).where(
        Recognition.office_id == office.id, Recognition.tier == tier).limit(1)) is not None


def open_campaign(user: User, values: dict[str, Any]) -> Campaign:
    """`{"tier" or "library", "year", "due_on" (default 30 April of the year), "name"}` → the campaign with a
    case for every active member; 422 per field and nothing stored on any problem."""
    _require_office(user)
    office = user.office
    errors: dict[str, str] = {}
    tier, library_key = values.get("tier") or None, values.get("library") or None
    library = db.session.get(Library, library_key) if isinstance(library_key, str) else None
    if (tier is None) == (library_key is None):
        errors["tier"] = _("name a tier or a library (one of them)")
    elif tier is not None and tier not in Tier.values():
        errors["tier"] = _("unknown tier")
    elif tier is not None and not _recognizes(office, tier):
        errors["tier"] = _("your office does not recognize this tier")
    elif library_key is not None and (library is None or library.region_code != office.region_code):
        errors["library"] = _("not a library your office keeps")
    year = values.get("year", workdays.china_date().year)
    if not isinstance(year, int) or isinstance(year, bool) or not 2000 <= year <= 2100:
        errors["year"] = _("a year such as 2026")
        year = workdays.china_date().year
    due_on = values.get("due_on")
    if due_on in (None, ""):
        due_on = date(year, *DEFAULT_DUE)
    else:
        try:
            due_on = date.fromisoformat(due_on) if isinstance(due_on, str) else None
        except ValueError:
            due_on = None
        if due_on is None:
            errors["due_on"] = _("a date YYYY-MM-DD")
    if isinstance(due_on, date) and due_on < workdays.china_date():
        errors["due_on"] = _("the due date has passed")
    name = values.get("name")
    if name is not None and (not isinstance(name, str) or len(name) > 200):
        errors["name"] = _("text of at most 200 characters")
    if errors:
        raise Invalid(_("The campaign cannot be opened; check the marked fields."), fields=errors)
    duplicate = db.session.scalar(db.select(Campaign.id).where(
        Campaign.office_id == office.id, Campaign.year == year, Campaign.status == "open",
        Campaign.tier.is_(None) if tier is None else Campaign.tier == tier,
        Campaign.library_key.is_(None) if library is None else Campaign.library_key == library.key))
    if duplicate is not None:
        raise Conflict(_("A campaign for this year is open already."), code="duplicate")
    campaign = Campaign(name=(name or "").strip(),  # empty: titled in the reader's language (`title`)
                        office_id=office.id, year=year, tier=tier, library_key=library.key if library else None,
                        due_on=due_on, status="open", created_by_id=user.id)
    db.session.add(campaign)
    db.session.flush()
    members = _members(register.region_prefix(office.region), tier, library, office.id)
    if not members:
        raise Invalid(_("No active member of this tier or library in your jurisdiction waits for a "
                        "re-verification; nothing was opened."), code="no_members", fields={
            "library" if library else "tier": _("no member to re-verify")})
    for member in members:
        is_library = isinstance(member, LibraryMembership)
        case = LifecycleCase(kind=CaseKind.REVERIFICATION.value, enterprise_id=member.enterprise_id,
                             recognition_id=None if is_library else member.id,
                             membership_id=member.id if is_library else None, campaign_id=campaign.id,
                             office_id=office.id, status="open", opened_by_id=user.id)
        cases.start(case, PROCESS)
    audit.record("campaign_opened", actor=user, office=office, subject=("campaign", campaign.id),
                 details={"tier": tier, "library": campaign.library_key, "year": year, "due_on": due_on.isoformat(),
                          "members": len(members)})
    return campaign


CLOSE_SIGNAL = "updates_closed"  # what reverification.bpmn's update step catches when the office closes updates


def close_updates(user: User, campaign_id: Any) -> Campaign:
    """From the due date on, the campaign's office closes the yearly updates (when the timer worker has not
    run yet, or to act on the day): every member still waiting is flagged as having missed it, exactly as if
    its timer had fired, and its case goes to the office's decision."""
    campaign = get_for(user, campaign_id)
    if user.role != "reviewer" or user.office_id != campaign.office_id:
        raise Forbidden(_("Only the campaign's office can close its updates."))
    if workdays.china_date() < campaign.due_on:
        raise Conflict(_("Updates are open until %(date)s; they can be closed from that day on.",
                         date=campaign.due_on.isoformat()), code="still_open")
    closed = 0
    for case in case_rows(campaign):
        instance = cases.instance_of(case)
        if case.status != "open" or instance is None or instance.status != "running":
            continue
        locked = instances.lock(instance.id)
        if instances.open_task(locked, StepKind.DATA_UPDATE) is not None and instances.signal(locked, CLOSE_SIGNAL):
            closed += 1
    audit.record("campaign_updates_closed", actor=user, office_id=campaign.office_id,
                 subject=("campaign", campaign.id), details={"flagged": closed})
    return campaign


def title(campaign: Campaign) -> str:
    """The campaign's own name, or one made of its year and what it covers, in the reader's language."""
    if campaign.name:
        return campaign.name
    what = libraries.label(campaign.library) if campaign.library else \
        names.tier_label(campaign.tier, campaign.office.region)
    return _("%(year)s re-verification: %(what)s", year=campaign.year, what=what)


def get_for(user: User, campaign_id: Any) -> Campaign:
    campaign = db.session.get(Campaign, campaign_id) if isinstance(campaign_id, int) else None
    if campaign is None or not (user.role == "admin" or (user.role == "reviewer" and user.office is not None and (
            campaign.office.region_code.startswith(register.region_prefix(user.office.region))))):
        raise NotFound(_("Campaign not found."))
    return campaign


def campaigns_for(user: User) -> list[Campaign]:
    if user.role == "admin":
        query = db.select(Campaign)
    elif user.role == "reviewer" and user.office is not None:
        prefix = register.region_prefix(user.office.region)
        query = db.select(Campaign).join(Office, Office.id == Campaign.office_id).where(
            Office.region_code.startswith(prefix))
    else:
        raise Forbidden(_("Only a reviewer of an office can do this."))
    return list(db.session.scalars(query.order_by(Campaign.created_at.desc(), Campaign.id.desc())))


def case_rows(campaign: Campaign) -> list[LifecycleCase]:
    return list(db.session.scalars(db.select(LifecycleCase).where(LifecycleCase.campaign_id == campaign.id)
                                   .order_by(LifecycleCase.id)))


def progress(campaign: Campaign) -> dict[str, int]:
    """How far the campaign is: members, updated, missed, waiting for the office, kept / downgraded / exited."""
    rows = case_rows(campaign)
    counts = {"members": len(rows), "updated": 0, "missed": 0, "waiting_update": 0, "verified": 0,
              "kept": 0, "downgraded": 0, "exited": 0}
    for case in rows:
        counts["updated"] += case.updated_at is not None
        counts["missed"] += bool(case.missed)
        counts["waiting_update"] += case.status == "open" and case.updated_at is None and not case.missed
        counts["verified"] += case.status == "closed"
        if case.outcome in ("kept", "downgraded", "exited"):
            counts[case.outcome] += 1
    return counts


def to_dict(campaign: Campaign, *, with_cases: bool = False) -> dict[str, Any]:
    body = {"id": campaign.id, "name": title(campaign), "office": campaign.office.to_dict(), "year": campaign.year,
            "tier": campaign.tier, "library": campaign.library_key, "due_on": campaign.due_on.isoformat(),
            "status": campaign.status, "created_at": campaign.created_at.isoformat(),
            "progress": progress(campaign)}
    if with_cases:
        body["cases"] = [{"id": c.id, "enterprise": c.enterprise.summary(), "status": c.status,
                          "missed": c.missed, "updated_at": c.updated_at.isoformat() if c.updated_at else None,
                          "outcome": c.outcome, "reason": c.reason} for c in case_rows(campaign)]
    return body
