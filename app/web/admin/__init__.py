"""Administration pages: all applications, process definitions (versions, editor, heat, migration), cockpit."""

from flask import Blueprint

bp = Blueprint("admin", __name__, url_prefix="/admin", template_folder="templates")

from app.web.admin import definitions, instances, processes, rewards, rule_sets, users, views  # noqa: E402,F401
from app.web.admin.labels import TEMPLATE_FILTERS, TEMPLATE_GLOBALS  # noqa: E402

for _name, _function in TEMPLATE_GLOBALS.items():
    bp.add_app_template_global(_function, _name)
for _name, _function in TEMPLATE_FILTERS.items():
    bp.add_app_template_filter(_function, _name)
