"""Turn entries into RDF, resolving every reference and reporting what cannot be resolved.

Nothing here raises on bad content: each problem becomes a Message naming file, item and field, and
the offending value is left out of the graph (so personal data never reaches it).
"""
import datetime as dt
import difflib
from dataclasses import dataclass
from functools import lru_cache

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, SKOS, XSD

from .fields import FIELDS, NESTED, SPECIAL, Field
from .privacy import find_personal_data
from .readers import Entry, Message
from .vocab import ACTOR_KINDS, Vocabulary

KIND_NAMES = {
    "actor": "actor", "politie-eenheid": "politie-eenheid", "gemeente": "gemeente", "provincie": "provincie",
    "waterschap": "waterschap", "veiligheidsregio": "veiligheidsregio", "instrument": "instrument",
    "thema": "thema", "ambitie": "ambitie", "begrippenkader": "begrippenkader", "praktijk": "praktijk",
    "bron": "brondocument",
}
MAX_QUOTE = 200


def personal_data(e: Entry, text: str) -> list[str]:
    """Findings in `text`, from the scan the reader already made of this entry when there was one."""
    if e.personal is not None:
        return e.personal.get(text, [])
    return find_personal_data(text)


def _show(value, limit: int = 60) -> str:
    """A value as a message quotes it: cut short, so a hostile file cannot make its own message huge.

    >>> _show("x" * 100)[-2:], _show(2017)
    ('x…', '2017')
    """
    text = str(value)
    return text if len(text) <= limit else text[:limit] + "…"


def _kind_names(kinds) -> str:
    """'actor' stands for every kind of organisation; name the others separately."""
    names = {"actor"} if set(ACTOR_KINDS) <= set(kinds) else set()
    names |= {KIND_NAMES[k] for k in kinds if not (names and k in ACTOR_KINDS)}
    return " of ".join(sorted(names))


@dataclass
class Item:
    kind: str
    iri: URIRef
    entry: Entry


