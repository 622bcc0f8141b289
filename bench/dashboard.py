"""Benchmark: the dashboards over 100,000 enterprises, 300,000 applications (with their process instances and
~750,000 inbox rows), their recognitions and 100,000 monitoring reports (1,000,000 figures), on PostgreSQL.

    .venv/bin/python bench/dashboard.py [--url postgresql://…] [--scale 1.0] [--runs 30]

Loads the rows with COPY into a scratch database (default: tierflow_bench_dashboard, created and emptied),
then times every dashboard query (median and p95 over --runs) for the province's leading group (吉林省) and
the admin (all), and the province dashboard page rendered through the Flask test client. Targets: p95 under
200 ms per query, the page under 500 ms. Not part of `make test`.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from datetime import UTC, date, datetime, timedelta

from _setup import database_url, fresh_app

TIERS = ("seed", "city", "province", "national")
LANES = ("county", "city", "province", "national")
SECTORS = ("industry", "agriculture", "construction", "commerce", "culture_tourism", "energy")
STEPS = ("county_review", "city_review", "province_review", "national_review")
FIGURES = ("revenue", "revenue_prior", "main_revenue", "total_profit", "tax_paid", "rd_expense",
           "rd_expense_prior", "employees", "rd_staff", "patents")  # 10 figures a report


def _regions(db):
    """Eight more counties under each demo city (the roll-up has something to roll)."""
    from app.models import Office, Region

    for city in list(db.session.scalars(db.select(Region).where(Region.level == "city"))):
        for n in range(11, 19):
            code = f"{city.code[:4]}{n}"
            if db.session.get(Region, code) is None:
                db.session.add(Region(code=code, name=f"{city.name}第{n}区", level="county", parent_code=city.code))
                db.session.add(Office(code=code, name=f"{city.name}第{n}区工信局", region_code=code))
    db.session.commit()


def fill(db, scale: float) -> dict[str, int]:
    from app.models import Office, Region

    rng = random.Random(13)
    _regions(db)
    offices = {o.region_code: o.id for o in db.session.scalars(db.select(Office).where(Office.sector.is_(None)))}
    counties = list(db.session.scalars(db.select(Region).where(Region.level == "county").order_by(Region.code)))
    chain = {c.code: [c.code, c.parent.code, c.parent.parent.code, "100000"] for c in counties}
    n_ent, n_app, n_monitored = int(100_000 * scale), int(300_000 * scale), int(25_000 * scale)
    now = datetime.now(UTC)
    rows: dict[str, tuple[str, list[tuple]]] = {k: ("", []) for k in (
        "enterprise", "application", "process_instance", "human_task", "recognition", "monitoring_programme",
        "monitoring_period", "monitoring_report")}
    ents = []
    for e in range(1, n_ent + 1):
        county = counties[e % len(counties)].code
        ents.append((e, f"基准企业{e:06d}有限公司", f"91{county}MB{e:08d}", county, SECTORS[e % 6], False, now))
    rows["enterprise"] = ("id, name, uscc, region_code, sector, city_owned, created_at", ents)
    apps, insts, tasks, recs = [], [], [], []
    held: dict[int, tuple[int, str]] = {}  # enterprise → (recognition id, highest tier)
    task_id = rec_id = 0
    for a in range(1, n_app + 1):
        e = ents[(a * 7919) % n_ent]
        tier_index = rng.choices(range(4), weights=(40, 35, 20, 5))[0]
        tier = TIERS[tier_index]
        created = now - timedelta(days=rng.randint(0, 365 * 5), minutes=rng.randint(0, 1440))
        fate = rng.random()
        status = "recognized" if fate < 0.55 else "rejected" if fate < 0.8 else "withdrawn" if fate < 0.85 \
            else "returned" if fate < 0.88 else "draft" if fate < 0.92 else "in_review"
        apps.append((a, e[0], tier, status, "{}", created, created, created + timedelta(days=rng.randint(0, 60))))
        insts.append((a, "recognition", "application", a, 1, "{}", "completed" if status in ("recognized", "rejected")
                      else "running", 1, created, created))
        reached = 0 if status in ("draft", "withdrawn") else tier_index + 1 if status in ("recognized", "rejected") \
            else rng.randint(1, tier_index + 1)
        when = created
        for level in range(reached):
            task_id += 1
            took = timedelta(days=rng.uniform(0.5, 20))
            last = level == reached - 1
            open_ = last and status in ("in_review", "returned")
            decision = None if open_ else "reject" if last and status == "rejected" else "approve"
            if status == "returned" and last:
                decision = None
            tasks.append((task_id, a, "application", a, a, f"{task_id:032x}", STEPS[level], STEPS[level], "decision",
                          LANES[level], offices[chain[e[3]][level]], "open" if open_ else "completed", when,
                          when + timedelta(days=15), None if open_ else when + took, decision, tier, e[3], e[4]))
            when += took
        if status == "recognized":
            rec_id += 1
            region = chain[e[3]][tier_index]
            on = (when + timedelta(days=10)).date()
            recs.append((rec_id, e[0], tier, offices[region], region, a, f"基准认定〔{on.year}〕1号",
                         f"B{rec_id:011d}", on, date(on.year + 3, on.month, 1), 3,
                         rng.choices(("active", "expired", "revoked", "exited", "under_review"),
                                     weights=(80, 10, 2, 6, 2))[0], "bench", now, 1))
            if tier_index >= TIERS.index(held.get(e[0], (0, "seed"))[1]):
                held[e[0]] = (rec_id, tier)
    rows["application"] = ("id, enterprise_id, target_tier, status, data, submitted_at, created_at, updated_at",
                           apps)
    rows["process_instance"] = ("id, process, subject_type, subject_id, definition_id, state, status, "
                                "lock_version, created_at, updated_at", insts)
    rows["human_task"] = ("id, instance_id, subject_type, subject_id, application_id, engine_task_id, step, "
                          "step_name, kind, lane, office_id, state, created_at, due_at, completed_at, decision, "
                          "target_tier, region_code, sector", tasks)
    rows["recognition"] = ("id, enterprise_id, tier, office_id, region_code, application_id, document_no, "
                           "certificate_no, valid_from, valid_until, valid_years, status, source, created_at, "
                           "lock_version", recs)
    programmes, periods, reports = [], [], []
    for p, province in enumerate(("220000", "140000", "320000"), start=1):
        programmes.append((p, province, offices[province], "quarterly", 15, True, now))
        for q in range(1, 5):
            ends = date(2026, 3 * q, 28)
            periods.append(((p - 1) * 4 + q, p, province, offices[province], 2026, "quarterly", q, date(2026, 1, 1),
                            ends, ends + timedelta(days=21), "closed" if q < 4 else "open", now))
    monitored = [e for e in held][:n_monitored]
    report_id = 0
    for period in periods:
        prefix = period[2][:2]
        for e in monitored:
            ent = ents[e - 1]
            if not ent[3].startswith(prefix):
                continue
            report_id += 1
            revenue = rng.randint(5_000_000, 500_000_000)
            filed = rng.random() < 0.85
            values = (revenue, int(revenue / rng.uniform(0.8, 1.3)), int(revenue * 0.9), int(revenue * 0.08),
                      int(revenue * 0.05), int(revenue * rng.uniform(0.005, 0.06)), int(revenue * 0.03),
                      rng.randint(20, 900), rng.randint(1, 120), rng.randint(0, 80)) if filed else (None,) * 10
            reports.append((report_id, period[0], e, held[e][0], ent[3], ent[4], held[e][1],
                            "submitted" if filed else "missed", *values, now, 1))
    rows["monitoring_programme"] = ("id, region_code, office_id, frequency, due_working_days, active, created_at",
                                    programmes)
    rows["monitoring_period"] = ("id, programme_id, region_code, office_id, year, frequency, seq, starts_on, "
                                 "ends_on, due_on, status, created_at", periods)
    rows["monitoring_report"] = ("id, period_id, enterprise_id, recognition_id, region_code, sector, tier, status, "
                                 + ", ".join(FIGURES) + ", created_at, lock_version", reports)
    raw = db.session.connection().connection.driver_connection
    with raw.cursor() as cur:
        for table, (cols, data) in rows.items():
            with cur.copy(f"COPY {table} ({cols}) FROM STDIN") as copy:
                for row in data:
                    copy.write_row(row)
            cur.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")
    raw.commit()
    raw.autocommit = True
    raw.execute("VACUUM ANALYZE")  # what autovacuum does on a live database
    raw.autocommit = False
    return {table: len(data) for table, (_cols, data) in rows.items()}


def reused_app(url: str):
    from app import create_app
    from config import TestingConfig

    class Config(TestingConfig):
        SQLALCHEMY_DATABASE_URI = url

    return create_app(Config)


def timed(fn, runs: int) -> tuple[float, float]:
    fn()  # warm (plans, caches)
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples), statistics.quantiles(samples, n=20)[-1]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--url", help="PostgreSQL URL (default: TEST_DATABASE_URL's server, tierflow_bench_dashboard)")
    ap.add_argument("--scale", type=float, default=1.0, help="fraction of the full sizes (for a quick look)")
    ap.add_argument("--runs", type=int, default=30)
    ap.add_argument("--reuse", action="store_true", help="time the rows a previous run loaded (no reload)")
    args = ap.parse_args()
    url = database_url("postgres", args.url, "tierflow_bench_dashboard")
    app = reused_app(url) if args.reuse else fresh_app(url)

    from app.extensions import db
    from app.models import User
    from app.reporting import cohort, pipeline, stats, targets
    from app.workflow import definitions

    with app.app_context():
        if not args.reuse:
            definitions.deploy_shipped()
            leader = User(username="leader-220000", role="leader", region_code="220000")
            leader.set_password("bench-pass-1")
            db.session.add(leader)
            db.session.commit()
            started = time.perf_counter()
            counts = fill(db, args.scale)
            loaded = time.perf_counter() - started
            figures = counts["monitoring_report"] * len(FIGURES)
            sizes = ", ".join(f"{k} {v:,}" for k, v in counts.items())
            print(f"loaded in {loaded:.0f} s: {sizes}; {figures:,} monitoring figures")
        leader = db.session.scalar(db.select(User).where(User.username == "leader-220000"))
        admin = db.session.scalar(db.select(User).where(User.username == "admin"))
        worst = 0.0
        print(f"{'query':52} {'median ms':>10} {'p95 ms':>10}")
        for who, user in (("province leader", leader), ("admin (all)", admin)):
            cases = {
                "recognitions by tier": lambda u=user: stats.recognitions(u, ["tier"]),
                "recognitions by region (ranked)": lambda u=user: stats.ranked_regions(u),
                "recognitions by region, county level": lambda u=user: stats.recognitions(u, ["region"],
                                                                                          level="county"),
                "recognitions by year": lambda u=user: stats.recognitions(u, ["year"]),
                "recognitions by sector": lambda u=user: stats.recognitions(u, ["sector"]),
                "recognitions by tier × region × year": lambda u=user: stats.recognitions(
                    u, ["tier", "region", "year"]),
                "targets with progress (吉林省 2025)": lambda u=user: targets.listing(
                    u, "220000" if u.role == "admin" else None, 2025),
                "pipeline (steps, overdue, pass rates, medians)": lambda u=user: pipeline.pipeline(u),
                "monitored cohort (latest period)": lambda u=user: cohort.cohort(u),
                "drill-down: register entries, page 1": lambda u=user: stats.entries(u, tier="province"),
                "drill-down: open steps, page 1": lambda u=user: pipeline.applications_at(u, "city_review"),
            }
            for name, fn in cases.items():
                def run(fn=fn):
                    db.session.expire_all()
                    fn()
                median, p95 = timed(run, args.runs)
                worst = max(worst, p95)
                print(f"{who + ': ' + name:52} {median:10.1f} {p95:10.1f}")
        leader_id = leader.id
        db.session.commit()
    client = app.test_client()
    with client.session_transaction() as session:  # logged in as the province's leading group
        session["_user_id"] = str(leader_id)
        session["_fresh"] = True

    def page():
        response = client.get("/dashboard/")
        assert response.status_code == 200, response.status_code

    median, p95 = timed(page, max(args.runs // 3, 5))
    print(f"{'province dashboard page (test client)':52} {median:10.1f} {p95:10.1f}")
    print(f"worst query p95 {worst:.1f} ms (target < 200); page p95 {p95:.1f} ms (target < 500)")


if __name__ == "__main__":
    main()
