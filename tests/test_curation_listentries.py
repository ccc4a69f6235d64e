"""Curation of entries in list files (actors, instruments, concepts of a theme scheme) on a temporary
content repository: one workflow with the practices, the rest of the file untouched."""
import pytest

from kast.curation import Conflict, NotAllowed, NotFound, Rejected
from kast.curation import listentry
from kast.loader import load

from .curation_support import ANDER_LID, LID, REDACTEUR, REDACTEUR2, content, cur  # noqa: F401

ACTORS = "actors/bzk-jenv-2015.yaml"
MAIN, OTHER = "taskforce-brabant-zeeland", "ministerie-szw"   # both in ACTORS
NEW_TEXT = ("Regionaal samenwerkingsverband van Noord-Brabant en Zeeland tegen georganiseerde, ondermijnende "
            "criminaliteit, dat naast de RIEC's het lokaal bestuur in die regio ondersteunt.")


def _publish(cur, pid, proposer=LID, reviewer=REDACTEUR):
    cur.submit(proposer, pid)
    return cur.publish(reviewer, pid, "Akkoord")


def test_lid_changes_an_actor_only_that_entry_changes_and_it_loads(cur, content):
    before = (content.path / ACTORS).read_bytes()
    fields, version = cur.published(MAIN, LID, "actor")
    assert fields["naam"] == "Taskforce Brabant-Zeeland" and len(version) == 40
    result = cur.propose(LID, dict(fields, beschrijving=NEW_TEXT), MAIN, version, kind="actor")
    p = result.proposal
    assert p.kind == "actor" and p.path == ACTORS and not p.new and result.messages == []
    assert (content.path / ACTORS).read_bytes() == before, "a draft never touches what is published"
    with pytest.raises(NotAllowed):
        _publish(cur, p.id, reviewer=LID)   # four eyes: the proposer does not publish
    event = cur.publish(REDACTEUR, p.id)
    assert event.paths == [ACTORS]
    after = (content.path / ACTORS).read_bytes()
    old_lines, new_lines = before.decode().splitlines(), after.decode().splitlines()
    # the comment on top, every other entry and every other key of this one are byte for byte the same
    assert new_lines[0].startswith("# Actoren")
    start, end = old_lines.index(f"- id: {MAIN}"), old_lines.index(f"- id: {OTHER}")
    text_at = old_lines.index("  beschrijving: >-", start)
    assert old_lines[:text_at + 1] == new_lines[:text_at + 1]     # up to and including 'beschrijving: >-'
    old_rel, new_rel = old_lines.index("  relaties:", start), new_lines.index("  relaties:", start)
    assert old_lines[old_rel:] == new_lines[new_rel:], "from its relations onwards nothing changed"
    assert listentry.entries(after)[MAIN]["beschrijving"] == NEW_TEXT
    folded = new_lines[text_at + 1:new_rel]
    assert len(folded) == 2 and max(map(len, folded)) <= 100, "a long text is folded like the others"
    kast = load(content.path)
    assert kast.ok, [str(m) for m in kast.errors]
    assert cur.published(MAIN, kind="actor")[0]["beschrijving"] == NEW_TEXT


def test_an_edit_of_another_actor_in_the_same_file_is_no_conflict(cur):
    main, main_version = cur.published(MAIN, kind="actor")
    other, _ = cur.published(OTHER, kind="actor")
    other = cur.propose(REDACTEUR, dict(other, focus="Samenwerking in Zuid-Nederland."),
                        OTHER, kind="actor")
    _publish(cur, other.proposal.id, REDACTEUR, REDACTEUR2)
    assert cur.published(MAIN, kind="actor")[1] == main_version, "the version is the entry's, not the file's"
    mine = cur.propose(LID, dict(main, beschrijving=NEW_TEXT), MAIN, main_version, kind="actor")
    assert mine.merged_fields == []
    _publish(cur, mine.proposal.id)
    assert cur.published(OTHER, kind="actor")[0]["focus"] == "Samenwerking in Zuid-Nederland."
    assert cur.published(MAIN, kind="actor")[0]["beschrijving"] == NEW_TEXT


