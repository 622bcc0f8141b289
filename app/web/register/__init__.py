"""The register on the web: the public list of recognized enterprises (认定名单), an enterprise's own
recognitions (我的认定) with certificate downloads, and the 一企一册 ledger page and PDF."""

from flask import Blueprint

bp = Blueprint("register", __name__, template_folder="templates")

from app.web.register import labels, views  # noqa: E402,F401
