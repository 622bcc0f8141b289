"""The dashboard's tables as rows for Excel (the same rows the page shows), one builder per table."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask_babel import gettext as _

from app.core.vocabulary import TargetStatus
from app.web.labels import SECTOR_LABELS, TIER_LABELS, label, step_label
from app.web.xlsx import Column

Table = tuple[str, list[Column], list[list[Any]]]


def _targets(data: dict[str, Any]) -> Table:
    columns = [Column(_("Region"), 14), Column(_("Metric"), 40), Column(_("Year"), 8), Column(_("Target"), 10),
               Column(_("Target (upper end)"), 12), Column(_("Achieved"), 10), Column(_("Expected by now"), 12),
               Column(_("Status"), 14), Column(_("Clause"), 60)]
    rows = [[t["region"], t["label"], t["year"], t["value"], t["value_max"], t["actual"], t["expected"],
             label(TargetStatus.labels(), t["status"]), t["clause"]] for t in data["targets"]]
    return _("Targets"), columns, rows


def _counts(key: str, header: str, name: Callable[[dict[str, Any]], Any], title: str) -> Callable:
    def build(data: dict[str, Any]) -> Table:
        return title, [Column(header, 30), Column(_("Recognitions"), 14, "#,##0")], [
            [name(i), i["count"]] for i in data[key]]
    return build


def _steps(data: dict[str, Any]) -> Table:
    columns = [Column(_("Step"), 30), Column(_("Open"), 10, "#,##0"), Column(_("Overdue"), 10, "#,##0"),
               Column(_("Median days"), 12, "0.0")]
    return _("Open steps"), columns, [[step_label(s["step"], s["name"]), s["open"], s["overdue"], s["median_days"]]
                                      for s in data["pipeline"]["steps"]]


def _levels(data: dict[str, Any]) -> Table:
    columns = [Column(_("Level"), 40), Column(_("Approved"), 10, "#,##0"), Column(_("Returned"), 10, "#,##0"),
               Column(_("Rejected"), 10, "#,##0"), Column(_("Pass rate"), 10, "0.0%")]
    return _("Pass rates"), columns, [[r["label"], r["approved"], r["returned"], r["rejected"], r["pass_rate"]]
                                      for r in data["pipeline"]["levels"]]


def _wan(amount: int | None) -> float | None:
    """Money as the page shows it: 万元 (the cell stays a number)."""
    return None if amount is None else round(amount / 10000, 2)


def _cohort(data: dict[str, Any]) -> Table:
    columns = [Column(_("Tier"), 30), Column(_("Reports"), 10, "#,##0"), Column(_("Submitted"), 10, "#,##0"),
               Column(_("Response rate"), 12, "0.0%"), Column(_("Revenue (10,000 yuan)"), 18, "#,##0.00"),
               Column(_("Revenue growth"), 12, "0.0%"), Column(_("R&D expense (10,000 yuan)"), 18, "#,##0.00"),
               Column(_("Employees"), 12, "#,##0"), Column(_("R&D staff"), 12, "#,##0")]
    rows = [[label(TIER_LABELS, t["tier"]) if t["tier"] else _("Library members without a tier"), t["reports"],
             t["submitted"], t["response_rate"], _wan(t["revenue"]), t["revenue_growth"], _wan(t["rd_expense"]),
             t["employees"],
             t["rd_staff"]] for t in data["cohort"]["tiers"]]
    return _("Monitored cohort"), columns, rows


def _problems(data: dict[str, Any]) -> Table:
    """问题诉求 (issue 14): one row per category, level and sector, then the summary figures."""
    from app.core.vocabulary import ProblemCategory, ProblemLevel

    p = data["problems"]
    rows: list[list[Any]] = []
    for group, items, labels in ((_("Category"), p["by_category"], ProblemCategory.labels()),
                                 (_("Level"), p["by_level"], ProblemLevel.labels()),
                                 (_("Sector"), p["by_sector"], SECTOR_LABELS)):
        rows += [[group, label(labels, i["key"]) if i["key"] else "—", i["count"]] for i in items]
    rows += [[_("Summary"), _("Overdue"), p["overdue"]], [_("Summary"), _("Escalated"), p["escalated"]],
             [_("Summary"), _("Escalation rate"), p["escalation_rate"]],
             [_("Summary"), _("Median days to close"), p["median_days_to_close"]]]
    return _("Problems"), [Column(_("Grouped by"), 14), Column(_("Value"), 30), Column(_("Count"), 12)], rows


TABLES: dict[str, Callable[[dict[str, Any]], Table]] = {
    "targets": _targets,
    "tiers": lambda d: _counts("tiers", _("Tier"), lambda i: label(TIER_LABELS, i["tier"]), _("By tier"))(d),
    "regions": lambda d: _counts("regions", _("Region"), lambda i: i["region"], _("By region"))(d),
    "years": lambda d: _counts("years", _("Year"), lambda i: i["year"], _("By year"))(d),
    "sectors": lambda d: _counts("sectors", _("Sector"), lambda i: label(SECTOR_LABELS, i["sector"]),
                                 _("By sector"))(d),
    "steps": _steps,
    "levels": _levels,
    "cohort": _cohort,
    "problems": _problems,
}
