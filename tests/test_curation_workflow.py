"""The curation workflow on a temporary content repository: roles, four eyes, statuses, versions and
merges, privacy, history and the feed."""
import subprocess

import pytest

from kast.curation import Conflict, InvalidState, NotAllowed, NotFound, Rejected, atom
from kast.curation import PUBLISH_HOOKS
from kast.curation.entry import parse
from kast.loader import load
from kast.visibility import ANONYMOUS, hidden

from .curation_support import ANDER_LID, LID, REDACTEUR, REDACTEUR2, content, cur, new_practice  # noqa: F401


def _submitted(cur, editor=LID, **overrides):
    result = cur.propose(editor, new_practice(**overrides))
    cur.submit(editor, result.proposal.id)
    return result.proposal.id


def git(content, *args) -> str:
    return subprocess.run(["git", *args], cwd=content.path, capture_output=True, text=True, check=True).stdout


def test_lid_proposes_redacteur_sends_back_lid_fixes_second_redacteur_publishes(cur, content):
    work_tree = content.path / "practices" / "bibob-toets-bij-vakantieparken-in-assen.md"
    result = cur.propose(LID, new_practice())
    pid = result.proposal.id
    assert result.messages == [] and result.proposal.status == "concept"
    assert not work_tree.exists(), "a draft never touches what is published"
    draft = cur.draft(LID, pid)
    assert "gm0106" in draft.fields["actoren"] and draft.proposal.organisation == "gm0106"

    cur.submit(LID, pid)
    queue = cur.review_queue(REDACTEUR)
    assert [q["id"] for q in queue] == [pid]
    assert queue[0]["indiener"]["naam"] == "Beleidsadviseur Assen" and queue[0]["ingediend"]
    cur.send_back(REDACTEUR, pid, "Noem de bron van het resultaat.")
    work = cur.my_work(LID)
    assert [p["id"] for p in work["teruggestuurd"]] == [pid]
    assert work["teruggestuurd"][0]["laatste"]["toelichting"] == "Noem de bron van het resultaat."

    draft = cur.draft(LID, pid)
    cur.save(LID, pid, dict(draft.fields, resultaat="Twee aanvragen zijn ingetrokken (bron 003, 4.3)."), draft.version)
    cur.submit(LID, pid)
    # REDACTEUR sent it back but wrote no content, so may publish; the proposer may not
    with pytest.raises(NotAllowed):
        cur.publish(LID, pid)
    events = []
    PUBLISH_HOOKS.append(events.append)
    try:
        event = cur.publish(REDACTEUR2, pid, "Akkoord")
    finally:
        PUBLISH_HOOKS.remove(events.append)
    assert events == [event] and event.paths == ["practices/bibob-toets-bij-vakantieparken-in-assen.md"]
    published = parse(work_tree.read_bytes())
    assert published["status"] == "gepubliceerd" and published["resultaat"].startswith("Twee aanvragen")
    kast = load(content.path)
    assert kast.ok, [str(m) for m in kast.errors]
    assert "bibob-toets-bij-vakantieparken-in-assen" in kast.items
    assert "bibob-toets-bij-vakantieparken-in-assen" not in hidden(kast, ANONYMOUS)
    assert cur.my_work(LID)["afgerond"][0]["status"] == "gepubliceerd"
    # the published branch has one commit for it, by the redacteur, on behalf of the proposer
    log = git(content, "log", "--format=%an <%ae>|%s", "gepubliceerd")
    assert log.splitlines()[0] == "Tweede redacteur VNG <account-3@apothekerskast.invalid>|Nieuwe praktijk: " \
                                  "Bibob-toets bij vakantieparken in Assen"
    content.refresh_index()
    assert git(content, "status", "--porcelain") == ""   # the work tree is exactly the published branch
    assert "apothekerskast.invalid" in git(content, "log", "--all", "--format=%ae") and "@" not in "".join(
        line.split("@")[1] for line in git(content, "log", "--all", "--format=%ae").split() if "invalid" not in line)


def test_four_eyes_a_redacteur_who_changed_a_proposal_cannot_publish_it(cur):
    pid = _submitted(cur)
    draft = cur.draft(REDACTEUR, pid)
    cur.save(REDACTEUR, pid, dict(draft.fields, titel="Bibob-toets bij recreatieparken in Assen"), draft.version)
    with pytest.raises(NotAllowed, match="vier ogen"):
        cur.publish(REDACTEUR, pid)
    assert cur.review_queue(REDACTEUR)[0]["mag-goedkeuren"] is False
    cur.publish(REDACTEUR2, pid)


def test_a_redacteur_cannot_publish_their_own_proposal(cur):
    pid = _submitted(cur, REDACTEUR)
    with pytest.raises(NotAllowed):
        cur.publish(REDACTEUR, pid)


