"""The offices' reward screens (奖补审核): the claims inbox of an SME office or a finance bureau, the claim page
with its review or payment form, and the Excel export of a filtered list. Thin wrappers around app.rewards."""

from flask import Blueprint

bp = Blueprint("rewards_office", __name__, template_folder="templates", url_prefix="/rewards")

from app.web.rewards_office import labels, views  # noqa: E402,F401
