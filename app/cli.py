"""Flask CLI commands: one transaction per command."""

from __future__ import annotations

import click
from flask import Flask

from app.extensions import db


def register_cli(app: Flask) -> None:
    @app.cli.command("seed-demo")
    @click.option("--if-empty", is_flag=True, help="Only seed when the database has no users yet.")
    def seed_demo(if_empty: bool) -> None:
        """Load the demo regions, offices, accounts and applications (idempotent)."""
        from app import demo
        from app.models import User

        if if_empty and db.session.scalar(db.select(User.id).limit(1)) is not None:
            click.echo("Database already has data; demo seeding skipped.")
            return
        try:
            counts = demo.seed()
            db.session.commit()
        except Exception:
            db.session.rollback()
            raise
        click.echo("Demo data ready: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
        if waiting := demo.open_expert_tasks():
            click.echo("Open expert panel tasks (专家评审): " + ", ".join(waiting))
        click.echo(f"Every demo account has the password '{demo.DEMO_PASSWORD}' (demo only, never in production).")

    tierflow = click.Group("tierflow", help="Tierflow background work.")
    app.cli.add_command(tierflow)

    @tierflow.command("worker")
    @click.option("--once", is_flag=True, help="Run one pass and exit (for cron).")
    @click.option("--interval", default=60, show_default=True, help="Seconds between passes.")
    def worker(once: bool, interval: int) -> None:
        """Fire due BPMN timers: reminders, overdue flags, hand-ups, expert deadlines, the end of public
        notices. Safe to run several at once on PostgreSQL."""
        import time

        from app.workflow import worker as escalation

        while True:
            try:
                counts = escalation.run_once()
                db.session.commit()
            except Exception:
                db.session.rollback()
                raise
            if any(counts.values()):
                click.echo(", ".join(f"{kind} {n}" for kind, n in sorted(counts.items()) if n))
            if once:
                return
            time.sleep(interval)

    @app.cli.command("digest")
    def digest() -> None:
        """Write the daily digest notice for every reviewer (run once a day, e.g. from cron)."""
        from app.workbench import notifications

        written = notifications.digest()
        db.session.commit()
        click.echo(f"{written} digest notices written")

    @app.cli.command("send-mail")
    def send_mail() -> None:
        """E-mail pending notices when TIERFLOW_MAIL_SERVER is set (run every few minutes)."""
        from flask import current_app

        from app.workbench import notifications

        cfg = current_app.config
        sent = notifications.send_mail(cfg["MAIL_SERVER"], cfg["MAIL_SENDER"], cfg["MAIL_PORT"])
        db.session.commit()
        click.echo(f"{sent} notices mailed" if cfg["MAIL_SERVER"] else "TIERFLOW_MAIL_SERVER not set: nothing mailed")

    @app.cli.command("create-admin")
    @click.argument("username")
    @click.password_option()
    def create_admin(username: str, password: str) -> None:
        """Create an administrator account (for a production database without demo data)."""
        from app.models import User
        from app.org import accounts

        if problem := accounts.check_password_strength(password, username):
            raise click.BadParameter(problem, param_hint="password")
        if db.session.scalar(db.select(User.id).where(User.username == username)) is not None:
            raise click.BadParameter("username taken", param_hint="username")
        user = User(username=username, role="admin", display_name=username)
        user.set_password(password)
        db.session.add(user)
        db.session.commit()
        click.echo(f"administrator {username} created")

    @app.cli.command("import-regions")
    @click.argument("path", type=click.Path(exists=True, dir_okay=False))
    def import_regions(path: str) -> None:
        """Add or rename administrative regions from the GB/T 2260 code list: a CSV with the header code,name,parent
        (parent may be empty: found from the code) or a JSON list of {code, name, parent}. Safe to run again; a
        file with any bad line changes nothing."""
        from app.core.errors import ServiceError
        from app.org import regions

        try:
            counts = regions.import_regions(regions.read_rows(path))
            db.session.commit()
        except ServiceError as exc:
            db.session.rollback()
            raise click.ClickException(exc.message) from exc
        click.echo(f"regions: {counts['added']} added, {counts['updated']} updated, {counts['unchanged']} unchanged")

    @app.cli.command("register-backfill")
    def register_backfill() -> None:
        """After upgrading to the register (migration 0011): write the register entry or library membership
        each application recognized before then would get now (idempotent)."""
        from app.lifecycle import backfill

        counts = backfill.run()
        db.session.commit()
        click.echo(", ".join(f"{k} {v}" for k, v in counts.items()))

    @app.cli.command("deploy-shipped")
    @click.option("--upgrade", is_flag=True, help="Also deploy a shipped file that differs from the active version.")
    @click.option("--migrate", is_flag=True,
                  help="Then move running instances of older versions to the active one where they can move.")
    def deploy_shipped(upgrade: bool, migrate: bool) -> None:
        """Deploy the BPMN files in workflows/ as version 1 where a definition has no version yet (with
        --upgrade, as the next version where they changed; running instances stay on their version unless
        --migrate moves them, each audited; those that cannot move are listed)."""
        from app.workflow import definitions, migration

        deployed = definitions.deploy_shipped(upgrade=upgrade)
        from app.recognition import eligibility

        eligibility.ensure_shipped(upgrade=upgrade)  # the rule sets: their DMN and provenance (manifest)
        from app.lifecycle import libraries
        from app.monitoring import operations as monitoring_operations
        from app.monitoring import programmes as monitoring_programmes
        from app.rewards import policies

        # the shipped libraries, funds, reward policies and monitoring programmes whose regions and offices exist
        added = libraries.ensure_shipped() + policies.ensure_shipped() + monitoring_programmes.ensure_shipped()
        monitoring_operations.start_cycles()  # each programme's monitoring_cycle (opens its periods)
        db.session.commit()
        from app.reporting import periodic_schedules, targets

        added += periodic_schedules.ensure_shipped()  # the report schedules (定期调度, 000 §四(三))
        added += targets.ensure_shipped()  # the targets from the seeds, with their clauses
        db.session.commit()
        if added:
            click.echo(f"{added} shipped libraries, funds, reward policies, monitoring programmes, targets and "
                       "report schedules stored")
        from app.reporting import rankings

        if rankings.ensure_shipped():  # the shipped ranking schemes (考评) whose jurisdictions exist
            db.session.commit()
            click.echo("shipped ranking schemes stored")
        click.echo(", ".join(f"{d.key} v{d.version}" for d in deployed) or "nothing to deploy")
        if migrate:
            for key in sorted({d.key for d in db.session.scalars(db.select(definitions.ProcessDefinition).where(
                    definitions.ProcessDefinition.kind == "bpmn"))}):
                rows = migration.to_active(key, "Tierflow upgrade: the shipped definition changed")
                db.session.commit()
                moved = sum(1 for r in rows if r["moved"])
                click.echo(f"{key}: {moved} instance(s) moved, {len(rows) - moved} left on their version")
                for row in rows:
                    if not row["moved"]:
                        click.echo(f"  instance {row['instance_id']}: {'; '.join(row['reasons'])}")
