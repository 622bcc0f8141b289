"""Issue 18: a decision's trips to the database. The statement budget over the JSON API; the queued appends
(audit, notifications, timer rows) are seen by every later read, dropped by a rollback and kept out of a
savepoint that failed; tokens found in one statement still end at logout, expiry and deactivation; a pooled
PostgreSQL connection the server closed is replaced without a ping; the statement counter only in bench mode."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

from app import create_app
from app.core import appends, audit, sqlcount
from app.core.errors import Forbidden
from app.extensions import db
from app.models import ApiToken, AuditEvent, Notification, User
from app.models.base import utcnow
from app.workbench import notifications
from config import ProductionConfig, TestingConfig
from tests.conftest import PASSWORD, task_for


def _counted(app, call):
    """(response, statements) of one request through the test client, counted as the bench counts them."""
    with app.app_context():
        sqlcount.watch(db.engine)
    sqlcount.reset()
    response = call()
    return response, sqlcount.counts()[0]


def test_a_decision_over_the_api_stays_within_its_statement_budget(app, api, submitted, backend):
    first, second = submitted(tier="national"), submitted(tier="national", username="beta")
    api.token("rev-220602")  # log in first: the budget is the decision's
    counts = []
    for application in (first, second):
        task = task_for(api, "rev-220602", application["id"])
        r, statements = _counted(app, lambda t=task: api.post(f"/api/v1/tasks/{t['id']}/decision", as_="rev-220602",
                                                                json={"decision": "approve", "comment": "ok"}))
        assert r.status_code == 200, r.get_json()
        counts.append(statements)
        body = r.get_json()["application"]
        assert body["current_step"] == "city_review" and body["current_office"]["code"] == "220600"
        assert [e["action"] for e in body["history"]][-1] == "approve"
        assert body["history"][-1]["actor"] == "rev-220602" and body["history"][-1]["office"]["code"] == "220602"
    # (the first decision of a fresh process may parse the definition.) The second: token, lock with the
    # four-eyes probe, routing, the appends (the instance's new state under its version check, the ended task
    # and the new one, the application's update, audit, notification, timers), the answer (the current task and
    # the history in one): 5 on PostgreSQL (the appends in one statement), more on SQLite (one per append)
    assert counts[1] <= (5 if backend == "postgres" else 13), counts
    with app.app_context():  # what was queued was written: the city's reviewers heard of both, timers wait
        arrived = db.session.scalar(db.select(db.func.count()).select_from(Notification).where(
            Notification.kind == "task_arrived", Notification.application_id.in_([first["id"], second["id"]]),
            Notification.user_id == db.select(User.id).where(User.username == "rev-220600").scalar_subquery()))
        assert arrived == 2
        waiting = db.session.execute(text(
            "SELECT count(*) FROM process_timer WHERE application_id = :a AND state = 'waiting' "
            "AND attached_step = 'city_review'"), {"a": first["id"]}).scalar()
        cancelled = db.session.execute(text(
            "SELECT count(*) FROM process_timer WHERE application_id = :a AND state = 'cancelled' "
            "AND attached_step = 'county_review'"), {"a": first["id"]}).scalar()
        assert waiting == 2 and cancelled == 2


def test_four_eyes_rides_along_with_the_lock(api, submitted):
    application = submitted()
    county = task_for(api, "rev-220602", application["id"])
    with api.client.application.app_context():
        reviewer = db.session.scalar(db.select(User).where(User.username == "rev-220602"))
        from app.workbench import claims

        probe, values = claims.may_decide_probe(reviewer, county["id"])
        row = db.session.execute(db.select(probe), values).scalar()
        assert row is None  # nothing stands in the way yet
    r = api.post(f"/api/v1/tasks/{county['id']}/decision", as_="rev-220602", json={"decision": "approve"})
    assert r.status_code == 200
    with api.client.application.app_context():
        from app.models import HumanTask

        city = db.session.scalar(db.select(HumanTask.id).where(HumanTask.application_id == application["id"],
                                                                HumanTask.state == "open"))
        reviewer = db.session.scalar(db.select(User).where(User.username == "rev-220602"))
        expression, values = claims.may_decide_probe(reviewer, city)
        probe = db.session.execute(db.select(expression), values).scalar()
        assert probe == "decided:county_review"  # the same reviewer may not decide the next step
        with pytest.raises(Forbidden) as refused:
            claims.check_probe(probe)
        assert refused.value.code == "four_eyes"


def test_appends_are_read_back_dropped_on_rollback_and_kept_out_of_a_failed_savepoint(app_ctx, backend):
    actor = db.session.scalar(db.select(User).where(User.username == "rev-220602"))
    audit.record("perf_probe", actor=actor, comment="queued")
    notifications.notify_users([actor.id], "perf_probe", "queued")
    assert appends.pending() == 2
    # any read goes after the queue: the entry is there (one statement for both on PostgreSQL)
    assert db.session.scalar(db.select(AuditEvent.comment).where(AuditEvent.action == "perf_probe")) == "queued"
    assert appends.pending() == 0
    assert db.session.scalar(db.select(db.func.count()).select_from(Notification).where(
        Notification.kind == "perf_probe")) == 1

    # entries into one table keep their order (ids): rows queued for a table join one multi-row INSERT, in order
    for n in range(3):
        audit.record("perf_order", actor=actor, comment=str(n))
        notifications.notify_users([actor.id], f"perf_order_{n}", "queued")
    sqlcount.watch(db.engine)
    sqlcount.reset()
    assert db.session.scalars(db.select(AuditEvent.comment).where(AuditEvent.action == "perf_order")
                              .order_by(AuditEvent.id)).all() == ["0", "1", "2"]
    # six entries in two INSERTs: one statement with the read on PostgreSQL, two on SQLite
    assert sqlcount.counts()[0] == (2 if backend == "postgres" else 3)
    assert db.session.scalars(db.select(Notification.kind).where(Notification.kind.like("perf_order_%"))
                              .order_by(Notification.id)).all() == ["perf_order_0", "perf_order_1", "perf_order_2"]

    audit.record("perf_probe", actor=actor, comment="rolled back")
    db.session.rollback()
    assert appends.pending() == 0
    assert db.session.scalar(db.select(db.func.count()).select_from(AuditEvent).where(
        AuditEvent.action == "perf_probe")) == 0  # the first one went too: nothing was committed

    audit.record("perf_probe", actor=actor, comment="before the savepoint")
    try:
        with db.session.begin_nested():
            audit.record("perf_probe", actor=actor, comment="in the savepoint")
            raise RuntimeError("the savepoint fails")
    except RuntimeError:
        pass
    comments = db.session.scalars(db.select(AuditEvent.comment).where(AuditEvent.action == "perf_probe")
                                  .order_by(AuditEvent.id)).all()
    assert comments == ["before the savepoint"]

    audit.record("perf_probe", actor=actor, comment="committed")
    db.session.commit()  # the commit sends the queue
    assert db.session.scalars(db.select(AuditEvent.comment).where(AuditEvent.action == "perf_probe")
                              .order_by(AuditEvent.id)).all() == ["before the savepoint", "committed"]


def test_appends_reuse_their_compiled_statement_and_go_in_batches(app_ctx, backend):
    actor = db.session.scalar(db.select(User).where(User.username == "rev-220602"))
    queued = [appends._Rows(AuditEvent.__table__, [{"action": "a", "comment": "x"}] * n) for n in (1, 3)]
    # a multi-row VALUES has no cache key: SQLAlchemy would compile it again for every decision
    assert all(appends._built(entry, "w0_")._generate_cache_key() is not None for entry in queued)
    again = appends._Rows(AuditEvent.__table__, [{"action": "b", "comment": "y"}] * 3)
    assert appends._built(queued[1], "w0_") is appends._built(again, "w0_")  # built once per shape
    assert appends._combined((queued[0].shape, queued[1].shape)) is appends._combined((queued[0].shape, again.shape))
    # many rows (a notice to a whole region) go in INSERTs of at most BATCH rows: SQLite's limit on a compound
    # SELECT is 500; ids still follow the order the rows were queued in
    many = appends.BATCH * 2 + 7
    notifications.notify_users([actor.id] * many, "perf_batch", "queued")
    for n in range(many):
        audit.record("perf_batch", actor=actor, comment=f"{n:04d}")
    assert appends.pending() == 3 + many  # the notice queued in three batches, the audit entries one by one
    sqlcount.watch(db.engine)
    sqlcount.reset()
    comments = db.session.scalars(db.select(AuditEvent.comment).where(AuditEvent.action == "perf_batch")
                                  .order_by(AuditEvent.id)).all()
    assert comments == [f"{n:04d}" for n in range(many)]
    # three INSERTs per table, then the read; PostgreSQL joins an audit batch and a notice batch in one statement
    assert sqlcount.counts()[0] == (6 if backend == "postgres" else 7)
    assert db.session.scalar(db.select(db.func.count()).select_from(Notification).where(
        Notification.kind == "perf_batch")) == many


def test_tokens_end_at_logout_expiry_and_deactivation(app, api, client):
    token = api.token("rev-220602")
    headers = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/v1/me", headers=headers).status_code == 200
    with app.app_context():
        db.session.execute(db.update(ApiToken).values(expires_at=utcnow() - timedelta(seconds=1)))
        db.session.commit()
    assert client.get("/api/v1/me", headers=headers).status_code == 401  # expired
    with app.app_context():
        db.session.execute(db.update(ApiToken).values(expires_at=utcnow() + timedelta(hours=1)))
        db.session.execute(db.update(User).where(User.username == "rev-220602").values(active=False))
        db.session.commit()
    assert client.get("/api/v1/me", headers=headers).status_code == 401  # deactivated
    with app.app_context():
        db.session.execute(db.update(User).where(User.username == "rev-220602").values(active=True))
        db.session.commit()
    assert client.get("/api/v1/me", headers=headers).status_code == 200
    assert client.post("/api/v1/auth/logout", headers=headers).status_code == 200
    assert client.get("/api/v1/me", headers=headers).status_code == 401  # logged out


def test_a_connection_the_server_closed_is_replaced_without_a_ping(app, backend, database_url):
    if backend != "postgres":
        pytest.skip("PostgreSQL: SQLite has no server to close a connection")
    with app.app_context():
        assert not db.engine.pool._pre_ping  # no SELECT 1 before each checkout
        with db.engine.connect() as conn:
            pid = conn.execute(text("SELECT pg_backend_pid()")).scalar()
        # the pooled connection's backend is terminated from outside, as a server restart would
        killer = create_engine(database_url, poolclass=NullPool, isolation_level="AUTOCOMMIT")
        with killer.connect() as other:
            other.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
            while other.execute(text("SELECT count(*) FROM pg_stat_activity WHERE pid = :pid"),
                                {"pid": pid}).scalar():
                pass  # wait until the backend is gone (each query a fresh snapshot: autocommit)
        killer.dispose()
        with db.engine.connect() as conn:  # the dead connection is found at checkout and replaced
            assert conn.execute(text("SELECT pg_backend_pid()")).scalar() != pid


def test_the_statement_count_is_for_benchmarks_only(app, client, monkeypatch):
    assert "X-SQL-Statements" not in client.get("/api/v1/me").headers  # not in a normal app

    class Bench(TestingConfig):
        SQLALCHEMY_DATABASE_URI = app.config["SQLALCHEMY_DATABASE_URI"]
        SQL_COUNT_HEADERS = True

    bench = create_app(Bench).test_client()
    r = bench.get("/api/v1/me")
    assert r.status_code == 401 and r.headers["X-SQL-Statements"] == "0"  # no token: nothing asked
    r = bench.post("/api/v1/auth/token", json={"username": "rev-220602", "password": PASSWORD})
    r = bench.get("/api/v1/me", headers={"Authorization": f"Bearer {r.get_json()['token']}"})
    assert r.status_code == 200 and 1 <= int(r.headers["X-SQL-Statements"]) <= 3  # the token, the office
    assert int(r.headers["X-SQL-Round-Trips"]) >= int(r.headers["X-SQL-Statements"])

    class Production(ProductionConfig):
        SQL_COUNT_HEADERS = True

    monkeypatch.setenv("TIERFLOW_SECRET_KEY", "x" * 40)
    with pytest.raises(RuntimeError, match="BENCH_SQL_COUNT"):
        Production.check()


def test_a_loaded_row_updated_through_the_queue(app_ctx, backend):
    from app.models import Office

    office = db.session.scalar(db.select(Office).where(Office.code == "220602"))
    user = db.session.scalar(db.select(User).where(User.username == "rev-220602"))
    user.display_name = "pending change"  # an earlier change of the row goes with the queued UPDATE
    appends.update_loaded(user, email="queued@example.cn")
    assert appends.pending() == 1 and not db.session.is_modified(user)  # no UPDATE of its own in the next flush
    assert user.email == "queued@example.cn"

    def stored() -> tuple:
        return db.session.execute(db.text("SELECT display_name, email FROM user_account WHERE id = :id"),
                                  {"id": user.id}).one()

    # a read of tables the queue does not write may go first; any other read sends the queue
    sqlcount.watch(db.engine)
    sqlcount.reset()
    db.session.scalar(db.select(Office.name).where(Office.id == office.id), execution_options=appends.UNAFFECTED)
    assert appends.pending() == 1 and sqlcount.counts()[0] == 1
    assert tuple(stored()) == ("pending change", "queued@example.cn") and appends.pending() == 0

    # the same row updated again in the queue, then changed by the ORM: each write lands in the order made
    appends.update_loaded(user, email="first@example.cn")
    appends.update_loaded(user, email="second@example.cn")
    user.email = "last@example.cn"
    db.session.flush()
    assert stored()[1] == "last@example.cn"
    db.session.commit()

    # a rollback drops the queue and the object reads the database again
    appends.update_loaded(user, email="dropped@example.cn")
    db.session.rollback()
    assert appends.pending() == 0 and user.email == "last@example.cn"

    # inside a savepoint the ORM writes, and a savepoint rolled back takes the change with it
    try:
        with db.session.begin_nested():
            appends.update_loaded(user, email="in-savepoint@example.cn")
            assert appends.pending() == 0 and db.session.is_modified(user)
            db.session.flush()
            raise RuntimeError("the savepoint fails")
    except RuntimeError:
        pass
    assert user.email == "last@example.cn" and stored()[1] == "last@example.cn"


def test_a_versioned_row_updated_through_the_queue_keeps_its_version_check(app, api, submitted):
    """The instance's new state goes with the queue, under the version check: when the row moved on meanwhile,
    sending the queue fails as the ORM's flush would (StaleDataError), and nothing of it is written."""
    from sqlalchemy.orm.exc import StaleDataError

    from app.models import ProcessInstance
    from app.workflow import instances

    application = submitted()
    with app.app_context():
        instance_id = db.session.scalar(db.select(ProcessInstance.id).where(
            ProcessInstance.subject_id == application["id"], ProcessInstance.process == "recognition"))
        instance = instances.lock(instance_id)
        version = instance.lock_version
        instance.end_event = "queued"
        appends.update_loaded(instance)
        assert appends.pending() == 1 and not db.session.is_modified(instance)
        assert instance.lock_version == version + 1  # the object holds the version it will have
        db.session.commit()
        stored = db.session.execute(db.text("SELECT end_event, lock_version FROM process_instance WHERE id = :id"),
                                    {"id": instance_id}).one()
        assert tuple(stored) == ("queued", version + 1)

        instance = instances.lock(instance_id)
        db.session.execute(db.text("UPDATE process_instance SET lock_version = lock_version + 1 WHERE id = :id"),
                           {"id": instance_id})  # a writer that slipped past the lock
        instance.end_event = "lost"
        appends.update_loaded(instance)
        audit.record("perf_probe", comment="with the lost update")
        with pytest.raises(StaleDataError):
            db.session.commit()
        db.session.rollback()
        stored = db.session.execute(db.text("SELECT end_event, lock_version FROM process_instance WHERE id = :id"),
                                    {"id": instance_id}).one()
        assert tuple(stored) == ("queued", version + 1)
        assert db.session.scalar(db.select(db.func.count()).select_from(AuditEvent).where(
            AuditEvent.comment == "with the lost update")) == 0


