"""Printing an application (issue 17 item 11): the 申报书 and an office's 推荐意见表 as PDF (fpdf2 with the CJK
font, app/core/pdf.py); the application page's own print stylesheet is in static/tierflow-review.css."""

from flask import Blueprint

bp = Blueprint("printing", __name__)

from app.web.printing import views  # noqa: E402,F401