def test_same_entry_other_field_merges_same_field_conflicts(cur):
    fields, version = cur.published(MAIN, kind="actor")
    first = cur.propose(REDACTEUR, dict(fields, focus="Integriteit van politieke ambtsdragers."), MAIN, version,
                        kind="actor")
    _publish(cur, first.proposal.id, REDACTEUR, REDACTEUR2)
    merged = cur.propose(LID, dict(fields, beschrijving=NEW_TEXT), MAIN, version, kind="actor")
    assert merged.merged_fields == ["focus"]
    draft = cur.draft(LID, merged.proposal.id)
    assert draft.fields["focus"] == "Integriteit van politieke ambtsdragers." and draft.fields["beschrijving"] == NEW_TEXT
    with pytest.raises(Conflict) as exc:
        cur.propose(ANDER_LID, dict(fields, focus="Iets anders."), MAIN, version, kind="actor")
    assert list(exc.value.fields) == ["focus"]
    assert exc.value.current_version == cur.published(MAIN, kind="actor")[1]


def test_a_published_change_in_between_is_merged_into_the_list_file_at_publication(cur, content):
    fields, version = cur.published(MAIN, kind="actor")
    mine = cur.propose(LID, dict(fields, beschrijving=NEW_TEXT), MAIN, version, kind="actor")
    other, tf_version = cur.published(OTHER, kind="actor")
    other = cur.propose(REDACTEUR, dict(other, focus="Zuid-Nederland."), OTHER,
                        tf_version, kind="actor")
    _publish(cur, other.proposal.id, REDACTEUR, REDACTEUR2)
    _publish(cur, mine.proposal.id)
    entries = listentry.entries((content.path / ACTORS).read_bytes())
    assert entries[MAIN]["beschrijving"] == NEW_TEXT and entries[OTHER]["focus"] == "Zuid-Nederland."


def test_validation_uses_the_loaders_rules_for_the_kind(cur):
    fields, version = cur.published(MAIN, kind="actor")
    result = cur.propose(LID, dict(fields, soort="onzin"), MAIN, version, kind="actor")
    assert any(m.field == "soort" and "onbekende waarde" in m.text for m in result.messages)
    with pytest.raises(Rejected):
        cur.submit(LID, result.proposal.id)
    concept, cversion = cur.published("deelaspect-georganiseerde-criminaliteit", kind="thema")
    result = cur.propose(LID, dict(concept, breder="bestaat-niet"), concept["id"], cversion, kind="thema")
    assert any(m.field == "breder" for m in result.messages)
    assert result.proposal.path == "themes/deelaspecten.yaml"


def test_privacy_guard_names_in_free_text_not_in_the_organisation_name(cur):
    fields, version = cur.published(MAIN, kind="actor")
    # the name of an organisation is no person, however it reads
    ok = cur.propose(LID, dict(fields, naam="Bureau Jansen Integriteit"), MAIN, version, kind="actor")
    assert not [f for f in ok.findings if f.kind == "naam"]
    found = cur.propose(LID, dict(fields, beschrijving="Het steunpunt wordt geleid door Henk Jansen."), MAIN,
                        version, kind="actor")
    assert [f.field for f in found.findings if f.kind == "naam"] == ["beschrijving"]
    cur.submit(LID, found.proposal.id)
    with pytest.raises(Rejected):
        cur.publish(REDACTEUR, found.proposal.id)
    with pytest.raises(Rejected):   # an e-mail address blocks saving, also in a label
        cur.propose(LID, dict(fields, **{"andere-namen": ["info@main.example"]}), MAIN, version, kind="actor")


