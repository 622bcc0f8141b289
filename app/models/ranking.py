"""Ranking (考评, 001 §二(一)6, 002 §四(五)): schemes as data — which regions a jurisdiction ranks, by which
metrics with which weights — and yearly runs stored with their inputs, so a published ranking can be
explained and is never recomputed behind the reader's back."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.base import JSONType, UTCDateTime, utcnow


class RankingScheme(db.Model):
    """How a jurisdiction ranks the regions below it: the level ranked, metrics [{metric, weight, label}],
    how many are commended (top_n) and the tier whose first recognition is a region's 零突破."""

    __tablename__ = "ranking_scheme"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    region_code: Mapped[str] = mapped_column(ForeignKey("region.code"))  # the jurisdiction that ranks
    level: Mapped[str] = mapped_column(String(16))  # the level ranked: city, county
    metrics: Mapped[list] = mapped_column(JSONType)  # [{"metric", "weight", "label"}]
    top_n: Mapped[int] = mapped_column(Integer, default=3)
    key_tier: Mapped[str] = mapped_column(String(16), default="national")
    clause: Mapped[str] = mapped_column(String(500))
    note: Mapped[str | None] = mapped_column(Text)  # how the weights were chosen where the seed gives none
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default="1")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    region = relationship("Region")


class RankingRun(db.Model):
    """One run of a scheme for a year: the scheme as it was (metrics, weights, top_n), every ranked region's
    inputs, scaled values, score and rank, and the zero-breakthrough lists. Later runs keep earlier ones."""

    __tablename__ = "ranking_run"
    __table_args__ = (Index("ix_ranking_run_scheme_year", "scheme_id", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    scheme_id: Mapped[int] = mapped_column(ForeignKey("ranking_scheme.id"))
    year: Mapped[int] = mapped_column(Integer)
    level: Mapped[str] = mapped_column(String(16))
    metrics: Mapped[list] = mapped_column(JSONType)  # the scheme's metrics and weights at the time
    top_n: Mapped[int] = mapped_column(Integer)
    key_tier: Mapped[str] = mapped_column(String(16))
    results: Mapped[list] = mapped_column(JSONType)  # [{rank, region_code, region, score, inputs, scaled, basis}]
    zero_breakthrough: Mapped[list] = mapped_column(JSONType)  # [{region_code, region}]: none at the key tier yet
    breakthroughs: Mapped[list] = mapped_column(JSONType)  # [{region_code, region}]: the first one came this year
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    scheme = relationship("RankingScheme")
    created_by = relationship("User")
