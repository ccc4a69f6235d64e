"""The forms of the curation pages (a practice, an actor, an instrument, a concept), generated from the
one table of fields (`kast.fields`), so the form, the file format and the validator cannot drift apart.
Works without JavaScript: references are (multiple) selects of the entries in the graph, fixed lists are
selects or checkboxes.
"""
from dataclasses import dataclass

from markupsafe import Markup, escape
from rdflib.namespace import SKOS

from kast.curation import kinds
from kast.curation.entry import MANAGED
from kast.describe import label
from kast.fields import PRACTICE, PRACTICE_BODY, Field

LONG_TEXT = {"samenvatting", "beschrijving", "focus", "wettelijke-basis"} | {f.key for f in PRACTICE_BODY}
LABELS = {"tooi": "TOOI-URI", "notatie": "Notatie (nummer in de bron)", "breder": "Breder begrip",
          "verwant": "Verwante begrippen", "aangeboden-door": "Aangeboden door", "ontwikkeld-door": "Ontwikkeld door",
          "ondersteund-door": "Ondersteund door", "themas": "Thema's", "doelgroepen": "Doelgroepen"}
SOURCE_ROWS_EXTRA = 2      # empty rows for new citations below the existing ones
RELATION_ROWS_EXTRA = 1    # empty relation rows below the existing ones (more with "Nog een relatie")
MAX_ROWS = 200             # rows read from a submitted form, whatever it claims
LIST_FIELDS = ("texts", "refs", "concepts")


@dataclass
class Spec:
    field: Field
    options: list[tuple[str, str]]   # (value, label) for selects and checkboxes

    @property
    def key(self) -> str:
        return self.field.key

    @property
    def name(self) -> str:           # a form field name without dots
        return self.field.key.replace(".", "__")

    @property
    def control(self) -> str:
        t = self.field.type
        if t == "text":
            return "textarea" if self.key in LONG_TEXT else "input"
        return {"texts": "lines", "concept": "select", "concepts": "checkboxes", "ref": "select",
                "refs": "multiselect", "year": "year"}.get(t, "input")

    @property
    def label(self) -> str:
        if self.key in LABELS:
            return LABELS[self.key]
        return self.key.replace("periode.", "periode: ").replace("context.", "context: ").replace(
            "contact.", "contact: ").replace("-", " ").capitalize()


def fixed_lists(kast) -> dict[str, list[tuple[str, str]]]:
    lists: dict[str, list[tuple[str, str]]] = {}
    for concept, scheme in kast.graph.subject_objects(SKOS.inScheme):
        name = str(scheme).rsplit("/", 1)[-1]
        for notation in kast.graph.objects(concept, SKOS.notation):
            lists.setdefault(name, []).append((str(notation), label(kast, concept)))
    return {name: sorted(values, key=lambda v: v[1].casefold()) for name, values in lists.items()}


def specs(kast, kind: str = "praktijk") -> list[Spec]:
    """One spec per editable field of an entry of `kind` (kast.curation.kinds), with the options the graph
    offers."""
    lists = fixed_lists(kast)
    by_kind: dict[str, list[tuple[str, str]]] = {}
    for item_id, item in kast.items.items():
        by_kind.setdefault(item.kind, []).append((item_id, label(kast, item.iri)))
    out = []
    handler = kinds.of(kind)
    table = PRACTICE + PRACTICE_BODY if handler is kinds.PRACTICES else handler.field_specs
    for f in table:
        if f.key in MANAGED:
            continue
        if f.type in ("concept", "concepts"):
            options = lists.get(f.target, [])
        elif f.type in ("ref", "refs"):
            targets = (f.target,) if isinstance(f.target, str) else f.target
            options = sorted((o for k in targets for o in by_kind.get(k, [])), key=lambda o: o[1].casefold())
        else:
            options = []
        out.append(Spec(f, options))
    return out


def sources(kast) -> list[tuple[str, str]]:
    return sorted(((i, label(kast, item.iri)) for i, item in kast.items.items() if item.kind == "bron"))


def values(spec: Spec, fields: dict) -> list[str]:
    """The current value(s) of a field as strings, for the form."""
    value = fields.get(spec.key)
    if value is None:
        return []
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]


def parse(form, all_specs: list[Spec]) -> dict:
    """The submitted form as the flat fields of a practice (what `kast.curation` stores)."""
    fields: dict = {}
    for spec in all_specs:
        t = spec.field.type
        if t in ("refs", "concepts"):
            value = [v for v in form.getlist(spec.name) if v]
        elif t == "texts":
            value = [line.strip() for line in form.get(spec.name, "").splitlines() if line.strip()]
        else:
            value = form.get(spec.name, "").strip()
            if t == "year" and value.isdigit():
                value = int(value)
        if value not in ("", []):
            fields[spec.key] = value
    citations = []
    for n in range(int(form.get("bronnen-aantal", "0") or 0) if str(form.get("bronnen-aantal", "0")).isdigit() else 0):
        source, section = form.get(f"bron-{n}", "").strip(), form.get(f"sectie-{n}", "").strip()
        if not source and not section:
            continue
        row = {"bron": source, "sectie": section}
        supports = [s.strip() for s in form.get(f"onderbouwt-{n}", "").split(",") if s.strip()]
        if supports:
            row["onderbouwt"] = supports
        quote = form.get(f"citaat-{n}", "").strip()
        if quote:
            row["citaat"] = quote
        citations.append(row)
    if citations:
        fields["bronnen"] = citations
    return fields