def test_relations_left_out_are_kept_and_sent_empty_are_removed(cur):
    fields, version = cur.published(MAIN, kind="actor")
    assert fields["relaties"]
    without = {k: v for k, v in fields.items() if k != "relaties"}
    result = cur.propose(LID, dict(without, focus="Zuid-Nederland."), fields["id"], version, kind="actor")
    assert cur.draft(LID, result.proposal.id).fields["relaties"] == fields["relaties"]
    emptied = cur.save(LID, result.proposal.id, dict(without, relaties=[]), result.version)
    assert "relaties" not in cur.draft(LID, result.proposal.id).fields and emptied.saved
    with pytest.raises(NotFound):   # a practice is created, never changed, from an unknown id of another kind
        cur.propose(LID, {"naam": "Nieuw"}, "bestaat-niet", "0" * 40, kind="actor")


def test_history_per_entry_with_diff_version_and_revert(cur):
    fields, version = cur.published(MAIN, kind="actor")
    old_text = fields["beschrijving"]
    _publish(cur, cur.propose(LID, dict(fields, beschrijving=NEW_TEXT), MAIN, version, kind="actor").proposal.id)
    other, _ = cur.published(OTHER, kind="actor")
    _publish(cur, cur.propose(REDACTEUR, dict(other, focus="Zuid."), other["id"], kind="actor").proposal.id,
             REDACTEUR, REDACTEUR2)
    history = cur.history(MAIN, kind="actor")
    assert [h["actie"] for h in history] == ["gepubliceerd", "begin"], "the other actor's change is not in it"
    assert history[0]["door"]["naam"] == "Redacteur VNG"
    change = history[0]["wijzigingen"][0]
    assert change["veld"] == "beschrijving" and any(p["soort"] == "bij" for p in change["stukken"])
    assert cur.version_at(MAIN, history[1]["versie"], kind="actor")["beschrijving"] == old_text
    reverted = cur.revert(REDACTEUR, MAIN, history[1]["versie"], "Terug naar de bron", kind="actor")
    assert reverted.proposal.kind == "actor"
    _publish(cur, reverted.proposal.id, REDACTEUR, REDACTEUR2)
    assert cur.published(MAIN, kind="actor")[0]["beschrijving"] == old_text
    feed = cur.recent_changes(10)
    assert feed[0]["item"] == MAIN and feed[0]["collectie"] == "actoren"
    assert any(i["item"] == OTHER for i in feed)


def test_concept_and_instrument_changes_keep_the_scheme_and_the_other_entries(cur, content):
    path = content.path / "themes" / "deelaspecten.yaml"
    before = path.read_bytes()
    concept, version = cur.published("deelaspect-georganiseerde-criminaliteit", kind="thema")
    result = cur.propose(LID, dict(concept, zoektermen=concept["zoektermen"] + ["drugscriminaliteit"]),
                         concept["id"], version, kind="thema")
    _publish(cur, result.proposal.id)
    after = path.read_bytes().decode()
    assert after.startswith(before.decode().split("begrippen:")[0]), "the scheme block is untouched"
    assert "drugscriminaliteit" in after and len(after.splitlines()) == len(before.decode().splitlines()) + 1
    instrument, iversion = cur.published("wet-bibob", kind="instrument")
    result = cur.propose(LID, dict(instrument, **{"wettelijke-basis": "Wet Bibob (1 juni 2003)."}), "wet-bibob",
                         iversion, kind="instrument")
    _publish(cur, result.proposal.id)
    kast = load(content.path)
    assert kast.ok, [str(m) for m in kast.errors]


@pytest.mark.parametrize("folder, scheme", [("actors", False), ("instruments", False), ("themes", True)])
def test_every_list_file_of_the_kast_is_written_back_byte_for_byte(folder, scheme):
    """Replacing an entry by itself changes nothing: comments, quoting, flow lists and folded texts stay."""
    from kast import config

    for file in sorted((config.DEFAULT_DATA / folder).glob("*.yaml")):
        text = file.read_bytes()
        entries = listentry.entries(text, scheme)
        ids = list(entries)
        for entry_id in dict.fromkeys([ids[0], ids[len(ids) // 2], ids[-1]]):   # the edges of the file and between
            assert listentry.replace(text, entry_id, entries[entry_id], scheme) == text, f"{file.name} [{entry_id}]"
