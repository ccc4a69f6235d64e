"""The actor map and peer network kept current after a change equal a fresh build (kast.network.update).

Each step edits, adds or deletes a practice file in a copy of data/, takes it in with `kast.reload`, updates the
graphs in place and compares them, node by node and edge by edge, with graphs built anew from the same kast.
"""
import shutil
from pathlib import Path

import networkx as nx
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from kast.curation.entry import parse, serialise
from kast.loader import load
from kast.network import actor_map, metrics, peer_network, positions
from kast.network.update import UpdateRefused, update_actor_map, update_peer_network
from kast.reload import reload
from kast.visibility import LEVELS

DATA = Path(__file__).resolve().parent.parent / "data"
READERS = [LEVELS["openbaar"], LEVELS["netwerk"], LEVELS["alles"]]


def snapshot(G) -> tuple:
    nodes = sorted((str(n), repr(sorted(d.items()))) for n, d in G.nodes(data=True))
    ends = (lambda u, v: (u, v)) if G.is_directed() else (lambda u, v: tuple(sorted((u, v))))
    edges = sorted((*ends(str(u), str(v)), repr(sorted(d.items()))) for u, v, d in G.edges(data=True))
    return nodes, edges, G.graph


class Cabinet:
    """A copy of data/ with its kast and the graphs kept current for each reader level."""

    def __init__(self, folder: Path):
        self.data = folder / "data"
        shutil.copytree(DATA, self.data)
        self.kast = load(self.data, shacl=False)
        self.maps = {r: actor_map(self.kast, visibility=r) for r in READERS}
        self.peers = {(r, everyone): peer_network(self.kast, include_all=everyone, visibility=r)
                      for r in READERS for everyone in (False, True)}
        ids = self.kast.items
        self.pools = {kind: sorted(i for i, item in ids.items() if item.kind == kind)
                      for kind in ("gemeente", "instrument", "thema", "praktijk")}
        self.pools["actor"] = sorted(i for i, item in ids.items() if item.kind == "actor")

    def practice_file(self, practice_id: str) -> Path:
        return self.data / "practices" / f"{practice_id}.md"

    def take_in(self, path: Path):
        result = reload(self.kast, [path])
        changed = result.changed | result.removed
        for reader, G in self.maps.items():
            update_actor_map(G, self.kast, changed, reader)
        for (reader, everyone), G in self.peers.items():
            update_peer_network(G, self.kast, changed, reader)
        return result

    def assert_current(self):
        for reader, G in self.maps.items():
            assert snapshot(G) == snapshot(actor_map(self.kast, visibility=reader)), reader
        for (reader, everyone), G in self.peers.items():
            assert snapshot(G) == snapshot(peer_network(self.kast, include_all=everyone, visibility=reader)), reader


@pytest.fixture(scope="module")
def cabinet(tmp_path_factory):
    return Cabinet(tmp_path_factory.mktemp("kaart"))


def test_a_new_practice_links_a_municipality_no_practice_named_before(cabinet):
    named = {n for G in cabinet.maps.values() for n in G}
    lonely = next(gm for gm in cabinet.pools["gemeente"] if gm not in named)
    template = parse(cabinet.practice_file("actueel-damoclesbeleid").read_bytes())
    fields = dict(template, id="nieuw-in-de-kaart", titel="Een nieuwe praktijk in een stille gemeente",
                  gemeenten=[lonely], actoren=[lonely])
    fields.pop("regios", None)
    path = cabinet.practice_file("nieuw-in-de-kaart")
    path.write_bytes(serialise(fields))
    assert cabinet.take_in(path).ok
    G = cabinet.maps[READERS[0]]
    assert lonely in G and G.has_edge("nieuw-in-de-kaart", lonely)
    assert G.nodes[lonely]["province"] in G.nodes["nieuw-in-de-kaart"]["regions"]
    cabinet.assert_current()

    path.unlink()   # and gone again: the municipality leaves the map with it
    assert cabinet.take_in(path).removed == {"nieuw-in-de-kaart"}
    assert lonely not in G and "nieuw-in-de-kaart" not in G
    cabinet.assert_current()


def test_a_practice_for_the_network_only_leaves_the_public_map(cabinet):
    path = cabinet.practice_file("actueel-damoclesbeleid")
    fields = parse(path.read_bytes())
    path.write_bytes(serialise(dict(fields, zichtbaarheid="netwerk")))
    assert cabinet.take_in(path).ok
    public, curators = cabinet.maps[READERS[0]], cabinet.maps[READERS[-1]]
    assert "actueel-damoclesbeleid" not in public and "actueel-damoclesbeleid" in curators
    cabinet.assert_current()
    path.write_bytes(serialise(fields))
    assert cabinet.take_in(path).ok
    cabinet.assert_current()


def test_a_changed_actor_file_is_refused_so_the_caller_builds_again(cabinet):
    G = cabinet.maps[READERS[0]]
    with pytest.raises(UpdateRefused):
        update_actor_map(G, cabinet.kast, {"vng"})
    with pytest.raises(UpdateRefused):
        update_peer_network(cabinet.peers[READERS[0], False], cabinet.kast, {"gm0106"})


