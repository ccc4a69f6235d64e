"""Groeimodellen: the maturity scale of each ambition, from data/groeimodellen/*.yaml into the graph, and
back out of the graph as a `Model` for the weerbaarheidsprofiel (kast.profiles).

A file holds one model: its levels (0 niet … 3 geborgd), optionally the agreement behind it (signed on,
term in years, signatories, the collaboration they share profiles in) and per ambition a scale: for which
kinds of organisation the ambition holds and what each level means. Every part cites its source like any
other statement. Bad content becomes a Dutch message naming file, ambition and field; nothing raises.

    >>> from kast.loader import load
    >>> m = model(load(shacl=False))
    >>> len(m.scales), [lv.name for lv in m.levels]
    (28, ['niet', 'in ontwikkeling', 'ingericht', 'geborgd'])
    >>> [s.notation for s in m.applicable("waterschap")][:3], m.deadline.isoformat()
    (['1.1', '1.4', '1.5'], '2026-02-02')
"""
import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, SKOS, XSD

from .build import Builder
from .fields import Field
from .readers import ID_PATTERN, Entry, Message, Reader

FOLDER = "groeimodellen"
KINDS = ("gemeente", "waterschap", "provincie")   # the organisations a scale can apply to
MODEL_FIELDS = {"naam": "skos:prefLabel", "beschrijving": "dct:description", "ondertekend": "kast:agreementSigned",
                "termijn-jaren": "kast:agreementYears", "ondertekenaars": "kast:signatory",
                "samenwerking": "kast:collaboration", "niveaus": "kast:hasLevel", "ambities": "kast:forScheme"}
SCALE_FIELDS = {"geldt-voor": "kast:appliesTo", "niveaus": "kast:hasLevel", "ambitie": "kast:scaleOf"}


# ------------------------------------------------------------------ files → graph

def convert(data_dir: Path, reader: Reader, builder: Builder) -> None:
    """Read every model file and add it to the builder's graph; findings go to `builder.messages`."""
    for path in sorted((data_dir / FOLDER).glob("*.yaml")):
        text = reader._text(path)
        data, ok = reader._yaml(path, text) if text is not None else (None, False)
        if ok:
            _Model(builder, reader.rel(path), data).convert()


