"""The networks (issue 5): actor map, peer network, meeting groups and exports, on the real data."""
import csv
import io
import json
import re

import networkx as nx
import pytest
from rdflib import RDFS

from kast.network import (NetworkError, actor_map, edges_csv, filter_map, focus, groups_csv, meeting_groups,
                          metrics, nodes_csv, offline_html, path, peer_network, search_nodes, text_rows, to_gexf,
                          to_graphml, vis_data)
from kast.network.peers import WEIGHTS
from kast.network.visjs import VIS_JS

DRENTHE = ["gm0106", "gm0109", "gm0114", "gm0118", "gm0119", "gm1680", "gm1681", "gm1690", "gm1699",
           "gm1701", "gm1730", "gm1731"]


@pytest.fixture(scope="module")
def kaart(kast):
    return actor_map(kast)


@pytest.fixture(scope="module")
def peers_all(kast):
    return peer_network(kast, include_all=True)


@pytest.fixture(scope="module")
def peers(kast):
    return peer_network(kast)


# ---------------------------------------------------------------- the actor map

def test_actor_map_holds_actors_instruments_themes_and_practices(kaart):
    riec = kaart.nodes["riec-noord-nederland"]
    assert (riec["kind"], riec["label"], riec["level"]) == ("actor", "RIEC Noord-Nederland", "regionaal")
    assert riec["actorType"] == "informatie-en-expertisecentrum"
    kinds = {d for _, d in kaart.nodes(data="kind")}
    assert kinds == {"actor", "instrument", "thema", "ambitie", "praktijk"}
    assert kaart.nodes["wet-bibob"]["kind"] == "instrument"
    assert kaart.nodes["fenomeen-vakantieparken"]["kind"] == "thema"
    assert kaart.nodes["gm0106"]["type"] == "gemeente"
    assert (kaart.nodes["gm0106"]["province"], kaart.nodes["gm0106"]["riec"]) == ("pv22", "riec-noord-nederland")


def test_only_municipalities_linked_to_practices_unless_asked(kast, kaart):
    in_map = sorted(n for n, t in kaart.nodes(data="type") if t == "gemeente")
    assert in_map == sorted(DRENTHE)
    full = actor_map(kast, municipalities="all")
    assert sum(1 for _, t in full.nodes(data="type") if t == "gemeente") == 342
    none = actor_map(kast, municipalities="none")
    assert not any(t == "gemeente" for _, t in none.nodes(data="type"))


def test_relations_are_the_dutch_labels_of_the_ontology(kast, kaart):
    ontology = {str(o) for _, o in kast.graph.subject_objects(RDFS.label) if getattr(o, "language", None) == "nl"}
    relations = {d for *_, d in kaart.edges(data="relation")}
    assert relations <= ontology
    assert {"aangeboden door", "gebruikt instrument", "betrokken actor", "werkt samen met", "thema",
            "valt in RIEC-regio van", "ligt in provincie", "coördineert"} & relations >= {
        "aangeboden door", "gebruikt instrument", "betrokken actor", "werkt samen met", "thema",
        "valt in RIEC-regio van", "ligt in provincie"}
    assert kaart["wet-bibob"]["ministerie-jenv"]["kast:offeredBy"]["relation"] == "aangeboden door"
    assert kaart["gm0106"]["riec-noord-nederland"]["kast:riecRegion"]["relation"] == "valt in RIEC-regio van"


def test_practices_that_are_not_public_stay_off_the_public_map(kast, kaart):
    network_only = [i for i, item in kast.items.items() if item.kind == "praktijk"
                    and str(kast.graph.value(item.iri, kast.vocab.kast.visibility)).endswith("/netwerk")]
    assert network_only
    assert not any(p in kaart for p in network_only)
    members = actor_map(kast, visibility=("openbaar", "netwerk"))
    assert all(p in members for p in network_only)


def test_path_from_riec_noord_nederland_to_the_vng(kaart):
    steps = path(kaart, "riec-noord-nederland", "vng")
    assert steps[0].source == "riec-noord-nederland" and steps[-1].target == "vng"
    assert all(s.relation for s in steps)
    for s in steps:   # every step is a real edge in the direction it says
        a, b = (s.source, s.target) if s.forward else (s.target, s.source)
        assert s.relation in {d["relation"] for d in kaart.get_edge_data(a, b).values()}
    assert "RIEC Noord-Nederland" in steps[0].text(kaart)


def test_ccv_reaches_a_municipality(kaart):
    municipalities = [n for n, t in kaart.nodes(data="type") if t == "gemeente"]
    reached = [m for m in municipalities if nx.has_path(kaart.to_undirected(as_view=True), "ccv", m)]
    assert reached
    steps = path(kaart, "ccv", reached[0])
    assert steps and all(s.relation for s in steps)


