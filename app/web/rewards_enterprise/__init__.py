"""Rewards on the web for enterprises and funds: 我的奖补 (an enterprise's claims and the claims it files for
what the register cannot see), the funds' pages (balances, committed and paid by tier and year, the budget)."""

from flask import Blueprint

bp = Blueprint("rewards_enterprise", __name__, template_folder="templates")

from app.web.rewards_enterprise import funds, labels, views  # noqa: E402,F401