class _Model:
    def __init__(self, builder: Builder, file: str, data):
        self.b, self.file, self.data = builder, file, data
        self.v, self.g = builder.v, builder.g

    def error(self, text: str, field: str | None = None, entry: str | None = None) -> None:
        self.b.messages.append(Message(self.file, text, field, entry or self.id))

    def entry(self, entry_id: str, data: dict) -> Entry:
        return Entry("groeimodel", entry_id, data, self.file)

    def convert(self) -> None:
        self.id = None
        head = self.data.get("groeimodel") if isinstance(self.data, dict) else None
        if not isinstance(head, dict):
            self.error("verwacht een blok 'groeimodel:' met id, naam en niveaus, en een lijst 'schalen:'")
            return
        self.id = head.get("id")
        if not isinstance(self.id, str) or not ID_PATTERN.match(self.id):
            self.error(f"ontbrekend of ongeldig id {self.id!r}: gebruik kleine letters, cijfers en koppeltekens", "id")
            return
        iri = self.model_iri = URIRef(f"{self.v.base}id/groeimodel/{self.id}")
        entry = self.entry(self.id, head)
        self.b.file_of[iri] = (self.file, self.id, "groeimodel")
        self.g.add((iri, RDF.type, self.v.kast.MaturityModel))
        self.g.add((iri, DCTERMS.identifier, Literal(self.id)))
        for key in ("naam", "beschrijving"):
            for obj in self.b._values(entry, Field(key, "", "text"), head.get(key)):
                self.g.add((iri, self.v.resolve(MODEL_FIELDS[key]), obj))
        scheme = head.get("ambities")
        ref = self.b._ref(entry, Field("ambities", "", "ref", ("begrippenkader",)), scheme)
        if ref is not None:
            self.g.add((iri, self.v.kast.forScheme, ref))
        self.levels = self._levels(entry, iri, head.get("niveaus"), "niveaus", names=True)
        self._agreement(entry, iri, head.get("overeenkomst"))
        # One list, so each citation gets its own node (#bron-1, #bron-2 …) under the model.
        citations = [c for part in (head.get("bronnen"), (head.get("overeenkomst") or {}).get("bronnen")
                                    if isinstance(head.get("overeenkomst"), dict) else None)
                     if isinstance(part, list) for c in part]
        self.b._citations(entry, iri, citations or head.get("bronnen"), _spec(MODEL_FIELDS))
        self._scales(self.data.get("schalen"), scheme if ref is not None else None)

    def _levels(self, entry: Entry, subject: URIRef, levels, key: str, names: bool = False) -> set[int]:
        """`niveaus`: a list of {waarde, naam, beschrijving} (model) or a mapping number → description (scale)."""
        if names:
            if not isinstance(levels, list) or not levels:
                self.error("verwacht een lijst van niveaus ('- {waarde: 0, naam: …, beschrijving: …}')", key, entry.id)
                return set()
            pairs = [(lv.get("waarde"), lv) if isinstance(lv, dict) else (None, lv) for lv in levels]
        else:
            if not isinstance(levels, dict):
                self.error("verwacht per niveau een regel 'getal: beschrijving'", key, entry.id)
                return set()
            pairs = [(n, {"beschrijving": text}) for n, text in levels.items()]
        seen = set()
        for number, level in pairs:
            if not isinstance(number, int) or isinstance(number, bool) or not 0 <= number <= 9 or not isinstance(level, dict):
                self.error(f"een niveau is een getal van 0 tot en met 9, gevonden {number!r}", key, entry.id)
                continue
            if number in seen:
                self.error(f"niveau {number} komt twee keer voor", key, entry.id)
                continue
            seen.add(number)
            node = URIRef(f"{subject}#niveau-{number}")
            self.b.file_of[node] = (self.file, entry.id, "groeimodel")
            self.g.add((subject, self.v.kast.hasLevel, node))
            self.g.add((node, RDF.type, self.v.kast.MaturityLevel))
            self.g.add((node, RDF.value, Literal(number, datatype=XSD.integer)))
            if names:
                for obj in self.b._values(entry, Field(f"{key}.naam", "", "text"), level.get("naam")):
                    self.g.add((node, SKOS.prefLabel, obj))
            for obj in self.b._values(entry, Field(f"{key}.{number}", "", "text"), level.get("beschrijving")):
                self.g.add((node, DCTERMS.description, obj))
        return seen

    def _agreement(self, entry: Entry, iri: URIRef, agreement) -> None:
        if agreement is None:
            return
        if not isinstance(agreement, dict):
            self.error("verwacht velden onder 'overeenkomst' (ondertekend, termijn-jaren, ondertekenaars)", "overeenkomst")
            return
        sub = self.entry(self.id, agreement)
        for obj in self.b._values(sub, Field("overeenkomst.ondertekend", "", "date"), agreement.get("ondertekend")):
            if obj.datatype == XSD.date:
                self.g.add((iri, self.v.kast.agreementSigned, obj))
            else:
                self.error("verwacht een volledige datum (JJJJ-MM-DD)", "overeenkomst.ondertekend")
        years = agreement.get("termijn-jaren")
        if years is not None:
            if isinstance(years, int) and not isinstance(years, bool) and 0 < years <= 20:
                self.g.add((iri, self.v.kast.agreementYears, Literal(years, datatype=XSD.integer)))
            else:
                self.error(f"verwacht een aantal jaren (1 tot en met 20), gevonden {years!r}", "overeenkomst.termijn-jaren")
        actors = ("actor", "gemeente", "provincie", "waterschap")
        for obj in self.b._values(sub, Field("overeenkomst.ondertekenaars", "", "refs", actors),
                                  agreement.get("ondertekenaars")):
            self.g.add((iri, self.v.kast.signatory, obj))
        for obj in self.b._values(sub, Field("overeenkomst.samenwerking", "", "ref", ("actor",)),
                                  agreement.get("samenwerking")):
            self.g.add((iri, self.v.kast.collaboration, obj))

    def _scales(self, scales, scheme: str | None) -> None:
        if not isinstance(scales, list):
            self.error("verwacht een lijst 'schalen:' met per ambitie '- ambitie: …'", "schalen")
            return
        kinds = {k: self.v.classes[k] for k in KINDS}
        done: set[str] = set()
        for n, scale in enumerate(scales, 1):
            if not isinstance(scale, dict):
                self.error(f"schaal {n}: verwacht velden (ambitie, geldt-voor, niveaus, bronnen)", "schalen")
                continue
            ambition = scale.get("ambitie")
            entry = self.entry(str(ambition), scale)
            ref = self.b._ref(entry, Field("ambitie", "", "ref", ("ambitie",)), ambition)
            if ref is None:
                continue
            if ambition in done:
                self.error("deze ambitie heeft al een schaal in dit groeimodel", "ambitie", ambition)
                continue
            if scheme and (ref, SKOS.inScheme, self.v.entity("begrippenkader", scheme)) not in self.g:
                self.error(f"de ambitie hoort niet bij het begrippenkader '{scheme}' van dit groeimodel", "ambitie", ambition)
                continue
            done.add(ambition)
            node = URIRef(f"{self.model_iri}/{ambition}")
            self.b.file_of[node] = (self.file, ambition, "groeimodel")
            self.g.add((node, RDF.type, self.v.kast.MaturityScale))
            self.g.add((node, self.v.kast.scaleOf, ref))
            self.g.add((node, self.v.kast.inModel, self.model_iri))
            applies = scale.get("geldt-voor")
            for kind in applies if isinstance(applies, list) else [applies]:
                if kind in kinds:
                    self.g.add((node, self.v.kast.appliesTo, kinds[kind]))
                else:
                    self.error(f"onbekende soort organisatie {kind!r}; kies uit: {', '.join(KINDS)}", "geldt-voor", ambition)
            numbers = self._levels(entry, node, scale.get("niveaus"), "niveaus")
            if self.levels and numbers and numbers != self.levels:
                self.error("beschrijf precies de niveaus van het groeimodel ("
                           + ", ".join(map(str, sorted(self.levels))) + ")", "niveaus", ambition)
            self.b._citations(entry, node, scale.get("bronnen"), _spec(SCALE_FIELDS))
        if scheme:
            missing = [self.b.items[i] for i, it in self.b.items.items() if it.kind == "ambitie" and i not in done
                       and (it.iri, SKOS.inScheme, self.v.entity("begrippenkader", scheme)) in self.g]
            for item in missing:
                self.b.messages.append(Message(self.file, f"de ambitie '{item.entry.id}' heeft nog geen schaal",
                                               "schalen", self.id, "waarschuwing"))


