"""Views of the admin blueprint."""

from __future__ import annotations

from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from app.extensions import db
from app.models import Region
from app.org.regions import full_name
from app.web import lists
from app.web.admin import bp
from app.web.common import role_required


@bp.get("/applications")
@role_required("admin")
def applications() -> ResponseReturnValue:
    """Every application: search (name, USCC, number), filters, sorting, paging (app/web/lists.py)."""
    return lists.render("all", _("All applications"), "admin.applications", {}, "admin.applications_export",
                        _counties())


@bp.get("/applications.xlsx")
@role_required("admin")
def applications_export() -> ResponseReturnValue:
    """The list with the page's search, filters and order, as Excel."""
    return lists.export("all", "applications", _("All applications"))


def _counties() -> list[tuple[str, str]]:
    return [(r.code, full_name(r)) for r in db.session.scalars(
        db.select(Region).where(Region.level == "county").order_by(Region.code))]