class Builder:
    """Writes the triples of entries into `graph`; the fixed lists and relation kinds come from `ontology`
    (default: the same graph), so a reload can build one file's triples in a graph of their own."""

    def __init__(self, graph: Graph, vocab: Vocabulary, ontology: Graph | None = None):
        self.g = graph
        self.v = vocab
        self.items: dict[str, Item] = {}
        self.sections: dict[tuple[str, str], URIRef] = {}
        self.messages: list[Message] = []
        ontology = graph if ontology is None else ontology
        self.fixed = self._fixed_lists(ontology)
        self.relation_kinds = {
            str(notation): prop for concept, prop in ontology.subject_objects(vocab.kast.asProperty)
            for notation in ontology.objects(concept, SKOS.notation)
        }
        self.file_of: dict[URIRef, tuple[str, str, str]] = {}   # node → (file, item id, kind)
        self.resolve = lru_cache(maxsize=None)(vocab.resolve)   # 225,000 calls at 10,000 practices
        self.specs = {kind: {f.key: f for f in fields} for kind, fields in FIELDS.items()}

    @staticmethod
    def _fixed_lists(ontology: Graph) -> dict[str, dict[str, URIRef]]:
        lists: dict[str, dict[str, URIRef]] = {}
        for concept, scheme in ontology.subject_objects(SKOS.inScheme):
            name = str(scheme).rsplit("/", 1)[-1]
            for notation in ontology.objects(concept, SKOS.notation):
                lists.setdefault(name, {})[str(notation)] = concept
        return lists

    def add(self, triple) -> None:
        """Write one triple into `self.g` (`kast.loader` shadows this to collect a chunk's triples first;
        `kast.curation` gives a copy of a builder a graph of its own)."""
        self.g.add(triple)

    # ------------------------------------------------------------------ registry

    def register(self, entries: list[Entry]) -> list[Entry]:
        """Give every entry its IRI; report duplicate ids. Returns the entries to convert."""
        accepted = []
        for e in entries:
            if e.id in self.items:
                first = self.items[e.id].entry
                self.error(e, f"het id '{e.id}' bestaat al in {first.file} (als {KIND_NAMES[first.kind]}); "
                              "ids moeten uniek zijn in de hele kast", "id")
                continue
            iri = self.v.entity(e.kind, e.id)
            self.items[e.id] = Item(e.kind, iri, e)
            accepted.append(e)
            if e.kind == "bron":
                self._register_sections(e, iri)
        return accepted

    def _register_sections(self, e: Entry, doc: URIRef) -> None:
        sections = e.data.get("secties") or []
        if not isinstance(sections, list):
            self.error(e, "'secties' moet een lijst zijn", "secties")
            return
        for s in sections:
            if not isinstance(s, dict) or s.get("id") in (None, ""):
                self.error(e, "elke sectie heeft een 'id' en een 'titel'", "secties")
                continue
            sid = str(s["id"])
            if (e.id, sid) in self.sections:
                self.error(e, f"sectie '{sid}' komt twee keer voor", "secties")
                continue
            sec = self.v.section(e.id, sid)
            self.sections[(e.id, sid)] = sec
            self.file_of[sec] = (e.file, e.id, "bronsectie")
            self.add((sec, RDF.type, self.v.kast.SourceSection))
            self.add((sec, DCTERMS.isPartOf, doc))
            self.add((doc, DCTERMS.hasPart, sec))
            self.add((sec, DCTERMS.identifier, Literal(sid)))
            if s.get("titel"):
                self.add((sec, DCTERMS.title, Literal(str(s["titel"]), lang="nl")))

    # ------------------------------------------------------------------ conversion

    def error(self, e: Entry, text: str, field: str | None = None, severity: str = "fout") -> None:
        self.messages.append(Message(e.file, text, field, e.id, severity))

    def convert(self, e: Entry) -> None:
        item = self.items[e.id]
        iri = item.iri
        self.file_of[iri] = (e.file, e.id, e.kind)
        self.add((iri, RDF.type, self.v.classes[e.kind]))
        if e.kind in ACTOR_KINDS:   # materialised so queries need no reasoner for "every actor"
            self.add((iri, RDF.type, self.v.kast.Actor))
        self.add((iri, DCTERMS.identifier, Literal(e.id)))
        spec = self.specs[e.kind]
        for key, value in self._flatten(e):
            if key in SPECIAL or (e.kind == "begrippenkader" and key == "soort"):
                continue
            field = spec.get(key)
            if field is None:
                hint = difflib.get_close_matches(key, spec, n=1)
                self.error(e, "onbekend veld" + (f"; bedoelde u '{hint[0]}'?" if hint else ""), _show(key))
                continue
            predicate = self.resolve(field.predicate)
            for obj in self._values(e, field, value):
                self.add((iri, predicate, obj))
        if e.kind in ("thema", "ambitie"):
            self._in_scheme(e, iri)
        self._citations(e, iri, e.data.get("bronnen"), spec)
        if "relaties" in e.data:
            self._relations(e, iri, e.data["relaties"])

    def _flatten(self, e: Entry):
        for key, value in e.data.items():
            if key in NESTED:
                if value is None:
                    continue
                if not isinstance(value, dict):
                    self.error(e, "verwacht velden eronder (bijvoorbeeld 'van:' en 'tot:')", key)
                    continue
                for sub, subvalue in value.items():
                    yield f"{key}.{sub}", subvalue
            else:
                yield str(key), value

    def _in_scheme(self, e: Entry, iri: URIRef) -> None:
        scheme = self.v.entity("begrippenkader", e.scheme)
        self.add((iri, SKOS.inScheme, scheme))
        if not e.data.get("breder"):
            self.add((iri, SKOS.topConceptOf, scheme))
            self.add((scheme, SKOS.hasTopConcept, iri))

    # ------------------------------------------------------------------ values

    def _values(self, e: Entry, f: Field, value):
        if value is None or value == "" or value == []:
            return []
        many = f.type in ("texts", "refs", "concepts")
        values = value if isinstance(value, list) else [value]
        if not many and len(values) > 1:
            self.error(e, "verwacht één waarde, gevonden een lijst", f.key)
            return []
        out = []
        for v in values:
            obj = self._value(e, f, v)
            if obj is not None:
                out.append(obj)
        return out

    def _value(self, e: Entry, f: Field, v):
        if f.type in ("text", "texts", "literal"):
            if isinstance(v, (dict, list)):
                self.error(e, "verwacht tekst, gevonden een lijst of blok", f.key)
                return None
            text = str(v).strip()
            for finding in personal_data(e, text):
                self.error(e, f"mogelijk persoonsgegeven ({finding}); persoonsgegevens horen niet in de kast "
                              "en dit veld is niet geladen", f.key)
                return None
            return Literal(text) if f.type == "literal" else Literal(text, lang="nl")
        if f.type in ("ref", "refs"):
            return self._ref(e, f, v)
        if f.type in ("concept", "concepts"):
            options = self.fixed.get(f.target, {})
            if str(v) in options:
                return options[str(v)]
            self.error(e, f"onbekende waarde '{_show(v)}'; kies uit: {', '.join(options)}", f.key)
            return None
        if f.type == "year":
            if isinstance(v, int) and 1900 <= v <= 2100:
                return Literal(str(v), datatype=XSD.gYear)
            self.error(e, f"verwacht een jaartal (zoals 2017), gevonden '{_show(v)}'", f.key)
            return None
        if f.type == "date":
            return self._date(e, f, v)
        if f.type == "uri":
            if isinstance(v, str) and v.startswith(("https://", "http://")) and " " not in v:
                return URIRef(v)
            self.error(e, f"verwacht een URI die met https:// begint, gevonden '{_show(v)}'", f.key)
            return None
        raise ValueError(f"unknown field type {f.type}")

    def _date(self, e: Entry, f: Field, v):
        if isinstance(v, dt.datetime):
            v = v.date()
        if isinstance(v, dt.date):
            return Literal(v)
        if isinstance(v, int) and 1900 <= v <= 2100:
            return Literal(str(v), datatype=XSD.gYear)
        try:
            return Literal(dt.date.fromisoformat(str(v)))
        except ValueError:
            self.error(e, f"verwacht een datum als JJJJ-MM-DD of een jaartal, gevonden '{_show(v)}'", f.key)
            return None

    def _ref(self, e: Entry, f: Field, v, kinds=None):
        kinds = kinds or f.target
        item = self.items.get(v) if isinstance(v, str) else None
        if item is not None and item.kind in kinds:
            return item.iri
        wanted = _kind_names(kinds)
        if not isinstance(v, str):
            self.error(e, f"verwacht het id van een {wanted}, gevonden '{_show(v)}'", f.key)
            return None
        if item is None:
            candidates = [i for i, it in self.items.items() if it.kind in kinds]
            hint = difflib.get_close_matches(v, candidates, n=1, cutoff=0.6)
            self.error(e, f"onbekende verwijzing '{_show(v)}' (verwacht: {wanted})"
                          + (f"; bedoelde u '{hint[0]}'?" if hint else ""), f.key)
            return None
        self.error(e, f"'{_show(v)}' is een {KIND_NAMES[item.kind]}, hier wordt een {wanted} verwacht", f.key)
        return None

    # ------------------------------------------------------------------ citations and relations

    def _citations(self, e: Entry, subject: URIRef, citations, spec: dict[str, Field], label="bronnen") -> bool:
        """Add dct:source (short path) and a qualified prov:Derivation per citation."""
        if citations in (None, []):
            return False
        if not isinstance(citations, list):
            self.error(e, "verwacht een lijst van bronvermeldingen ('- bron: ... sectie: ...')", label)
            return False
        added = False
        for n, c in enumerate(citations, 1):
            if not isinstance(c, dict):
                self.error(e, "elke bronvermelding heeft de velden 'bron' en 'sectie'", label)
                continue
            source = c.get("bron")
            source = f"{source:03d}" if isinstance(source, int) and not isinstance(source, bool) else str(source)[:80]
            section = str(c.get("sectie", "")).strip()
            src = self.items.get(source)
            if src is None or src.kind != "bron":
                known = [i for i, it in self.items.items() if it.kind == "bron"]
                self.error(e, f"onbekende bron '{_show(source)}'; bekende bronnen: {', '.join(sorted(known))}", label)
                continue
            sec = self.sections.get((source, section))
            if sec is None:
                known = [s for (doc, s) in self.sections if doc == source]
                self.error(e, f"bron {source} heeft geen sectie '{_show(section)}'; secties: {', '.join(known)}", label)
                continue
            node = URIRef(f"{subject}{'-' if '#' in subject else '#'}bron-{n}")
            self.file_of[node] = (e.file, e.id, "bronvermelding")
            self.add((subject, DCTERMS.source, sec))
            self.add((subject, PROV.qualifiedDerivation, node))
            self.add((node, RDF.type, PROV.Derivation))
            self.add((node, PROV.entity, sec))
            supports = c.get("onderbouwt") or []
            if not isinstance(supports, list) or not all(isinstance(k, str) for k in supports):
                self.error(e, "'onderbouwt' is een lijst van veldnamen", label)
                supports = []
            for key in supports:
                # A nested block ('periode', 'contact') stands for all of its fields.
                keys = [k for k in spec if k == key or k.startswith(f"{key}.")]
                if not keys:
                    self.error(e, f"'onderbouwt' noemt onbekend veld '{_show(key)}'", label)
                for k in keys:
                    self.add((node, self.v.kast.supportsField, self.resolve(spec[k].predicate)))
            quote = c.get("citaat")
            if quote:
                quote = str(quote).strip()
                if len(quote) > MAX_QUOTE:
                    self.error(e, f"citaat is {len(quote)} tekens; citeer hooguit {MAX_QUOTE} tekens en "
                                  "schrijf de rest in eigen woorden", label)
                elif not personal_data(e, quote):
                    self.add((node, self.v.kast.quote, Literal(quote, lang="nl")))
            added = True
        return added

    def _relations(self, e: Entry, subject: URIRef, relations) -> None:
        if not isinstance(relations, list):
            self.error(e, "verwacht een lijst van relaties ('- soort: ... doel: ...')", "relaties")
            return
        target = Field("relaties", "", "ref", ACTOR_KINDS + ("instrument",))
        for n, r in enumerate(relations, 1):
            if not isinstance(r, dict):
                self.error(e, "elke relatie heeft 'soort', 'doel' en 'bronnen'", "relaties")
                continue
            prop = self.relation_kinds.get(str(r.get("soort")))
            if prop is None:
                self.error(e, f"onbekende relatiesoort '{_show(r.get('soort'))}'; kies uit: "
                              + ", ".join(self.relation_kinds), "relaties")
                continue
            obj = self._ref(e, target, r.get("doel"))
            if obj is None:
                continue
            self.add((subject, prop, obj))
            statement = URIRef(f"{subject}#relatie-{n}")
            self.file_of[statement] = (e.file, e.id, "relatie")
            self.add((statement, RDF.type, RDF.Statement))
            self.add((statement, RDF.subject, subject))
            self.add((statement, RDF.predicate, prop))
            self.add((statement, RDF.object, obj))
            if not self._citations(e, statement, r.get("bronnen"), {}, "relaties"):
                self.error(e, f"de relatie '{_show(r.get('soort'))} {_show(r.get('doel'))}' heeft geen bronvermelding",
                           "relaties")
