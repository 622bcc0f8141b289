"""Log-in, bearer tokens and enterprise self-registration."""

from __future__ import annotations

import hashlib
import re
import secrets
from datetime import timedelta

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from stdnum.cn import uscc as uscc_check
from stdnum.exceptions import ValidationError
from werkzeug.security import check_password_hash

from app.core import audit, text
from app.core.errors import Conflict, Invalid, Unauthorized
from app.extensions import db
from app.models import SECTORS, ApiToken, Enterprise, Region, User
from app.models.base import utcnow
from app.models.user import hash_password
from app.org import passwords

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
    return db.session.scalar(db.select(User).join(ApiToken, ApiToken.user_id == User.id).where(
        ApiToken.digest == _digest(token), ApiToken.expires_at >= utcnow(), User.active.is_(True)))


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


def register_enterprise(*, username: str, password: str, name: str, uscc: str,
                        region_code: str, sector: str) -> Enterprise:
    username = username.strip() if isinstance(username, str) else ""
    uscc = normalize_uscc(uscc if isinstance(uscc, str) else "")
    errors: dict[str, str] = {}
    if not USERNAME_RE.match(username):
        errors["username"] = _("3 to 64 letters, digits, '.', '_' or '-'")
    elif RESERVED_RE.match(username):
        errors["username"] = _("this name is reserved for office accounts; choose another")
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
    if errors:
        detail = _("; ").join(f"{FIELD_LABELS[k]}: {v}" for k, v in errors.items())
        raise Invalid(_("Registration refused: %(detail)s", detail=detail), fields=errors)
    if db.session.scalar(db.select(Enterprise.id).where(Enterprise.uscc == uscc)):
        raise Conflict(_("An enterprise with this USCC is already registered."), fields={"uscc": _("taken")})
    if db.session.scalar(db.select(User.id).where(User.username == username)):
        raise Conflict(_("This username is taken."), fields={"username": _("taken")})
    enterprise = Enterprise(name=name, uscc=uscc, region_code=region.code, sector=sector)
    db.session.add(enterprise)
    db.session.flush()
    user = User(username=username, role="enterprise", enterprise_id=enterprise.id, display_name=name)
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    audit.record("register", actor=user, details={"enterprise_id": enterprise.id, "uscc": uscc})
    return enterprise
