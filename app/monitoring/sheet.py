"""A period's reports as one Excel layout, used three ways: the export (every report with its figures), the
template (the same columns, for the office to collect figures) and the import of that template (rows matched
by USCC; money in 万元 as on the pages, counts whole). A file with any bad row changes nothing: the answer lists
every row's problems."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import IO, Any

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy.orm import contains_eager

from app.core.errors import Forbidden, Invalid
from app.core.vocabulary import MonitoringAlert, MonitoringStatus, Tier
from app.extensions import db
from app.models import Enterprise, MonitoringPeriod, MonitoringReport, User
from app.monitoring import figures, programmes, reports

MAX_ROWS = 20_000


@dataclass(frozen=True)
class Col:
    key: str  # uscc, name, region, tier, status, a figure key, alerts, follow_up, submitted_at
    kind: str = "text"  # text, money (万元), count, datetime


def layout() -> list[Col]:
    return [Col("uscc"), Col("name"), Col("region"), Col("tier"), Col("status"),
            *[Col(f.key, "count" if f.kind == "count" else "money") for f in figures.FIGURE_LIST],
            Col("alerts"), Col("follow_up_note"), Col("submitted_at", "datetime")]


def header(col: Col) -> str:
    """The column's header in the reader's language."""
    fixed = {"uscc": _("USCC"), "name": _("Enterprise"), "region": _("Region"), "tier": _("Tier"),
             "status": _("Status"), "alerts": _("Alerts"), "follow_up_note": _("Follow-up note"),
             "submitted_at": _("Submitted at")}
    if col.key in fixed:
        return fixed[col.key]
    label = str(figures.BY_KEY[col.key].label)
    return _("%(label)s (10,000 yuan)", label=label) if col.kind == "money" else label


def _row(report: MonitoringReport) -> list[Any]:
    values: list[Any] = []
    for col in layout():
        if col.kind == "money":
            amount = getattr(report, col.key)
            values.append(None if amount is None else round(amount / 10000, 2))
        elif col.kind == "count":
            values.append(getattr(report, col.key))
        elif col.key == "uscc":
            values.append(report.enterprise.uscc)
        elif col.key == "name":
            values.append(report.enterprise.name)
        elif col.key == "region":
            values.append(report.enterprise.region.name)
        elif col.key == "tier":
            values.append(Tier(report.tier).label if report.tier else "")
        elif col.key == "status":
            values.append(MonitoringStatus(report.status).label)
        elif col.key == "alerts":
            values.append("、".join(MonitoringAlert(a).label for a in report.alerts or [] if a in
                                   MonitoringAlert.values()))
        elif col.key == "follow_up_note":
            values.append(report.follow_up_note or "")
        else:
            values.append(report.submitted_at)
    return values


def rows(found: Iterable[MonitoringReport]) -> list[list[Any]]:
    return [_row(r) for r in found]


# --- import -----------------------------------------------------------------------------------------

def _headers_known() -> dict[str, Col]:
    """Header text → column, in Chinese and in English (a template downloaded in either language)."""
    known: dict[str, Col] = {}
    for locale in ("zh_CN", "en"):
        with force_locale(locale):
            known |= {header(col).strip(): col for col in layout()}
    return known


def _count(value: Any) -> Any:
    digits = value.strip().lstrip("-") if isinstance(value, str) else ""
    if digits.isascii() and digits.isdigit():
        return int(value.strip())
    return value


def read(stream: IO[bytes]) -> list[tuple[int, dict[str, Any]]]:
    """(row number, {column key: cell}) for every non-empty row under the header; 422 if it is no template."""
    from openpyxl import load_workbook

    try:
        book = load_workbook(stream, read_only=True, data_only=True)
    except Exception as exc:  # not an xlsx at all
        raise Invalid(_("The file is not an Excel workbook (.xlsx)."), fields={"file": _("not an .xlsx file")}) \
            from exc
    sheet = book.worksheets[0]
    lines = sheet.iter_rows(values_only=True)
    head = next(lines, None) or ()
    known = _headers_known()
    columns = [known.get(str(cell).strip()) if cell is not None else None for cell in head]
    if not any(c is not None and c.key == "uscc" for c in columns):
        raise Invalid(_("The first row must hold the template's headers (a USCC column at least)."),
                      fields={"file": _("not the monitoring template")})
    found = []
    for number, line in enumerate(lines, start=2):
        if number > MAX_ROWS + 1:
            raise Invalid(_("Too many rows (at most %(n)s).", n=MAX_ROWS), fields={"file": _("too many rows")})
        cells = {col.key: value for col, value in zip(columns, line, strict=False) if col is not None}
        if any(v not in (None, "") for v in cells.values()):
            found.append((number, cells))
    return found


def _clean(cells: dict[str, Any]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for figure in figures.FIGURE_LIST:
        raw = cells.get(figure.key)
        values[figure.key] = _count(raw) if figure.kind == "count" else figures.wan_to_yuan(raw)
    return values


def import_rows(user: User, period: MonitoringPeriod, lines: list[tuple[int, dict[str, Any]]]) -> dict[str, int]:
    """File every filled row for its member (source `import`): all rows are checked first; any problem → 422
    listing each row's problems in `extra["rows"]`, and nothing is filed."""
    if user.role != "admin" and not programmes.runs(user, period.programme):
        raise Forbidden(_("Only the office that runs the programme can import its figures."))
    by_uscc = {r.enterprise.uscc: r for r in db.session.scalars(
        db.select(MonitoringReport).join(Enterprise).where(MonitoringReport.period_id == period.id)
        .options(contains_eager(MonitoringReport.enterprise)))}
    problems: list[dict[str, Any]] = []
    todo: list[tuple[MonitoringReport, dict[str, int | None]]] = []
    seen: set[str] = set()
    skipped = 0
    for number, cells in lines:
        uscc = str(cells.get("uscc") or "").strip().upper()
        report = by_uscc.get(uscc)
        if report is None or uscc in seen:
            why = _("this USCC appears twice") if uscc in seen else _("no report of this period has this USCC")
            problems.append({"row": number, "errors": {"uscc": why}})
            continue
        seen.add(uscc)
        values = _clean(cells)
        if all(values[f.key] is None for f in figures.FIGURE_LIST):
            skipped += 1  # a member whose figures are not collected yet
            continue
        try:
            clean = figures.validate(values)
        except Invalid as exc:
            problems.append({"row": number, "errors": {k: _("%(field)s: %(problem)s", field=str(
                figures.BY_KEY[k].label), problem=m) for k, m in exc.fields.items() if k in figures.BY_KEY}})
            continue
        if report.status == MonitoringStatus.SUBMITTED:
            if any(getattr(report, k) != v for k, v in clean.items()):
                problems.append({"row": number, "errors": {"uscc": _("already submitted with other figures")}})
            else:
                skipped += 1
            continue
        todo.append((report, clean))
    if problems:
        lines_text = [_("Row %(row)s: %(errors)s", row=p["row"], errors=_("; ").join(p["errors"].values()))
                      for p in problems]
        raise Invalid(_("Nothing was imported: %(n)s row(s) have problems. %(rows)s", n=len(problems),
                        rows=" ".join(lines_text[:20])), code="bad_rows", extra={"rows": problems})
    for report, clean in todo:
        reports.file_for(user, report, clean, "import")
    return {"filed": len(todo), "skipped": skipped}
