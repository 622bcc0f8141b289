"""The funds' pages: the list of the funds the caller may see, and a fund's page — budget, committed, paid and
available (the sums of its ledger), committed and paid by tier (or trigger) and year as a table and an ECharts
bar chart, and the form that adds to a year's budget (the SME office keeping the fund, the admin)."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.core import workdays
from app.core.errors import ServiceError
from app.models import Fund
from app.org.regions import full_name
from app.rewards import funds, ledger
from app.web.common import form_invalid, role_required, service_failed
from app.web.rewards_enterprise import bp
from app.web.rewards_enterprise.forms import BudgetForm
from app.web.rewards_enterprise.labels import in_wan, wan_number, what_label

FUND_ROLES = ("reviewer", "admin")


def chart_data(fund: Fund) -> dict[str, Any]:
    """What the page's JSON block gives the chart: a row per year and tier (amounts in yuan, and in 万元 for the
    bars), and the series' names."""
    rows = []
    for row in ledger.by_tier_and_year(fund):
        what = what_label(row["what"])
        rows.append(row | {"what_label": what, "label": f"{row['year']} {what}",
                           "committed_wan": wan_number(row["committed"]), "paid_wan": wan_number(row["paid"])})
    return {"rows": rows, "series": {"committed": _("Committed"), "paid": _("Paid")},
            "unit": _("10,000 yuan")}


@bp.get("/funds")
@role_required(*FUND_ROLES)
def fund_list() -> ResponseReturnValue:
    rows = [(fund, full_name(fund.region), ledger.balances(fund)) for fund in funds.visible(current_user)]
    return render_template("rewards_enterprise/funds.html", rows=rows)


def _render(fund: Fund, form: BudgetForm, status: int = 200) -> ResponseReturnValue:
    data = chart_data(fund)
    return render_template("rewards_enterprise/fund.html", fund=fund, region_name=full_name(fund.region),
                           balances=ledger.balances(fund), rows=data["rows"], chart=data, form=form,
                           can_budget=funds.can_budget(current_user, fund)), status


@bp.get("/funds/<int:fund_id>")
@login_required
def fund_page(fund_id: int) -> ResponseReturnValue:
    fund = funds.get_for(current_user, fund_id)  # 404 for an office that neither keeps nor pays it
    return _render(fund, BudgetForm(year=workdays.china_date().year))


@bp.post("/funds/<int:fund_id>/budget")
@login_required
def add_budget(fund_id: int) -> ResponseReturnValue:
    fund = funds.get_for(current_user, fund_id)
    if not funds.can_budget(current_user, fund):
        abort(403)
    form = BudgetForm()
    if not form.validate_on_submit():
        return _render(fund, form, form_invalid())
    try:
        ledger.set_budget(fund, form.yuan(), form.year.data, actor=current_user,
                          note=(form.note.data or "").strip() or None)
    except ServiceError as exc:
        return _render(fund, form, service_failed(exc, form))
    flash(_("%(amount)s × 10,000 yuan added to the %(year)s budget.", amount=in_wan(form.yuan()),
            year=form.year.data), "success")
    return redirect(url_for("rewards_enterprise.fund_page", fund_id=fund.id))
