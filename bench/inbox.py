"""Benchmark: an office's inbox page over 1,000,000 human tasks (100,000 open) across the demo offices.

    .venv/bin/python bench/inbox.py [--db sqlite|postgres] [--tasks 1000000] [--open 100000] [--runs 50]

Prints the median and 95th percentile time of one inbox page (the page's rows and the total count),
unfiltered and with filters, for the office with the most open tasks. Target: p95 under 50 ms on
PostgreSQL.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from datetime import UTC, datetime, timedelta

from _setup import database_url, fresh_app

LANES = ("county", "city", "province", "national")
TIERS = ("seed", "city", "province", "national")
SECTORS = ("industry", "agriculture", "construction", "commerce", "culture_tourism", "energy")


def fill(db, text, n_tasks: int, n_open: int, per_app: int = 10) -> None:
    """Bulk-load enterprises, applications, instances and tasks with plain SQL (COPY on PostgreSQL)."""
    from app.models import Office, ProcessDefinition, Region, User

    rng = random.Random(7)
    offices = {o.region_code: o.id for o in db.session.scalars(db.select(Office).where(Office.sector.is_(None)))}
    counties = [r for r in db.session.scalars(db.select(Region).where(Region.level == "county"))]
    chains = {c.code: [offices[c.code], offices[c.parent.code], offices[c.parent.parent.code], offices["100000"]]
              for c in counties}
    definition_id = db.session.scalar(db.select(ProcessDefinition.id).where(ProcessDefinition.key == "recognition"))
    from app.workflow import definitions

    pspec = definitions.process_spec(definition_id)
    # the first decision step of each office lane in the shipped process (ids come from the BPMN)
    steps = [next(s for s in pspec.step_names if pspec.lanes.get(s) == lane
                  and pspec.properties.get(s, {}).get("kind") == "decision") for lane in LANES]
    user_id = db.session.scalar(db.select(User.id).where(User.username == "admin"))
    n_apps = n_tasks // per_app
    now = datetime.now(UTC)
    ent_rows, app_rows, inst_rows, task_rows = [], [], [], []
    for e in range(1, 2001):
        county = counties[e % len(counties)]
        ent_rows.append((e, f"基准企业{e:05d}有限公司", f"91{county.code}MA{e:08d}", county.code,
                         SECTORS[e % len(SECTORS)], now))
    task_id = 0
    open_every = max(n_apps // n_open, 1)
    for a in range(1, n_apps + 1):
        ent = ent_rows[a % len(ent_rows)]
        created = now - timedelta(minutes=rng.randint(0, 60 * 24 * 120))
        tier = TIERS[a % 4]
        score = float(rng.randint(20, 100))
        app_rows.append((a, ent[0], tier, "in_review", "{}", score, created, created, created))
        inst_rows.append((a, "recognition", "application", a, definition_id, "{}", "running", 1, created, created))
        chain = chains[ent[3]]
        has_open = a % open_every == 0
        for k in range(per_app):
            task_id += 1
            is_open = has_open and k == per_app - 1
            level = k % 4
            when = created + timedelta(hours=k)
            task_rows.append((task_id, a, "application", a, a, f"{task_id:032x}", steps[level], "decision",
                              LANES[level], chain[level],
                              "open" if is_open else "completed", when, when + timedelta(days=15),
                              None if is_open else when + timedelta(hours=1),
                              None if is_open else user_id, tier, ent[3], ent[4], score))
    tables = {
        "enterprise": ("id, name, uscc, region_code, sector, created_at", ent_rows),
        "application": ("id, enterprise_id, target_tier, status, data, score, submitted_at, created_at, updated_at",
                        app_rows),
        "process_instance": ("id, process, subject_type, subject_id, definition_id, state, status, lock_version, "
                             "created_at, updated_at", inst_rows),
        "human_task": ("id, instance_id, subject_type, subject_id, application_id, engine_task_id, step, kind, lane, "
                       "office_id, state, "
                       "created_at, due_at, completed_at, completed_by_id, target_tier, region_code, sector, "
                       "score", task_rows),
    }
    conn = db.session.connection()
    if db.engine.dialect.name == "postgresql":
        raw = conn.connection.driver_connection
        with raw.cursor() as cur:
            for table, (cols, rows) in tables.items():
                with cur.copy(f"COPY {table} ({cols}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            for table in tables:
                cur.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")
        raw.commit()
        raw.autocommit = True
        raw.execute("VACUUM ANALYZE")  # what autovacuum does on a live database
        raw.autocommit = False
    else:
        for table, (cols, rows) in tables.items():
            marks = ", ".join(f":c{i}" for i in range(len(cols.split(","))))
            stmt = text(f"INSERT INTO {table} ({cols}) VALUES ({marks})")
            for start in range(0, len(rows), 50_000):
                conn.execute(stmt, [{f"c{i}": v for i, v in enumerate(r)} for r in rows[start:start + 50_000]])
        conn.execute(text("ANALYZE"))
    db.session.commit()


def timed(fn, runs: int) -> tuple[float, float]:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples), statistics.quantiles(samples, n=20)[-1]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    ap.add_argument("--url", help="PostgreSQL URL (default: TEST_DATABASE_URL or a database tierflow_bench_inbox)")
    ap.add_argument("--tasks", type=int, default=1_000_000)
    ap.add_argument("--open", type=int, default=100_000)
    ap.add_argument("--runs", type=int, default=50)
    args = ap.parse_args()
    app = fresh_app(database_url(args.db, args.url, "tierflow_bench_inbox"))

    from sqlalchemy import text

    from app.extensions import db
    from app.models import HumanTask, User
    from app.recognition import review
    from app.workflow import definitions

    with app.app_context():
        definitions.deploy_shipped()
        db.session.commit()
        started = time.perf_counter()
        fill(db, text, args.tasks, args.open)
        loaded = time.perf_counter() - started
        total = db.session.scalar(db.select(db.func.count(HumanTask.id)))
        open_total = db.session.scalar(db.select(db.func.count(HumanTask.id)).where(HumanTask.state == "open"))
        office_id, office_open = db.session.execute(
            db.select(HumanTask.office_id, db.func.count(HumanTask.id)).where(HumanTask.state == "open")
            .group_by(HumanTask.office_id).order_by(db.func.count(HumanTask.id).desc()).limit(1)).one()
        reviewer = db.session.scalar(db.select(User).where(User.office_id == office_id))
        print(f"backend          {args.db}")
        print(f"human tasks      {total:,} ({open_total:,} open), loaded in {loaded:.0f} s")
        print(f"office           {reviewer.office.code} with {office_open:,} open tasks")
        cases = {
            "page 1, oldest first": {},
            "page 50, oldest first": {"page": 50},
            "newest first": {"sort": "newest"},
            "tier=province": {"filters": {"tier": "province"}},
            "score 60-80, by score": {"filters": {"score_min": 60, "score_max": 80}, "sort": "score"},
            "sector + overdue": {"filters": {"sector": "industry", "overdue": True}},
            "free text (USCC)": {"filters": {"q": "91220602MA00000007"}},
            "free text (name)": {"filters": {"q": "基准企业0001"}},
        }
        print(f"{'inbox page (20 rows + total)':34} {'median ms':>10} {'p95 ms':>10}")
        for name, kwargs in cases.items():
            def run(kwargs=kwargs):
                db.session.expire_all()
                rows, _total = review.inbox(reviewer, per_page=20, **kwargs)
                for task in rows:  # what the page renders
                    _ = (task.application.enterprise.name, task.application.target_tier)
            median, p95 = timed(run, args.runs)
            print(f"{name:34} {median:10.1f} {p95:10.1f}")


if __name__ == "__main__":
    main()
