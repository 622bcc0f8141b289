"""Who may do what, where it does not depend on a domain."""

from __future__ import annotations

from flask_babel import gettext as _

from app.core.errors import Forbidden
from app.models import User


def require_admin(user: User) -> None:
    if user.role != "admin":
        raise Forbidden(_("Only an administrator can do this."))