def test_members_cannot_see_or_edit_each_others_proposals_or_review(cur):
    pid = cur.propose(LID, new_practice()).proposal.id
    with pytest.raises(NotFound):
        cur.draft(ANDER_LID, pid)
    with pytest.raises(NotFound):
        cur.save(ANDER_LID, pid, new_practice(), "0" * 40)
    with pytest.raises(NotAllowed):
        cur.review_queue(LID)
    with pytest.raises(NotAllowed):
        cur.send_back(LID, pid, "nee")
    with pytest.raises(InvalidState):
        cur.publish(REDACTEUR, pid)   # still a concept


def test_hidden_entries_cannot_be_changed_by_a_member(cur):
    # a practice only for curators answers 404 to a member, as on the site
    hidden_id = "bibob-toets-bij-vakantieparken-in-assen"
    cur.publish(REDACTEUR2, _submitted(cur, REDACTEUR, zichtbaarheid="curatoren"))
    assert cur.published(hidden_id) is not None and cur.published(hidden_id, LID) is None
    with pytest.raises(NotFound):
        cur.propose(LID, {"titel": "x"}, hidden_id, cur.published(hidden_id)[1])
    with pytest.raises(NotFound):
        cur.history(hidden_id, LID)
    with pytest.raises(NotFound):
        cur.history(hidden_id)   # an anonymous visitor
    with pytest.raises(NotFound):
        cur.version_at(hidden_id, cur.published_version())
    assert cur.history(hidden_id, REDACTEUR)[0]["actie"] == "gepubliceerd"


def test_submit_needs_a_valid_entry_with_messages_per_field(cur):
    result = cur.propose(LID, new_practice(actoren=["bestaat-niet"], probleem="", periode={"van": "ooit"}))
    fields = {m.field for m in result.messages}
    assert {"actoren", "probleem", "periode.van"} <= fields
    with pytest.raises(Rejected) as exc:
        cur.submit(LID, result.proposal.id)
    assert {m["veld"] for m in exc.value.messages} >= {"actoren", "probleem", "periode.van"}


def test_saving_onto_a_newer_version_merges_different_fields_and_says_so(cur):
    pid = cur.propose(LID, new_practice()).proposal.id
    start = cur.draft(LID, pid)
    cur.save(REDACTEUR, pid, dict(start.fields, titel="Titel van de redacteur"), start.version)
    result = cur.save(LID, pid, dict(start.fields, samenvatting="Samenvatting van het lid over Assen."),
                      start.version)
    assert result.merged_fields == ["titel"] and "samengevoegd" in result.note
    now = cur.draft(LID, pid).fields
    assert now["titel"] == "Titel van de redacteur"
    assert now["samenvatting"] == "Samenvatting van het lid over Assen."


def test_saving_the_same_field_onto_a_newer_version_is_a_conflict_and_overwrites_nothing(cur):
    pid = cur.propose(LID, new_practice()).proposal.id
    start = cur.draft(LID, pid)
    cur.save(REDACTEUR, pid, dict(start.fields, titel="Titel van de redacteur"), start.version)
    before = cur.draft(LID, pid)
    with pytest.raises(Conflict) as exc:
        cur.save(LID, pid, dict(start.fields, titel="Titel van het lid"), start.version)
    assert exc.value.fields == {"titel": {"basis": start.fields["titel"], "mijn": "Titel van het lid",
                                          "huidig": "Titel van de redacteur"}}
    assert exc.value.current_version == before.version
    assert cur.draft(LID, pid).version == before.version
    # with the current version the editor's choice is saved
    cur.save(LID, pid, dict(before.fields, titel="Titel van het lid"), before.version)
    assert cur.draft(LID, pid).fields["titel"] == "Titel van het lid"


def test_lists_of_ids_merge_both_sides(cur):
    pid = cur.propose(LID, new_practice()).proposal.id
    start = cur.draft(LID, pid)
    cur.save(REDACTEUR, pid, dict(start.fields, instrumenten=["wet-bibob", "damoclesbeleid"]), start.version)
    cur.save(LID, pid, dict(start.fields, instrumenten=["wet-bibob", "barrieremodel"]), start.version)
    assert set(cur.draft(LID, pid).fields["instrumenten"]) == {"wet-bibob", "damoclesbeleid", "barrieremodel"}


