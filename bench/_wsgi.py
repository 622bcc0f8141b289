"""The app gunicorn serves in `bench/http_decisions.py`: production-like settings (no debug, no abuse limits),
the database from TIERFLOW_DATABASE_URL, and the bench-only SQL count headers (app/core/sqlcount.py)."""

from __future__ import annotations

from _setup import ROOT  # noqa: F401  (puts the project on sys.path)

from app import create_app  # noqa: E402
from config import Config  # noqa: E402


class BenchConfig(Config):
    SECRET_KEY = "bench-secret-key-bench-secret-key-0123456789"
    ABUSE_LIMITS = False
    SQL_COUNT_HEADERS = True

    @classmethod
    def check(cls) -> None:
        """The bench signs with its own fixed key."""


app = create_app(BenchConfig)
