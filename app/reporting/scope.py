"""Whose figures a caller reads: a leader (领导小组) its `region_code`, a reviewer its office's region (and
sector, for a sector department, as the register shows it), the admin everything; anyone else is refused.
A region asked for outside the caller's jurisdiction is 404 (its existence does not leak)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import String, bindparam

from app.core.errors import Forbidden, Invalid, NotFound
from app.extensions import db
from app.lifecycle.register import region_prefix
from app.models import Region, User

LEVELS = ("national", "province", "city", "county")
BELOW = {"national": "province", "province": "city", "city": "county", "county": "county"}
READERS = ("leader", "reviewer", "admin")


@dataclass(frozen=True)
class Scope:
    region: Region
    prefix: str  # enterprises whose region code starts with it
    sector: str | None = None  # a sector office reads its sector only

    @property
    def below(self) -> str:
        """The level the regions of this scope roll up to by default (one below its own)."""
        return BELOW[self.region.level]


def of(user: User | None) -> Scope:
    if user is None or user.role not in READERS:
        raise Forbidden(_("Statistics are for the leading group, the offices and the administrator."))
    if user.role == "admin":
        region = db.session.get(Region, "100000") or Region(code="100000", name="全国", level="national")
        return Scope(region, "")
    if user.role == "leader":
        region = db.session.get(Region, user.region_code) if user.region_code else None
        if region is None:
            raise Forbidden(_("This account has no jurisdiction."))
        return Scope(region, region_prefix(region))
    if user.office is None:
        raise Forbidden(_("This account has no office."))
    return Scope(user.office.region, region_prefix(user.office.region), user.office.sector)


def narrowed(scope: Scope, region_code: Any) -> Scope:
    """The scope narrowed to `region_code` (the caller's region or one below it)."""
    if region_code in (None, ""):
        return scope
    region = db.session.get(Region, region_code) if isinstance(region_code, str) else None
    if region is None:
        raise Invalid(_("Unknown region code."), fields={"region": _("unknown region code")})
    prefix = region_prefix(region)
    if not prefix.startswith(scope.prefix):
        raise NotFound(_("Region not found."))
    return Scope(region, prefix, scope.sector)


def within(column: Any, prefix: str) -> Any:
    """`column` starts with the digits of `prefix`, as a range (an index serves it in any collation). The bounds
    are written into the SQL (not bound parameters): PostgreSQL then plans each jurisdiction for its size,
    where a prepared statement's generic plan would loop over half a province's firms one by one."""
    upper = prefix[:-1] + chr(ord(prefix[-1]) + 1)
    return (column >= bindparam(None, prefix, String(), literal_execute=True)) & (
        column < bindparam(None, upper, String(), literal_execute=True))


def level_of(scope: Scope, level: Any) -> str:
    """The roll-up level asked for (not above the scope's own), or the one below the scope."""
    if level in (None, ""):
        return scope.below
    if level not in LEVELS[1:]:
        raise Invalid(_("level is one of province, city, county."), fields={"level": _("unknown level")})
    return level if LEVELS.index(level) >= LEVELS.index(scope.region.level) else scope.region.level
