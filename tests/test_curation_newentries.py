"""New actors, instruments and concepts through the curation, and the relations of an actor, on a temporary
content repository: the same workflow as an edit (propose, validate, privacy guard, four eyes, publish),
and the new entry appended to its list file with only new lines."""
import pytest

from kast.curation import NotAllowed, NotFound, Rejected, listentry
from kast.curation.diff import changes
from kast.loader import load

from .curation_support import ANDER_LID, LID, REDACTEUR, REDACTEUR2, content, cur  # noqa: F401

NEW_ACTOR = {
    "naam": "Regionaal Platform Vakantieparken Drenthe",
    "andere-namen": ["RPVD"],
    "soort": "netwerk-of-programma",
    "niveau": "regionaal",
    "beschrijving": "Samenwerking van Drentse partners rond de aanpak van ondermijning op vakantieparken, "
                    "zoals de Drentse aanpak die beschrijft voor de verblijfsrecreatie in de provincie.",
    "relaties": [{"soort": "werkt-samen-met", "doel": "riec-noord-nederland",
                  "bronnen": [{"bron": "003", "sectie": "3.1"}]},
                 {"soort": "neemt-deel-aan", "doel": "drentse-aanpak-ondermijning",
                  "bronnen": [{"bron": "003", "sectie": "0"}]}],
    "bronnen": [{"bron": "003", "sectie": "3.1"}],
}


def _publish(cur, pid, proposer=LID, reviewer=REDACTEUR):
    cur.submit(proposer, pid)
    return cur.publish(reviewer, pid, "Akkoord")


def test_lid_proposes_a_new_actor_a_redacteur_publishes_it_appended_with_only_new_lines(cur, content):
    path = content.path / "actors" / "drenthe.yaml"
    before = path.read_bytes()
    result = cur.propose(LID, dict(NEW_ACTOR), kind="actor", file="drenthe.yaml")
    p = result.proposal
    assert p.new and p.kind == "actor" and p.path == "actors/drenthe.yaml"
    assert p.entry_id == "regionaal-platform-vakantieparken-drenthe", "the id comes from the name"
    assert result.messages == [], [str(m) for m in result.messages]
    assert path.read_bytes() == before, "a draft never touches what is published"
    assert cur.published(p.entry_id, kind="actor") is None
    with pytest.raises(NotFound):   # another member does not learn of it
        cur.draft(ANDER_LID, p.id)
    cur.submit(LID, p.id)
    with pytest.raises(NotAllowed):
        cur.publish(LID, p.id)
    event = cur.publish(REDACTEUR, p.id)
    assert event.paths == ["actors/drenthe.yaml"] and event.entry_id == p.entry_id
    after = path.read_bytes()
    assert after.startswith(before), "every existing line (comments, other entries) stays byte for byte"
    added = after[len(before):].decode()
    assert added.startswith("\n- id: regionaal-platform-vakantieparken-drenthe\n  naam: Regionaal Platform")
    assert '    - {bron: "003", sectie: "3.1"}' in added and "  andere-namen: [RPVD]" in added
    entry = listentry.entries(after)[p.entry_id]
    assert entry["relaties"] == NEW_ACTOR["relaties"] and entry["beschrijving"] == NEW_ACTOR["beschrijving"]
    kast = load(content.path)
    assert kast.ok, [str(m) for m in kast.errors]
    assert kast.items[p.entry_id].kind == "actor"
    history = cur.history(p.entry_id, kind="actor")
    assert [h["actie"] for h in history] == ["gepubliceerd"]
    feed = cur.recent_changes(5)
    assert feed[0]["item"] == p.entry_id and feed[0]["soort"] == "nieuw" and feed[0]["collectie"] == "actoren"


def test_the_default_file_an_instrument_and_a_concept_with_its_broader_concept(cur, content):
    made = cur.propose(REDACTEUR, {"naam": "Meldpunt vakantieparken", "soort": "meldvoorziening",
                                   "beschrijving": "Een meldpunt voor signalen over vakantieparken.",
                                   "themas": ["deelaspect-georganiseerde-criminaliteit"],
                                   "bronnen": [{"bron": "003", "sectie": "3.1"}]}, kind="instrument")
    assert made.proposal.path == "instruments/landelijk.yaml", "without a choice: the default file of the kind"
    _publish(cur, made.proposal.id, REDACTEUR, REDACTEUR2)
    scheme = content.path / "themes" / "deelaspecten.yaml"
    before = scheme.read_bytes()
    concept = cur.propose(LID, {"naam": "Ondermijning op vakantieparken", "breder": "deelaspect-georganiseerde-criminaliteit",
                                "beschrijving": "Criminaliteit die zich op vakantieparken vestigt.",
                                "bronnen": [{"bron": "003", "sectie": "3.1"}]}, kind="thema", file="deelaspecten")
    assert concept.proposal.path == "themes/deelaspecten.yaml" and concept.messages == []
    _publish(cur, concept.proposal.id)
    after = scheme.read_bytes()
    assert after.startswith(before)
    assert "\n  - id: ondermijning-op-vakantieparken\n    naam: Ondermijning op vakantieparken\n" in after.decode()
    kast = load(content.path)
    assert kast.ok, [str(m) for m in kast.errors]
    assert kast.items["ondermijning-op-vakantieparken"].kind == "thema"
    assert kast.items["meldpunt-vakantieparken"].kind == "instrument"


