"""Caches of a server process stay bounded however long it runs: found with tracemalloc in the load test
(`benchmarks/load.py --trace`, see docs/prestaties.md, "Belasting")."""
from kast.curation import Curation
from kast.curation import repo as repo_module

from .curation_support import LID, content, new_practice  # noqa: F401


def test_parsed_git_trees_stay_bounded_while_saving(content, monkeypatch):   # noqa: F811
    monkeypatch.setattr(repo_module, "TREE_CACHE", 4)
    cur = Curation(content, names=False)   # the name finder has nothing to do with this; keep it fast
    made = cur.propose(LID, new_practice(titel="Een voorstel dat vaak wordt opgeslagen"))
    version = made.version
    for n in range(8):                     # every save commits new trees (root and practices folder)
        version = cur.save(LID, made.proposal.id, new_practice(resultaat=f"Resultaat na controle {n}."), version).version
        assert len(content._trees) <= 4
    assert cur.draft(LID, made.proposal.id, validate=False).fields["resultaat"] == "Resultaat na controle 7."


def test_the_dataset_description_keeps_only_the_current_generation(app):
    """Every publication makes a new generation of the site; the serialised descriptions of the old one
    must go with its graph, or each publication leaves them behind for the life of the process."""
    from web import dcat

    client, site = app.test_client(), app.extensions["kast"]
    for _ in range(3):
        assert client.get("/dataset.ttl").status_code == 200
        assert client.get("/dataset.jsonld").status_code == 200
        site._derived()   # what taking in a publication does: a new generation
    assert client.get("/dataset.ttl").status_code == 200
    mine = [key for key in dcat._bodies if key[0][0] == id(site)]
    assert mine == [((id(site), site.generation), "text/turtle")]
