"""The service secretaries' screens (issue 14 §1): the secretary workbench (/secretary, its firms, visits due,
Excel), a firm's visits with the log form, and the office's assignments page (filters, assign / end, Excel).
Thin wrappers around app.services_desk."""

from flask import Blueprint

bp = Blueprint("secretaries", __name__, template_folder="templates")

from app.web.secretaries import views  # noqa: E402,F401