def test_a_path_can_be_asked_by_name(kaart):
    assert path(kaart, "RIEC Noord-Nederland", "Vereniging van Nederlandse Gemeenten")


def test_unknown_node_gives_a_dutch_error_with_a_suggestion(kaart):
    with pytest.raises(NetworkError, match="Onbekend knooppunt 'riec-noord-nederlnd'.*Bedoelde u 'riec-noord-nederland'"):
        path(kaart, "riec-noord-nederlnd", "vng")
    with pytest.raises(NetworkError, match="Onbekend knooppunt"):
        focus(kaart, "bestaat-niet")


def test_no_path_gives_a_dutch_error(kaart):
    lonely = filter_map(kaart, types={"gemeente", "provincie"})
    with pytest.raises(NetworkError, match="geen verbinding tussen Assen en Provincie"):
        other = next(n for n, t in lonely.nodes(data="type") if t == "provincie" and n != "pv22")
        path(lonely, "gm0106", other)


def test_focus_grows_with_depth_and_checks_it(kaart):
    sizes = [focus(kaart, "vng", d).number_of_nodes() for d in (1, 2, 3)]
    assert sizes[0] < sizes[1] <= sizes[2]
    assert set(focus(kaart, "vng", 1)) == {"vng"} | set(kaart.predecessors("vng")) | set(kaart.successors("vng"))
    with pytest.raises(NetworkError, match="De diepte moet 1, 2 of 3 zijn"):
        focus(kaart, "vng", 0)


def test_search_nodes_finds_names_abbreviations_and_ignores_accents(kaart):
    assert search_nodes(kaart, "RIEC NN")[0] == "riec-noord-nederland"
    found = search_nodes(kaart, "bibob")
    assert "wet-bibob" in found and found == search_nodes(kaart, "BIBOB")
    assert search_nodes(kaart, "cooordineert") == [] and search_nodes(kaart, "") == []
    assert search_nodes(kaart, "fryslan") == search_nodes(kaart, "Fryslân")


def test_filters_by_type_theme_instrument_region_and_level(kaart):
    only = filter_map(kaart, types={"instrument", "thema"})
    assert {d for _, d in only.nodes(data="type")} == {"instrument", "thema"}
    parks = filter_map(kaart, theme="fenomeen-vakantieparken")
    assert {"fenomeen-vakantieparken", "vitale-vakantieparken", "vakantieparken-multiproblematiek-integraal-aanpakken"} <= set(parks)
    assert "gm0106" not in parks
    bibob = filter_map(kaart, instrument="wet-bibob")
    assert "gm0106" in bibob and "ministerie-jenv" in bibob and "fenomeen-vakantieparken" not in bibob
    drenthe = filter_map(kaart, region="pv22")
    assert set(DRENTHE) <= set(drenthe) and "actueel-damoclesbeleid" in drenthe
    riec = filter_map(kaart, region="riec-noord-nederland", types={"gemeente"})
    assert set(riec) == set(DRENTHE)
    national = filter_map(kaart, levels={"landelijk"}, types={"actor"})
    assert "vng" in national and "riec-noord-nederland" not in national
    with pytest.raises(NetworkError, match="Onbekende soort"):
        filter_map(kaart, types={"planeet"})


def test_metrics_name_the_bridges_and_say_how_betweenness_was_computed(kaart):
    m = metrics(kaart)
    assert m.bridges and all(b["communities"] > 1 for b in m.bridges)
    assert m.note.startswith("Betweenness exact")
    assert m.nodes["vng"]["degree"] == len(set(kaart.predecessors("vng")) | set(kaart.successors("vng")))
    sampled = metrics(kaart, k=50)
    assert "steekproef van 50" in sampled.note and "seed 42" in sampled.note
    assert metrics(kaart, k=50).nodes == sampled.nodes


# ---------------------------------------------------------------- the peer network

def test_peers_of_one_riec_with_a_shared_practice_weigh_more_than_unrelated_ones(peers_all):
    shared = peers_all["gm0106"]["gm1680"]
    assert "actueel-damoclesbeleid" in shared["sharedPractices"]
    assert shared["sameRiec"] == 1 and shared["sameProvince"] == 1
    assert "gedeelde praktijk" in shared["reason"] and "zelfde RIEC-regio" in shared["reason"]
    almere, maastricht = "gm0034", "gm0935"
    assert almere in peers_all and maastricht in peers_all and not peers_all.has_edge(almere, maastricht)
    unrelated = peers_all.get_edge_data(almere, maastricht, default={"weight": 0})["weight"]
    same_region_only = peers_all["gm0014"]["gm0106"]   # Groningen and Assen: RIEC only, no practice
    assert shared["weight"] > same_region_only["weight"] > unrelated
    assert same_region_only["reason"].startswith("alleen zelfde RIEC-regio") and same_region_only["regionOnly"] == 1
    assert same_region_only["weight"] < WEIGHTS["thema"] * 0.5   # context, weaker than one shared theme


