"""Administrators' pages for accounts and offices: list and search, create, set role/office/region, deactivate,
reset a password; offices by region and sector."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectChoice, SelectField, StringField, SubmitField
from wtforms.validators import InputRequired, Length

from app.core.errors import ServiceError
from app.extensions import db
from app.models import SECTORS, Office, Region
from app.models.user import ROLES
from app.org import admin as org_admin
from app.org.regions import full_name
from app.web.admin import bp
from app.web.common import form_invalid, page_arg, role_required, service_failed
from app.web.forms_messages import REQUIRED
from app.web.labels import ROLE_LABELS, SECTOR_LABELS, label


class UserForm(FlaskForm):
    username = StringField(_l("Username"), validators=[InputRequired(REQUIRED), Length(max=64)],
                           description=_l("3 to 64 letters, digits, '.', '_' or '-'"))
    display_name = StringField(_l("Name"), validators=[InputRequired(REQUIRED), Length(max=128)])
    email = StringField(_l("E-mail (optional)"), validators=[Length(max=200)])
    role = SelectField(_l("Role"), validators=[InputRequired(REQUIRED)], validate_choice=False)
    office_id = SelectField(_l("Office"), validate_choice=False,
                            description=_l("Needed for reviewers, information reporters and service secretaries"))
    region_code = SelectField(_l("Region"), validate_choice=False,
                              description=_l("A leading group's region; an expert's home city"))
    active = BooleanField(_l("Active (may log in)"), default=True)
    submit = SubmitField(_l("Save"))


class OfficeForm(FlaskForm):
    code = StringField(_l("Code"), validators=[InputRequired(REQUIRED), Length(max=40)],
                       description=_l("The region code, with the sector for a department: 220602, 220000-energy"))
    name = StringField(_l("Name"), validators=[InputRequired(REQUIRED), Length(max=128)])
    region_code = SelectField(_l("Region"), validators=[InputRequired(REQUIRED)], validate_choice=False)
    sector = SelectField(_l("Sector"), validate_choice=False,
                         description=_l("Empty for the general office (工信); else the sector's department"))
    submit = SubmitField(_l("Save"))


def _offices() -> list[Office]:
    return list(db.session.scalars(db.select(Office).order_by(Office.region_code, Office.code)))


def _regions() -> list[tuple[str, str]]:
    return [(r.code, f"{r.code} {full_name(r) or r.name}")
            for r in db.session.scalars(db.select(Region).order_by(Region.code))]


def _user_choices(form: UserForm, enterprise: bool = False) -> None:
    roles = ROLES if enterprise else tuple(r for r in ROLES if r != "enterprise")
    form.role.choices = [SelectChoice(r, label(ROLE_LABELS, r)) for r in roles]
    form.office_id.choices = [SelectChoice("", _l("— none —"))] + [
        SelectChoice(str(o.id), f"{o.code} {o.name}") for o in _offices()]
    form.region_code.choices = [SelectChoice("", _l("— none —"))] + [SelectChoice(c, n) for c, n in _regions()]


def _user_fields(form: UserForm) -> dict:
    office = form.office_id.data
    return {"username": form.username.data, "display_name": form.display_name.data, "email": form.email.data,
            "role": form.role.data, "office_id": int(office) if office and office.isdigit() else None,
            "region_code": form.region_code.data or None, "active": form.active.data}


@bp.get("/users")
@role_required("admin")
def users() -> ResponseReturnValue:
    q = request.args.get("q", "")[:100]
    role = request.args.get("role", "")
    office_id = request.args.get("office", type=int)
    active = request.args.get("active", "")
    found = org_admin.search_users(current_user, q=q, role=role, office_id=office_id, active=active,
                                   page=page_arg())
    args = {k: v for k, v in {"q": q, "role": role, "office": office_id, "active": active}.items() if v}
    return render_template("admin/users.html", found=found, q=q, role=role, office_id=office_id, active=active,
                           roles=ROLES, offices=_offices(), args=args)


@bp.route("/users/new", methods=["GET", "POST"])
@role_required("admin")
def user_new() -> ResponseReturnValue:
    form = UserForm()
    _user_choices(form)
    status = 200
    if form.validate_on_submit():
        try:
            user, temporary = org_admin.create_user(current_user, _user_fields(form))
        except ServiceError as exc:
            status = service_failed(exc, form)
        else:
            flash(_("The account %(username)s was created. Its temporary password is %(password)s: hand it over; "
                    "it must be changed at the first log-in.", username=user.username, password=temporary),
                  "success")
            return redirect(url_for("admin.user_edit", user_id=user.id))
    elif form.is_submitted():
        status = form_invalid()
    return render_template("admin/user.html", form=form, user=None), status


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@role_required("admin")
def user_edit(user_id: int) -> ResponseReturnValue:
    user = org_admin.get_user(current_user, user_id)
    form = UserForm(obj=user) if request.method == "GET" else UserForm()
    if request.method == "GET":
        form.office_id.data = str(user.office_id or "")
    form.username.data = user.username  # fixed: the username is the account's name everywhere
    form.username.validators = []
    _user_choices(form, enterprise=user.role == "enterprise")
    status = 200
    if form.validate_on_submit():
        try:
            org_admin.update_user(current_user, user.id, _user_fields(form))
        except ServiceError as exc:
            status = service_failed(exc, form)
        else:
            flash(_("The account %(username)s was saved.", username=user.username), "success")
            return redirect(url_for("admin.user_edit", user_id=user.id))
    elif form.is_submitted():
        status = form_invalid()
    return render_template("admin/user.html", form=form, user=user), status


@bp.post("/users/<int:user_id>/reset-password")
@role_required("admin")
def user_reset_password(user_id: int) -> ResponseReturnValue:
    try:
        user, temporary = org_admin.reset_password(current_user, user_id)
    except ServiceError as exc:
        service_failed(exc)
    else:
        flash(_("The password of %(username)s was reset to %(password)s: hand it over; it must be changed at "
                "the next log-in.", username=user.username, password=temporary), "success")
    return redirect(url_for("admin.user_edit", user_id=user_id))


def _office_choices(form: OfficeForm) -> None:
    form.region_code.choices = [SelectChoice("", _l("— choose —"))] + [SelectChoice(c, n) for c, n in _regions()]
    form.sector.choices = [SelectChoice("", _l("— general office —"))] + [
        SelectChoice(s, label(SECTOR_LABELS, s)) for s in SECTORS] + [SelectChoice("finance", _l("Finance bureau"))]


@bp.route("/offices", methods=["GET", "POST"])
@role_required("admin")
def offices() -> ResponseReturnValue:
    """Every office with its number of active accounts; the form adds one."""
    form = OfficeForm()
    _office_choices(form)
    status = 200
    if form.validate_on_submit():
        try:
            office = org_admin.create_office(current_user, {
                "code": form.code.data, "name": form.name.data, "region_code": form.region_code.data,
                "sector": form.sector.data or None})
        except ServiceError as exc:
            status = service_failed(exc, form)
        else:
            flash(_("The office %(name)s was created.", name=office.name), "success")
            return redirect(url_for("admin.offices"))
    elif form.is_submitted():
        status = form_invalid()
    q = request.args.get("q", "")[:100]
    return render_template("admin/offices.html", form=form, rows=org_admin.offices(current_user, q), q=q), status


@bp.post("/offices/<int:office_id>/name")
@role_required("admin")
def office_rename(office_id: int) -> ResponseReturnValue:
    try:
        office = org_admin.rename_office(current_user, office_id, request.form.get("name", ""))
    except ServiceError as exc:
        service_failed(exc)
    else:
        flash(_("The office was renamed to %(name)s.", name=office.name), "success")
    return redirect(url_for("admin.offices"))