def test_refusals_name_the_field_in_dutch(cur):
    with pytest.raises(Rejected) as exc:
        cur.propose(LID, dict(NEW_ACTOR, naam="Wet Bibob"), kind="actor")
    assert exc.value.messages[0]["veld"] == "id" and "bestaat al" in str(exc.value)
    with pytest.raises(Rejected) as exc:
        cur.propose(LID, dict(NEW_ACTOR, naam=""), kind="actor")
    assert exc.value.messages[0]["veld"] == "naam"
    with pytest.raises(Rejected) as exc:
        cur.propose(LID, dict(NEW_ACTOR), kind="actor", file="../../etc/passwd")
    assert exc.value.messages[0]["veld"] == "bestand" and "kies uit" in str(exc.value)
    with pytest.raises(Rejected) as exc:   # a concept has no default scheme
        cur.propose(LID, {"naam": "Nieuw begrip"}, kind="thema")
    assert exc.value.messages[0]["veld"] == "bestand"
    with pytest.raises(Rejected):   # a theme does not go into a scheme of ambitions
        cur.propose(LID, {"naam": "Nieuw thema"}, kind="thema", file="drentse-ambities.yaml")
    with pytest.raises(Rejected) as exc:
        cur.propose(LID, dict(NEW_ACTOR, id="Geen Geldig Id"), kind="actor")
    assert exc.value.messages[0]["veld"] == "id"
    with pytest.raises(Rejected) as exc:   # "new" with the id of an existing entry is no change proposal
        cur.propose(LID, {"id": "wet-bibob", "naam": "Wet Bibob"}, kind="instrument", create=True)
    assert exc.value.messages[0]["veld"] == "id" and cur.proposals() == []


def test_validation_and_privacy_of_a_new_actor_and_its_relations(cur):
    bad = dict(NEW_ACTOR, naam="Platform A", relaties=[{"soort": "kent", "doel": "vng", "bronnen": [{"bron": "003", "sectie": "0"}]},
                                                        {"soort": "werkt-samen-met", "doel": "bestaat-niet"},
                                                        {"soort": "ondersteunt", "doel": "vng"}])
    result = cur.propose(LID, bad, kind="actor", file="drenthe.yaml")
    texts = [m.text for m in result.messages if m.field == "relaties"]
    assert any("onbekende relatiesoort 'kent'" in t for t in texts)
    assert any("bestaat-niet" in t for t in texts)
    assert any("heeft geen bronvermelding" in t for t in texts)
    with pytest.raises(Rejected):
        cur.submit(LID, result.proposal.id)
    quoted = dict(NEW_ACTOR, naam="Platform B", relaties=[{"soort": "werkt-samen-met", "doel": "vng", "bronnen": [
        {"bron": "003", "sectie": "0", "citaat": "overleg met Henk Jansen van de gemeente"}]}])
    found = cur.propose(LID, quoted, kind="actor", file="drenthe.yaml")
    assert [f.field for f in found.findings if f.kind == "naam"] == ["relaties"], "a relation's quote is checked too"
    cur.submit(LID, found.proposal.id)
    with pytest.raises(Rejected):
        cur.publish(REDACTEUR, found.proposal.id)
    with pytest.raises(Rejected):   # an e-mail address in a relation's quote is not even stored
        cur.propose(LID, dict(quoted, naam="Platform C", relaties=[{"soort": "werkt-samen-met", "doel": "vng", "bronnen": [
            {"bron": "003", "sectie": "0", "citaat": "mail info@platform.example"}]}]), kind="actor", file="drenthe.yaml")


