"""Taking a change into the search index: the process that writes it and the processes that follow it must
end with exactly the index a fresh open of the same file gives, and never serve a mix of two versions."""
import json
import os
import subprocess
import sys

from kast.loader import load, reload
from kast.search import IndexStore, search
from kast.search.index import FILE, SearchIndex, numbers_of
from kast.search.store import CHECKSUM, _checksum
from kast.visibility import ANONYMOUS, LEVELS

from .test_reload import PRACTICE, _write

FIELDS = ("ids", "kinds", "titles", "years", "number", "title_rank", "all", "concepts", "hidden_bits", "facets",
          "kind_bits", "labels", "names", "places")


def _state(index: SearchIndex) -> dict:
    return {name: getattr(index, name) for name in FIELDS}


def _current(store: IndexStore):
    return store.root / store._current()


def _changes(basis):
    """A changed title, a practice turned netwerk-only, a new practice and (in the next step) a deletion."""
    _write(basis, "voorbeeldpraktijk", PRACTICE.replace("Vergunningen toetsen met de testwet",
                                                        "Horecapanden screenen met de testwet")
           .replace("zichtbaarheid: openbaar", "zichtbaarheid: netwerk"))
    _write(basis, "tweede-praktijk", PRACTICE.replace("id: voorbeeldpraktijk", "id: tweede-praktijk")
           .replace("soort: best", "soort: worst").replace("aard: lokale-praktijk", "aard: voorgevallen")
           .replace("Vergunningen toetsen", "Vastgoed volgen"))
    return ["practices/voorbeeldpraktijk.md", "practices/tweede-praktijk.md"]


def _reload(kast, paths):
    result = reload(kast, paths)
    assert result.ok and (result.changed or result.removed), [str(m) for m in result]
    return result


def test_writer_and_follower_hold_what_a_fresh_open_reads(basis, tmp_path):
    writer, follower = (IndexStore(root=tmp_path / "ix", data_dir=basis) for _ in range(2))
    kast, other = load(basis), load(basis)
    writer.rebuild(kast=kast)
    before = follower.open(kast=other)
    paths = _changes(basis)
    fingerprint = writer.fingerprint()
    written = writer.update(kast, _reload(kast, paths), fingerprint=fingerprint)
    file = _current(writer) / FILE
    stamp = os.stat(file)
    followed = follower.update(other, _reload(other, paths), fingerprint=fingerprint)
    assert os.stat(file).st_mtime_ns == stamp.st_mtime_ns and os.stat(file).st_ino == stamp.st_ino  # not rewritten
    fresh = _state(SearchIndex(file))
    assert _state(written.index) == fresh
    assert _state(followed.index) == fresh
    assert followed.index is not before.index and before.index.ids != fresh["ids"]   # the old one is left as it was
    # The netwerk-only practice is hidden from the public in every structure a search reads.
    number = fresh["number"]["voorbeeldpraktijk"]
    assert written.index.hidden("openbaar") >> number & 1 and not written.index.hidden("netwerk") >> number & 1
    assert "voorbeeldpraktijk" in {r["id"] for r in search("horecapanden", opened=followed, reader=LEVELS["netwerk"]).results}
    public = search("horecapanden", opened=followed, reader=ANONYMOUS)
    assert public.total == 0 and not any(c["count"] for f in public.facets.values() for c in f
                                         if c["value"] == "voorbeeldpraktijk")
    assert search("horecapanen", opened=followed, reader=LEVELS["netwerk"]).suggestion == "horecapanden"
    assert search("horecapanen", opened=followed, reader=ANONYMOUS).suggestion != "horecapanden"

    # A deletion moves the last document into the freed number; both again read what a fresh open reads.
    (basis / "practices" / "voorbeeldpraktijk.md").unlink()
    fingerprint = writer.fingerprint()
    written = writer.update(kast, _reload(kast, ["practices/voorbeeldpraktijk.md"]), fingerprint=fingerprint)
    followed = follower.update(other, _reload(other, ["practices/voorbeeldpraktijk.md"]), fingerprint=fingerprint)
    fresh = _state(SearchIndex(_current(writer) / FILE))
    assert _state(written.index) == fresh == _state(followed.index)
    assert sorted(fresh["number"].values()) == list(range(len(fresh["ids"])))