def _spec(fields: dict[str, str]) -> dict[str, Field]:
    """Field specs so that `onderbouwt: [...]` in a citation can name the fields of a model or scale."""
    return {key: Field(key, curie, "text") for key, curie in fields.items()}


# ------------------------------------------------------------------ graph → model

@dataclass(frozen=True)
class Level:
    value: int
    name: str
    description: str


@dataclass
class Scale:
    ambition: str          # id of the ambition
    notation: str          # "3.6"
    label: str
    theme: str             # id of the broader theme (weerbaarheidsscan theme)
    theme_label: str
    applies_to: tuple[str, ...]
    levels: dict[int, str]  # number → what it means for this ambition


@dataclass
class Model:
    id: str
    label: str
    levels: list[Level]
    scales: list[Scale]                      # in the order of their numbers
    signed: dt.date | None = None
    years: int | None = None
    signatories: tuple[str, ...] = ()
    collaboration: str | None = None
    by_ambition: dict[str, Scale] = field(default_factory=dict)

    def __post_init__(self):
        self.by_ambition = {s.ambition: s for s in self.scales}

    @property
    def top(self) -> int:
        return max(lv.value for lv in self.levels)

    @property
    def deadline(self) -> dt.date | None:
        if self.signed is None or self.years is None:
            return None
        try:
            return self.signed.replace(year=self.signed.year + self.years)
        except ValueError:   # 29 February
            return self.signed.replace(year=self.signed.year + self.years, day=28)

    def applicable(self, kind: str | None) -> list[Scale]:
        return [s for s in self.scales if kind in s.applies_to]

    def level_name(self, value: int | None) -> str:
        return next((lv.name for lv in self.levels if lv.value == value), "niet ingevuld")

    def themes(self, kind: str | None = None) -> list[tuple[str, str, list[Scale]]]:
        """(theme id, label, scales) in the order of the ambitions."""
        out: dict[str, tuple[str, str, list[Scale]]] = {}
        for s in self.applicable(kind) if kind else self.scales:
            out.setdefault(s.theme, (s.theme, s.theme_label, []))[2].append(s)
        return list(out.values())


