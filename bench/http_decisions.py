"""Benchmark: decisions through the JSON API, on gunicorn and PostgreSQL, as a client sees them.

    .venv/bin/python bench/http_decisions.py [--workers 1,2,4] [--clients 1,4,8,16] [--decisions 48]
                                             [--ratio-decisions 120] [--finish 8]
                                             [--url postgresql://postgres@127.0.0.1/tierflow_bench_http]

Builds a scratch PostgreSQL database (created if missing, its schema dropped and migrated), seeds the
applications in process, then for each gunicorn worker count starts gunicorn (sync workers) and, for each
client count, drives `--decisions` decisions (county, then city, then province, on fresh applications)
from that many concurrent clients through POST /api/v1/tasks/<id>/decision. Per configuration it prints
the median and p95 latency, decisions per second, and the SQL statements per decision as the app counts
them (bench-only `X-SQL-Statements` header, app/core/sqlcount.py: statements plus pool pings; round trips
add BEGIN/COMMIT). Then: one configuration again with a timer worker process (`flask tierflow worker
--interval 1`) running beside it; the statement counts of a submission, an expert score and an inbox page;
the database bytes per finished (recognized) application; and the bare SpiffWorkflow hop of the same
diagram (bench/decisions.py), measured in the same run, with the ratio decision / bare hop: five bare hops after
every third decision of the first configuration (one client, `--ratio-decisions` decisions; the server idles
meanwhile), so both are timed on the machine as it is at that moment, and once more at the end.
"""

from __future__ import annotations

import argparse
import http.client
import json
import math
import os
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from _setup import ROOT, database_url, fresh_app

PASSWORD = "bench-pass-1"
LEVELS = ("220602", "220600", "220000")  # county, city, province: the offices deciding in turn


@dataclass
class Sample:
    latencies: list[float] = field(default_factory=list)
    statements: list[int] = field(default_factory=list)
    trips: list[int] = field(default_factory=list)
    wall: float = 0.0
    errors: int = 0


