"""The weerbaarheidsprofiel library (kast.profiles) on SQLite and, with $KAST_TEST_POSTGRES_URL, PostgreSQL:
who may read and edit, what is refused (and that nothing stored is lost then), metingen, sharing with a
collaboration, and what a meting gives back (gaps, peers, waterbed)."""
import datetime as dt
import threading
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from kast.accounts import AuditEvent
from kast.profiles import MIN_GROUP, ProfileError, ProfileNotFound, Profiles, VersionConflict, result

from .accounts_db import backends, database_url

DRENTHE = ["gm0109", "gm0114", "gm0118", "gm0119", "gm1680", "gm1681"]   # other Drentse municipalities


def account(org: str, role: str = "lid", n: int = 1):
    return SimpleNamespace(id=n, organisation=org, role=role)


ASSEN = account("gm0106")
EMMEN = account("gm0114", n=2)
REDACTIE = account("vng", "redacteur", 3)


@pytest.fixture(params=backends())
def profiles(request, kast, tmp_path):
    return Profiles(kast, database_url(request.param, tmp_path))


def test_members_edit_their_own_profile_and_nobody_else_sees_it(profiles):
    profiles.save(ASSEN, "gm0106", {"ambitie-3-6": {"score": 2, "notitie": "Damocles in herziening"}},
                  contact_role="Coördinator ondermijning")
    assert profiles.concept(ASSEN, "gm0106").answers["ambitie-3-6"].note == "Damocles in herziening"
    assert profiles.concept(REDACTIE, "gm0106").answers["ambitie-3-6"].score == 2   # redactie reads
    for reader in (None, EMMEN, account("gm0106-niet", n=8)):
        with pytest.raises(ProfileNotFound):
            profiles.concept(reader, "gm0106")
    for writer in (EMMEN, REDACTIE, None):   # a redacteur reads but does not fill in another's profile
        with pytest.raises(ProfileNotFound):
            profiles.save(writer, "gm0106", {"ambitie-3-6": {"score": 3}})
        with pytest.raises(ProfileNotFound):
            profiles.fix(writer, "gm0106")
    with pytest.raises(ProfileNotFound):
        profiles.concept(ASSEN, "bestaat-niet")


@pytest.mark.parametrize("answers, field, words", [
    ({"ambitie-3-6": {"score": 7}}, "ambitie-3-6.score", "0 tot en met 3"),
    ({"ambitie-3-6": {"score": "veel"}}, "ambitie-3-6.score", "niet 'veel'"),
    ({"ambitie-3-6": {"score": True}}, "ambitie-3-6.score", "niveau"),
    ({"ambitie-9-9": {"score": 1}}, "ambitie-9-9", "onbekende ambitie"),
    ({"ambitie-3-6": {"notitie": "bel 06-12345678"}}, "ambitie-3-6.notitie", "persoonsgegeven"),
    ({"ambitie-3-6": {"notitie": "x" * 2001}}, "ambitie-3-6.notitie", "hooguit 2000"),
    ({"ambitie-3-6": {"peer": "ja"}}, "ambitie-3-6.peer", "true of false"),
    ({"ambitie-3-6": {"kleur": "rood"}}, "ambitie-3-6", "onbekend veld"),
])
def test_bad_input_is_refused_in_dutch_and_nothing_stored_is_lost(profiles, answers, field, words):
    profiles.save(ASSEN, "gm0106", {"ambitie-3-6": {"score": 1, "notitie": "bewaard"}})
    with pytest.raises(ProfileError) as exc:
        profiles.save(ASSEN, "gm0106", dict(answers, **{"ambitie-1-1": {"score": 3}}))
    assert exc.value.field == field and words in exc.value.message
    kept = profiles.concept(ASSEN, "gm0106")
    assert kept.answers["ambitie-3-6"].score == 1 and kept.answers["ambitie-3-6"].note == "bewaard"
    assert "ambitie-1-1" not in kept.answers   # the valid part of a refused save is not half stored


def test_an_ambition_for_municipalities_does_not_apply_to_a_water_board(profiles):
    board = account("ws0664", n=5)
    assert "ambitie-3-6" not in {s.ambition for s in profiles.scales("ws0664")}
    assert "ambitie-3-4" in {s.ambition for s in profiles.scales("ws0664")}
    with pytest.raises(ProfileError, match="geldt niet voor een waterschap"):
        profiles.save(board, "ws0664", {"ambitie-3-6": {"score": 1}})