def test_most_connected_are_those_with_something_to_share(peers_all):
    """Region is context: with all 342 municipalities, the best connected ones share practices, not
    merely the largest RIEC region (before: Blaricum, Laren, Huizen)."""
    from kast.network import metrics
    from kast.network.peers import substantive
    m = metrics(substantive(peers_all))
    top = sorted(m.nodes.items(), key=lambda kv: -kv[1]["degree"])[:5]
    assert all(peers_all.nodes[n]["practices"] for n, _ in top)


def test_edge_weight_is_the_documented_sum(peers_all):
    spec = peers_all.graph["specificity"]
    e = peers_all["gm0106"]["gm1680"]
    assert not e["regionOnly"]
    expected = (WEIGHTS["riec"] * e["sameRiec"] + WEIGHTS["provincie"] * e["sameProvince"]
                + WEIGHTS["praktijk"] * sum(spec[p] for p in e["sharedPractices"])
                + WEIGHTS["thema"] * sum(spec[t] for t in e["sharedThemes"])
                + WEIGHTS["instrument"] * sum(spec[i] for i in e["sharedInstruments"]))
    assert e["weight"] == pytest.approx(expected, abs=1e-3)


def test_peer_network_nodes_say_where_a_municipality_lies(peers):
    assert sorted(peers) == sorted(DRENTHE)
    assen = peers.nodes["gm0106"]
    assert assen["tooi"] == "https://identifier.overheid.nl/tooi/id/gemeente/gm0106"
    assert (assen["province"], assen["riec"]) == ("pv22", "riec-noord-nederland")
    assert "wet-bibob" in assen["instruments"]


def test_peer_filters_and_unknown_values(kast):
    assert len(peer_network(kast, region="pv21", include_all=True)) > 10
    assert not peer_network(kast, region="pv21")   # no Frisian practices yet
    with pytest.raises(NetworkError, match="Onbekende regio 'pv99'"):
        peer_network(kast, region="pv99")
    with pytest.raises(NetworkError, match="Onbekend thema"):
        peer_network(kast, theme="wet-bibob")


# ---------------------------------------------------------------- meeting groups

def test_groups_are_stable_under_the_seed_and_close_to_the_asked_size(peers_all):
    first = meeting_groups(peers_all, 6, seed=7)
    again = meeting_groups(peers_all, 6, seed=7)
    assert [g.members for g in first] == [g.members for g in again]
    assert sorted(m for g in first for m in g.members) == sorted(peers_all)
    assert all(3 <= len(g) <= 9 for g in first)
    assert sum(abs(len(g) - 6) <= 1 for g in first) >= 0.8 * len(first)
    assert [g.number for g in first] == list(range(1, len(first) + 1))


def test_groups_around_bibob(peers):
    groups = meeting_groups(peers, 6, instrument="wet-bibob")
    assert [len(g) for g in groups] == [6, 6]
    for g in groups:
        assert g.reason.startswith("Instrument Wet Bibob: 6 van 6 hebben er een praktijk mee.")
        assert "Gedeelde praktijken:" in g.reason and "RIEC Noord-Nederland" in g.reason
        assert g.shared["practices"] and g.cohesion > 0


def test_groups_around_holiday_parks_say_they_were_widened(peers):
    groups = meeting_groups(peers, 6, theme="fenomeen-vakantieparken")
    assert groups and all(len(g) == 6 for g in groups)
    for g in groups:
        assert g.reason.startswith("Thema Ondermijning op vakantieparken: nog geen praktijk in de kast")
        assert "verwant" in g.note and "Georganiseerde criminaliteit" in g.note


def test_group_size_must_make_sense(peers):
    with pytest.raises(NetworkError, match="groepsgrootte"):
        meeting_groups(peers, 1)
    assert meeting_groups(peers, 6, region="pv21") == []


def test_groups_csv_is_an_invitation_list(peers):
    groups = meeting_groups(peers, 6, instrument="wet-bibob")
    rows = list(csv.DictReader(io.StringIO(groups_csv(peers, groups))))
    assert list(rows[0]) == ["groep", "gemeente", "naam", "tooi", "provincie", "riec-regio", "reden", "opmerking"]
    assert len(rows) == 12 and {r["groep"] for r in rows} == {"1", "2"}
    assen = next(r for r in rows if r["gemeente"] == "gm0106")
    assert (assen["naam"], assen["provincie"], assen["riec-regio"]) == ("Assen", "Provincie Drenthe", "RIEC Noord-Nederland")
    assert assen["tooi"].endswith("/gemeente/gm0106") and assen["reden"].startswith("Instrument Wet Bibob")