def shown(value) -> str:
    """A field's value for people: relations and citations one per line, lists comma-separated."""
    from kast.curation.diff import describe

    if isinstance(value, list):
        if any(isinstance(v, dict) for v in value):
            return "\n".join(describe(v) for v in value)
        return ", ".join(map(str, value))
    return "" if value is None else str(value)


def citation_rows(fields: dict) -> list[dict]:
    rows = [dict(r, onderbouwt=", ".join(r.get("onderbouwt") or [])) for r in fields.get("bronnen") or []
            if isinstance(r, dict)]
    return rows + [{} for _ in range(SOURCE_ROWS_EXTRA)]


def messages_by_field(messages: list, findings: list) -> dict[str, list[str]]:
    """Validation messages and privacy findings per field name of the form ('' for the whole entry)."""
    out: dict[str, list[str]] = {}
    for m in messages:
        key = (m.field if hasattr(m, "field") else m.get("veld")) or ""
        text = m.text if hasattr(m, "text") else m.get("melding", "")
        out.setdefault(key.split(".")[0] if key.startswith("bronnen") else key, []).append(text)
    for f in findings:
        key = f.field if hasattr(f, "field") else f.get("veld", "")
        out.setdefault(key or "", []).append(f.message if hasattr(f, "message") else f.get("melding", ""))
    return out


# ------------------------------------------------------------------ relations of an actor

def relation_options(kast) -> dict:
    """What a relation row offers: the fixed list `relatiesoort`, and as target every actor and instrument
    (an actor for most kinds, an instrument for neemt-deel-aan), grouped."""
    from kast.vocab import ACTOR_KINDS

    actors, instruments = [], []
    for item_id, item in kast.items.items():
        if item.kind in ACTOR_KINDS:
            actors.append((item_id, label(kast, item.iri)))
        elif item.kind == "instrument":
            instruments.append((item_id, label(kast, item.iri)))
    by_name = lambda o: o[1].casefold()   # noqa: E731
    groups = [("Actoren", sorted(actors, key=by_name)), ("Instrumenten", sorted(instruments, key=by_name))]
    # the ~600 options are the same in every row: escaped once, only the chosen one is marked per row
    html = "".join(f'<optgroup label="{escape(group)}">' + "".join(
        f'<option value="{escape(value)}">{escape(text)}{escape(f" ({value})") if text != value else ""}</option>'
        for value, text in options) + "</optgroup>" for group, options in groups)
    return {"soorten": fixed_lists(kast).get("relatiesoort", []), "doelen": groups, "doel_html": html}


def target_options(html: str, chosen: str) -> Markup:
    """The shared options of a relation's target with `chosen` selected."""
    if chosen:
        html = html.replace(f'<option value="{escape(chosen)}">', f'<option value="{escape(chosen)}" selected>', 1)
    return Markup(html)


def _count(form, name: str) -> int:
    value = str(form.get(name, "0") or "0")
    return min(int(value), MAX_ROWS) if value.isdigit() else 0


def parse_relations(form) -> list[dict] | None:
    """The relation rows of the form as the file format's `relaties` (None: the form had no relations).
    A row marked "weghalen", or with nothing filled in, is left out; a half-filled row stays, so the
    validator names what is missing."""
    if "relaties-aantal" not in form:
        return None
    out = []
    for n in range(_count(form, "relaties-aantal")):
        if form.get(f"relatie-{n}-weg"):
            continue
        soort, doel = form.get(f"relatie-{n}-soort", "").strip(), form.get(f"relatie-{n}-doel", "").strip()
        citations = []
        for m in range(_count(form, f"relatie-{n}-bronnen-aantal")):
            source = form.get(f"relatie-{n}-bron-{m}", "").strip()
            section = form.get(f"relatie-{n}-sectie-{m}", "").strip()
            quote = form.get(f"relatie-{n}-citaat-{m}", "").strip()
            if source or section or quote:
                citations.append({"bron": source, "sectie": section, **({"citaat": quote} if quote else {})})
        if soort or doel or citations:
            row = {"soort": soort, "doel": doel}
            if citations:
                row["bronnen"] = citations
            out.append(row)
    return out


def relation_rows(fields: dict, extra: int = RELATION_ROWS_EXTRA) -> list[dict]:
    """The rows to show: every relation with its citations and one empty citation, then `extra` empty rows."""
    rows = []
    for r in fields.get("relaties") or []:
        if isinstance(r, dict):
            citations = [c for c in r.get("bronnen") or [] if isinstance(c, dict)]
            rows.append({"soort": str(r.get("soort") or ""), "doel": str(r.get("doel") or ""),
                         "bronnen": citations + [{}]})
    return rows + [{"soort": "", "doel": "", "bronnen": [{}]} for _ in range(max(0, min(extra, 20)))]
