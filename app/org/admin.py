"""User and office administration (the administrators' pages): list and search accounts, create them with a
temporary password, set role, office and region, deactivate; offices by region and sector."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _

from app.core import audit, permissions, text
from app.core.errors import Conflict, Invalid, NotFound
from app.extensions import db
from app.models import SECTORS, Office, Region, User
from app.models.user import ROLES
from app.org import accounts

PAGE_SIZE = 50
# roles that work for an office, and need one; an enterprise account belongs to its enterprise instead
OFFICE_ROLES = ("reviewer", "reporter", "secretary")
STAFF_ROLES = tuple(r for r in ROLES if r != "enterprise")
OFFICE_CODE_RE = re.compile(r"^[A-Za-z0-9_\-]{2,40}$")


@dataclass
class UserPage:
    users: list[User]
    total: int
    page: int
    pages: int


def search_users(admin: User, *, q: str = "", role: str = "", office_id: int | None = None,
                 active: str = "", page: int = 1) -> UserPage:
    """Accounts matching the search (username, display name or e-mail contain `q`), newest first."""
    permissions.require_admin(admin)
    query = db.select(User)
    q = (q or "").strip()
    if q:
        pattern = f"%{q.replace('%', '').replace('_', '')}%"
        query = query.where(db.or_(User.username.ilike(pattern), User.display_name.ilike(pattern),
                                   User.email.ilike(pattern)))
    if role in ROLES:
        query = query.where(User.role == role)
    if office_id:
        query = query.where(User.office_id == office_id)
    if active in ("1", "0"):
        query = query.where(User.active.is_(active == "1"))
    total = db.session.scalar(db.select(db.func.count()).select_from(query.subquery())) or 0
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(page, 1), pages)
    users = list(db.session.scalars(query.order_by(User.username).limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)))
    return UserPage(users, total, page, pages)


def get_user(admin: User, user_id: int) -> User:
    permissions.require_admin(admin)
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound(_("User not found."))
    return user


def _check_assignment(role: str, office_id: int | None, region_code: str | None,
                      errors: dict[str, str]) -> tuple[Office | None, Region | None]:
    """The office and region a staff role needs: an office for reviewers, reporters and secretaries; a region for
    leaders (their jurisdiction) and experts (their home city, optional)."""
    office = db.session.get(Office, office_id) if office_id else None
    region = db.session.get(Region, region_code) if region_code else None
    if role not in STAFF_ROLES:
        errors["role"] = _("choose one of the staff roles")
    if office_id and office is None:
        errors["office_id"] = _("unknown office")
    elif role in OFFICE_ROLES and office is None:
        errors["office_id"] = _("this role works for an office: choose it")
    if region_code and region is None:
        errors["region_code"] = _("unknown region code")
    elif role == "leader" and region is None:
        errors["region_code"] = _("a leading group oversees a region: choose it")
    return office, region


def create_user(admin: User, fields: dict[str, Any]) -> tuple[User, str]:
    """A staff account with a temporary password it must change at its first log-in (enterprises register
    themselves). Returns the account and the temporary password, shown once to the administrator."""
    permissions.require_admin(admin)
    username = (fields.get("username") or "").strip()
    role = fields.get("role") or ""
    display_name, name_problem = text.clean_name(fields.get("display_name") or "")
    email = (fields.get("email") or "").strip()
    errors: dict[str, str] = {}
    if problem := accounts.username_problem(username, staff=True):
        errors["username"] = problem
    if name_problem or len(display_name) > 128:
        errors["display_name"] = _("enter the person's name (one line, at most 128 characters)")
    if email and (len(email) > 200 or not accounts.EMAIL_RE.match(email)):
        errors["email"] = _("not an e-mail address")
    office, region = _check_assignment(role, fields.get("office_id"), fields.get("region_code") or None, errors)
    if errors:
        raise Invalid(_("The account was not created; check the marked fields."), fields=errors)
    if db.session.scalar(db.select(User.id).where(User.username == username)):
        raise Conflict(_("This username is taken."), fields={"username": _("taken")})
    user = User(username=username, role=role, display_name=display_name, email=email or None,
                office_id=office.id if office and role in OFFICE_ROLES else None,
                region_code=region.code if region else None, must_change_password=True)
    password = accounts.temporary_password()
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    audit.record("create_user", actor=admin, details={"user_id": user.id, "username": username, "role": role})
    return user, password


def update_user(admin: User, user_id: int, fields: dict[str, Any]) -> User:
    """Role, office, region, name and whether the account is active. An enterprise account keeps its role (its
    enterprise is its scope); an administrator cannot deactivate or demote itself. A deactivated account's
    sessions and tokens end."""
    user = get_user(admin, user_id)
    role = fields.get("role") or user.role
    active = bool(fields.get("active", user.active))
    display_name, problem = text.clean_name(fields.get("display_name") or user.display_name or user.username)
    errors: dict[str, str] = {}
    if problem or len(display_name) > 128:
        errors["display_name"] = _("enter the person's name (one line, at most 128 characters)")
    if user.role == "enterprise" or role == "enterprise":
        if role != user.role:
            errors["role"] = _("an enterprise account keeps its role")
        office, region = None, None
    else:
        office, region = _check_assignment(role, fields.get("office_id"), fields.get("region_code") or None, errors)
    if user.id == admin.id and (role != "admin" or not active):
        errors["active" if not active else "role"] = _("you cannot deactivate or demote your own account")
    if errors:
        raise Invalid(_("The account was not changed; check the marked fields."), fields=errors)
    before = {"role": user.role, "office_id": user.office_id, "region_code": user.region_code, "active": user.active}
    user.display_name = display_name
    if user.role != "enterprise":
        user.role = role
        user.office_id = office.id if office and role in OFFICE_ROLES else None
        user.region_code = region.code if region else None
    if user.active and not active:
        accounts.end_sessions(user)
    user.active = active
    db.session.flush()
    audit.record("update_user", actor=admin, details={"user_id": user.id, "before": before, "after": {
        "role": user.role, "office_id": user.office_id, "region_code": user.region_code, "active": user.active}})
    return user


def reset_password(admin: User, user_id: int) -> tuple[User, str]:
    user = get_user(admin, user_id)
    return user, accounts.reset_password(admin, user)


# --- offices ----------------------------------------------------------------------------------------------

def offices(admin: User, q: str = "") -> list[tuple[Office, int]]:
    """Every office (by region code) with its number of active accounts; `q` searches code and name."""
    permissions.require_admin(admin)
    counts = db.select(User.office_id, db.func.count(User.id).label("n")).where(User.active.is_(True)) \
        .group_by(User.office_id).subquery()
    query = db.select(Office, db.func.coalesce(counts.c.n, 0)).outerjoin(counts, counts.c.office_id == Office.id)
    q = (q or "").strip()
    if q:
        pattern = f"%{q.replace('%', '').replace('_', '')}%"
        query = query.where(db.or_(Office.code.ilike(pattern), Office.name.ilike(pattern)))
    return [(office, n) for office, n in db.session.execute(query.order_by(Office.region_code, Office.code))]


def get_office(admin: User, office_id: int) -> Office:
    permissions.require_admin(admin)
    office = db.session.get(Office, office_id)
    if office is None:
        raise NotFound(_("Office not found."))
    return office


def _office_fields(fields: dict[str, Any], errors: dict[str, str]) -> tuple[str, Region | None, str | None]:
    name, problem = text.clean_name(fields.get("name") or "")
    if problem or len(name) > 128:
        errors["name"] = _("enter the office's name (one line, at most 128 characters)")
    region = db.session.get(Region, fields.get("region_code") or "")
    if region is None:
        errors["region_code"] = _("unknown region code")
    sector = fields.get("sector") or None
    if sector is not None and sector not in SECTORS and sector != "finance":
        errors["sector"] = _("unknown sector")
    return name, region, sector


def create_office(admin: User, fields: dict[str, Any]) -> Office:
    """An office of a region (the general 工信 office when no sector is given, else the sector's department)."""
    permissions.require_admin(admin)
    errors: dict[str, str] = {}
    code = (fields.get("code") or "").strip()
    if not OFFICE_CODE_RE.match(code):
        errors["code"] = _("2 to 40 letters, digits, '_' or '-' (e.g. 220602 or 220000-energy)")
    name, region, sector = _office_fields(fields, errors)
    if errors:
        raise Invalid(_("The office was not created; check the marked fields."), fields=errors)
    if db.session.scalar(db.select(Office.id).where(Office.code == code)):
        raise Conflict(_("An office with this code exists."), fields={"code": _("taken")})
    if db.session.scalar(db.select(Office.id).where(Office.region_code == region.code,
                                                   Office.sector.is_(None) if sector is None else
                                                   Office.sector == sector)):
        raise Conflict(_("This region already has an office for this sector."), fields={"sector": _("taken")})
    office = Office(code=code, name=name, region_code=region.code, sector=sector)
    db.session.add(office)
    db.session.flush()
    audit.record("create_office", actor=admin, details=office.to_dict())
    return office


def rename_office(admin: User, office_id: int, name: str) -> Office:
    """An office's name (its code, region and sector stay: routing rules and tasks refer to them)."""
    office = get_office(admin, office_id)
    clean, problem = text.clean_name(name or "")
    if problem or len(clean) > 128:
        raise Invalid(_("The office was not changed; check the marked fields."),
                      fields={"name": _("enter the office's name (one line, at most 128 characters)")})
    before = office.name
    office.name = clean
    db.session.flush()
    audit.record("rename_office", actor=admin, details={"office_id": office.id, "before": before, "after": clean})
    return office
