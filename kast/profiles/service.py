"""Filling in, fixing and sharing a weerbaarheidsprofiel, each operation authorised here (not in a view).

Who may do what (`may_read`, `may_edit`):
- the members (every account) of the organisation read and edit its concept, fix metingen and share;
- redacteuren and beheerders read every profile (they curate the kast and support the organisations);
- members of another organisation read a profile only when both organisations shared their profile with a
  collaboration they both belong to (such as the Drentse werkgroep);
- everyone else gets `ProfileNotFound`, which the web answers as 404: a profile that may not be read does
  not exist for that reader, so nobody learns whether an organisation filled one in.

    >>> import tempfile; from types import SimpleNamespace as A; from kast.loader import load
    >>> p = Profiles(load(shacl=False), f"sqlite:///{tempfile.mkdtemp()}/p.sqlite")
    >>> assen = A(id=1, organisation="gm0106", role="lid")
    >>> p.save(assen, "gm0106", {"ambitie-3-6": {"score": 2}}).answers["ambitie-3-6"].score
    2
    >>> p.fix(assen, "gm0106").scores["ambitie-3-6"].score
    2
    >>> p.concept(A(id=2, organisation="gm0114", role="lid"), "gm0106")
    Traceback (most recent call last):
    kast.profiles.service.ProfileNotFound: profiel niet gevonden
"""
import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from ..errors import UserError
from .. import maturity
from ..accounts.db import create_tables, engine_for, session_factory
from ..accounts.models import AuditEvent, now
from ..privacy import find_personal_data
from . import models as m

MAX_NOTE = 2000
MAX_ROLE = 120
READ_ALL = ("redacteur", "beheerder")


class ProfileError(UserError):
    """A Dutch message for the user, naming the field where that helps."""


class ProfileNotFound(ProfileError):
    def __init__(self):
        super().__init__("profiel niet gevonden")


class VersionConflict(ProfileError):
    def __init__(self, current: int):
        super().__init__(f"het concept is intussen gewijzigd (nu versie {current}); haal het opnieuw op en "
                         "breng uw wijziging daarop aan", "If-Match")
        self.current = current


@dataclass
class AnswerView:
    score: int | None = None
    note: str = ""
    peer: bool = False


@dataclass
class Concept:
    organisation: str
    version: int
    contact_role: str
    updated: dt.datetime | None
    answers: dict[str, AnswerView] = field(default_factory=dict)

    @property
    def etag(self) -> str:
        return f'"v{self.version}"'

    def answered(self) -> int:
        return sum(1 for a in self.answers.values() if a.score is not None)


@dataclass
class MeasurementView:
    id: int
    organisation: str
    date: dt.date
    created: dt.datetime
    scores: dict[str, AnswerView]


