"""The Excel export of a claims list (openpyxl): one row per claim, headers in the reader's language, amounts
in yuan as numbers."""

from __future__ import annotations

from io import BytesIO

from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from app.core import workdays
from app.models import RewardClaim
from app.web.rewards_office.labels import basis_text, status_label

EXPORT_MAX = 50_000  # rows in one file: far beyond a jurisdiction's claims
WIDTHS = (36, 22, 40, 40, 14, 14, 20, 12, 18)


def headers() -> list[str]:
    return [_("Enterprise"), _("USCC"), _("Policy"), _("Basis"), _("Amount (yuan)"), _("Status"),
            _("Voucher number"), _("Payment date"), _("Claimed at")]


def workbook(rows: list[RewardClaim]) -> BytesIO:
    book = Workbook()
    sheet = book.active
    sheet.title = _("Reward claims")[:31]
    sheet.append(headers())
    for claim in rows:
        sheet.append([claim.enterprise.name, claim.enterprise.uscc, claim.policy.name, basis_text(claim),
                      int(claim.amount), status_label(claim.status), claim.voucher_no or "", claim.paid_on,
                      claim.created_at.astimezone(workdays.CHINA).replace(tzinfo=None)])
    for index, width in enumerate(WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    for cell in sheet["E"][1:]:
        cell.number_format = "#,##0"
    for column, shown in (("H", "yyyy-mm-dd"), ("I", "yyyy-mm-dd hh:mm")):
        for cell in sheet[column][1:]:
            cell.number_format = shown
    sheet.freeze_panes = "A2"
    out = BytesIO()
    book.save(out)
    out.seek(0)
    return out
