"""What starts and ends claims: the register's signals (a recognition recorded → the rewards its tier earns
in the enterprise's jurisdiction; a recognition revoked → its unpaid claims reversed)."""

from __future__ import annotations

from datetime import date
from typing import Any

from app.core import signals
from app.models import Application, Recognition
from app.rewards import claims


@signals.recognition_granted.connect
def _granted(entry: Recognition, application: Application | None = None, on: date | None = None, **_: Any) -> None:
    claims.open_for_recognition(entry, on or entry.valid_from)


@signals.recognition_revoked.connect
def _revoked(entry: Recognition, **_: Any) -> None:
    claims.reverse_for(entry)