edits = st.fixed_dictionaries({
    "action": st.sampled_from(["wijzigen", "wijzigen", "wijzigen", "nieuw", "weg"]),
    "pick": st.integers(0, 10_000),
    "gemeenten": st.lists(st.integers(0, 10_000), max_size=3),
    "actoren": st.lists(st.integers(0, 10_000), max_size=2),
    "instrumenten": st.lists(st.integers(0, 10_000), max_size=2),
    "themas": st.lists(st.integers(0, 10_000), min_size=1, max_size=2),
    "zichtbaarheid": st.sampled_from(["openbaar", "openbaar", "netwerk"]),
    "status": st.sampled_from(["gepubliceerd", "gepubliceerd", "concept"]),
})


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(edit=edits)
def test_any_change_to_a_practice_gives_the_graphs_of_a_fresh_build(cabinet, edit):
    pools = cabinet.pools
    present = sorted(p.stem for p in (cabinet.data / "practices").glob("*.md"))
    chosen = present[edit["pick"] % len(present)]
    path = cabinet.practice_file(chosen)
    if edit["action"] == "weg" and len(present) > 40:
        path.unlink()
    else:
        fields = parse(path.read_bytes())
        if edit["action"] == "nieuw":
            fields["id"] = f"nieuw-{edit['pick']}"
            path = cabinet.practice_file(fields["id"])
        pickeach = lambda kind, picks: sorted({pools[kind][n % len(pools[kind])] for n in picks})
        gemeenten = pickeach("gemeente", edit["gemeenten"])
        fields.update(gemeenten=gemeenten, actoren=pickeach("actor", edit["actoren"]) + gemeenten[:1],
                      instrumenten=pickeach("instrument", edit["instrumenten"]),
                      themas=pickeach("thema", edit["themas"]), zichtbaarheid=edit["zichtbaarheid"],
                      status=edit["status"])
        fields.pop("regios", None)
        fields = {k: v for k, v in fields.items() if v != []}
        path.write_bytes(serialise(fields))
    cabinet.take_in(path)   # a refused file changes nothing, in the kast and in the graphs
    cabinet.assert_current()


def test_an_updated_map_is_drawn_and_measured_as_a_fresh_build(tmp_path):
    """Updated in place, the map holds its nodes in another order than a fresh build; both workers (one
    updated, one just started) must still draw the same picture and find the same communities."""
    cabinet = Cabinet(tmp_path)
    practice = cabinet.pools["praktijk"][0]
    path = cabinet.practice_file(practice)
    fields = parse(path.read_bytes())
    path.unlink()
    cabinet.take_in(path)
    path.write_bytes(serialise(fields))
    cabinet.take_in(path)   # back, now the last of the nodes
    updated, fresh = cabinet.maps[LEVELS["openbaar"]], actor_map(cabinet.kast, visibility=LEVELS["openbaar"])
    backwards = nx.MultiDiGraph(**fresh.graph)   # the same map, every node and edge in the opposite order
    backwards.add_nodes_from(reversed(list(fresh.nodes(data=True))))
    backwards.add_edges_from(reversed(list(fresh.edges(keys=True, data=True))))
    assert list(backwards) != list(fresh)
    for G in (updated, backwards):
        assert positions(G) == positions(fresh)
        assert metrics(G).nodes == metrics(fresh).nodes


def test_the_map_and_network_pages_show_a_reloaded_change_at_once(tmp_path):
    """The web layer keeps its graphs current: a changed practice, one hidden from the public and a renamed
    organisation (an actor file: the graphs are built again) all show in the next answer."""
    from web import create_app

    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    app = create_app({"KAST_DATA": str(data), "KAST_INDEX": str(tmp_path / "ix"), "TESTING": True})
    client, site = app.test_client(), app.extensions["kast"]
    focus = "/api/v1/kaart?focus=actueel-damoclesbeleid"
    region = "/api/v1/netwerk?regio=riec-noord-nederland"
    assert client.get(focus).status_code == 200 and client.get(region).status_code == 200

    path = data / "practices" / "actueel-damoclesbeleid.md"
    fields = parse(path.read_bytes())
    path.write_bytes(serialise(dict(fields, titel="Damoclesbeleid bijgewerkt in elke Drentse gemeente")))
    assert site.reload([path]).ok
    assert "Damoclesbeleid bijgewerkt" in client.get(focus).get_data(as_text=True)
    assert "Damoclesbeleid bijgewerkt" in client.get(region).get_data(as_text=True)

    path.write_bytes(serialise(dict(fields, zichtbaarheid="netwerk")))
    assert site.reload([path]).ok
    shown = client.get(focus).get_json()   # the name now finds the ambition of the same name, not the practice
    assert "actueel-damoclesbeleid" not in {node["id"] for node in shown["knooppunten"]}
    assert "actueel-damoclesbeleid" not in client.get(region).get_data(as_text=True)
    assert "actueel-damoclesbeleid" not in client.get("/api/v1/kaart").get_data(as_text=True)

    actors = data / "actors" / "drenthe.yaml"
    actors.write_text(actors.read_text().replace("naam: Werkgroep Drentse aanpak ondermijning",
                                                 "naam: Werkgroep Drentse aanpak tegen ondermijning", 1))
    assert site.reload([actors]).ok
    assert "Werkgroep Drentse aanpak tegen ondermijning" in client.get(
        "/api/v1/kaart?focus=werkgroep-drentse-aanpak").get_data(as_text=True)
