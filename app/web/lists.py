"""The searchable application lists (issue 17 item 6): the admin's 全部申报 and a reviewer's 已办 / 全部, with
search (enterprise name, USCC, application number), filters, sorting, paging and the same list as Excel."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from math import ceil
from typing import Any, TypeVar

from flask import current_app, flash, render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from app.core import workdays
from app.core.errors import Invalid
from app.models import STATUSES, TIERS
from app.web import xlsx
from app.web.common import page_arg
from app.web.labels import status_label, step_label, tier_label
from app.workbench import browse

F = TypeVar("F")


def parsed_filter(build: Callable[[dict[str, Any]], F], keys: Iterable[str], empty: F) -> tuple[F, dict[str, str]]:
    """The query string's filter built by `build` (a `from_params`); a value it refuses is dropped and reported
    per field, so the page still answers with the rest (the inbox and these lists)."""
    raw = {key: request.args.get(key, "") for key in keys}
    errors: dict[str, str] = {}
    while True:
        try:
            return build(raw), errors
        except Invalid as exc:
            if not exc.fields:
                return empty, {"": exc.message}
            for key in exc.fields:
                errors[key] = exc.message
                raw.pop(key, None)


def _filter() -> tuple[browse.ListFilter, dict[str, str]]:
    return parsed_filter(browse.ListFilter.from_params, browse.ListFilter.__dataclass_fields__, browse.ListFilter())


def _sort() -> str:
    raw = request.args.get("sort") or "-updated"
    return raw if raw.removeprefix("-") in browse.LIST_SORTS else "-updated"


def render(scope: str, title: str, endpoint: str, endpoint_args: dict[str, Any], export_endpoint: str,
           regions: list[tuple[str, str]]) -> ResponseReturnValue:
    per_page = current_app.config["INBOX_PAGE_SIZE"]
    page, sort = page_arg(), _sort()
    f, errors = _filter()
    rows, total = browse.search_applications(current_user, scope, f, page=page, per_page=per_page, sort=sort)
    for message in dict.fromkeys(errors.values()):
        flash(message, "danger")
    params = f.params()
    return render_template(
        "partials/application_list.html", rows=rows, total=total, page=page, pages=max(ceil(total / per_page), 1),
        sort=sort, f=f, params=params, errors=errors, title=title, endpoint=endpoint, endpoint_args=endpoint_args,
        export_endpoint=export_endpoint, tiers=TIERS, statuses=STATUSES, regions=regions,
        calls=browse.calls_for_filter(), sorts=browse.LIST_SORTS, scope=scope), 422 if errors else 200


def export(scope: str, filename: str, title: str) -> ResponseReturnValue:
    """The list with the page's filters and order, every matching application (not one page)."""
    f, _errors = _filter()
    rows, _total = browse.search_applications(current_user, scope, f, page=1, per_page=xlsx.EXPORT_MAX,
                                              sort=_sort())
    columns = [xlsx.Column(_("Application no."), 20), xlsx.Column(_("Enterprise"), 36), xlsx.Column(_("USCC"), 22),
               xlsx.Column(_("Region"), 16), xlsx.Column(_("Target tier"), 16), xlsx.Column(_("Status"), 12),
               xlsx.Column(_("Score"), 8, "0.0"), xlsx.Column(_("Current step"), 18), xlsx.Column(_("Office"), 28),
               xlsx.Column(_("Call"), 28), xlsx.Column(_("Submitted"), 18, "yyyy-mm-dd hh:mm"),
               xlsx.Column(_("Updated"), 18, "yyyy-mm-dd hh:mm")]
    return xlsx.send(f"{filename}-{workdays.china_date().isoformat()}", title, columns, (
        [a.number or "", a.enterprise.name, a.enterprise.uscc, a.enterprise.region.name if a.enterprise.region else "",
         tier_label(a.target_tier), status_label(a.status), a.score,
         step_label(task.step, task.step_name) if task else "", task.office.name if task and task.office else "",
         a.call.name if a.call else "", a.submitted_at, a.updated_at] for a, task in rows))
