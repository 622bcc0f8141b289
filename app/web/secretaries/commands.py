"""`flask secretaries create USERNAME OFFICE_CODE [--name 王秘书]`: a service secretary account of an office
(one transaction; the password is asked twice)."""

from __future__ import annotations

import click

from app.core.errors import Invalid
from app.extensions import db
from app.services_desk import assignments
from app.web.secretaries import bp


@bp.cli.command("create")
@click.argument("username")
@click.argument("office_code")
@click.option("--name", default=None, help="display name, e.g. 王秘书")
@click.password_option()
def create(username: str, office_code: str, name: str | None, password: str) -> None:
    """Create a service secretary (服务秘书) of the office OFFICE_CODE (e.g. 220602)."""
    try:
        assignments.create_secretary(username, password, office_code, name)
    except Invalid as exc:
        db.session.rollback()
        raise click.UsageError("; ".join(f"{k}: {v}" for k, v in exc.fields.items()) or exc.message) from exc
    db.session.commit()
    click.echo(f"service secretary {username} of office {office_code} created")