def test_the_same_new_id_published_twice_is_refused_the_second_time(cur, content):
    first = cur.propose(LID, dict(NEW_ACTOR), kind="actor", file="drenthe.yaml")
    second = cur.propose(ANDER_LID, dict(NEW_ACTOR, beschrijving="Iets anders."), kind="actor", file="landelijk.yaml")
    assert first.proposal.entry_id == second.proposal.entry_id
    _publish(cur, first.proposal.id)
    cur.submit(ANDER_LID, second.proposal.id)
    with pytest.raises(Rejected) as exc:
        cur.publish(REDACTEUR, second.proposal.id)
    assert "bestaat intussen al" in str(exc.value)
    kast = load(content.path)
    assert kast.ok and listentry.entries((content.path / "actors" / "landelijk.yaml").read_bytes()).get(
        first.proposal.entry_id) is None


def test_relations_of_an_actor_are_edited_and_the_history_shows_them_readably(cur):
    actor = "taskforce-brabant-zeeland"
    fields, version = cur.published(actor, kind="actor")
    relations = [r for r in fields["relaties"] if r["doel"] != "ministerie-jenv"]
    relations.append({"soort": "werkt-samen-met", "doel": "riec-limburg", "bronnen": [{"bron": "001", "sectie": "2.4.1"}]})
    result = cur.propose(LID, dict(fields, relaties=relations), actor, version, kind="actor")
    assert result.messages == [], [str(m) for m in result.messages]
    _publish(cur, result.proposal.id)
    assert cur.published(actor, kind="actor")[0]["relaties"] == relations
    change = next(c for c in cur.history(actor, kind="actor")[0]["wijzigingen"] if c["veld"] == "relaties")
    assert change["toegevoegd"] == ["werkt-samen-met → riec-limburg (bron: 001 §2.4.1)"]
    assert change["verwijderd"] == ["werkt-samen-met → ministerie-jenv (bron: 001 §2.4.1)"]
    assert change["samenvatting"].startswith("relaties: +werkt-samen-met → riec-limburg")


def test_a_changed_citation_of_a_relation_is_one_line_out_one_in():
    old = {"relaties": [{"soort": "ondersteunt", "doel": "vng", "bronnen": [{"bron": "000", "sectie": "5"}]}]}
    new = {"relaties": [{"soort": "ondersteunt", "doel": "vng", "bronnen": [{"bron": "000", "sectie": "5.1"}]}]}
    (change,) = changes(old, new)
    assert change.added == ["ondersteunt → vng (bron: 000 §5.1)"] and change.removed == ["ondersteunt → vng (bron: 000 §5)"]


def test_a_revert_to_a_version_without_relations_removes_the_ones_added_since(cur):
    fields, version = cur.published("ccv", kind="actor")
    assert not fields.get("relaties")
    added = [{"soort": "ondersteunt", "doel": "vng", "bronnen": [{"bron": "001", "sectie": "5"}]}]
    _publish(cur, cur.propose(LID, dict(fields, relaties=added), "ccv", version, kind="actor").proposal.id)
    assert cur.published("ccv", kind="actor")[0]["relaties"] == added
    before = cur.history("ccv", kind="actor")[1]["versie"]
    reverted = cur.revert(REDACTEUR, "ccv", before, "Relatie stond niet in de bron", kind="actor")
    _publish(cur, reverted.proposal.id, REDACTEUR, REDACTEUR2)
    assert not cur.published("ccv", kind="actor")[0].get("relaties")


def test_append_adds_only_lines_also_without_a_final_newline_and_before_a_later_block():
    plain = b"# Actoren\n- id: a\n  naam: A  # opmerking\n\n# slot"
    out = listentry.append(plain, {"id": "b", "naam": "B", "andere-namen": ["Bee"]})
    assert out.startswith(plain) and out.endswith(b"\n\n- id: b\n  naam: B\n  andere-namen: [Bee]\n")
    assert list(listentry.entries(out)) == ["a", "b"]
    scheme = (b"schema:\n  id: s\n  naam: S\nbegrippen:\n  - id: c1\n    naam: C1\n\n"
              b"# hierna een ander blok\nnoten: [x]\n")
    out = listentry.append(scheme, {"id": "c2", "naam": "C2", "breder": "c1"}, scheme=True)
    text = out.decode()
    assert text == ("schema:\n  id: s\n  naam: S\nbegrippen:\n  - id: c1\n    naam: C1\n\n"
                    "  - id: c2\n    naam: C2\n    breder: c1\n\n# hierna een ander blok\nnoten: [x]\n")
    assert list(listentry.entries(out, scheme=True)) == ["c1", "c2"]
    with pytest.raises(listentry.ListFormatError):
        listentry.append(out, {"id": "c2", "naam": "Nog eens"}, scheme=True)
    with pytest.raises(listentry.ListFormatError):
        listentry.append(b"schema:\n  id: s\nbegrippen: []\n", {"id": "c", "naam": "C"}, scheme=True)
