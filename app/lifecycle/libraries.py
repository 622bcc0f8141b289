"""Cultivation libraries that are not a recognition (Jinhu's county library, 004 §三(一); Jilin's listing
reserve, 001 §二(三)16): membership with entry date, source and exit. Shipped in workflows/libraries.json."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

from flask_babel import gettext as _

from app.core import audit, workdays
from app.core.errors import Conflict, Forbidden, Invalid, NotFound
from app.core.vocabulary import MembershipStatus
from app.extensions import db
from app.lifecycle import names
from app.models import Application, Enterprise, Library, LibraryMembership, Region, User

SHIPPED = Path(__file__).resolve().parents[2] / "workflows" / "libraries.json"


def ensure_shipped() -> int:
    """Store the shipped libraries whose region exists (idempotent); how many were added."""
    added = 0
    for item in json.loads(SHIPPED.read_text(encoding="utf-8")):
        if db.session.get(Library, item["key"]) is None and db.session.get(Region, item["region_code"]) is not None:
            db.session.add(Library(**item))
            added += 1
    db.session.flush()
    return added


def all_libraries() -> list[Library]:
    return list(db.session.scalars(db.select(Library).order_by(Library.region_code, Library.key)))


def get(key: Any) -> Library:
    library = db.session.get(Library, key) if isinstance(key, str) else None
    if library is None:
        raise NotFound(_("Library not found."))
    return library


def label(library: Library) -> str:
    return library.name_en if names._english() else library.name


def active(enterprise_id: int) -> dict[str, LibraryMembership]:
    return {m.library_key: m for m in db.session.scalars(db.select(LibraryMembership).where(
        LibraryMembership.enterprise_id == enterprise_id, LibraryMembership.status == MembershipStatus.ACTIVE.value))}


def enter(library: Library, enterprise: Enterprise, *, on: date, source: str, source_ref: str | None = None,
          application: Application | None = None, actor: User | None = None) -> LibraryMembership:
    """Add the enterprise to the library (an active membership is kept, not doubled)."""
    current = active(enterprise.id).get(library.key)
    if current is not None:
        return current
    member = LibraryMembership(library_key=library.key, enterprise_id=enterprise.id, entered_on=on, source=source,
                               source_ref=source_ref, application_id=application.id if application else None,
                               status=MembershipStatus.ACTIVE.value)
    db.session.add(member)
    db.session.flush()
    audit.record("library_entered", application=application, actor=actor, subject=("membership", member.id),
                 details={"library": library.key, "enterprise_id": enterprise.id, "source": source})
    return member


def keep(member: LibraryMembership, on: date, actor: User | None = None) -> None:
    member.verified_on = on
    audit.record("library_kept", actor=actor, subject=("membership", member.id), details={"on": on.isoformat()})


def exit_(member: LibraryMembership, reason: str, on: date, actor: User | None = None) -> None:
    member.status, member.exit_reason, member.exited_on = MembershipStatus.EXITED.value, reason, on
    audit.record("library_exited", actor=actor, subject=("membership", member.id), comment=reason,
                 details={"library": member.library_key, "on": on.isoformat()})


def _require_library_office(user: User, library: Library) -> None:
    """An office of the library's region (or above it) keeps the library."""
    if user.role == "admin":
        return
    if user.role != "reviewer" or user.office is None or user.office.region_code not in library.region.lineage():
        raise Forbidden(_("Only an office of the library's jurisdiction can change its members."))


def add_member(user: User, key: Any, values: dict[str, Any]) -> LibraryMembership:
    """An office enters an enterprise by hand (the listing reserve: 纳入上市后备企业库), with the source. A
    library that is a rung of the ladder (Jinhu's county library stands for its seed tier) is entered only
    through its own process, never by hand."""
    library = get(key)
    _require_library_office(user, library)
    if library.tier is not None:
        raise Conflict(_("Enterprises enter this library through its application process (入库审核), not by hand."),
                       code="process_entry_only")
    enterprise_id, source_ref = values.get("enterprise_id"), values.get("source_ref")
    enterprise = db.session.get(Enterprise, enterprise_id) if isinstance(enterprise_id, int) else None
    errors = {}
    if enterprise is None or not enterprise.region.lineage().count(library.region_code):
        errors["enterprise_id"] = _("no enterprise of the library's jurisdiction has this id")
    if not isinstance(source_ref, str) or not source_ref.strip() or len(source_ref) > 200:
        errors["source_ref"] = _("say where the entry comes from (at most 200 characters)")
    if errors:
        raise Invalid(_("The enterprise cannot be entered; check the marked fields."), fields=errors)
    if library.key in active(enterprise.id):
        raise Conflict(_("The enterprise is already a member of this library."))
    return enter(library, enterprise, on=workdays.china_date(), source="office", source_ref=source_ref.strip(),
                 actor=user)


def remove_member(user: User, membership_id: Any, reason: Any) -> LibraryMembership:
    member = db.session.get(LibraryMembership, membership_id) if isinstance(membership_id, int) else None
    if member is None:
        raise NotFound(_("Library membership not found."))
    _require_library_office(user, member.library)
    if member.status != MembershipStatus.ACTIVE.value:
        raise Conflict(_("This membership has ended already."))
    if not isinstance(reason, str) or not reason.strip():
        raise Invalid(_("A reason is required."), fields={"reason": _("required")})
    exit_(member, reason.strip(), workdays.china_date(), user)
    db.session.flush()
    return member


def members(user: User, library: Library, status: str | None = "active", *, page: int = 1,
            per_page: int = 100) -> tuple[list[LibraryMembership], int]:
    """A page of the library's members for an office of its jurisdiction or above it (and the admin); an
    enterprise sees only its own membership; 403 for anyone else."""
    query = db.select(LibraryMembership).where(LibraryMembership.library_key == library.key)
    if user.role == "enterprise" and user.enterprise_id is not None:
        query = query.where(LibraryMembership.enterprise_id == user.enterprise_id)
    elif user.role != "admin" and not (user.role == "reviewer" and user.office is not None
                                       and user.office.region_code in library.region.lineage()):
        raise Forbidden(_("Only an office of the library's jurisdiction or above it can list its members."))
    if status:
        query = query.where(LibraryMembership.status == status)
    total = db.session.scalar(db.select(db.func.count()).select_from(query.order_by(None).subquery())) or 0
    rows = db.session.scalars(query.order_by(LibraryMembership.entered_on, LibraryMembership.id)
                              .limit(per_page).offset((max(page, 1) - 1) * per_page))
    return list(rows), int(total)


def of_enterprise(enterprise_id: int) -> list[LibraryMembership]:
    return list(db.session.scalars(db.select(LibraryMembership).where(LibraryMembership.enterprise_id == enterprise_id)
                                   .order_by(LibraryMembership.entered_on.desc(), LibraryMembership.id.desc())))


def membership_to_dict(member: LibraryMembership) -> dict[str, Any]:
    return {"id": member.id, "library": member.library.to_dict() | {"label": label(member.library)},
            "enterprise": member.enterprise.summary(), "entered_on": member.entered_on.isoformat(),
            "source": member.source, "source_ref": member.source_ref, "application_id": member.application_id,
            "status": member.status, "verified_on": member.verified_on.isoformat() if member.verified_on else None,
            "exit_reason": member.exit_reason, "exited_on": member.exited_on.isoformat() if member.exited_on else None}