def test_a_process_that_missed_a_change_opens_the_index_in_full(basis, tmp_path):
    """A change is recorded against the file it was made from: a process holding an older file must not
    apply it to that one (the document numbers could differ), but read the whole index."""
    writer, behind = (IndexStore(root=tmp_path / "ix", data_dir=basis) for _ in range(2))
    kast, other = load(basis), load(basis)
    writer.rebuild(kast=kast)
    behind.open(kast=other)
    paths = _changes(basis)
    writer.update(kast, _reload(kast, paths))
    _write(basis, "tweede-praktijk", PRACTICE.replace("id: voorbeeldpraktijk", "id: tweede-praktijk")
           .replace("Vergunningen toetsen", "Scheepswerven volgen"))
    fingerprint = writer.fingerprint()
    writer.update(kast, _reload(kast, ["practices/tweede-praktijk.md"]), fingerprint=fingerprint)
    caught_up = behind.update(other, _reload(other, paths), fingerprint=fingerprint)
    assert _state(caught_up.index) == _state(SearchIndex(_current(writer) / FILE))
    assert search("scheepswerven", opened=caught_up).total == 1


def test_a_damaged_current_index_is_built_again_not_changed(basis, tmp_path):
    """The writer checks the file it copies: a damaged one is built again in full, never carried forward."""
    store = IndexStore(root=tmp_path / "ix", data_dir=basis)
    kast = load(basis)
    store.rebuild(kast=kast)
    file = _current(store) / FILE
    data = file.read_bytes()
    file.write_bytes(data[:len(data) // 2] + bytes([data[len(data) // 2] ^ 0xFF]) + data[len(data) // 2 + 1:])
    updated = store.update(kast, _reload(kast, _changes(basis)))
    current = _current(store)
    assert (current / CHECKSUM).read_text() == _checksum(current / FILE)
    assert _state(updated.index) == _state(SearchIndex(current / FILE))
    assert search("vastgoed", opened=updated).total == 1


FOLLOWER = """
import sys
from kast.loader import load, reload
from kast.search import IndexStore, search
store = IndexStore(root=sys.argv[1], data_dir=sys.argv[2])
kast = load(sys.argv[2])
store.open(kast=kast)
print("open", flush=True)
sys.stdin.readline()
fingerprint = store.fingerprint()
opened = store.update(kast, reload(kast, sys.argv[3:]), fingerprint=fingerprint)
print(search("horecapanden", opened=opened).total, search("vastgoed", opened=opened).total,
      sorted(opened.index.ids) == sorted(opened.index.number), flush=True)
"""


def test_a_second_process_takes_in_what_the_first_wrote(basis, tmp_path):
    """Two real processes, as two web workers: the second finds the change in the index and serves it
    without writing the index again."""
    store = IndexStore(root=tmp_path / "ix", data_dir=basis)
    kast = load(basis)
    store.rebuild(kast=kast)
    script = tmp_path / "follower.py"
    script.write_text(FOLLOWER, encoding="utf-8")
    paths = _changes(basis)
    follower = subprocess.Popen([sys.executable, str(script), str(tmp_path / "ix"), str(basis), *paths],
                                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert follower.stdout.readline().strip() == "open", follower.stderr.read()
    store.update(kast, _reload(kast, paths))
    file = _current(store) / FILE
    written = os.stat(file).st_mtime_ns
    out, err = follower.communicate("verder\n", timeout=120)
    assert follower.returncode == 0, err
    assert out.split() == ["0", "1", "True"], (out, err)   # the netwerk-only practice stays hidden from the public
    assert os.stat(file).st_mtime_ns == written and store._current() == file.parent.name


def test_fingerprint_of_the_named_files_equals_a_full_walk(basis, tmp_path):
    """A published change names its files: stat'ing only those gives the fingerprint a walk over every file
    gives, for changed, new, deleted and merely touched files, named in each form `reload` accepts."""
    store = IndexStore(root=tmp_path / "ix", data_dir=basis)
    before = store.fingerprint()

    def walked():
        return IndexStore(root=tmp_path / "ix", data_dir=basis).fingerprint()

    changed = _changes(basis)   # one changed, one new, relative to the data folder
    (basis / "instruments" / "instrumenten.yaml").unlink()
    touched = basis / "themes" / "testthemas.yaml"
    os.utime(touched, ns=(touched.stat().st_atime_ns, touched.stat().st_mtime_ns + 1_000_000))
    named = store.fingerprint(changed=[*changed, basis / "instruments" / "instrumenten.yaml",
                                       "data/themes/testthemas.yaml"])
    assert named == walked() != before
    # A file changed but not named keeps its old stamp: the fingerprint claims only what was taken in.
    source = basis / "sources" / "t01.yaml"
    os.utime(source, ns=(source.stat().st_atime_ns, source.stat().st_mtime_ns + 1_000_000))
    assert store.fingerprint(changed=[]) == named != walked()
    # A path a walk would not place (outside the data folder, a folder) makes it walk after all.
    assert store.fingerprint(changed=[tmp_path / "elders.txt"]) == walked()
    assert store.fingerprint(changed=["practices"]) == walked()


def test_a_refused_change_leaves_the_index_as_it_was(basis, tmp_path):
    """The running site: a change that is refused writes no index and keeps serving the last good one."""
    from web import create_app

    app = create_app({"KAST_DATA": str(basis), "KAST_INDEX": str(tmp_path / "ix"), "TESTING": True})
    site = app.extensions["kast"]
    client = app.test_client()
    assert client.get("/api/v1/zoeken?q=horecapanden").get_json()["totaal"] == 0
    _write(basis, "voorbeeldpraktijk", PRACTICE.replace("Vergunningen toetsen", "Horecapanden screenen"))
    assert site.reload(["practices/voorbeeldpraktijk.md"]).ok
    assert client.get("/api/v1/zoeken?q=horecapanden").get_json()["totaal"] == 1
    index_files = {p: p.stat().st_mtime_ns for p in (tmp_path / "ix").rglob("*")}
    opened = site.opened()
    _write(basis, "voorbeeldpraktijk", PRACTICE.replace("Vergunningen toetsen", "Zonnepanelen keuren")
           .replace("soort: best", "soort: beste"))
    assert not site.reload(["practices/voorbeeldpraktijk.md"]).ok
    assert {p: p.stat().st_mtime_ns for p in (tmp_path / "ix").rglob("*")} == index_files
    assert site.opened() is opened
    assert client.get("/api/v1/zoeken?q=horecapanden").get_json()["totaal"] == 1
    assert client.get("/api/v1/zoeken?q=zonnepanelen").get_json()["totaal"] == 0


def test_champion_lists_stay_the_best_after_changes(tmp_path):
    """The champion lists (the best documents of each very common word) are kept current without scoring
    every document again: after changes, deletions and additions each list still holds every document with
    its word, and its best ones up to the rounding of scores that the last build's statistics give."""
    from kast.corpus import generate

    data = tmp_path / "data"
    generate(data, 400)
    kast = load(data, shacl=False)
    store = IndexStore(root=tmp_path / "ix", data_dir=data)
    index = store.rebuild(kast=kast).index
    term, best = index.db.execute("SELECT term, best FROM champions ORDER BY term LIMIT 1").fetchone()
    top = next(index.ids[n] for n, _ in json.loads(best) if index.kinds[n] == "praktijk")
    practices = sorted((data / "practices").glob("*.md"))
    for step, path in enumerate(practices[:12:3]):   # a changed summary moves the document's scores
        path.write_text(path.read_text(encoding="utf-8").replace(
            "Synthetische praktijk voor schaaltests.", f"Synthetische praktijk voor schaaltests {step}, zeppelin."),
            encoding="utf-8")
    (data / "practices" / f"{top}.md").unlink()   # a best document leaves: its list needs its 101st
    new = data / "practices" / "nieuw.md"
    new.write_text(practices[1].read_text(encoding="utf-8").replace(f"id: {practices[1].stem}", "id: nieuw"),
                   encoding="utf-8")
    updated = store.update(kast, _reload(kast, [*practices[:12:3], data / "practices" / f"{top}.md", new])).index
    db = updated.db
    lists = db.execute("SELECT term, bits, best FROM champions").fetchall()
    assert term in {t for t, _, _ in lists}
    for t, bits, best in lists:
        hits = {n for (n,) in db.execute("SELECT rowid FROM fts WHERE fts MATCH ?", (f'"{t}"',))}
        assert set(numbers_of(int.from_bytes(bits, "little"))) == hits, t
        scored = db.execute("SELECT rowid, -bm25(fts, 4.0, 3.0, 2.0, 1.0) FROM fts WHERE fts MATCH ? ORDER BY rank",
                            (f'"{t}"',)).fetchall()
        kept = [n for n, _ in json.loads(best)]
        assert len(kept) == 100 and set(kept) <= hits and top not in updated.number
        floor, score_of = scored[99][1], dict(scored)   # the 100th best score, on the updated file
        wrong = {n: score_of[n] for n in set(kept) - {n for n, _ in scored[:100]} if score_of[n] < floor * 0.99}
        assert not wrong, (t, wrong, floor)   # in the list while others score clearly higher
