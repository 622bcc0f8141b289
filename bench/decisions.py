"""Benchmark: decisions per second through the whole chain, against a bare SpiffWorkflow hop.

    .venv/bin/python bench/decisions.py [-n 200] [--db sqlite|postgres] [--url URL]

Prints decisions/s and ms per decision (load, lock, advance, save, inbox sync, audit, commit), the
cost of a bare SpiffWorkflow deserialize → run → serialize hop on the same BPMN, their ratio
(target ≤ 3), and the saved state size per instance (which must not grow with the number of
instances nor carry the spec).
"""

from __future__ import annotations

import argparse
import json
import statistics
import time

from _setup import ROOT, database_url, fresh_app


class BareHops:
    """A bare SpiffWorkflow deserialize → complete → do_engine_steps → serialize hop on the recognition BPMN, one
    at a time (`hop()` returns its seconds): county, city, province (to an empty panel), province, national, then
    a fresh instance. Plain eval, service tasks answered at once (an empty panel, no spot check, the notice's
    end)."""

    LEVELS = 5

    def __init__(self, bpmn: bytes) -> None:
        from SpiffWorkflow.bpmn.script_engine import PythonScriptEngine, TaskDataEnvironment
        from SpiffWorkflow.bpmn.serializer.workflow import BpmnWorkflowSerializer
        from SpiffWorkflow.spiff.parser import SpiffBpmnParser
        from SpiffWorkflow.spiff.serializer import DEFAULT_CONFIG

        from app.engine.clock import deadline

        class BareEngine(PythonScriptEngine):
            def call_service(self, task, operation_name, operation_params):
                return json.dumps({"draw_expert_panel": [], "draw_spot_check": False}.get(
                    operation_name, (operation_params.get("ends") or {}).get("value")))

        self.serializer = BpmnWorkflowSerializer(BpmnWorkflowSerializer.configure(DEFAULT_CONFIG))
        self.engine = BareEngine(environment=TaskDataEnvironment({"deadline": deadline}))  # plain eval
        parser = SpiffBpmnParser()
        parser.add_bpmn_str(bpmn)
        parser.add_dmn_str((ROOT / "workflows" / "eligibility_check.dmn").read_bytes())
        self.spec, self.subs = parser.get_spec("recognition"), parser.get_subprocess_specs("recognition")
        self.state, self.level, self.size = "", self.LEVELS, 0

    def _fresh(self) -> None:
        from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
        from SpiffWorkflow.util.task import TaskState

        wf = BpmnWorkflow(self.spec, self.subs, script_engine=self.engine)
        for t in wf.get_tasks(state=TaskState.READY):
            t.data.update({"target_tier": "national", "eligibility_passed": True, "spot_check": False})
        wf.do_engine_steps()
        self.state, self.level = self.serializer.serialize_json(wf), 0

    def hop(self) -> float:
        from SpiffWorkflow.util.task import TaskState

        if self.level == self.LEVELS:
            self._fresh()
        start = time.perf_counter()
        wf = self.serializer.deserialize_json(self.state)
        wf.script_engine = self.engine
        task = wf.get_tasks(state=TaskState.READY, manual=True)[0]
        task.data.update({"decision": "approve", "expert_panel": []})
        task.run()
        wf.do_engine_steps()
        self.state = self.serializer.serialize_json(wf)
        elapsed = time.perf_counter() - start
        self.level += 1
        self.size = max(self.size, len(self.state))
        return elapsed