def test_saving_onto_a_newer_version_is_refused(profiles):
    first = profiles.save(ASSEN, "gm0106", {"ambitie-1-1": {"score": 1}})
    profiles.save(ASSEN, "gm0106", {"ambitie-1-2": {"score": 2}}, version=first.version)   # a colleague
    with pytest.raises(VersionConflict) as exc:
        profiles.save(ASSEN, "gm0106", {"ambitie-1-2": {"score": 0}}, version=first.version)
    assert exc.value.current == first.version + 1
    assert profiles.concept(ASSEN, "gm0106").answers["ambitie-1-2"].score == 2


def test_of_simultaneous_saves_onto_one_version_exactly_one_wins(profiles):
    start = profiles.save(ASSEN, "gm0106", {"ambitie-1-1": {"score": 0}}).version
    barrier, outcomes = threading.Barrier(4), []

    def save(score: int):
        barrier.wait()
        try:
            profiles.save(ASSEN, "gm0106", {"ambitie-1-1": {"score": score}}, version=start)
            outcomes.append(("opgeslagen", score))
        except VersionConflict:
            outcomes.append(("conflict", score))

    threads = [threading.Thread(target=save, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    saved = [score for what, score in outcomes if what == "opgeslagen"]
    assert len(outcomes) == 4 and len(saved) == 1, outcomes
    concept = profiles.concept(ASSEN, "gm0106")
    assert concept.version == start + 1 and concept.answers["ambitie-1-1"].score == saved[0]


def test_metingen_keep_the_earlier_ones_and_show_progress(profiles):
    with pytest.raises(ProfileError, match="minstens één ambitie"):
        profiles.fix(ASSEN, "gm0106")
    profiles.save(ASSEN, "gm0106", {"ambitie-3-6": {"score": 1}, "ambitie-1-1": {"score": 2}})
    first = profiles.fix(ASSEN, "gm0106", dt.date(2025, 6, 1))
    with pytest.raises(ProfileError, match="toekomst"):
        profiles.fix(ASSEN, "gm0106", dt.date.today() + dt.timedelta(days=1))
    profiles.save(ASSEN, "gm0106", {"ambitie-3-6": {"score": 3}})
    second = profiles.fix(ASSEN, "gm0106", dt.date(2025, 12, 1))
    assert [m.id for m in profiles.measurements(ASSEN, "gm0106")] == [first.id, second.id]
    with profiles.sessions() as db:   # the audit log says who fixed a meting, never what was scored
        events = db.scalars(select(AuditEvent).where(AuditEvent.event == "profiel-meting")).all()
    assert [e.detail for e in events] == ["gm0106, meting van 2025-06-01", "gm0106, meting van 2025-12-01"]
    assert profiles.measurement(ASSEN, "gm0106", first.id)[0].scores["ambitie-3-6"].score == 1   # unchanged
    r = result(profiles, ASSEN, "gm0106", second.id)
    row = next(a for a in r["ambities"] if a["ambitie"] == "ambitie-3-6")
    assert (row["score"], row["vorige"], row["verschil"]) == (3, 1, 2)
    assert r["voortgang"]["hoger"] == 1 and r["vorigeMeting"]["datum"] == "2025-06-01"
    assert r["termijn"] == {"ondertekend": "2024-02-02", "uiterlijk": "2026-02-02", "jaren": 2}
    with pytest.raises(ProfileNotFound):
        result(profiles, EMMEN, "gm0106", second.id)
    with pytest.raises(ProfileNotFound):   # a meting of another organisation under this one's address
        profiles.measurement(ASSEN, "gm0106", second.id + 100)


def test_sharing_with_the_werkgroep_needs_both_sides(profiles):
    for who in (ASSEN, EMMEN):
        profiles.save(who, who.organisation, {"ambitie-1-1": {"score": 1}})
    assert profiles.collaborations("gm0106") == ["werkgroep-drentse-aanpak"]
    profiles.share(ASSEN, "gm0106", "werkgroep-drentse-aanpak")
    with pytest.raises(ProfileNotFound):   # Emmen did not share yet
        profiles.concept(EMMEN, "gm0106")
    with pytest.raises(ProfileNotFound):
        profiles.group(EMMEN, "werkgroep-drentse-aanpak")
    profiles.share(EMMEN, "gm0114", "werkgroep-drentse-aanpak")
    assert profiles.concept(EMMEN, "gm0106").answers["ambitie-1-1"].score == 1
    assert [o for o, _ in profiles.group(ASSEN, "werkgroep-drentse-aanpak")] == ["gm0106", "gm0114"]
    with pytest.raises(ProfileNotFound):   # reading is not editing
        profiles.save(EMMEN, "gm0106", {"ambitie-1-1": {"score": 3}})
    with pytest.raises(ProfileError, match="hoort niet bij"):   # Amsterdam is no member of the werkgroep
        profiles.share(account("gm0363", n=7), "gm0363", "werkgroep-drentse-aanpak")
    profiles.share(ASSEN, "gm0106", "werkgroep-drentse-aanpak", on=False)
    with pytest.raises(ProfileNotFound):
        profiles.concept(EMMEN, "gm0106")


def _measured(profiles, org: str, answers: dict, n: int = 10):
    who = account(org, n=n)
    profiles.save(who, org, answers, contact_role="Adviseur openbare orde en veiligheid")
    return profiles.fix(who, org, dt.date(2025, 9, 1))


def test_gaps_are_ranked_with_what_closes_them_and_opted_in_peers_nearest_first(profiles):
    mine = _measured(profiles, "gm0106", {"ambitie-3-6": {"score": 1}, "ambitie-3-2": {"score": 2},
                                          "ambitie-1-1": {"score": 3}})
    _measured(profiles, "gm0114", {"ambitie-3-6": {"score": 3, "peer": True}})          # same RIEC region
    _measured(profiles, "gm0363", {"ambitie-3-6": {"score": 3, "peer": True}}, 11)      # Amsterdam: elsewhere
    _measured(profiles, "gm0109", {"ambitie-3-6": {"score": 3, "peer": False}}, 12)     # did not opt in
    _measured(profiles, "gm0118", {"ambitie-3-6": {"score": 1, "peer": True}}, 13)      # not ahead
    r = result(profiles, ASSEN, "gm0106", mine.id)
    gaps = {g["ambitie"]: g for g in r["gaten"]}
    assert "ambitie-1-1" not in gaps   # at the top level
    order = [g["ambitie"] for g in r["gaten"]]
    assert order.index("ambitie-3-6") < order.index("ambitie-3-2")   # gap 2 before gap 1
    assert gaps["ambitie-1-2"]["nietIngevuld"] and order.index("ambitie-1-2") < order.index("ambitie-3-6")
    damocles = gaps["ambitie-3-6"]
    assert "damoclesbeleid" in {i["id"] for i in damocles["instrumenten"]}
    assert [p["organisatie"] for p in damocles["peers"]] == ["gm0114", "gm0363"]
    assert damocles["peers"][0]["nabijheid"] == "zelfde RIEC-regio"
    assert damocles["peers"][0]["contactfunctie"] == "Adviseur openbare orde en veiligheid"
    unlinked = [g for g in r["gaten"] if g["zonderKoppelingen"]]
    assert all(not (g["instrumenten"] or g["bestPractices"] or g["worstPractices"] or g["actoren"]) for g in unlinked)


def test_hidden_practices_do_not_appear_under_a_gap(profiles, kast):
    mine = _measured(profiles, "gm0106", {"ambitie-1-1": {"score": 0}})
    shown = {p["id"] for g in result(profiles, ASSEN, "gm0106", mine.id)["gaten"]
             for p in g["bestPractices"] + g["worstPractices"]}
    assert shown, "er hoort minstens één praktijk bij een gat te staan"
    hidden_one = sorted(shown)[0]
    again = {p["id"] for g in result(profiles, ASSEN, "gm0106", mine.id, {hidden_one})["gaten"]
             for p in g["bestPractices"] + g["worstPractices"]}
    assert hidden_one not in again


def test_the_waterbed_warning_needs_five_other_organisations_in_the_region(profiles):
    mine = _measured(profiles, "gm0106", {"ambitie-3-6": {"score": 1}, "ambitie-1-1": {"score": 3}})
    for n, org in enumerate(DRENTHE[:MIN_GROUP - 1]):
        _measured(profiles, org, {"ambitie-3-6": {"score": 3}, "ambitie-1-1": {"score": 1}}, 20 + n)
    _measured(profiles, "gm0363", {"ambitie-3-6": {"score": 3}}, 40)   # another region does not count
    few = result(profiles, ASSEN, "gm0106", mine.id)["waterbed"]
    assert few["genoeg"] is False and few["lager"] == [] and few["organisaties"] is None
    _measured(profiles, DRENTHE[MIN_GROUP - 1], {"ambitie-3-6": {"score": 2}, "ambitie-1-1": {"score": 1}}, 30)
    enough = result(profiles, ASSEN, "gm0106", mine.id)["waterbed"]
    assert enough["genoeg"] is True and enough["organisaties"] == MIN_GROUP
    assert [x["ambitie"] for x in enough["lager"]] == ["ambitie-3-6"]
    assert enough["lager"][0]["mediaan"] == 3
    table = {x["ambitie"]: x for x in enough["vergelijking"]}
    assert table["ambitie-1-2"]["mediaan"] is None   # nobody else answered: no aggregate of fewer than five