class Client:
    """Plain HTTP/1.1 (gunicorn's sync workers close each connection, as behind a proxy)."""

    def __init__(self, port: int) -> None:
        self.port = port

    def call(self, method: str, path: str, token: str | None = None, body: dict | None = None
             ) -> tuple[int, dict, int, int, float]:
        headers = {"Content-Type": "application/json"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        start = time.perf_counter()
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        conn.request(method, path, body=json.dumps(body) if body is not None else None, headers=headers)
        response = conn.getresponse()
        payload = response.read()
        elapsed = time.perf_counter() - start
        conn.close()
        return (response.status, json.loads(payload or b"{}"), int(response.getheader("X-SQL-Statements", -1)),
                int(response.getheader("X-SQL-Round-Trips", -1)), elapsed)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def env_for(url: str) -> dict[str, str]:
    return os.environ | {"TIERFLOW_DATABASE_URL": url, "PYTHONPATH": str(ROOT)}


def start_gunicorn(url: str, workers: int) -> tuple[subprocess.Popen, int]:
    port = free_port()
    proc = subprocess.Popen(
        [str(ROOT / ".venv" / "bin" / "gunicorn"), "-w", str(workers), "-b", f"127.0.0.1:{port}",
         "--chdir", str(ROOT / "bench"), "--log-level", "warning", "_wsgi:app"],
        env=env_for(url), cwd=ROOT / "bench")
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                break
        except OSError:
            time.sleep(0.2)
    # every worker has imported the app when a few requests have been answered
    for _ in range(workers * 3):
        Client(port).call("GET", "/api/v1/me")
    return proc, port


def stop(proc: subprocess.Popen) -> None:
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()


def login(client: Client, username: str) -> str:
    status, body, *_ = client.call("POST", "/api/v1/auth/token", body={"username": username, "password": PASSWORD})
    assert status == 200, (username, status, body)
    return body["token"]


def run_parallel(client: Client, jobs: list[tuple[str, str, str, dict]], clients: int, sample: Sample,
                 between: Callable[[], None] | None = None) -> None:
    """Each job is (method, path, token, body); `clients` threads take them in turn; `between` (one client only)
    runs after each request, outside its timing."""
    lock = threading.Lock()
    queue = list(reversed(jobs))

    def worker() -> None:
        while True:
            with lock:
                if not queue:
                    return
                method, path, token, body = queue.pop()
            status, answer, statements, trips, elapsed = client.call(method, path, token, body)
            with lock:
                if status != 200:
                    sample.errors += 1
                    print(f"  ! {path}: {status} {answer}", file=sys.stderr)
                    continue
                sample.latencies.append(elapsed)
                sample.statements.append(statements)
                sample.trips.append(trips)
            if between is not None:
                between()

    assert between is None or clients == 1, "the bare hop runs between the requests of one client"
    threads = [threading.Thread(target=worker) for _ in range(clients)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    sample.wall += time.perf_counter() - start


class Bench:
    def __init__(self, app, per_config: int) -> None:
        self.app = app
        self.per_config = per_config
        self.application_ids: list[int] = []
        self.next = 0

    def seed(self, count: int) -> None:
        """`count` national applications submitted (in process: the bench measures decisions)."""
        from stdnum.cn import uscc

        from app import demo
        from app.core import workdays
        from app.extensions import db
        from app.lifecycle import register
        from app.models import User
        from app.org import accounts
        from app.recognition import applications

        with self.app.app_context():
            users = []
            for i in range(20):
                stem = f"91220602MB{i:07d}"
                accounts.register_enterprise(username=f"hbench{i}", password=PASSWORD, name=f"基准企业{i}",
                                             uscc=stem + uscc.calc_check_digit(stem + "0"),
                                             region_code="220602", sector="industry")
                users.append(db.session.scalar(db.select(User).where(User.username == f"hbench{i}")))
                firm = users[-1].enterprise
                register.record(firm, "province", register.recognizing_office("province", firm),
                                on=workdays.china_date(), valid_years=3, source="bench")
            db.session.commit()
            for i in range(count):
                user = users[i % len(users)]
                a = applications.create(user, "national", dict(demo.FULL_DATA))
                demo.submit_with_materials(user, a)  # uploads the materials it needs, then submits
                db.session.commit()
                self.application_ids.append(a.id)

    def take(self, n: int) -> list[int]:
        ids = self.application_ids[self.next:self.next + n]
        self.next += n
        assert len(ids) == n, "seed more applications"
        return ids

    def open_tasks(self, application_ids: list[int], office_code: str | None = None, kind: str | None = None
                   ) -> list[tuple[int, int | None]]:
        """(task id, assignee id) of the open tasks of these applications."""
        from app.extensions import db
        from app.models import HumanTask, Office

        with self.app.app_context():
            query = db.select(HumanTask.id, HumanTask.assignee_id).where(
                HumanTask.application_id.in_(application_ids), HumanTask.state == "open")
            if office_code:
                query = query.join(Office, Office.id == HumanTask.office_id).where(Office.code == office_code)
            if kind:
                query = query.where(HumanTask.kind == kind)
            rows = db.session.execute(query.order_by(HumanTask.id)).all()
            db.session.rollback()
            return [(r[0], r[1]) for r in rows]

    def decide_levels(self, client: Client, tokens: dict[str, str], application_ids: list[int], clients: int,
                      levels: tuple[str, ...], sample: Sample, between: Callable[[], None] | None = None) -> None:
        for code in levels:
            tasks = self.open_tasks(application_ids, code)
            assert len(tasks) == len(application_ids), (code, len(tasks), len(application_ids))
            jobs = [("POST", f"/api/v1/tasks/{task_id}/decision", tokens[code], {"decision": "approve"})
                    for task_id, _ in tasks]
            run_parallel(client, jobs, clients, sample, between)


def database_bytes(app, application_ids: list[int]) -> float:
    """Bytes of the rows kept for these applications: every table with an application_id column, the
    process instances and their timers and inbox rows, the application rows themselves."""
    from sqlalchemy import text

    from app.extensions import db

    with app.app_context():
        tables = [r[0] for r in db.session.execute(text(
            "SELECT table_name FROM information_schema.columns WHERE table_schema = 'public' "
            "AND column_name = 'application_id'"))]
        ids = {"ids": application_ids}
        total = db.session.scalar(text(
            "SELECT coalesce(sum(pg_column_size(a.*)), 0) FROM application a WHERE id = ANY(:ids)"), ids)
        total += db.session.scalar(text(
            "SELECT coalesce(sum(pg_column_size(p.*)), 0) FROM process_instance p "
            "WHERE subject_type = 'application' AND subject_id = ANY(:ids)"), ids)
        for table in tables:
            total += db.session.scalar(text(
                f"SELECT coalesce(sum(pg_column_size(t.*)), 0) FROM {table} t WHERE application_id = ANY(:ids)"), ids)
        db.session.rollback()
    return total / len(application_ids)


def settle(url: str) -> None:
    """After the seeding's bulk writes: statistics fresh and dirty pages written (VACUUM ANALYZE, CHECKPOINT), so
    the first configuration does not meet autovacuum or a checkpoint the seeding set off."""
    import psycopg

    with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://", 1), autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")
        conn.execute("CHECKPOINT")


def timer_worker(url: str) -> subprocess.Popen:
    return subprocess.Popen([str(ROOT / ".venv" / "bin" / "flask"), "--app", "_wsgi:app", "tierflow", "worker",
                             "--interval", "1"], env=env_for(url), cwd=ROOT / "bench",
                            stdout=subprocess.DEVNULL)


def fmt(sample: Sample) -> str:
    lat = sorted(sample.latencies)
    p95 = lat[min(len(lat) - 1, math.ceil(0.95 * len(lat)) - 1)]
    return (f"{statistics.median(lat) * 1000:8.1f} {p95 * 1000:8.1f} {len(lat) / sample.wall:9.1f} "
            f"{statistics.mean(sample.statements):9.1f} {statistics.mean(sample.trips):7.1f} {sample.errors:4d}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--workers", default="1,2,4", help="gunicorn worker counts")
    ap.add_argument("--clients", default="1,4,8,16", help="concurrent client counts")
    ap.add_argument("--decisions", type=int, default=48, help="decisions per configuration (a multiple of 3)")
    ap.add_argument("--finish", type=int, default=8, help="applications carried to recognition")
    ap.add_argument("--ratio-decisions", type=int, default=120,
                    help="decisions of the first configuration when it has one client (its median is set against "
                         "the bare hops timed between them)")
    ap.add_argument("--url", help="PostgreSQL URL (default: a scratch database tierflow_bench_http)")
    args = ap.parse_args()
    workers = [int(w) for w in args.workers.split(",")]
    client_counts = [int(c) for c in args.clients.split(",")]
    per_config = max(1, args.decisions // len(LEVELS))

    url = database_url("postgres", args.url or "postgresql://postgres@127.0.0.1/tierflow_bench_http",
                       "tierflow_bench_http")
    import logging

    logging.disable(logging.INFO)  # the migrations' chatter
    app = fresh_app(url)
    bench = Bench(app, per_config)
    configs = len(workers) * len(client_counts) + 2  # + the pair of runs without and beside the timer worker
    started = time.perf_counter()
    warmup = 2 * sum(workers) + 2 * (2 if 2 in workers else workers[0])
    ratio_config = max(per_config, args.ratio_decisions // len(LEVELS)) if client_counts[0] == 1 else per_config
    bench.seed(per_config * configs + (ratio_config - per_config) + args.finish + warmup)
    print(f"seeded {len(bench.application_ids)} submitted applications in {time.perf_counter() - started:.0f} s")
    settle(url)
    print(f"{'workers':>7} {'clients':>7} {'median ms':>9} {'p95 ms':>8} {'dec/s':>9} {'SQL/dec':>9} "
          f"{'trips':>7} {'err':>4}")

    sys.path.insert(0, str(ROOT / "bench"))
    from decisions import BareHops, bare_hops

    # the bare hop of the same diagram, measured between the decisions of the first configuration when it has one
    # client (the server idles meanwhile): both see the machine as it is at that moment (a shared VM's speed
    # drifts by half within minutes)
    bare_between = BareHops((ROOT / "workflows" / "recognition.bpmn").read_bytes())
    interleaved: list[float] = []
    decided = [0]

    def hops_between() -> None:
        """After every 3rd decision, 5 bare hops in a row (warm, as the decisions are among themselves)."""
        decided[0] += 1
        if decided[0] % 3 == 0:
            interleaved.extend(bare_between.hop() for _ in range(5))
    results: dict[tuple[int, int], Sample] = {}
    for w in workers:
        proc, port = start_gunicorn(url, w)
        try:
            client = Client(port)
            tokens = {code: login(client, f"rev-{code}") for code in ("220602", "220600", "220000", "100000")}
            # warm up: each worker parses the definition and fills its caches on its first decisions
            bench.decide_levels(client, tokens, bench.take(2 * w), w, LEVELS, Sample())
            for c in client_counts:
                sample = Sample()
                first = w == workers[0] and c == client_counts[0] == 1
                bench.decide_levels(client, tokens, bench.take(ratio_config if first else per_config), c, LEVELS,
                                    sample,
                                    hops_between if first else None)
                results[(w, c)] = sample
                print(f"{w:7d} {c:7d} {fmt(sample)}", flush=True)
        finally:
            stop(proc)

    # the same configuration with and without a timer worker process beside it
    w, c = (2 if 2 in workers else workers[0]), (4 if 4 in client_counts else client_counts[0])
    proc, port = start_gunicorn(url, w)
    extra: dict[str, Sample] = {}
    try:
        client = Client(port)
        tokens = {code: login(client, f"rev-{code}") for code in ("220602", "220600", "220000", "100000")}
        bench.decide_levels(client, tokens, bench.take(2 * w), w, LEVELS, Sample())
        alone = Sample()  # the same configuration just before, on the same gunicorn, as the reference
        bench.decide_levels(client, tokens, bench.take(per_config), c, LEVELS, alone)
        print(f"{w:7d} {c:7d} {fmt(alone)}   <- again, just before the timer worker starts")
        results[("alone", c)] = alone
        ticking = timer_worker(url)
        try:
            time.sleep(2)
            sample = Sample()
            bench.decide_levels(client, tokens, bench.take(per_config), c, LEVELS, sample)
        finally:
            stop(ticking)
        print(f"{w:7d} {c:7d} {fmt(sample)}   <- with a timer worker process (--interval 1)")
        results[("timer", c)] = sample

        # the other requests: submission, expert scores, an inbox page, the last decisions to recognition
        enterprise = login(client, "hbench0")
        sub = Sample()
        for _ in range(4):
            for method, path in (("POST", "/api/v1/applications"), ("POST", "/api/v1/applications/{id}/submit")):
                body = {"target_tier": "national", "data": _full_data()} if path.endswith("applications") else None
                status, answer, statements, trips, elapsed = client.call(
                    method, path.format(id=sub.__dict__.get("last", 0)), enterprise, body)
                if path.endswith("applications"):
                    assert status == 201, answer
                    sub.__dict__["last"] = answer["id"]
                    created = (statements, trips, elapsed)
                else:
                    assert status == 200, answer
                    sub.latencies.append(elapsed + created[2])
                    sub.statements.append(statements + created[0])
                    sub.trips.append(trips + created[1])
        extra["submission (create + submit)"] = sub

        inbox = Sample()
        for _ in range(10):
            status, answer, statements, trips, elapsed = client.call("GET", "/api/v1/tasks?per_page=20",
                                                                     tokens["220602"])
            assert status == 200, answer
            inbox.latencies.append(elapsed)
            inbox.statements.append(statements)
            inbox.trips.append(trips)
        extra["inbox page (20 tasks)"] = inbox

        finishing = bench.take(args.finish)
        decisions = Sample()
        bench.decide_levels(client, tokens, finishing, 1, LEVELS, decisions)
        scores = Sample()
        expert_tokens: dict[int, str] = {}
        from app.extensions import db
        from app.models import User

        jobs = []
        for task_id, assignee in bench.open_tasks(finishing, kind="expert_score"):
            if assignee not in expert_tokens:
                with app.app_context():
                    username = db.session.get(User, assignee).username
                expert_tokens[assignee] = login(client, username)
            jobs.append(("POST", f"/api/v1/tasks/{task_id}/score", expert_tokens[assignee],
                         {"score": 80, "comment": "bench"}))
        run_parallel(client, jobs, 1, scores)
        extra["expert score"] = scores
        bench.decide_levels(client, tokens, finishing, 1, ("220000", "100000"), decisions)
        extra["decisions to recognition"] = decisions
    finally:
        stop(proc)

    print()
    print(f"{'request':>30} {'median ms':>9} {'p95 ms':>8} {'req/s':>9} {'SQL/req':>9} {'trips':>7} {'err':>4}")
    for name, sample in extra.items():
        if not sample.wall:
            sample.wall = sum(sample.latencies)
        print(f"{name:>30} {fmt(sample)}")

    from app.extensions import db
    from app.models import Application

    with app.app_context():
        statuses = [db.session.get(Application, a).status for a in finishing]
    print()
    print(f"finished applications          {statuses.count('recognized')} of {len(finishing)} recognized")
    print(f"database bytes per finished    {database_bytes(app, finishing):.0f} "
          "(application, instance, inbox rows, timers, audit, notifications…)")

    bare, _size = bare_hops((ROOT / "workflows" / "recognition.bpmn").read_bytes(), rounds=40)
    one = statistics.median(results[(workers[0], client_counts[0])].latencies)
    print(f"bare Spiff hop median          {bare * 1000:.2f} ms (deserialize, complete, run, serialize; at the end)")
    if interleaved:
        between = statistics.median(interleaved)
        print(f"bare hop between decisions     {between * 1000:.2f} ms (median of {len(interleaved)}: 5 after every "
              f"3rd decision of w={workers[0]}, c=1)")
        print(f"HTTP decision median (w={workers[0]}, c=1)  {one * 1000:.2f} ms, ratio {one / between:.2f} "
              f"(to the bare hop at the end: {one / bare:.2f})")
    else:
        print(f"HTTP decision median (w={workers[0]}, c={client_counts[0]})  {one * 1000:.2f} ms, ratio "
              f"{one / bare:.2f}")
    base, ticked = results.get(("alone", c)), results.get(("timer", c))
    if base and ticked:
        with_, without = statistics.median(ticked.latencies), statistics.median(base.latencies)
        print(f"timer worker beside w={w} c={c}  median {with_ * 1000:.1f} ms vs {without * 1000:.1f} ms "
              f"({(with_ / without - 1) * 100:+.0f} %)")
    print(f"total bench time               {time.perf_counter() - started:.0f} s")


def _full_data() -> dict:
    from app import demo

    return dict(demo.FULL_DATA)


if __name__ == "__main__":
    main()