def test_changes_to_a_published_entry_merge_at_publication_or_conflict(cur):
    entry_id = "actueel-damoclesbeleid"
    fields, version = cur.published(entry_id)
    a = cur.propose(LID, dict(fields, titel="Damoclesbeleid actueel houden"), entry_id, version).proposal.id
    b = cur.propose(ANDER_LID, dict(fields, samenvatting="Alle gemeenten houden hun Damoclesbeleid actueel."),
                    entry_id, version).proposal.id
    c = cur.propose(ANDER_LID, dict(fields, titel="Een andere titel"), entry_id, version).proposal.id
    for pid, editor in ((a, LID), (b, ANDER_LID), (c, ANDER_LID)):
        cur.submit(editor, pid)
    cur.publish(REDACTEUR, a)
    event = cur.publish(REDACTEUR, b)
    assert event.merged_fields == ["titel"]
    now, _ = cur.published(entry_id)
    assert now["titel"] == "Damoclesbeleid actueel houden"     # a's change was not reverted by b
    assert now["samenvatting"].startswith("Alle gemeenten")
    with pytest.raises(Conflict) as exc:
        cur.publish(REDACTEUR, c)
    assert set(exc.value.fields) == {"titel"}
    assert cur.published(entry_id)[0]["titel"] == "Damoclesbeleid actueel houden"
    # the proposer settles it by choosing per field, then it can be published
    cur.update_from_published(ANDER_LID, c, {"titel": "mijn"})
    cur.publish(REDACTEUR, c)
    assert cur.published(entry_id)[0]["titel"] == "Een andere titel"


def test_blocking_personal_data_is_never_stored(cur, content):
    refs_before = git(content, "for-each-ref")
    with pytest.raises(Rejected) as exc:
        cur.propose(LID, new_practice(samenvatting="Bel de coördinator op 06-12345678 of mail jan@assen.nl."))
    kinds = {m["soort"] for m in exc.value.messages}
    assert kinds == {"telefoonnummer", "e-mailadres"}
    assert "12345678" not in str(exc.value.messages) and "jan@" not in str(exc.value.messages)
    with pytest.raises(Rejected):
        cur.propose(LID, new_practice(probleem="Het BSN 111222333 van de eigenaar stond in het dossier."))
    assert git(content, "for-each-ref") == refs_before


def test_names_block_publication_until_removed_or_marked_with_a_reason(cur, content):
    pid = _submitted(cur, aanpak="Wethouder Jan Bakker sprak de exploitanten van de parken in Assen aan.")
    draft = cur.draft(REDACTEUR, pid)
    assert [(f.field, f.kind) for f in draft.findings] == [("aanpak", "naam")]
    with pytest.raises(Rejected, match="persoonsgegevens"):
        cur.publish(REDACTEUR, pid)
    with pytest.raises(NotAllowed):
        cur.mark_not_personal(LID, pid, draft.findings[0].fingerprint, "is een functie")
    cur.mark_not_personal(REDACTEUR, pid, draft.findings[0].fingerprint, "fictieve naam uit een oefening")
    assert cur.draft(REDACTEUR, pid).findings == []
    assert cur.draft(REDACTEUR, pid).marked == {draft.findings[0].fingerprint: "fictieve naam uit een oefening"}
    cur.publish(REDACTEUR2, pid)


def test_a_name_removed_from_a_draft_never_reaches_the_published_history(cur, content):
    result = cur.propose(LID, new_practice(aanpak="Wethouder Jan Bakker sprak de exploitanten aan."))
    pid = result.proposal.id
    assert [f.kind for f in result.findings] == ["naam"]
    draft = cur.draft(LID, pid)
    cur.save(LID, pid, dict(draft.fields, aanpak="De wethouder sprak de exploitanten aan."), draft.version)
    cur.submit(LID, pid)
    cur.publish(REDACTEUR, pid)
    published_history = git(content, "log", "-p", "gepubliceerd")
    assert "Bakker" not in published_history
    assert "Bakker" in git(content, "log", "-p", f"voorstel/{pid}")   # only on the draft branch


def test_locations_and_organisations_are_not_persons(cur):
    result = cur.propose(LID, new_practice(
        samenvatting="De burgemeester van Assen werkte samen met het RIEC Zeeland-West-Brabant, "
                     "Bureau Regioburgemeesters en de gemeente Tilburg."))
    assert result.findings == []


def test_comments_with_personal_data_are_refused(cur):
    pid = _submitted(cur)
    with pytest.raises(Rejected):
        cur.send_back(REDACTEUR, pid, "Bel even met Jan Bakker via 06-12345678")
    assert cur.proposal(REDACTEUR, pid).status == "ter-review"


def test_history_diff_version_at_and_revert_through_review(cur):
    entry_id = "actueel-damoclesbeleid"
    original, version = cur.published(entry_id)
    pid = cur.propose(LID, dict(original, titel="Nieuwe titel voor het Damoclesbeleid"), entry_id, version).proposal.id
    cur.submit(LID, pid)
    cur.publish(REDACTEUR, pid)
    history = cur.history(entry_id)
    assert history[0]["door"]["naam"] == "Redacteur VNG" and history[0]["actie"] == "gepubliceerd"
    summaries = [c["samenvatting"] for c in history[0]["wijzigingen"]]
    assert f"titel: '{original['titel']}' → 'Nieuwe titel voor het Damoclesbeleid'" in summaries
    first = history[-1]["versie"]
    assert cur.version_at(entry_id, first)["titel"] == original["titel"]

    result = cur.revert(LID, entry_id, first, "titel was beter")
    assert cur.published(entry_id)[0]["titel"] == "Nieuwe titel voor het Damoclesbeleid"   # not yet
    cur.submit(LID, result.proposal.id)
    cur.publish(REDACTEUR2, result.proposal.id)
    assert cur.published(entry_id)[0]["titel"] == original["titel"]
    assert len(cur.history(entry_id)) == len(history) + 1


