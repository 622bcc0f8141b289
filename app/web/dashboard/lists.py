"""The lists behind the dashboard's figures: register entries (/dashboard/recognitions, the same filters and so
the same count as the figure clicked) and open steps of the pipeline (/dashboard/pipeline); paged, sortable,
exported to Excel with the filters applied."""

from __future__ import annotations

from math import ceil
from typing import Any

from flask import render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from app.core.vocabulary import RecognitionStatus
from app.lifecycle import names
from app.reporting import pipeline, stats
from app.reporting import scope as scopes
from app.web import xlsx
from app.web.common import page_arg, role_required
from app.web.dashboard import READERS, bp
from app.web.labels import SECTOR_LABELS, STATUS_LABELS, label, step_label

PER_PAGE = 50
SORTS = tuple(stats.SORTS)


def _filters() -> tuple[dict[str, Any], str, bool]:
    filters = stats.parse_filters(request.args)
    filters.pop("level")
    sort = request.args.get("sort") if request.args.get("sort") in SORTS else "valid_from"
    return filters, sort, request.args.get("dir", "desc") != "asc"


def _recognition_row(entry: Any) -> list[Any]:
    enterprise = entry.enterprise
    return [enterprise.name, enterprise.uscc, names.tier_label(entry.tier, enterprise.region),
            enterprise.region.name, label(SECTOR_LABELS, enterprise.sector), entry.office.name, entry.certificate_no,
            entry.valid_from, entry.valid_until, label(RecognitionStatus.labels(), entry.status)]


@bp.get("/recognitions")
@role_required(*READERS)
def recognitions() -> ResponseReturnValue:
    filters, sort, descending = _filters()
    page = page_arg()
    rows, total = stats.entries(current_user, sort=sort, descending=descending, page=page, per_page=PER_PAGE,
                                **filters)
    args = {k: v for k, v in filters.items() if v and not (k == "status" and v == "stock")}
    scope = scopes.narrowed(scopes.of(current_user), filters["region"])

    def sort_url(key: str) -> str:
        return url_for("dashboard.recognitions", **args, sort=key, dir="asc" if sort == key and descending else "desc")

    return render_template("dashboard/recognitions.html", rows=rows, total=total, page=page,
                           pages=max(ceil(total / PER_PAGE), 1), args=args, sort=sort, descending=descending,
                           scope=scope, filters=filters, row_of=_recognition_row, sort_url=sort_url,
                           sort_args={k: v for k, v in args.items()} | ({"sort": sort, "dir": "desc" if descending
                                                                         else "asc"}))


@bp.get("/recognitions.xlsx")
@role_required(*READERS)
def recognitions_export() -> ResponseReturnValue:
    filters, sort, descending = _filters()
    rows, _total = stats.entries(current_user, sort=sort, descending=descending, per_page=xlsx.EXPORT_MAX,
                                 **filters)
    columns = [xlsx.Column(_("Enterprise"), 36), xlsx.Column(_("USCC"), 22), xlsx.Column(_("Tier"), 30),
               xlsx.Column(_("Region"), 14), xlsx.Column(_("Sector"), 12), xlsx.Column(_("Recognizing office"), 30),
               xlsx.Column(_("Certificate no."), 20), xlsx.Column(_("Valid from"), 12, "yyyy-mm-dd"),
               xlsx.Column(_("Valid until"), 12, "yyyy-mm-dd"), xlsx.Column(_("Status"), 14)]
    return xlsx.send(_("Recognitions"), _("Recognitions"), columns, [_recognition_row(e) for e in rows])


def _step_rows(tasks: list[Any]) -> list[list[Any]]:
    rows = []
    for task in tasks:
        application = task.application
        rows.append([application.enterprise.name if application else "", application.id if application else None,
                     label(STATUS_LABELS, application.status) if application else "",
                     step_label(task.step, task.step_name), task.office.name if task.office else "",
                     task.created_at, task.due_at])
    return rows


@bp.get("/pipeline")
@role_required(*READERS)
def pipeline_list() -> ResponseReturnValue:
    step, region = request.args.get("step") or None, request.args.get("region") or None
    overdue = request.args.get("overdue") == "1"
    page = page_arg()
    tasks, total = pipeline.applications_at(current_user, step, region=region, overdue=overdue, page=page,
                                            per_page=PER_PAGE)
    args = {k: v for k, v in {"step": step, "region": region, "overdue": "1" if overdue else None}.items() if v}
    return render_template("dashboard/pipeline.html", tasks=tasks, rows=_step_rows(tasks), total=total, page=page,
                           pages=max(ceil(total / PER_PAGE), 1), args=args, step=step, overdue=overdue,
                           scope=scopes.narrowed(scopes.of(current_user), region))


@bp.get("/pipeline.xlsx")
@role_required(*READERS)
def pipeline_export() -> ResponseReturnValue:
    overdue = request.args.get("overdue") == "1"
    tasks, _total = pipeline.applications_at(current_user, request.args.get("step") or None,
                                             region=request.args.get("region") or None, overdue=overdue,
                                             per_page=xlsx.EXPORT_MAX)
    columns = [xlsx.Column(_("Enterprise"), 36), xlsx.Column(_("Application"), 12),
               xlsx.Column(_("Application status"), 14), xlsx.Column(_("Step"), 24), xlsx.Column(_("Office"), 30),
               xlsx.Column(_("Open since"), 18, "yyyy-mm-dd hh:mm"), xlsx.Column(_("Due"), 18, "yyyy-mm-dd hh:mm")]
    return xlsx.send(_("Open steps"), _("Open steps"), columns, _step_rows(tasks))
