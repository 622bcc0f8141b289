"""Views of the notices blueprint: thin wrappers around app.recognition.notices, open to anonymous visitors.

Only what the service makes public is shown: enterprise name, region, tier and the end of the notice
period; never the application's data, score or the enterprise's USCC.
"""

from __future__ import annotations

from datetime import datetime
from math import ceil
from typing import Any

from flask import flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from app.core import abuse, workdays
from app.core.errors import ServiceError
from app.recognition import notices
from app.web import xlsx
from app.web.common import form_invalid, page_arg, service_failed
from app.web.labels import tier_label
from app.web.notices import bp
from app.web.notices.forms import ObjectionForm

PER_PAGE = 50


def _entry(item: dict[str, Any]) -> dict[str, Any]:
    """A public entry with its end of notice as a datetime (shown as a Beijing date)."""
    ends = item.get("notice_ends")
    return item | {"ends": datetime.fromisoformat(ends) if ends else None}


@bp.get("/notices")
def index() -> ResponseReturnValue:
    page = page_arg()
    items, total = notices.public_list(page=page, per_page=PER_PAGE)
    return render_template("notices/index.html", items=[_entry(i) for i in items], total=total, page=page,
                           pages=max(ceil(total / PER_PAGE), 1))


@bp.get("/notices.xlsx")
def export() -> ResponseReturnValue:
    """The 公示名单 as Excel: what the page shows (name, region, tier, end of notice), every entry."""
    items, _total = notices.public_list(page=1, per_page=xlsx.EXPORT_MAX)
    columns = [xlsx.Column(_("Enterprise"), 36), xlsx.Column(_("Region"), 24), xlsx.Column(_("Tier"), 22),
               xlsx.Column(_("Notice ends"), 14, "yyyy-mm-dd")]
    rows = ([i["enterprise"], i["region"], tier_label(i["target_tier"]),
             workdays.china_date(e["ends"]) if (e := _entry(i))["ends"] else None] for i in items)
    return xlsx.send(f"notices-{workdays.china_date().isoformat()}", _("Public notice"), columns, rows)


@bp.route("/notices/<int:application_id>/objection", methods=["GET", "POST"])
@abuse.objection
def objection(application_id: int) -> ResponseReturnValue:
    entry = _entry(notices.public_entry(*notices.get_public(application_id)))
    form = ObjectionForm()
    if form.validate_on_submit():
        try:
            notices.raise_objection(application_id, {"name": form.name.data, "contact": form.contact.data,
                                                     "text": form.text.data})
        except ServiceError as exc:
            status = service_failed(exc, form)
            return render_template("notices/objection.html", entry=entry, form=form), status
        flash(_("Thank you. Your objection to %(enterprise)s was received; the provincial office will "
                "look into it and may contact you.", enterprise=entry["enterprise"]), "success")
        return redirect(url_for("notices.index"))
    status = form_invalid() if form.is_submitted() else 200
    return render_template("notices/objection.html", entry=entry, form=form), status