def _number_key(notation: str):
    return tuple(int(p) if p.isdigit() else p for p in notation.split("."))


def models(kast) -> list[Model]:
    from .describe import label   # describe imports the loader, which imports this module

    g, k = kast.graph, kast.vocab.kast
    kinds = {v: key for key, v in kast.vocab.classes.items() if key in KINDS}
    out = []
    for iri in sorted(g.subjects(RDF.type, k.MaturityModel)):
        levels = sorted((Level(int(g.value(n, RDF.value)), str(g.value(n, SKOS.prefLabel) or ""),
                               str(g.value(n, DCTERMS.description) or ""))
                         for n in g.objects(iri, k.hasLevel) if g.value(n, RDF.value) is not None),
                        key=lambda lv: lv.value)
        scales = []
        for node in g.subjects(k.inModel, iri):
            ambition = g.value(node, k.scaleOf)
            theme = g.value(ambition, SKOS.broader)
            scales.append(Scale(
                kast.id_of(ambition), str(g.value(ambition, SKOS.notation) or ""), label(kast, ambition),
                kast.id_of(theme) if theme is not None else "", label(kast, theme) if theme is not None else "",
                tuple(sorted(kinds[c] for c in g.objects(node, k.appliesTo) if c in kinds)),
                {int(g.value(n, RDF.value)): str(g.value(n, DCTERMS.description) or "")
                 for n in g.objects(node, k.hasLevel) if g.value(n, RDF.value) is not None}))
        scales.sort(key=lambda s: _number_key(s.notation))
        signed = g.value(iri, k.agreementSigned)
        years = g.value(iri, k.agreementYears)
        collaboration = g.value(iri, k.collaboration)
        out.append(Model(
            str(g.value(iri, DCTERMS.identifier)), label(kast, iri), levels, scales,
            signed.toPython() if signed is not None else None, int(years) if years is not None else None,
            tuple(sorted(kast.id_of(a) for a in g.objects(iri, k.signatory))),
            kast.id_of(collaboration) if collaboration is not None else None))
    return out


def model(kast) -> Model | None:
    """The one groeimodel of the kast (the Drentse ambities); None when the data has none."""
    found = models(kast)
    return found[0] if found else None


def scale_view(kast, ambition: str) -> dict | None:
    """The scale of one ambition for its public page (the model is public; profiles are not)."""
    for mod in models(kast):
        scale = mod.by_ambition.get(ambition)
        if scale is not None:
            node = URIRef(f"{kast.vocab.base}id/groeimodel/{mod.id}/{ambition}")
            g = kast.graph
            sections = sorted({(kast.id_of(g.value(s, DCTERMS.isPartOf)), str(g.value(s, DCTERMS.identifier)))
                               for s in g.objects(node, DCTERMS.source)})
            return {"groeimodel": mod.label, "geldtVoor": list(scale.applies_to),
                    "niveaus": [{"waarde": lv.value, "naam": lv.name, "beschrijving": scale.levels.get(lv.value, "")}
                                for lv in mod.levels],
                    "bronnen": [{"bron": doc, "sectie": section} for doc, section in sections]}
    return None