# ---------------------------------------------------------------- exports

@pytest.mark.parametrize("which", ["kaart", "peers_all"])
def test_gexf_and_graphml_load_back_with_the_same_nodes(which, request):
    G = request.getfixturevalue(which)
    gexf = nx.read_gexf(io.BytesIO(to_gexf(G)))
    graphml = nx.read_graphml(io.BytesIO(to_graphml(G)))
    for H in (gexf, graphml):
        assert H.number_of_nodes() == G.number_of_nodes()
        assert H.number_of_edges() == G.number_of_edges()
    node = "gm0106"
    assert graphml.nodes[node]["label"] == "Assen" and "pv22" in graphml.nodes[node]["regions"]


def test_csv_node_and_edge_lists(kaart):
    nodes = list(csv.DictReader(io.StringIO(nodes_csv(kaart))))
    edges = list(csv.DictReader(io.StringIO(edges_csv(kaart))))
    assert len(nodes) == kaart.number_of_nodes() and len(edges) == kaart.number_of_edges()
    assert {"source", "target", "relation"} <= set(edges[0])
    assert any(e["source"] == "wet-bibob" and e["target"] == "ministerie-jenv" and e["relation"] == "aangeboden door"
               for e in edges)


def test_text_alternative_lists_every_node_with_its_relations(kaart):
    rows = text_rows(kaart)
    assert len(rows) == kaart.number_of_nodes()
    bibob = next(r for r in rows if r["id"] == "wet-bibob")
    assert "Wet Bibob aangeboden door Ministerie van Justitie en Veiligheid" in [n["text"] for n in bibob["neighbours"]]


def test_vis_data_has_fixed_positions_and_plain_text(kaart):
    data = vis_data(kaart)
    assert data["options"]["physics"] is False
    assert all(isinstance(n["x"], float) and isinstance(n["y"], float) for n in data["nodes"])
    assert data == vis_data(kaart)   # deterministic: safe to cache
    json.dumps(data)
    assert all(isinstance(n["title"], str) and isinstance(n["label"], str) for n in data["nodes"])
    small = vis_data(kaart, max_edges=10)
    assert len(small["edges"]) == 10 and "10 sterkste" in small["meta"]["note"]


XSS = '</script><script>alert(1)</script><img src=x onerror="alert(2)">'


@pytest.mark.skipif(not VIS_JS.exists(), reason=f"vis-network is not vendored at {VIS_JS}")
def test_offline_html_escapes_labels_and_loads_nothing_from_elsewhere(kaart):
    G = kaart.copy()
    G.nodes["vng"]["label"] = XSS
    G.add_edge("vng", "ccv", key="test", relation=XSS)
    page = offline_html(G, title="Kaart " + XSS)
    assert "<script>alert" not in page and "<img" not in page and "onerror=\"alert" not in page
    assert "&lt;/script&gt;&lt;script&gt;alert(1)" in page          # in the title and the text version
    assert "\\u003c/script\\u003e\\u003cscript\\u003ealert(1)" in page   # in the JSON data
    assert page.count("</script>") == 3                                # library, data, start-up
    assert "default-src 'none'" in page
    assert not re.search(r"""(src|href|action)\s*=\s*["']?\s*(https?:)?//""", page, re.I)
    assert not re.search(r"url\(\s*['\"]?(https?:)?//|@import", page, re.I)
    library = VIS_JS.read_text(encoding="utf-8")
    outside = page.replace(library.replace("</script", "<\\/script"), "")
    assert not re.search(r"https?://", outside)    # only the library's licence notices name hosts
    data = json.loads(re.search(r'<script id="kaart-data" type="application/json">(.*?)</script>', page, re.S).group(1))
    assert next(n for n in data["nodes"] if n["id"] == "vng")["title"].startswith(XSS)


def test_no_two_proposed_groups_give_the_same_reason(peers_all, peers):
    """A cluster split to keep groups small says so; groups of municipalities that share nothing yet say
    that the region brought them together (a region is context, not a reason)."""
    for G, size in ((peers, 6), (peers_all, 8)):
        groups = meeting_groups(G, size)
        assert len({g.reason for g in groups}) == len(groups) > 1
    regional = [g for g in meeting_groups(peers_all, 8) if not any(g.shared.values())]
    assert regional and all(g.reason.startswith("Nog geen gedeelde praktijk") for g in regional)
