"""The service secretaries' screens (issue 14 §1): the secretary workbench (/secretary, its firms, visits due,
Excel), a firm's visits with the log form, and the office's assignments page (filters, assign / end, Excel);
the command `flask secretaries create USERNAME OFFICE_CODE` for accounts. Thin wrappers around app.services_desk."""

from flask import Blueprint

bp = Blueprint("secretaries", __name__, template_folder="templates", cli_group="secretaries")

from app.web.secretaries import commands, views  # noqa: E402,F401
