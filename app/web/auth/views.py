"""Views of the auth blueprint: parse the form, call app.org.accounts, render or redirect."""

from __future__ import annotations

from flask import abort, flash, jsonify, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from app.core import abuse
from app.core.errors import ServiceError
from app.extensions import db
from app.models import SECTORS, Region
from app.org import accounts, regions
from app.web.auth import bp
from app.web.auth.forms import ColleagueForm, LoginForm, PasswordForm, RegisterForm
from app.web.common import form_invalid, role_required, safe_next, service_failed
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
        accounts.open_session(user)
        login_user(user)
        return redirect(safe_next(request.args.get("next"), url_for("home.index")))
    status = form_invalid() if form.is_submitted() else 200
    return render_template("auth/login.html", form=form), status


@bp.post("/logout")
@login_required
def logout() -> ResponseReturnValue:
    accounts.close_sessions(current_user)
    logout_user()
    flash(_("You have logged out."), "info")
    return redirect(url_for("auth.login"))


def _lineage(code: str | None) -> list[str]:
    """The province, city and county codes of a chosen region (for the cascading selector to start from)."""
    region = db.session.get(Region, code) if code else None
    return [c for c in reversed(region.lineage()) if c != regions.NATIONAL] if region is not None else []


@bp.route("/register", methods=["GET", "POST"])
@abuse.registration
def register() -> ResponseReturnValue:
    form = RegisterForm()
    form.set_choices(regions.county_choices(), [(s, str(SECTOR_LABELS[s])) for s in SECTORS])
    if form.is_submitted():
        valid = form.validate()
        # every field's problem at once: the service's checks for the fields the form itself found no fault with
        problems = accounts.registration_errors(
            username=form.username.data or "", password=form.password.data or "", name=form.name.data or "",
            uscc=form.uscc.data or "", region_code=form.region_code.data or "", sector=form.sector.data or "")
        for key, message in problems.items():
            if not form[key].errors:
                form[key].errors = [*form[key].errors, message]
        if valid and not problems:
            try:
                accounts.register_enterprise(
                    username=form.username.data, password=form.password.data, name=form.name.data,
                    uscc=form.uscc.data, region_code=form.region_code.data, sector=form.sector.data)
                user = accounts.authenticate(form.username.data, form.password.data)
            except ServiceError as exc:
                status = service_failed(exc, form)
                return render_template("auth/register.html", form=form,
                                       lineage=_lineage(form.region_code.data)), status
            accounts.open_session(user)
            login_user(user)
            flash(_("Welcome, %(name)s: your enterprise is registered.", name=form.name.data.strip()), "success")
            return redirect(url_for("applications.dashboard"))
        if form.uscc.data:  # echo the code as it will be stored (a lowercase one is accepted, upper-cased)
            form.uscc.data = accounts.normalize_uscc(form.uscc.data)
        return render_template("auth/register.html", form=form, lineage=_lineage(form.region_code.data)), \
            form_invalid()
    return render_template("auth/register.html", form=form, lineage=[])


@bp.get("/regions/children")
def region_children() -> ResponseReturnValue:
    """The regions directly below `parent` (the provinces without it), for the registration's selector."""
    parent = request.args.get("parent", "").strip()[:6] or None
    return jsonify([{"code": r.code, "name": r.name, "level": r.level} for r in regions.children(parent)])


# --- passwords ---------------------------------------------------------------------------------------------

# what a user who must change the password may still reach
FORCED_CHANGE_OPEN = {"auth.password", "auth.logout", "auth.login", "static", "home.set_language", "healthz", "favicon"}


@bp.before_app_request
def require_password_change() -> ResponseReturnValue | None:
    """After an administrator's reset the user chooses a new password before anything else (the browser)."""
    if request.path.startswith("/api/") or request.endpoint in FORCED_CHANGE_OPEN:
        return None
    if current_user.is_authenticated and current_user.must_change_password:
        return redirect(url_for("auth.password"))
    return None


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def password() -> ResponseReturnValue:
    """Change one's own password; the other sessions and the API tokens end, this browser stays logged in."""
    form = PasswordForm()
    if form.validate_on_submit():
        user = current_user._get_current_object()
        try:
            accounts.change_password(user, form.current.data, form.new.data)
        except ServiceError as exc:
            status = service_failed(exc, form)
            return render_template("auth/password.html", form=form), status
        login_user(user)  # the new session key: this browser goes on, copies of the old cookie do not
        flash(_("Your password was changed. Other sessions and API tokens were ended."), "success")
        return redirect(url_for("home.index"))
    status = form_invalid() if form.is_submitted() else 200
    return render_template("auth/password.html", form=form), status


# --- the enterprise's accounts -------------------------------------------------------------------------------

@bp.route("/account/colleagues", methods=["GET", "POST"])
@role_required("enterprise")
def colleagues() -> ResponseReturnValue:
    """The enterprise's accounts; its main account adds colleagues (with a temporary password to hand over)."""
    form = ColleagueForm()
    status = 200
    if form.is_submitted():
        if not current_user.is_enterprise_main:
            abort(403)
        if form.validate_on_submit():
            try:
                user, temporary = accounts.add_colleague(current_user, username=form.username.data,
                                                         display_name=form.display_name.data,
                                                         email=form.email.data or "")
            except ServiceError as exc:
                status = service_failed(exc, form)
            else:
                flash(_("The account %(username)s was added. Its temporary password is %(password)s: hand it "
                        "over; it must be changed at the first log-in.", username=user.username,
                        password=temporary), "success")
                return redirect(url_for("auth.colleagues"))
        else:
            status = form_invalid()
    return render_template("auth/colleagues.html", form=form,
                           accounts=accounts.enterprise_accounts(current_user)), status


@bp.post("/account/colleagues/<int:user_id>/active")
@role_required("enterprise")
def colleague_active(user_id: int) -> ResponseReturnValue:
    active = request.form.get("active") == "1"
    try:
        user = accounts.set_colleague_active(current_user, user_id, active)
    except ServiceError as exc:
        service_failed(exc)
    else:
        flash(_("%(username)s can log in again.", username=user.username) if active else
              _("%(username)s can no longer log in.", username=user.username), "success")
    return redirect(url_for("auth.colleagues"))


@bp.post("/account/colleagues/<int:user_id>/reset")
@role_required("enterprise")
def colleague_reset(user_id: int) -> ResponseReturnValue:
    try:
        user = accounts.colleague_of(current_user, user_id)
        temporary = accounts.reset_password(current_user, user)
    except ServiceError as exc:
        service_failed(exc)
    else:
        flash(_("The password of %(username)s was reset to %(password)s: hand it over; it must be changed at "
                "the next log-in.", username=user.username, password=temporary), "success")
    return redirect(url_for("auth.colleagues"))