def bare_hops(bpmn: bytes, rounds: int) -> tuple[float, int]:
    """Median seconds of `rounds` × 5 bare hops (`BareHops`); the largest full state seen."""
    hops = BareHops(bpmn)
    times = [hops.hop() for _ in range(rounds * BareHops.LEVELS)]
    return statistics.median(times), hops.size


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("-n", type=int, default=200, help="applications pushed through the national chain")
    ap.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    ap.add_argument("--url", help="PostgreSQL URL (default: TEST_DATABASE_URL or a new database tierflow_bench)")
    args = ap.parse_args()

    app = fresh_app(database_url(args.db, args.url, "tierflow_bench"))

    from stdnum.cn import uscc

    from app import demo
    from app.core import sqlcount, workdays
    from app.extensions import db
    from app.lifecycle import register
    from app.models import HumanTask, ProcessInstance, User
    from app.org import accounts
    from app.recognition import applications, experts, review

    with app.app_context():
        sqlcount.watch(db.engine)
        enterprise_users = []
        for i in range(10):
            stem = f"91220602MA{i:07d}"
            accounts.register_enterprise(username=f"bench{i}", password="bench-pass-1", name=f"基准企业{i}",
                                         uscc=stem + uscc.calc_check_digit(stem + "0"),
                                         region_code="220602", sector="industry")
            enterprise_users.append(db.session.scalar(db.select(User).where(User.username == f"bench{i}")))
            firm = enterprise_users[-1].enterprise  # the ladder: a national candidate holds the province tier
            register.record(firm, "province", register.recognizing_office("province", firm),
                            on=workdays.china_date(), valid_years=3, source="bench")
        db.session.commit()

        ids, first_size = [], 0
        for i in range(args.n):
            user = enterprise_users[i % 10]
            a = applications.create(user, "national", dict(demo.FULL_DATA))
            demo.submit_with_materials(user, a)  # uploads the materials it needs, then submits
            db.session.commit()
            ids.append(a.id)
            if i == 0:
                first_size = len(db.session.scalar(db.select(ProcessInstance.state)))
            last_size = len(a.instance.state)

        reviewers = {code: db.session.scalar(db.select(User).where(User.username == f"rev-{code}"))
                     for code in ("220602", "220600", "220000", "100000")}
        timings, scorings, statements, trips = [], [], [], []
        # a bare hop after each decision: both timed on the machine as it is at that moment
        hops, between = BareHops((ROOT / "workflows" / "recognition.bpmn").read_bytes()), []

        def decide_all(reviewer: User) -> None:
            task_ids = list(db.session.scalars(db.select(HumanTask.id).where(
                HumanTask.office_id == reviewer.office_id, HumanTask.state == "open",
                HumanTask.application_id.is_not(None)).order_by(HumanTask.id)))
            for task_id in task_ids:
                _ = reviewer.office_id  # authentication loads the user before the decision starts
                sqlcount.reset()
                start = time.perf_counter()
                review.decide(reviewer, task_id, "approve", "")
                db.session.commit()
                timings.append(time.perf_counter() - start)
                statements.append(sqlcount.counts()[0])
                trips.append(sqlcount.counts()[1])
                db.session.expire_all()
                between.append(hops.hop())

        for code in ("220602", "220600", "220000"):
            decide_all(reviewers[code])
        # the expert panels score (three experts per application), then the province decides again
        for task in db.session.scalars(db.select(HumanTask).where(
                HumanTask.kind == "expert_score", HumanTask.state == "open").order_by(HumanTask.id)).all():
            expert = task.assignee
            start = time.perf_counter()
            experts.score(expert, task.id, 80, "bench")
            db.session.commit()
            scorings.append(time.perf_counter() - start)
            db.session.expire_all()
        for code in ("220000", "100000"):
            decide_all(reviewers[code])
        sizes = [len(s) for s in db.session.scalars(db.select(ProcessInstance.state))]
        recognized = sum(1 for a in ids if applications.get_for(reviewers["100000"], a).status == "recognized")

    bpmn = (ROOT / "workflows" / "recognition.bpmn").read_bytes()
    at_end, full_size = bare_hops(bpmn, rounds=max(args.n // 4, 20))
    bare = statistics.median(between)
    per = statistics.median(timings)
    print(f"backend                      {args.db}")
    print(f"applications                 {args.n} (recognized {recognized})")
    print(f"decisions                    {len(timings)}")
    print("decision = lock + load + advance + save + inbox sync + audit + commit (authentication excluded)")
    print(f"decisions per second         {len(timings) / sum(timings):.1f}")
    print(f"decision median / p95        {per * 1000:.2f} ms / {statistics.quantiles(timings, n=20)[-1] * 1000:.2f} ms")
    print(f"SQL per decision             {statistics.mean(statements):.1f} statements, "
          f"{statistics.mean(trips):.1f} round trips with BEGIN/COMMIT (app/core/sqlcount.py)")
    print(f"expert scores                {len(scorings)}, median {statistics.median(scorings) * 1000:.2f} ms")
    print(f"bare Spiff hop median        {bare * 1000:.2f} ms (one after each decision; "
          f"{at_end * 1000:.2f} ms at the end)")
    print(f"ratio decision / bare hop    {per / bare:.2f}  (target <= 3)")
    print(f"saved state at submission    first instance {first_size} bytes, instance #{args.n} {last_size} bytes")
    print(f"saved state when recognized  {statistics.mean(sizes):.0f} bytes per instance (max {max(sizes)}), no spec")
    print(f"bare state with spec         {full_size} bytes")


if __name__ == "__main__":
    main()
