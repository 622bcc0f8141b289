"""The printed application: 申报书 and 推荐意见表 PDFs for whoever may see the application."""

from __future__ import annotations

from urllib.parse import quote

from flask import Response
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.core.errors import NotFound
from app.extensions import db
from app.models import Application, HumanTask, Office
from app.recognition import applications
from app.recognition.jurisdiction import chain_offices
from app.web.printing import bp, documents


def _pdf(body: bytes, filename: str) -> Response:
    response = Response(body, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f"inline; filename*=UTF-8''{quote(filename)}"
    response.headers["Cache-Control"] = "private, no-store"
    return response


def print_offices(application: Application) -> list[Office]:
    """The offices a 推荐意见表 can be printed for: the chain, and any office that held a task of it."""
    offices = {o.id: o for o in chain_offices(application)}
    held = db.session.scalars(db.select(Office).where(Office.id.in_(
        db.select(HumanTask.office_id).where(HumanTask.application_id == application.id))))
    for office in held:
        offices.setdefault(office.id, office)
    return list(offices.values())


@bp.get("/applications/<int:application_id>/application-form.pdf")
@login_required
def application_form(application_id: int) -> ResponseReturnValue:
    application = applications.get_for(current_user, application_id)
    number = application.number or str(application.id)
    return _pdf(documents.application_form(application), f"{_('Application form')}-{number}.pdf")


@bp.get("/applications/<int:application_id>/recommendation/<int:office_id>.pdf")
@login_required
def recommendation_form(application_id: int, office_id: int) -> ResponseReturnValue:
    application = applications.get_for(current_user, application_id)
    office = next((o for o in print_offices(application) if o.id == office_id), None)
    if office is None:
        raise NotFound(_("This office does not review this application."))
    number = application.number or str(application.id)
    return _pdf(documents.recommendation_form(application, office),
                f"{_('Recommendation form')}-{number}-{office.name}.pdf")
