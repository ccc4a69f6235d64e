"""The tables of the weerbaarheidsprofiel, in the same database (and on the same SQLAlchemy `Base`) as the
accounts: one concept per organisation, fixed metingen with their scores, and the collaborations an
organisation shares its whole profile with.

Confidential: scores and notes never go to `data/` or the graph, and only kast.profiles.service reads them.
"""
import datetime as dt

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..accounts.models import Base, now


class Profile(Base):
    """The concept of one organisation: changed as the members go, versioned for If-Match. SQLAlchemy's
    version counter makes every UPDATE conditional on the version read, so of two saves onto the same
    version only one wins, also when they arrive at the same moment."""
    __tablename__ = "profiles"

    organisation: Mapped[str] = mapped_column(String(100), primary_key=True)   # an organisation id in the graph
    version: Mapped[int] = mapped_column(Integer, default=1)
    contact_role: Mapped[str] = mapped_column(String(120), default="")         # a function, never a person
    updated: Mapped[dt.datetime] = mapped_column(DateTime, default=now)
    updated_by: Mapped[int | None] = mapped_column(Integer, nullable=True)     # account id
    answers: Mapped[list["Answer"]] = relationship(cascade="all, delete-orphan", lazy="selectin")

    __mapper_args__ = {"version_id_col": version}


class Answer(Base):
    """One ambition in the concept: score (None = not yet answered), note, and whether the organisation may
    be shown to others as a peer for this ambition."""
    __tablename__ = "profile_answers"

    organisation: Mapped[str] = mapped_column(ForeignKey("profiles.organisation", ondelete="CASCADE"), primary_key=True)
    ambition: Mapped[str] = mapped_column(String(100), primary_key=True)
    score: Mapped[int | None] = mapped_column(Integer, nullable=True)
    note: Mapped[str] = mapped_column(Text, default="")
    peer: Mapped[bool] = mapped_column(Boolean, default=False)


class Measurement(Base):
    """A meting: the concept as it was fixed on a date. Never changed afterwards; later ones add to it."""
    __tablename__ = "profile_measurements"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    organisation: Mapped[str] = mapped_column(String(100), index=True)
    model: Mapped[str] = mapped_column(String(100))
    date: Mapped[dt.date] = mapped_column(Date)
    created: Mapped[dt.datetime] = mapped_column(DateTime, default=now)
    created_by: Mapped[int | None] = mapped_column(Integer, nullable=True)
    scores: Mapped[list["MeasuredScore"]] = relationship(cascade="all, delete-orphan", lazy="selectin")


class MeasuredScore(Base):
    __tablename__ = "profile_measured_scores"

    measurement_id: Mapped[int] = mapped_column(ForeignKey("profile_measurements.id", ondelete="CASCADE"),
                                                primary_key=True)
    ambition: Mapped[str] = mapped_column(String(100), primary_key=True)
    score: Mapped[int | None] = mapped_column(Integer, nullable=True)
    note: Mapped[str] = mapped_column(Text, default="")


class Share(Base):
    """The organisation shares its whole profile with the members of a collaboration that shared too."""
    __tablename__ = "profile_shares"
    __table_args__ = (UniqueConstraint("organisation", "collaboration"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    organisation: Mapped[str] = mapped_column(String(100), index=True)
    collaboration: Mapped[str] = mapped_column(String(100), index=True)
    since: Mapped[dt.datetime] = mapped_column(DateTime, default=now)