def test_archive_recent_changes_and_atom_feed(cur):
    pid = _submitted(cur)
    cur.publish(REDACTEUR, pid)
    with pytest.raises(NotAllowed):
        cur.archive(LID, "bibob-toets-bij-vakantieparken-in-assen", "verouderd")
    cur.archive(REDACTEUR, "bibob-toets-bij-vakantieparken-in-assen", "vervangen door een nieuwere aanpak")
    assert cur.published("bibob-toets-bij-vakantieparken-in-assen")[0]["status"] == "gearchiveerd"
    items = cur.recent_changes(10)
    assert [i["soort"] for i in items[:2]] == ["gearchiveerd", "nieuw"]
    assert cur.recent_changes(10, theme="deelaspect-georganiseerde-criminaliteit")[0]["item"] == \
        "bibob-toets-bij-vakantieparken-in-assen"
    assert cur.recent_changes(10, theme="fenomeen-hennepteelt") == []
    xml = atom(items, "https://data.apothekerskast.nl").decode()
    assert "<title>Gearchiveerd: Bibob-toets bij vakantieparken in Assen</title>" in xml


def test_hidden_practices_stay_out_of_the_feed(cur):
    pid = _submitted(cur, zichtbaarheid="netwerk")
    cur.publish(REDACTEUR, pid)
    assert cur.recent_changes(10) == []
    from kast.visibility import Reader

    assert len(cur.recent_changes(10, reader=Reader("lid", "gm0106"))) == 1


def test_withdraw_and_no_more_edits(cur):
    pid = cur.propose(LID, new_practice()).proposal.id
    cur.withdraw(LID, pid, "toch niet")
    draft = cur.draft(LID, pid)
    with pytest.raises(InvalidState):
        cur.save(LID, pid, dict(draft.fields, titel="x"), draft.version)
    assert cur.my_work(LID)["afgerond"][0]["status"] == "ingetrokken"


def test_a_new_practice_with_an_existing_or_invalid_id_is_refused(cur):
    with pytest.raises(Rejected, match="bestaat al"):
        cur.propose(LID, new_practice(id="wet-bibob"))
    with pytest.raises(Rejected) as exc:
        cur.propose(LID, new_practice(id="../../etc/passwd"))
    assert exc.value.messages[0]["veld"] == "id"


def test_an_edit_without_its_version_is_refused(cur):
    from kast.curation import VersionRequired

    pid = cur.propose(LID, new_practice()).proposal.id
    with pytest.raises(VersionRequired) as exc:
        cur.save(LID, pid, new_practice(titel="Zonder versie"), None)
    assert exc.value.status == 428


def test_other_processes_learn_which_files_a_publication_changed(cur, content):
    from kast.curation import Curation

    other = Curation(type(content)(content.path), names=False)   # as another server process would
    before = other.published_version()
    pid = _submitted(cur)
    cur.publish(REDACTEUR, pid)
    assert other.published_version() != before
    assert other.changed_since(before) == ["practices/bibob-toets-bij-vakantieparken-in-assen.md"]
    assert other.changed_since(other.published_version()) == []


def test_a_false_alarm_can_be_stored_with_a_reason_and_published_after_a_redacteur_agrees(cur):
    text = "Het programma Stationsweg 2030 bracht de panden rond het station in beeld."
    with pytest.raises(Rejected) as exc:
        cur.propose(LID, new_practice(aanpak=text))
    assert [m["soort"] for m in exc.value.messages] == ["adres"]
    result = cur.propose(LID, new_practice(aanpak=text), override="naam van een programma, geen adres")
    pid = result.proposal.id
    cur.submit(LID, pid)
    with pytest.raises(Rejected, match="persoonsgegevens"):
        cur.publish(REDACTEUR, pid)
    finding = cur.draft(REDACTEUR, pid).findings[0]
    cur.mark_not_personal(REDACTEUR, pid, finding.fingerprint, "programmanaam")
    cur.publish(REDACTEUR, pid)
    steps = cur.proposal_history(REDACTEUR, pid)
    assert [s["actie"] for s in steps][:2] == ["gepubliceerd", "vrijgegeven"]
    assert steps[1]["toelichting"] == "programmanaam" and steps[1]["door"]["naam"] == "Redacteur VNG"