class Profiles:
    """The profiles of one database, on the groeimodel of one loaded kast."""

    def __init__(self, kast, url: str | None = None):
        self.kast = kast
        self.model = maturity.model(kast)
        engine = engine_for(url)
        create_tables(engine)   # the accounts engine may have been made before these tables were known
        self.sessions = session_factory(url)

    # ------------------------------------------------------------------ the organisation and its ambitions

    def kind(self, org: str) -> str | None:
        item = self.kast.items.get(org)
        return item.kind if item else None

    def scales(self, org: str) -> list[maturity.Scale]:
        return self.model.applicable(self.kind(org)) if self.model else []

    def collaborations(self, org: str) -> list[str]:
        """The collaborations `org` belongs to (the signatories of an agreement behind a groeimodel)."""
        return sorted({mod.collaboration for mod in maturity.models(self.kast)
                       if mod.collaboration and org in mod.signatories}) if self.model else []

    def members(self, collaboration: str) -> set[str]:
        return {o for mod in maturity.models(self.kast) if mod.collaboration == collaboration for o in mod.signatories}

    # ------------------------------------------------------------------ who may

    def may_edit(self, actor, org: str) -> bool:
        return actor is not None and actor.organisation == org and org in self.kast.items

    def may_read(self, actor, org: str) -> bool:
        if actor is None or org not in self.kast.items:
            return False
        if actor.organisation == org or actor.role in READ_ALL:
            return True
        mine, theirs = set(self.shared_with(actor.organisation)), set(self.shared_with(org))
        return bool(mine & theirs)

    def _read(self, actor, org: str) -> None:
        if not self.may_read(actor, org):
            raise ProfileNotFound()

    def _edit(self, actor, org: str) -> None:
        if not self.may_edit(actor, org):
            raise ProfileNotFound()

    # ------------------------------------------------------------------ the concept

    def concept(self, actor, org: str) -> Concept:
        self._read(actor, org)
        with self.sessions() as db:
            return _concept(org, db.get(m.Profile, org))

    def save(self, actor, org: str, answers: dict[str, dict], contact_role: str | None = None,
             version: int | None = None) -> Concept:
        """Change some answers of the concept (the others stay); `version` (from If-Match) must be current."""
        self._edit(actor, org)
        clean = self._check(org, answers)
        if contact_role is not None:
            contact_role = _text(contact_role, MAX_ROLE, "contactfunctie", "de contactfunctie")
        try:
            return self._save(actor, org, clean, contact_role, version)
        except (StaleDataError, IntegrityError):   # another save onto the same version (or the first) committed first
            raise VersionConflict(self.concept(actor, org).version) from None

    def _save(self, actor, org: str, clean: dict, contact_role: str | None, version: int | None) -> Concept:
        with self.sessions.begin() as db:
            profile = db.get(m.Profile, org, with_for_update=True)
            if profile is None:
                if version not in (None, 0):
                    raise VersionConflict(0)
                profile = m.Profile(organisation=org, contact_role="")
                db.add(profile)
            elif version is not None and version != profile.version:
                raise VersionConflict(profile.version)
            existing = {a.ambition: a for a in profile.answers}
            for ambition, values in clean.items():
                row = existing.get(ambition)
                if row is None:
                    row = m.Answer(ambition=ambition, score=None, note="", peer=False)
                    profile.answers.append(row)
                for key, value in values.items():
                    setattr(row, key, value)
            if contact_role is not None:
                profile.contact_role = contact_role
            profile.updated, profile.updated_by = now(), actor.id   # always an UPDATE: the version moves on
            db.flush()
            return _concept(org, profile)

    def _check(self, org: str, answers) -> dict[str, dict]:
        if not isinstance(answers, dict):
            raise ProfileError("verwacht per ambitie een blok met score, notitie en/of peer", "scores")
        scales = {s.ambition: s for s in self.scales(org)}
        levels = {lv.value for lv in self.model.levels} if self.model else set()
        clean = {}
        for ambition, values in answers.items():
            scale = scales.get(ambition)
            if scale is None:
                known = self.model and ambition in self.model.by_ambition
                raise ProfileError(f"de ambitie '{ambition}' geldt niet voor een {self.kind(org)}" if known
                                   else f"onbekende ambitie '{ambition}'", ambition)
            if not isinstance(values, dict):
                raise ProfileError(f"ambitie {scale.notation}: verwacht score, notitie en/of peer", ambition)
            out = {}
            for key, value in values.items():
                if key == "score":
                    if value in (None, ""):
                        out["score"] = None
                    elif isinstance(value, bool) or not isinstance(value, (int, str)) or str(value).strip() not in {str(v) for v in levels}:
                        raise ProfileError(f"ambitie {scale.notation}: de score is een niveau van "
                                           f"{min(levels)} tot en met {max(levels)}, niet '{value}'", f"{ambition}.score")
                    else:
                        out["score"] = int(str(value).strip())
                elif key in ("note", "notitie"):
                    out["note"] = _text(value or "", MAX_NOTE, f"{ambition}.notitie", f"de notitie bij {scale.notation}")
                elif key == "peer":
                    if not isinstance(value, bool):
                        raise ProfileError(f"ambitie {scale.notation}: 'peer' is true of false", f"{ambition}.peer")
                    out["peer"] = value
                else:
                    raise ProfileError(f"ambitie {scale.notation}: onbekend veld '{key}' (score, notitie, peer)", ambition)
            clean[ambition] = out
        return clean

    # ------------------------------------------------------------------ metingen

    def fix(self, actor, org: str, date: dt.date | None = None) -> MeasurementView:
        """Fix the concept as a meting on `date` (today by default). Earlier metingen stay as they are."""
        self._edit(actor, org)
        date = date or dt.date.today()
        if date > dt.date.today():
            raise ProfileError("een meting kan niet in de toekomst liggen", "datum")
        with self.sessions.begin() as db:
            profile = db.get(m.Profile, org)
            answers = {a.ambition: a for a in profile.answers} if profile else {}
            applicable = [s.ambition for s in self.scales(org)]
            if not any(answers.get(a) is not None and answers[a].score is not None for a in applicable):
                raise ProfileError("vul eerst bij minstens één ambitie een score in", "scores")
            row = m.Measurement(organisation=org, model=self.model.id, date=date, created_by=actor.id)
            for ambition in applicable:
                answer = answers.get(ambition)
                row.scores.append(m.MeasuredScore(ambition=ambition, score=answer.score if answer else None,
                                                  note=answer.note if answer else ""))
            db.add(row)
            db.flush()
            # Who fixed which meting, for the accounts' audit log; never a score or a note.
            db.add(AuditEvent(event="profiel-meting", actor_id=actor.id, detail=f"{org}, meting van {date.isoformat()}"))
            return _measurement(row)

    def measurements(self, actor, org: str) -> list[MeasurementView]:
        """Oldest first."""
        self._read(actor, org)
        with self.sessions() as db:
            rows = db.scalars(select(m.Measurement).where(m.Measurement.organisation == org)
                              .order_by(m.Measurement.date, m.Measurement.id))
            return [_measurement(r) for r in rows]

    def measurement(self, actor, org: str, measurement_id: int) -> tuple[MeasurementView, MeasurementView | None]:
        """The meting and the one before it (for progress)."""
        found = self.measurements(actor, org)
        for n, row in enumerate(found):
            if row.id == measurement_id:
                return row, found[n - 1] if n else None
        raise ProfileNotFound()

    # ------------------------------------------------------------------ sharing

    def shared_with(self, org: str) -> list[str]:
        with self.sessions() as db:
            return sorted(db.scalars(select(m.Share.collaboration).where(m.Share.organisation == org)))

    def share(self, actor, org: str, collaboration: str, on: bool = True) -> list[str]:
        self._edit(actor, org)
        if org not in self.members(collaboration):
            raise ProfileError("uw organisatie hoort niet bij deze samenwerking", "samenwerking")
        with self.sessions.begin() as db:
            row = db.scalar(select(m.Share).where(m.Share.organisation == org, m.Share.collaboration == collaboration))
            if on and row is None:
                db.add(m.Share(organisation=org, collaboration=collaboration))
            elif not on and row is not None:
                db.delete(row)
            else:
                return self.shared_with(org)
            db.add(AuditEvent(event="profiel-gedeeld" if on else "profiel-niet-meer-gedeeld", actor_id=actor.id,
                              detail=f"{org} met {collaboration}"))
        return self.shared_with(org)

    def group(self, actor, collaboration: str) -> list[tuple[str, MeasurementView | None]]:
        """The members that shared with `collaboration`, each with its latest meting. Only for members of the
        collaboration that shared themselves, and for redacteuren."""
        if actor is None or not (actor.role in READ_ALL or collaboration in self.shared_with(actor.organisation)):
            raise ProfileNotFound()
        with self.sessions() as db:
            orgs = sorted(db.scalars(select(m.Share.organisation).where(m.Share.collaboration == collaboration)))
        latest = self.latest(orgs)
        return [(o, latest.get(o)) for o in orgs]

    # ------------------------------------------------------------------ for comparisons (kast.profiles.compare)
    # Not authorised: callers show only aggregates of at least five organisations or opted-in peers.

    def latest(self, orgs=None) -> dict[str, MeasurementView]:
        """The latest meting of every organisation (or of `orgs`): scores only, never the notes."""
        ranked = select(m.Measurement.id, m.Measurement.organisation, m.Measurement.date, m.Measurement.created,
                        func.row_number().over(partition_by=m.Measurement.organisation,
                                               order_by=(m.Measurement.date.desc(), m.Measurement.id.desc()))
                        .label("n"))
        if orgs is not None:
            ranked = ranked.where(m.Measurement.organisation.in_(list(orgs)))
        ranked = ranked.subquery()
        out: dict[str, MeasurementView] = {}
        with self.sessions() as db:
            heads = db.execute(select(ranked.c.id, ranked.c.organisation, ranked.c.date, ranked.c.created)
                               .where(ranked.c.n == 1))
            by_id = {}
            for mid, org, date, created in heads:
                by_id[mid] = out[org] = MeasurementView(mid, org, date, created, {})
            if by_id:
                rows = db.execute(select(m.MeasuredScore.measurement_id, m.MeasuredScore.ambition, m.MeasuredScore.score)
                                  .join(ranked, ranked.c.id == m.MeasuredScore.measurement_id).where(ranked.c.n == 1))
                for mid, ambition, score in rows:
                    by_id[mid].scores[ambition] = AnswerView(score)
        return out

    def peers(self) -> dict[str, dict[str, str]]:
        """Per ambition, the organisations that opted in as a peer for it → their contact function."""
        with self.sessions() as db:
            rows = db.execute(select(m.Answer.ambition, m.Answer.organisation, m.Profile.contact_role)
                              .join(m.Profile, m.Profile.organisation == m.Answer.organisation)
                              .where(m.Answer.peer.is_(True)))
            out: dict[str, dict[str, str]] = {}
            for ambition, org, role in rows:
                out.setdefault(ambition, {})[org] = role
            return out


def _text(value, limit: int, field: str, what: str) -> str:
    if not isinstance(value, str):
        raise ProfileError(f"{what} is tekst", field)
    text = value.strip()
    if len(text) > limit:
        raise ProfileError(f"{what} is {len(text)} tekens; hooguit {limit}", field)
    found = find_personal_data(text)
    if found:
        raise ProfileError(f"{what} bevat mogelijk een persoonsgegeven ({', '.join(found)}); noteer organisaties en "
                           "functies, geen personen of contactgegevens", field)
    return text


def _concept(org: str, profile) -> Concept:
    if profile is None:
        return Concept(org, 0, "", None, {})
    return Concept(org, profile.version, profile.contact_role, profile.updated,
                   {a.ambition: AnswerView(a.score, a.note, a.peer) for a in profile.answers})


def _measurement(row) -> MeasurementView:
    return MeasurementView(row.id, row.organisation, row.date, row.created,
                           {s.ambition: AnswerView(s.score, s.note) for s in row.scores})
