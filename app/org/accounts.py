"""Log-in, bearer tokens and enterprise self-registration."""

from __future__ import annotations

import hashlib
import re
import secrets
from datetime import timedelta
from functools import cache
from typing import Any

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from stdnum.cn import uscc as uscc_check
from stdnum.exceptions import ValidationError
from werkzeug.security import check_password_hash

from app.core import audit, text
from app.core.errors import Conflict, Forbidden, Invalid, NotFound, Unauthorized
from app.extensions import db
from app.models import SECTORS, ApiToken, Enterprise, Region, User
from app.models.base import utcnow
from app.models.user import hash_password
from app.org import passwords

EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
USERNAME_RE = re.compile(r"^[A-Za-z0-9_.\-]{3,64}$")
# the names staff accounts are given (rev-<office>, expert-…, leader-…, reporter-…, admin): refused to
# self-registration whether or not such an account exists, so registering cannot probe for staff accounts
RESERVED_RE = re.compile(r"^(?:rev|expert|leader|reporter|admin|root|finance)(?:$|[-_.])", re.IGNORECASE)
MIN_PASSWORD = 8
FIELD_LABELS = {
    "username": _l("Username"), "password": _l("Password"), "name": _l("Enterprise name"),
    "uscc": _l("Unified social credit code"), "region_code": _l("Region"), "sector": _l("Sector"),
}


_DUMMY_HASHES: dict[str, str] = {}


def _dummy_check(password: str) -> None:
    """Spend on an unknown username what checking a real password costs, so timing does not tell who exists."""
    method = current_app.config.get("PASSWORD_HASH_METHOD") or "scrypt"
    if method not in _DUMMY_HASHES:
        _DUMMY_HASHES[method] = hash_password(secrets.token_urlsafe(16))
    check_password_hash(_DUMMY_HASHES[method], password)


def authenticate(username: str, password: str) -> User:
    username = username.strip() if isinstance(username, str) else ""
    password = password if isinstance(password, str) else ""
    user = db.session.scalar(db.select(User).where(User.username == username)) if username else None
    if user is None:
        _dummy_check(password)
        raise Unauthorized(_("Wrong username or password."))
    if not user.check_password(password) or not user.active:
        raise Unauthorized(_("Wrong username or password."))
    return user


def open_session(user: User) -> None:
    """Before a browser login: the user's session key (kept while the user stays logged in somewhere)."""
    if not user.session_key:
        user.session_key = secrets.token_hex(16)
        db.session.flush()


def close_sessions(user: User) -> None:
    """Logging out ends every browser session of the user: a copied session cookie no longer works."""
    user.session_key = secrets.token_hex(16)
    db.session.flush()


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token(user: User, hours: int) -> tuple[str, ApiToken]:
    token = secrets.token_urlsafe(32)
    row = ApiToken(user_id=user.id, digest=_digest(token), expires_at=utcnow() + timedelta(hours=hours))
    db.session.add(row)
    db.session.flush()
    return token, row


def revoke_token(token: str) -> None:
    """The token stops working at once (logout, or replaced by a refresh)."""
    db.session.execute(db.delete(ApiToken).where(ApiToken.digest == _digest(token)))


def user_for_token(token: str) -> User | None:
    """The active user of an unexpired token, in one statement (every API request asks)."""
    return db.session.scalar(_token_statement(), {"token_digest": _digest(token), "token_now": utcnow()})


@cache
def _token_statement() -> Any:
    """Built once per process, the digest and the time given at execution."""
    return db.select(User).join(ApiToken, ApiToken.user_id == User.id).where(
        ApiToken.digest == db.bindparam("token_digest"),
        ApiToken.expires_at >= db.bindparam("token_now", type_=ApiToken.expires_at.type), User.active.is_(True))


def normalize_uscc(value: str) -> str:
    return (value or "").strip().upper()


def check_uscc(value: str) -> str | None:
    """The problem with a USCC, or None when it is valid (GB 32100-2015 check character)."""
    try:
        uscc_check.validate(value)
    except ValidationError:
        return _("not a valid unified social credit code (18 characters with a correct check character)")
    return None