def test_a_decision_queues_the_new_inbox_row_and_the_instance_reads_it_back(app, api, submitted):
    """The next step's inbox row goes with the queue (every column set as a new row has it); the instance's open
    tasks, read again, show it."""
    from app.models import HumanTask, ProcessInstance
    from app.recognition import review

    application = submitted(tier="national")
    with app.app_context():
        reviewer = db.session.scalar(db.select(User).where(User.username == "rev-220602"))
        task_id = db.session.scalar(db.select(HumanTask.id).where(HumanTask.application_id == application["id"],
                                                                  HumanTask.state == "open"))
        review.decide(reviewer, task_id, "approve", "")
        # the new row waits in the queue: the database (read past the session, which would send it) has no city
        # task yet — an ORM flush of its own would have written it already
        open_rows = "SELECT count(*) FROM human_task WHERE application_id = %(a)s AND step = 'city_review'"
        waiting = db.session.connection().exec_driver_sql(open_rows.replace("%(a)s", str(application["id"]))).scalar()
        assert appends.pending() >= 1 and waiting == 0
        instance = db.session.scalar(db.select(ProcessInstance).where(
            ProcessInstance.subject_id == application["id"], ProcessInstance.process == "recognition"))
        assert [t.step for t in instance.open_tasks] == ["city_review"]  # read after the queue went out
        row = instance.open_tasks[0]
        assert (row.state, row.kind, row.office.code, row.application_id, row.target_tier, row.region_code,
                row.claimed_by_id, row.completed_at, row.subject_type) == (
            "open", "decision", "220600", application["id"], "national", "220602", None, None, "application")
        assert row.actions and row.due_at > row.created_at and row.engine_task_id
        db.session.commit()


def test_long_statements_keep_their_converted_placeholders(app_ctx, backend):
    """psycopg keeps the `$n` form of the lock's and the appends' long statements (built once per shape) instead of
    converting them again on every execution."""
    from psycopg import _queries

    assert _queries.MAX_CACHED_STATEMENT_LENGTH >= 64 * 1024 and _queries.MAX_CACHED_STATEMENT_PARAMS >= 2000
    if backend != "postgres":
        return
    actor = db.session.scalar(db.select(User).where(User.username == "rev-220602"))
    for n in range(3):
        audit.record("perf_convert", actor=actor, comment=str(n))
        notifications.notify_users([actor.id] * 40, "perf_convert", "queued")
        appends.send()
    converted = _queries._query2pg.cache_info()
    audit.record("perf_convert", actor=actor, comment="again")
    notifications.notify_users([actor.id] * 40, "perf_convert", "queued")
    appends.send()  # the same shape: its conversion is found, not made again
    assert _queries._query2pg.cache_info().hits > converted.hits
