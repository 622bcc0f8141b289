"""Views of the auth blueprint: parse the form, call app.org.accounts, render or redirect."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from app.core import abuse
from app.core.errors import ServiceError
from app.models import SECTORS
from app.org import accounts, regions
from app.web.auth import bp
from app.web.auth.forms import LoginForm, RegisterForm
from app.web.common import form_invalid, safe_next, service_failed
from app.web.labels import SECTOR_LABELS


@bp.route("/login", methods=["GET", "POST"])
@abuse.login
def login() -> ResponseReturnValue:
    if current_user.is_authenticated and request.method == "GET":
        return redirect(url_for("home.index"))
    form = LoginForm()
    if form.validate_on_submit():
        try:
            user = accounts.authenticate(form.username.data, form.password.data)
        except ServiceError as exc:
            status = service_failed(exc)
            return render_template("auth/login.html", form=form), status
        login_user(user)
        return redirect(safe_next(request.args.get("next"), url_for("home.index")))
    status = form_invalid() if form.is_submitted() else 200
    return render_template("auth/login.html", form=form), status


@bp.post("/logout")
@login_required
def logout() -> ResponseReturnValue:
    logout_user()
    flash(_("You have logged out."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/register", methods=["GET", "POST"])
@abuse.registration
def register() -> ResponseReturnValue:
    form = RegisterForm()
    form.set_choices(regions.county_choices(), [(s, str(SECTOR_LABELS[s])) for s in SECTORS])
    if form.validate_on_submit():
        try:
            accounts.register_enterprise(
                username=form.username.data, password=form.password.data, name=form.name.data,
                uscc=form.uscc.data, region_code=form.region_code.data, sector=form.sector.data)
            user = accounts.authenticate(form.username.data, form.password.data)
        except ServiceError as exc:
            status = service_failed(exc, form)
            return render_template("auth/register.html", form=form), status
        login_user(user)
        flash(_("Welcome, %(name)s: your enterprise is registered.", name=form.name.data.strip()), "success")
        return redirect(url_for("applications.dashboard"))
    status = form_invalid() if form.is_submitted() else 200
    return render_template("auth/register.html", form=form), status