def check_password_strength(password: str, username: str = "") -> str | None:
    """A real policy (issue 16 §7): long enough, letters and digits, no whitespace-only or padded password, not
    the username, not a well-known password or keyboard run (app/org/passwords.py)."""
    password = password if isinstance(password, str) else ""
    if len(password) < MIN_PASSWORD:
        return _("at least %(n)s characters", n=MIN_PASSWORD)
    if not password.strip() or password != password.strip():
        return _("no spaces at the start or end, and not only spaces")
    if not any(c.isalpha() for c in password) or not any(c.isdigit() for c in password) or \
            (len(username or "") >= 4 and username.lower() in password.lower()):
        return _("use letters and digits, not only one kind, and not the username")
    if passwords.is_common(password):
        return _("this password is among the most common ones; choose another")
    return None


def username_problem(username: str, *, staff: bool = False) -> str | None:
    """What is wrong with a new account's username, or None; the staff-style names are kept for staff accounts."""
    if not USERNAME_RE.match(username):
        return _("3 to 64 letters, digits, '.', '_' or '-'")
    if not staff and RESERVED_RE.match(username):
        return _("this name is reserved for office accounts; choose another")
    return None


def registration_errors(*, username: str, password: str, name: str, uscc: str, region_code: str,
                        sector: str) -> dict[str, str]:
    """Every problem with a registration at once, by field (empty when it may go ahead); writes nothing."""
    username = username.strip() if isinstance(username, str) else ""
    uscc = normalize_uscc(uscc if isinstance(uscc, str) else "")
    errors: dict[str, str] = {}
    if problem := username_problem(username):
        errors["username"] = problem
    if problem := check_password_strength(password, username):
        errors["password"] = problem
    name, problem = text.clean_name(name)
    if problem in ("line", "bidi"):
        errors["name"] = _("one line of plain text, without control or direction characters")
    elif problem or len(name) > 200:
        errors["name"] = _("enter the enterprise's registered name")
    if problem := check_uscc(uscc):
        errors["uscc"] = problem
    region = db.session.get(Region, (region_code or "").strip()) if isinstance(region_code, str) else None
    if region is None:
        errors["region_code"] = _("unknown region code")
    elif region.level != "county":
        errors["region_code"] = _("choose the county-level division (县/区) the enterprise is registered in")
    if sector not in SECTORS:
        errors["sector"] = _("unknown sector")
    return errors


def register_enterprise(*, username: str, password: str, name: str, uscc: str,
                        region_code: str, sector: str) -> Enterprise:
    """A new enterprise and its main account; a lowercase USCC is upper-cased."""
    errors = registration_errors(username=username, password=password, name=name, uscc=uscc,
                                 region_code=region_code, sector=sector)
    if errors:
        detail = _("; ").join(f"{FIELD_LABELS[k]}: {v}" for k, v in errors.items())
        raise Invalid(_("Registration refused: %(detail)s", detail=detail), fields=errors)
    username = username.strip()
    uscc = normalize_uscc(uscc)
    name, _problem = text.clean_name(name)
    region = db.session.get(Region, region_code.strip())
    if db.session.scalar(db.select(Enterprise.id).where(Enterprise.uscc == uscc)):
        raise Conflict(_("An enterprise with this USCC is already registered."), fields={"uscc": _("taken")})
    if db.session.scalar(db.select(User.id).where(User.username == username)):
        raise Conflict(_("This username is taken."), fields={"username": _("taken")})
    enterprise = Enterprise(name=name, uscc=uscc, region_code=region.code, sector=sector)
    db.session.add(enterprise)
    db.session.flush()
    user = User(username=username, role="enterprise", enterprise_id=enterprise.id, display_name=name,
                is_enterprise_main=True)
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    audit.record("register", actor=user, details={"enterprise_id": enterprise.id, "uscc": uscc})
    return enterprise


# --- passwords: change, administrator's reset ---------------------------------------------------------------

def end_sessions(user: User) -> None:
    """Every browser session and every API token of the user stops working (after a password change or reset)."""
    close_sessions(user)
    db.session.execute(db.delete(ApiToken).where(ApiToken.user_id == user.id))


def change_password(user: User, current: str, new: str) -> None:
    """The user's own change: the current password, then a new one that passes the policy and differs from it.
    Ends the user's other sessions and API tokens (the caller logs the current browser in again)."""
    current = current if isinstance(current, str) else ""
    new = new if isinstance(new, str) else ""
    errors: dict[str, str] = {}
    if not user.check_password(current):
        errors["current"] = _("this is not your current password")
    if problem := check_password_strength(new, user.username):
        errors["new"] = problem
    elif user.check_password(new):
        errors["new"] = _("choose a password different from the current one")
    if errors:
        raise Invalid(_("The password was not changed; check the marked fields."), fields=errors)
    user.set_password(new)
    user.must_change_password = False
    end_sessions(user)
    audit.record("change_password", actor=user, details={"user_id": user.id})


def temporary_password() -> str:
    """A random password an administrator hands over once (letters and digits; passes the policy)."""
    while True:
        candidate = secrets.token_urlsafe(9).replace("-", "x").replace("_", "y")
        if check_password_strength(candidate) is None:
            return candidate


def reset_password(actor: User, user: User) -> str:
    """An administrator's (or an enterprise main account's, for its colleagues) reset: a temporary password,
    to be changed at the next log-in; the user's sessions and tokens end. Returns the temporary password."""
    password = temporary_password()
    user.set_password(password)
    user.must_change_password = True
    end_sessions(user)
    audit.record("reset_password", actor=actor, details={"user_id": user.id, "username": user.username})
    return password


# --- an enterprise's accounts: the main account adds its colleagues -----------------------------------------

def require_main_account(user: User) -> None:
    if user.role != "enterprise" or user.enterprise_id is None or not user.is_enterprise_main:
        raise Forbidden(_("Only the enterprise's main account manages its accounts."))


def enterprise_accounts(user: User) -> list[User]:
    """Every account of the user's enterprise, the main account first."""
    if user.role != "enterprise" or user.enterprise_id is None:
        raise Forbidden(_("Only an enterprise account has colleagues here."))
    return list(db.session.scalars(db.select(User).where(User.enterprise_id == user.enterprise_id)
                                   .order_by(User.is_enterprise_main.desc(), User.username)))


def add_colleague(main: User, *, username: str, display_name: str, email: str = "") -> tuple[User, str]:
    """A colleague's account for the main account's enterprise, with a temporary password it must change at
    its first log-in. Returns the account and the temporary password (shown once)."""
    require_main_account(main)
    username = username.strip() if isinstance(username, str) else ""
    display_name, name_problem = text.clean_name(display_name if isinstance(display_name, str) else "")
    email = (email or "").strip() if isinstance(email, str) else ""
    errors: dict[str, str] = {}
    if problem := username_problem(username):
        errors["username"] = problem
    if name_problem or len(display_name) > 128:
        errors["display_name"] = _("required") if not display_name else \
            _("enter the colleague's name (one line, at most 128 characters)")
    if email and (len(email) > 200 or not EMAIL_RE.match(email)):
        errors["email"] = _("not an e-mail address")
    if errors:
        raise Invalid(_("The account was not added; check the marked fields."), fields=errors)
    if db.session.scalar(db.select(User.id).where(User.username == username)):
        raise Conflict(_("This username is taken."), fields={"username": _("taken")})
    user = User(username=username, role="enterprise", enterprise_id=main.enterprise_id, display_name=display_name,
                email=email or None)
    password = temporary_password()
    user.set_password(password)
    user.must_change_password = True
    db.session.add(user)
    db.session.flush()
    audit.record("add_colleague", actor=main, details={"user_id": user.id, "username": username})
    return user, password


def colleague_of(main: User, user_id: int) -> User:
    require_main_account(main)
    user = db.session.get(User, user_id)
    if user is None or user.enterprise_id != main.enterprise_id:
        raise NotFound(_("No such account of your enterprise."))
    if user.id == main.id:
        raise Invalid(_("The main account cannot change itself here; change its password on the password page."))
    return user


def set_colleague_active(main: User, user_id: int, active: bool) -> User:
    """Deactivate (its sessions and tokens end) or reactivate a colleague's account."""
    user = colleague_of(main, user_id)
    user.active = bool(active)
    if not user.active:
        end_sessions(user)
    audit.record("activate_user" if active else "deactivate_user", actor=main, details={"user_id": user.id})
    return user
